package io.riskloop.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the registry accepts as names, keys and values. The limits are MLflow's where an MLflow client sets the
 * value, so that calls valid against MLflow are valid here; names of models and aliases are stricter because they
 * appear in URLs and command lines.
 */
public final class Names {

    /** Model, experiment and run names, and tag, param and metric keys. */
    public static final int MAX_KEY = 250;
    public static final int MAX_PARAM_VALUE = 6000;
    public static final int MAX_TAG_VALUE = 8000;
    public static final int MAX_EXPERIMENT_NAME = 500;
    public static final int MAX_DESCRIPTION = 5000;

    private static final Pattern KEY = Pattern.compile("[\\w./\\- :]+");
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z_][A-Za-z0-9_\\-]*");
    private static final Pattern RESERVED_ALIAS = Pattern.compile("(?i)latest|v\\d+");

    private Names() {
    }

    /** Collects the errors of one request, so that all of them are reported at once. */
    public static final class Check {
        private final List<FieldError> errors = new ArrayList<>();

        public Check require(boolean ok, String field, String message) {
            if (!ok) {
                errors.add(new FieldError(field, message));
            }
            return this;
        }

        public Check present(Object value, String field) {
            return require(value != null && !(value instanceof String s && s.isBlank()), field,
                    field + " is required");
        }

        public Check modelName(String name, String field) {
            if (name == null || name.isBlank()) {
                return require(false, field, field + " is required");
            }
            return require(name.length() <= MAX_KEY && MODEL_NAME.matcher(name).matches(), field,
                    field + " '" + abbreviate(name) + "' is not a valid model name: use letters, digits, '_', '-' and"
                            + " '.', starting with a letter or digit, at most " + MAX_KEY + " characters");
        }

        public Check alias(String alias, String field) {
            if (alias == null || alias.isBlank()) {
                return require(false, field, field + " is required");
            }
            require(alias.length() <= 64 && ALIAS.matcher(alias).matches(), field, field + " '" + abbreviate(alias)
                    + "' is not a valid alias: use letters, digits, '_' and '-', starting with a letter or '_',"
                    + " at most 64 characters");
            return require(!RESERVED_ALIAS.matcher(alias).matches(), field, field + " '" + alias
                    + "' is reserved: 'latest' and 'v<number>' name versions, not aliases");
        }

        public Check experimentName(String name, String field) {
            if (name == null || name.isBlank()) {
                return require(false, field, field + " is required");
            }
            return require(name.length() <= MAX_EXPERIMENT_NAME && name.strip().equals(name)
                            && name.chars().noneMatch(Character::isISOControl), field,
                    field + " must be at most " + MAX_EXPERIMENT_NAME + " characters without control characters or"
                            + " surrounding spaces");
        }

        public Check key(String key, String field) {
            if (key == null || key.isEmpty()) {
                return require(false, field, field + " is required");
            }
            require(key.length() <= MAX_KEY && KEY.matcher(key).matches(), field, field + " '" + abbreviate(key)
                    + "' is not a valid key: use letters, digits, '_', '-', '.', ' ', ':' and '/', at most "
                    + MAX_KEY + " characters");
            return require(!key.contains("..") && !key.startsWith("/"), field, field + " '" + abbreviate(key)
                    + "' must not start with '/' or contain '..'");
        }

        public Check value(String value, int max, String field) {
            if (value == null) {
                return require(false, field, field + " is required");
            }
            return require(value.length() <= max, field, field + " is " + value.length()
                    + " characters long; the limit is " + max);
        }

        public Check tags(Map<String, String> tags, String field) {
            if (tags != null) {
                tags.forEach((k, v) -> key(k, field + ".key").value(v, MAX_TAG_VALUE, field + "[" + k + "]"));
            }
            return this;
        }

        public boolean ok() {
            return errors.isEmpty();
        }

        /** Throws the collected errors, if any. */
        public void orThrow() {
            if (!errors.isEmpty()) {
                throw RegistryException.invalid(errors);
            }
        }
    }

    public static Check check() {
        return new Check();
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
