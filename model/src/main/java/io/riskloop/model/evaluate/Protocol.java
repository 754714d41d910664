package io.riskloop.model.evaluate;

import java.util.Locale;

/** How models are evaluated (reference-benchmark.md, section 3). */
public enum Protocol {
    /** One time split, default parameters. */
    BASELINE,
    /** Prequential model selection: grids scored on validation folds, chosen parameters scored on test folds. */
    PREQUENTIAL;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
