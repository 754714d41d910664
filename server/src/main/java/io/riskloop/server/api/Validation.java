package io.riskloop.server.api;

import io.riskloop.core.domain.Transaction;
import io.riskloop.registry.FieldError;
import io.riskloop.server.ApiProblem;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;

/** Checks of request fields that turn into problem+json naming the field. */
final class Validation {

    private Validation() {
    }

    /** A transaction record, checked as the pipeline checks it; {@code prefix} locates it in a larger body. */
    static Transaction transaction(io.riskloop.stream.TransactionJson reader, String raw, String prefix) {
        if (raw == null || raw.isBlank()) {
            throw ApiProblem.invalid(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
                    "a transaction is required");
        }
        return switch (reader.read(raw)) {
            case io.riskloop.stream.TransactionJson.Accepted a -> a.transaction();
            case io.riskloop.stream.TransactionJson.Rejected r -> throw ApiProblem.invalid(
                    r.field().equals("(record)") ? (prefix.isEmpty() ? "body" : prefix + "(record)") : prefix + r.field(),
                    r.reason());
        };
    }

    static Instant instant(String value, String field, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "not an ISO-8601 instant such as 2018-08-01T10:00:00Z: '" + value + "'"));
            return null;
        }
    }

    static Double number(String value, String field, double min, double max, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(value);
            if (!(d >= min && d <= max)) {
                errors.add(new FieldError(field, "must be between " + min + " and " + max + "; was " + value));
                return null;
            }
            return d;
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "not a number: '" + value + "'"));
            return null;
        }
    }

    static Integer integer(String value, String field, int min, int max, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        try {
            int v = Integer.parseInt(value);
            if (v < min || v > max) {
                errors.add(new FieldError(field, "must be between " + min + " and " + max + "; was " + value));
                return null;
            }
            return v;
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "not a whole number: '" + value + "'"));
            return null;
        }
    }

    static <E> E oneOf(String value, String field, Function<String, E> parse, String allowed, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, "must be one of " + allowed + "; was '" + value + "'"));
            return null;
        }
    }

    static void orThrow(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
    }
}
