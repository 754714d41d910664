package io.riskloop.cli;

import io.riskloop.registry.Registry;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.store.Database;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;

/** Where riskloop keeps its state: the embedded PostgreSQL and artifacts under --data-dir, or an external server. */
final class StoreOptions {

    static final String DB_URL_ENV = "RISKLOOP_DB_URL";
    static final String DB_USER_ENV = "RISKLOOP_DB_USER";
    static final String DB_PASSWORD_ENV = "RISKLOOP_DB_PASSWORD";

    @Option(names = "--data-dir", defaultValue = "data",
            description = "State directory: the embedded PostgreSQL (pg/) and the artifact store (artifacts/),"
                    + " default ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--db", defaultValue = "${env:" + DB_URL_ENV + "}",
            description = "JDBC URL of an external PostgreSQL to use instead of the embedded one, e.g."
                    + " jdbc:postgresql://db:5432/riskloop (also " + DB_URL_ENV + "; user and password from the URL or "
                    + DB_USER_ENV + " and " + DB_PASSWORD_ENV + ").")
    String db;

    @Option(names = "--artifacts", description = "Artifact store directory, default <data-dir>/artifacts.")
    Path artifacts;

    /** The registry on the configured database; closing it closes the database (and stops an embedded server). */
    OpenRegistry open() {
        Database database = db != null && !db.isBlank()
                ? Database.external(db, System.getenv(DB_USER_ENV), System.getenv(DB_PASSWORD_ENV))
                : Database.embedded(dataDir.resolve("pg"));
        Path store = artifacts != null ? artifacts : dataDir.resolve("artifacts");
        return new OpenRegistry(Registry.open(database, new ArtifactStore(store), Clock.systemUTC()));
    }

    record OpenRegistry(Registry registry) implements AutoCloseable {
        @Override
        public void close() {
            registry.database().close();
        }
    }
}
