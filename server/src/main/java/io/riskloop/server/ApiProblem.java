package io.riskloop.server;

import io.riskloop.registry.FieldError;

import java.util.List;

/**
 * A request refused for a reason the client can act on: the status, a title, what was wrong, and the fields at
 * fault. {@link ErrorResponses} turns it into problem+json.
 */
public final class ApiProblem extends RuntimeException {

    private final int status;
    private final String title;
    private final List<FieldError> errors;

    public ApiProblem(int status, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    /** 400, naming the field. */
    public static ApiProblem invalid(String field, String reason) {
        return new ApiProblem(400, "Invalid request", field + ": " + reason, List.of(new FieldError(field, reason)));
    }

    /** 400, naming every field at fault. */
    public static ApiProblem invalid(List<FieldError> errors) {
        return new ApiProblem(400, "Invalid request", errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid; see errors", errors);
    }

    public static ApiProblem notFound(String field, String detail) {
        return new ApiProblem(404, "Not found", detail, List.of(new FieldError(field, detail)));
    }

    /** 503: a part this request needs is not configured or not ready. */
    public static ApiProblem unavailable(String detail) {
        return new ApiProblem(503, "Unavailable", detail, List.of());
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
