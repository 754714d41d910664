package io.riskloop.registry;

/** What is wrong with one field of a request: its name as the caller spelt it, and why. */
public record FieldError(String field, String message) {
}
