package io.riskloop.server;

import io.riskloop.registry.FieldError;

import java.util.List;

/**
 * An error response body in RFC 9457's problem+json form, with the fields at fault.
 *
 * @param type   a URI naming the kind of problem (relative to the API)
 * @param title  the kind of problem, for people
 * @param status the HTTP status
 * @param detail what was wrong with this request, and what to do
 * @param errors the fields at fault, each with its reason
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String CONTENT_TYPE = "application/problem+json";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
