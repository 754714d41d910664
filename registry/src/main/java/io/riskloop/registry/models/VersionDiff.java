package io.riskloop.registry.models;

import java.util.List;

/**
 * Two versions side by side: every property either has, with whether they differ.
 */
public record VersionDiff(ModelVersion a, ModelVersion b, List<Row> rows) {

    /** One property. A value one side does not have is null. */
    public record Row(String property, String a, String b) {
        public boolean differs() {
            return a == null ? b != null : !a.equals(b);
        }
    }

    public List<Row> differences() {
        return rows.stream().filter(Row::differs).toList();
    }
}
