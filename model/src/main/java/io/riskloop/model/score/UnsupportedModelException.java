package io.riskloop.model.score;

/** A model file uses something the scorer does not implement; the message names it. */
public final class UnsupportedModelException extends RuntimeException {
    public UnsupportedModelException(String message) {
        super(message);
    }
}
