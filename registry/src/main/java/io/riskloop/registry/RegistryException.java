package io.riskloop.registry;

import java.util.List;

/**
 * A request the registry refuses: something named does not exist, already exists, or a value is not acceptable.
 * It carries the fields at fault so that each interface can say so in its own terms (problem+json on riskloop's
 * API, MLflow's error codes on the MLflow API, a message on the command line).
 */
public final class RegistryException extends RuntimeException {

    /** Why a request was refused. */
    public enum Kind {
        /** A named experiment, run, snapshot, model, version or alias does not exist. */
        NOT_FOUND,
        /** Creating something whose name or key is taken. */
        ALREADY_EXISTS,
        /** A value is missing, malformed or out of range. */
        INVALID
    }

    private final Kind kind;
    private final transient List<FieldError> errors;

    public RegistryException(Kind kind, String message, List<FieldError> errors) {
        super(message);
        this.kind = kind;
        this.errors = List.copyOf(errors);
    }

    public static RegistryException notFound(String field, String message) {
        return new RegistryException(Kind.NOT_FOUND, message, List.of(new FieldError(field, message)));
    }

    public static RegistryException alreadyExists(String field, String message) {
        return new RegistryException(Kind.ALREADY_EXISTS, message, List.of(new FieldError(field, message)));
    }

    public static RegistryException invalid(String field, String message) {
        return new RegistryException(Kind.INVALID, message, List.of(new FieldError(field, message)));
    }

    /** Several bad fields at once; the message joins theirs. */
    public static RegistryException invalid(List<FieldError> errors) {
        StringBuilder sb = new StringBuilder();
        for (FieldError e : errors) {
            sb.append(sb.isEmpty() ? "" : "; ").append(e.message());
        }
        return new RegistryException(Kind.INVALID, sb.toString(), errors);
    }

    public Kind kind() {
        return kind;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
