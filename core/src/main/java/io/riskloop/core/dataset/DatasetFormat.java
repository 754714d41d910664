package io.riskloop.core.dataset;

import java.util.List;
import java.util.Locale;

/** The CSV layouts riskloop reads. */
public enum DatasetFormat {
    /** riskloop's own layout, written by the simulator: see docs/data-formats.md. */
    NATIVE,
    /** The Kaggle "Credit Card Fraud Detection" layout: Time, V1..V28, Amount, Class. */
    KAGGLE,
    /** The Sparkov simulator layout (trans_date_trans_time, cc_num, merchant, ..., is_fraud). */
    SPARKOV;

    /** Recognises a layout from its header, or returns null. */
    public static DatasetFormat detect(List<String> header) {
        List<String> h = header.stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
        if (h.containsAll(NativeLayout.REQUIRED)) {
            return NATIVE;
        }
        if (h.contains("time") && h.contains("v1") && h.contains("amount") && h.contains("class")) {
            return KAGGLE;
        }
        if (h.contains("trans_date_trans_time") && h.contains("cc_num") && h.contains("is_fraud")) {
            return SPARKOV;
        }
        return null;
    }

    public static DatasetFormat parse(String s) {
        for (DatasetFormat f : values()) {
            if (f.name().equalsIgnoreCase(s)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown data format '" + s + "': use native, kaggle or sparkov");
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
