package io.riskloop.store.testkit;

import io.riskloop.store.Database;
import io.riskloop.store.LocalPostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests: each test class gets its own freshly migrated database, on one embedded server
 * started the first time a class asks for it and stopped when the test JVM exits. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestPostgres POSTGRES = new TestPostgres();
 * ... POSTGRES.database() ...
 * }</pre>
 *
 * One server per JVM rather than per class saves its 3-second start for every class after the first; a database
 * per class keeps classes as independent as separate servers would.
 */
public final class TestPostgres implements BeforeAllCallback, AfterAllCallback {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static LocalPostgres server;

    private String name;
    private Database database;

    static synchronized LocalPostgres server() {
        if (server == null) {
            server = LocalPostgres.startTemporary();
            LocalPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-postgres-stop"));
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String cls = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        name = "t" + COUNTER.incrementAndGet() + "_" + cls.substring(0, Math.min(40, cls.length()));
        server().createDatabaseIfMissing(name);
        database = Database.external(jdbcUrl(), null, null);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (database != null) {
            database.close();
        }
        server().dropDatabase(name);
    }

    /** The migrated database of the current test class. */
    public Database database() {
        if (database == null) {
            throw new IllegalStateException("TestPostgres is not started: register it with @RegisterExtension on a"
                    + " static field");
        }
        return database;
    }

    /** A JDBC URL of the class's database that carries its user, e.g. for riskloop's --db option. */
    public String jdbcUrl() {
        return server().jdbcUrl(name) + "?user=" + server().user();
    }
}
