package io.riskloop.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * riskloop's PostgreSQL: a connection pool on a migrated schema, either on the embedded server (started here and
 * stopped on close) or on an external server given by JDBC URL. Opening migrates the schema to the latest version
 * (Flyway, under PostgreSQL's advisory lock, so two processes opening at once are safe).
 */
public final class Database implements AutoCloseable {

    /** The database riskloop uses on the embedded server. */
    public static final String EMBEDDED_DATABASE = "riskloop";
    static final int MAX_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final LocalPostgres local;
    private final String description;

    private Database(HikariDataSource pool, LocalPostgres local, String description) {
        this.pool = pool;
        this.local = local;
        this.description = description;
    }

    /** Starts (or connects to) the embedded server whose data live in {@code pgDirectory}, and opens riskloop's database. */
    public static Database embedded(Path pgDirectory) {
        LocalPostgres pg = LocalPostgres.startOrAttach(pgDirectory);
        try {
            pg.createDatabaseIfMissing(EMBEDDED_DATABASE);
            HikariDataSource pool = pool(pg.jdbcUrl(EMBEDDED_DATABASE), pg.user(), null);
            return open(pool, pg, "embedded PostgreSQL in " + pg.dataDirectory() + " (localhost:" + pg.port() + ")");
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    /** Opens a database on an external PostgreSQL server; user and password may be null when the URL carries them. */
    public static Database external(String jdbcUrl, String user, String password) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("riskloop stores its data in PostgreSQL: the JDBC URL must start with"
                    + " jdbc:postgresql://, was '" + redact(jdbcUrl) + "'");
        }
        return open(pool(jdbcUrl, user, password), null, redact(jdbcUrl));
    }

    private static Database open(HikariDataSource pool, LocalPostgres local, String description) {
        try {
            MigrateResult r = Flyway.configure().dataSource(pool).locations("classpath:db/migration")
                    .failOnMissingLocations(true).load().migrate();
            if (r.migrationsExecuted > 0) {
                LOG.info("migrated the schema of {} to version {}", description, r.targetSchemaVersion);
            }
            return new Database(pool, local, description);
        } catch (FlywayException e) {
            pool.close();
            throw new StoreException("cannot migrate the schema of " + description + ": " + e.getMessage(), e);
        }
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        if (user != null && !user.isBlank()) {
            c.setUsername(user);
        }
        if (password != null) {
            c.setPassword(password);
        }
        c.setPoolName("riskloop");
        c.setMaximumPoolSize(10);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(10_000);
        c.addDataSourceProperty("ApplicationName", "riskloop");
        try {
            return new HikariDataSource(c);
        } catch (HikariPool.PoolInitializationException e) {
            throw new StoreException("cannot connect to " + redact(url) + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                    + ". Check the URL, that the server runs, and RISKLOOP_DB_USER / RISKLOOP_DB_PASSWORD.", e);
        }
    }

    /** The URL without a password a user may have put into it. */
    static String redact(String url) {
        return url == null ? "null" : url.replaceAll("(?i)(password=)[^&;]*", "$1***")
                .replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
    }

    /** Where the data live, for people: never a password. */
    public String description() {
        return description;
    }

    public javax.sql.DataSource dataSource() {
        return pool;
    }

    /** Whether the database answers a query now. */
    public boolean isReady() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            return s.execute("select 1");
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Runs {@code work} in one transaction and commits it. A serialization failure or a deadlock (PostgreSQL
     * chose this transaction as the victim) runs it again, up to {@value #MAX_ATTEMPTS} times; any other failure
     * rolls back and is thrown: a RuntimeException as it is, a SQLException as a {@link StoreException}.
     */
    public <T> T inTransaction(SqlWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                if (retryable(e) && attempt < MAX_ATTEMPTS) {
                    backOff(attempt);
                    continue;
                }
                throw new StoreException("database error on " + description + ": " + e.getMessage(), e);
            }
        }
    }

    /** Runs {@code work} on a connection in auto-commit mode (reads, single statements). */
    public <T> T withConnection(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("database error on " + description + ": " + e.getMessage(), e);
        }
    }

    private static boolean retryable(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L << attempt));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying a transaction", ie);
        }
    }

    @Override
    public void close() {
        try {
            pool.close();
        } finally {
            if (local != null) {
                local.close();
            }
        }
    }
}
