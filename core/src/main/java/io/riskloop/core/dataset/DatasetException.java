package io.riskloop.core.dataset;

/** A data file that cannot be used, with a message fit for the person who gave it. */
public final class DatasetException extends RuntimeException {
    private final transient BadRow badRow;

    public DatasetException(String message) {
        super(message);
        this.badRow = null;
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
        this.badRow = null;
    }

    public DatasetException(BadRow badRow) {
        super(badRow.message() + " (use --on-bad-row=skip to set such rows aside and go on)");
        this.badRow = badRow;
    }

    /** The row that stopped reading, when there was one. */
    public BadRow badRow() {
        return badRow;
    }
}
