package io.riskloop.store;

import org.postgresql.util.PSQLException;

import java.sql.SQLException;

/**
 * A database operation that failed, with what was being done. For a failed SQL statement it keeps PostgreSQL's
 * SQLSTATE and, for constraint violations, the constraint's name, so callers can tell "already exists" from a
 * broken connection.
 */
public final class StoreException extends RuntimeException {

    /** SQLSTATE of a unique-constraint violation. */
    public static final String UNIQUE_VIOLATION = "23505";

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }

    /** PostgreSQL's SQLSTATE, or null when the failure was not a SQL error. */
    public String sqlState() {
        return getCause() instanceof SQLException e ? e.getSQLState() : null;
    }

    /** The violated constraint's name, or null. */
    public String constraint() {
        if (getCause() instanceof PSQLException e && e.getServerErrorMessage() != null) {
            return e.getServerErrorMessage().getConstraint();
        }
        return null;
    }

    public boolean isUniqueViolation(String constraintName) {
        return UNIQUE_VIOLATION.equals(sqlState()) && constraintName.equals(constraint());
    }
}
