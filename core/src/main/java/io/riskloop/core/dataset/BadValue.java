package io.riskloop.core.dataset;

/** Thrown by a layout's row parser: which column and why. Turned into a {@link BadRow} by the reader. */
final class BadValue extends Exception {
    final String column;

    BadValue(String column, String reason) {
        super(reason, null, false, false);
        this.column = column;
    }
}
