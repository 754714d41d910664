package io.riskloop.store;

import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store on a real PostgreSQL: migrations, transactions, the embedded server's life cycle, bad URLs. */
class StoreTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @Test
    void migrationCreatesTheSchemaOnceAndReopeningChangesNothing() {
        Database db = POSTGRES.database();
        List<String> tables = db.withConnection(c -> {
            List<String> out = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery("select table_name from information_schema.tables"
                    + " where table_schema = 'public' order by table_name")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        assertThat(tables).contains("experiments", "runs", "run_metrics", "dataset_snapshots", "registered_models",
                "model_versions", "model_aliases", "alias_moves", "flyway_schema_history", "run_latest_metrics",
                "decisions", "labels", "dead_letters", "api_keys", "audit_log", "loop_events", "accuracy_windows",
                "drift_reports");
        long migrations = count(POSTGRES.database(), "select count(*) from flyway_schema_history where success");
        assertThat(migrations).isEqualTo(5);
        try (Database again = Database.external(POSTGRES.jdbcUrl(), null, null)) {
            assertThat(count(again, "select count(*) from flyway_schema_history where success"))
                    .isEqualTo(migrations);
            assertThat(count(again, "select count(*) from experiments where name = 'Default'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void aFailedTransactionLeavesNothingBehind() {
        Database db = POSTGRES.database();
        assertThatThrownBy(() -> db.inTransaction(c -> {
            c.createStatement().execute("insert into experiments (name, created_at, updated_at)"
                    + " values ('half-done', now(), now())");
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(count(db, "select count(*) from experiments where name = 'half-done'"))
                .isZero();
    }

    @Test
    void serializationFailuresAreRetriedAndOtherErrorsAreNot() {
        Database db = POSTGRES.database();
        AtomicInteger attempts = new AtomicInteger();
        int result = db.inTransaction(c -> {
            if (attempts.incrementAndGet() < 3) {
                throw new SQLException("could not serialize access", "40001");
            }
            return 42;
        });
        assertThat(result).isEqualTo(42);
        assertThat(attempts).hasValue(3);

        AtomicInteger tries = new AtomicInteger();
        assertThatThrownBy(() -> db.inTransaction(c -> {
            tries.incrementAndGet();
            throw new SQLException("could not serialize access", "40001");
        })).isInstanceOf(StoreException.class).hasMessageContaining("could not serialize access");
        assertThat(tries).hasValue(Database.MAX_ATTEMPTS);
    }

    @Test
    void uniqueViolationsNameTheirConstraint() {
        Database db = POSTGRES.database();
        db.inTransaction(c -> c.createStatement().execute("insert into experiments (name, created_at, updated_at)"
                + " values ('twice', now(), now())"));
        assertThatThrownBy(() -> db.inTransaction(c -> c.createStatement().execute(
                "insert into experiments (name, created_at, updated_at) values ('twice', now(), now())")))
                .isInstanceOfSatisfying(StoreException.class, e ->
                        assertThat(e.isUniqueViolation("experiments_name_key")).isTrue());
    }

    @Test
    void theEmbeddedServerKeepsItsDataAcrossRestartsAndIsSharedWhileItRuns(@TempDir Path dir) {
        Path pg = dir.resolve("pg");
        try (Database first = Database.embedded(pg)) {
            first.inTransaction(c -> c.createStatement().execute(
                    "insert into experiments (name, created_at, updated_at) values ('kept', now(), now())"));
            // a second process on the same directory connects to the running server instead of failing on its lock
            try (LocalPostgres attached = LocalPostgres.startOrAttach(pg)) {
                assertThat(attached.owned()).isFalse();
            }
            try (Database second = Database.embedded(pg)) {
                assertThat(second.description()).contains(pg.toAbsolutePath().toString());
                assertThat(count(second, "select count(*) from experiments where name = 'kept'"))
                        .isEqualTo(1);
            }
            assertThat(first.isReady()).as("closing the attached one leaves the server running").isTrue();
        }
        assertThat(LocalPostgres.runningPort(pg.toAbsolutePath())).as("stopped with its owner").isNull();
        try (Database restarted = Database.embedded(pg)) {
            assertThat(count(restarted, "select count(*) from experiments where name = 'kept'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void badUrlsAreRefusedWithoutShowingPasswords() {
        assertThatThrownBy(() -> Database.external("jdbc:mysql://localhost/x", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql://");
        assertThatThrownBy(() -> Database.external("jdbc:postgresql://localhost:1/riskloop?user=u&password=s3cret",
                null, null))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot connect to jdbc:postgresql://localhost:1/riskloop")
                .hasMessageNotContaining("s3cret");
        assertThat(Database.redact("jdbc:postgresql://bob:pw@db:5432/x")).isEqualTo("jdbc:postgresql://bob:***@db:5432/x");
    }

    private static long count(Database db, String sql) {
        return db.<Long>withConnection(c -> {
            try (var rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
