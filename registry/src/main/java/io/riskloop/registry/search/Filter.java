package io.riskloop.registry.search;

import io.riskloop.registry.RegistryException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses MLflow's search filter language: comparisons joined by AND, e.g.
 * {@code metrics.auc_roc > 0.8 and params.algorithm = 'xgboost' and tags."mlflow.user" LIKE 'ann%'}.
 * Identifiers may be quoted with backticks or double quotes; strings with single or double quotes; IN takes a
 * parenthesised list of strings. OR and parentheses are not part of MLflow's language and are refused.
 */
public final class Filter {

    private static final Map<String, String> PREFIXES = Map.ofEntries(
            Map.entry("metric", Clause.METRICS), Map.entry("metrics", Clause.METRICS),
            Map.entry("param", Clause.PARAMS), Map.entry("params", Clause.PARAMS),
            Map.entry("parameter", Clause.PARAMS), Map.entry("parameters", Clause.PARAMS),
            Map.entry("tag", Clause.TAGS), Map.entry("tags", Clause.TAGS),
            Map.entry("attribute", Clause.ATTRIBUTES), Map.entry("attributes", Clause.ATTRIBUTES),
            Map.entry("attr", Clause.ATTRIBUTES), Map.entry("run", Clause.ATTRIBUTES));

    private final String text;
    private int pos;

    private Filter(String text) {
        this.text = text;
    }

    /** The clauses of {@code filter}; none for a null or blank filter. */
    public static List<Clause> parse(String filter) {
        List<Clause> out = new ArrayList<>();
        if (filter == null || filter.isBlank()) {
            return out;
        }
        Filter p = new Filter(filter);
        out.add(p.clause());
        while (true) {
            p.skipSpace();
            if (p.pos >= p.text.length()) {
                return out;
            }
            String word = p.word();
            if (!word.equalsIgnoreCase("and")) {
                throw p.error("expected AND between comparisons, found '" + word + "'"
                        + (word.equalsIgnoreCase("or") ? " (OR is not supported, as in MLflow)" : ""));
            }
            out.add(p.clause());
        }
    }

    private Clause clause() {
        skipSpace();
        String first = identifier();
        String entity = Clause.ATTRIBUTES;
        String key = first;
        if (pos < text.length() && text.charAt(pos) == '.' && PREFIXES.containsKey(first.toLowerCase(Locale.ROOT))) {
            pos++;
            entity = PREFIXES.get(first.toLowerCase(Locale.ROOT));
            key = identifier();
            // an unquoted key may itself hold dots: tags.mlflow.runName
            while (pos < text.length() && text.charAt(pos) == '.') {
                pos++;
                key = key + "." + identifier();
            }
        }
        skipSpace();
        String op = operator();
        skipSpace();
        Object value;
        if (op.equals("IN") || op.equals("NOT IN")) {
            value = stringList();
        } else {
            value = value();
        }
        return new Clause(entity, key, op, value);
    }

    private String identifier() {
        if (pos >= text.length()) {
            throw error("expected a name");
        }
        char c = text.charAt(pos);
        if (c == '`' || c == '"') {
            return quoted(c);
        }
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || "_-:/".indexOf(text.charAt(pos)) >= 0)) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a name, found '" + c + "'");
        }
        return text.substring(start, pos);
    }

    private String operator() {
        for (String op : new String[] {"!=", "<=", ">=", "=", "<", ">"}) {
            if (text.startsWith(op, pos)) {
                pos += op.length();
                return op;
            }
        }
        int save = pos;
        String w = word().toUpperCase(Locale.ROOT);
        switch (w) {
            case "LIKE", "ILIKE", "IN" -> {
                return w;
            }
            case "NOT" -> {
                skipSpace();
                if (word().equalsIgnoreCase("IN")) {
                    return "NOT IN";
                }
            }
            default -> {
            }
        }
        pos = save;
        throw error("expected a comparison (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN)");
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("expected a value");
        }
        char c = text.charAt(pos);
        if (c == '\'' || c == '"') {
            return quoted(c);
        }
        int start = pos;
        while (pos < text.length() && "+-.0123456789eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        try {
            return Double.parseDouble(text.substring(start, pos));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("expected a quoted string or a number");
        }
    }

    private List<String> stringList() {
        if (pos >= text.length() || text.charAt(pos) != '(') {
            throw error("expected '(' after IN");
        }
        pos++;
        List<String> out = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= text.length()) {
                throw error("unclosed '('");
            }
            char c = text.charAt(pos);
            if (c != '\'' && c != '"') {
                throw error("IN takes quoted strings");
            }
            out.add(quoted(c));
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
            } else if (pos < text.length() && text.charAt(pos) == ')') {
                pos++;
                return out;
            } else {
                throw error("expected ',' or ')' in the IN list");
            }
        }
    }

    private String quoted(char quote) {
        int start = ++pos;
        int end = text.indexOf(quote, start);
        if (end < 0) {
            throw error("unclosed " + quote);
        }
        pos = end + 1;
        return text.substring(start, end);
    }

    private String word() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private RegistryException error(String what) {
        return RegistryException.invalid("filter", "cannot parse the filter at character " + (pos + 1) + ": " + what
                + " (in \"" + text + "\")");
    }
}
