package io.riskloop.stream;

import io.riskloop.model.score.ModelHolder;
import io.riskloop.model.score.ModelInfo;
import io.riskloop.model.score.ScoringModel;

import java.util.List;
import java.util.Objects;

/**
 * The models in service: the champion, which decides, and optionally a challenger, scored in shadow. Either can be
 * replaced while the pipeline runs; a replacement must take the pipeline's features, in its order.
 */
public final class ServingModels implements AutoCloseable {

    private final List<String> featureNames;
    private final ModelHolder champion;
    private volatile ModelHolder challenger;

    public ServingModels(List<String> featureNames, ScoringModel champion) {
        this.featureNames = List.copyOf(featureNames);
        check(champion);
        this.champion = new ModelHolder(champion);
    }

    private void check(ScoringModel m) {
        Objects.requireNonNull(m, "model");
        if (!m.info().featureNames().equals(featureNames)) {
            throw new IllegalArgumentException("model " + m.info().version() + " takes " + m.info().featureNames()
                    + " but the pipeline computes " + featureNames);
        }
    }

    public ModelHolder champion() {
        return champion;
    }

    /** The challenger's holder, or null when there is none. */
    public ModelHolder challenger() {
        return challenger;
    }

    /** Puts a new champion in service; returns the previous one's identity. */
    public ModelInfo promote(ScoringModel next) {
        check(next);
        return champion.swap(next);
    }

    /** Sets (or, with null, removes) the challenger. */
    public synchronized void challenger(ScoringModel next) {
        ModelHolder previous = challenger;
        if (next != null) {
            check(next);
            challenger = new ModelHolder(next);
        } else {
            challenger = null;
        }
        if (previous != null) {
            previous.close();
        }
    }

    @Override
    public void close() {
        champion.close();
        ModelHolder c = challenger;
        if (c != null) {
            c.close();
        }
    }
}
