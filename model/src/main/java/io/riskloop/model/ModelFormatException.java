package io.riskloop.model;

/** A model directory that cannot be loaded, with what was found and what is expected. */
public final class ModelFormatException extends RuntimeException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
