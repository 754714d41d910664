package io.riskloop.registry.search;

import java.util.List;

/**
 * One comparison of a search filter, e.g. {@code metrics.auc_roc > 0.8}.
 *
 * @param entity   metrics, params, tags or attributes (MLflow's prefixes; a bare name is an attribute)
 * @param key      the metric, param, tag or attribute name
 * @param operator one of =, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN
 * @param value    a String, a Double, or for IN a List of String
 */
public record Clause(String entity, String key, String operator, Object value) {

    public static final String METRICS = "metrics";
    public static final String PARAMS = "params";
    public static final String TAGS = "tags";
    public static final String ATTRIBUTES = "attributes";

    public boolean isNumber() {
        return value instanceof Double;
    }

    public boolean isList() {
        return value instanceof List<?>;
    }

    @SuppressWarnings("unchecked")
    public List<String> list() {
        return (List<String>) value;
    }
}
