package io.riskloop.core.dataset;

import java.nio.file.Path;

/**
 * A row that could not be read.
 *
 * @param file   the input file
 * @param line   1-based line number in the file
 * @param column the offending column, or "(row)" for problems of the whole row
 * @param reason what was wrong
 * @param raw    the row as read
 */
public record BadRow(Path file, long line, String column, String reason, String raw) {

    /** "file:line: column 'amount': reason", the form every bad-row message takes. */
    public String message() {
        return file + ":" + line + ": column '" + column + "': " + reason;
    }
}
