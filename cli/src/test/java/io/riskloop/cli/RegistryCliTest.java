package io.riskloop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskloop.model.TrainedModel;
import io.riskloop.store.audit.AuditLog;
import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.riskloop.cli.CliTest.concat;
import static io.riskloop.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry from the command line on a real PostgreSQL: train records a run and registers a version; promote,
 * rollback, history, lineage, diff and export; evaluate's runs; the embedded database under --data-dir; serve with
 * the MLflow client.
 */
class RegistryCliTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path shared;
    static Path simulated;
    static String db;
    static String state;

    @BeforeAll
    static void simulate() {
        db = POSTGRES.jdbcUrl();
        state = shared.resolve("state").toString(); // the artifact store, beside the external database
        simulated = shared.resolve("sim.csv");
        CliTest.Result r = run("simulate", "--customers", "300", "--terminals", "600", "--radius", "15.8", "--days", "60",
                "--seed", "4", "--out", simulated.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Path.of(simulated + ".simulation.json")).exists();
    }

    static CliTest.Result ok(String... args) {
        CliTest.Result r = run(args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    static String runIdOf(CliTest.Result train) {
        Matcher m = Pattern.compile("run ([0-9a-f]{32})").matcher(train.out());
        assertThat(m.find()).as(train.out()).isTrue();
        return m.group(1);
    }

    static String[] train(String... extra) {
        return concat(new String[] {"train", "--data", simulated.toString(), "--trees", "15", "--threads", "2",
                "--train-days", "14", "--delay-days", "7", "--test-days", "7", "--db", db, "--data-dir", state, "--actor", "ann"}, extra);
    }

    @Test
    void aTrainedModelIsARunWithItsDataAndArtifactsAndAVersionThatCanBePromotedAndRolledBack(@TempDir Path dir)
            throws Exception {
        CliTest.Result first = ok(train("--out", dir.resolve("m1").toString(), "--model-name", "cli-fraud"));
        assertThat(first.out()).contains("registered cli-fraud v1", "experiment train", "dataset snapshot");
        String run1 = runIdOf(first);
        CliTest.Result second = ok(train("--out", dir.resolve("m2").toString(), "--model-name", "cli-fraud",
                "--depth", "3", "--alias", "challenger"));
        assertThat(second.out()).contains("registered cli-fraud v2", "challenger of cli-fraud -> v2");

        CliTest.Result show = ok("runs", "show", run1, "--db", db, "--data-dir", state);
        assertThat(show.out()).contains("experiment   train", "status       FINISHED", "by           ann",
                "max_depth", "auc_roc", "average_precision", "model/model.json", "model/manifest.json",
                "report/report.html", "origin       simulator: 300 customers, 600 terminals, 60 days",
                "split.train_days", "data.file_sha256");
        assertThat(ok("runs", "list", "--experiment", "train", "--db", db, "--data-dir", state).out()).contains(run1);
        assertThat(ok("runs", "list", "--filter", "params.max_depth = '3'", "--db", db, "--data-dir", state).out())
                .doesNotContain(run1).contains(runIdOf(second));

        assertThat(ok("models", "list", "--db", db, "--data-dir", state).out()).containsPattern("cli-fraud\\s+v2\\s+-\\s+v2");
        CliTest.Result promote = ok("models", "promote", "cli-fraud", "1", "--reason", "baseline goes live", "--db", db, "--data-dir", state,
                "--actor", "ann");
        assertThat(promote.out()).contains("champion -> v1", "by ann", "baseline goes live");
        ok("models", "promote", "cli-fraud", "@challenger", "--reason", "shallower trees win", "--db", db, "--data-dir", state, "--actor", "bob");
        assertThat(ok("models", "show", "cli-fraud", "--db", db, "--data-dir", state).out())
                .contains("champion -> v2", "challenger -> v2", run1);
        CliTest.Result rollback = ok("models", "rollback", "cli-fraud", "--reason", "v2 declines too much", "--db", db, "--data-dir", state,
                "--actor", "carol");
        assertThat(rollback.out()).contains("champion rolled back to v1 (was v2)", "by carol");
        assertThat(ok("models", "history", "cli-fraud", "--alias", "champion", "--db", db, "--data-dir", state).out())
                .contains("carol", "v2 declines too much", "bob", "shallower trees win", "ann", "baseline goes live");
        // each move is in the audit log too: who (--actor), the version before and after, and why
        AuditLog audit = new AuditLog(POSTGRES.database(), java.time.Clock.systemUTC());
        assertThat(audit.about("model:cli-fraud@champion"))
                .extracting(e -> e.actor() + " " + e.action() + " " + e.before() + " -> " + e.after() + ": " + e.detail())
                .containsExactly("ann alias.set null -> {\"version\": 1}: baseline goes live",
                        "bob alias.set {\"version\": 1} -> {\"version\": 2}: shallower trees win",
                        "carol alias.rollback {\"version\": 2} -> {\"version\": 1}: v2 declines too much");
        assertThat(audit.about("model:cli-fraud@challenger"))
                .extracting(e -> e.actor() + " " + e.action() + " " + e.before() + " -> " + e.after() + ": " + e.detail())
                .containsExactly("ann alias.set null -> {\"version\": 2}: riskloop train --alias challenger");
        // a promotion that changes nothing records nothing; without --actor the actor is the user running the command
        assertThat(ok("models", "promote", "cli-fraud", "1", "--reason", "again", "--db", db, "--data-dir", state)
                .out()).contains("nothing recorded");
        assertThat(audit.about("model:cli-fraud@champion")).hasSize(3);
        ok("models", "promote", "cli-fraud", "2", "--alias", "shadow", "--reason", "watch v2", "--db", db, "--data-dir",
                state);
        String user = System.getenv("USER") != null && !System.getenv("USER").isBlank() ? System.getenv("USER")
                : System.getProperty("user.name");
        assertThat(audit.about("model:cli-fraud@shadow")).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo(user);
            assertThat(e.action()).isEqualTo("alias.set");
            assertThat(e.after()).isEqualTo("{\"version\": 2}");
            assertThat(e.detail()).isEqualTo("watch v2");
        });

        CliTest.Result lineage = ok("models", "lineage", "cli-fraud", "@champion", "--db", db, "--data-dir", state);
        assertThat(lineage.out()).contains("cli-fraud v1", run1, "experiment train", "baseline v1, schema hash",
                "origin         simulator: 300 customers", "seed 4", simulated.toString());
        CliTest.Result diff = ok("models", "diff", "cli-fraud", "1", "2", "--db", db, "--data-dir", state);
        assertThat(diff.out()).contains("* param max_depth", "* run").doesNotContain("dataset snapshot ");

        Path exported = dir.resolve("exported");
        assertThat(ok("models", "export", "cli-fraud", "@champion", "--out", exported.toString(), "--db", db, "--data-dir", state).out())
                .contains("cli-fraud v1 written to");
        try (TrainedModel m = TrainedModel.load(exported)) {
            assertThat(Files.readAllBytes(exported.resolve("model.json")))
                    .isEqualTo(Files.readAllBytes(dir.resolve("m1/model.json")));
            assertThat(m.manifest().params().maxDepth()).isEqualTo(6);
        }

        CliTest.Result noReason = run("models", "promote", "cli-fraud", "2", "--db", db, "--data-dir", state);
        assertThat(noReason.exit()).isEqualTo(2);
        assertThat(noReason.err()).contains("--reason");
        CliTest.Result unknown = run("models", "promote", "nobody", "1", "--reason", "x", "--db", db, "--data-dir", state);
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no registered model named 'nobody'").doesNotContain("\tat ");
        CliTest.Result tooFar = run("models", "rollback", "cli-fraud", "--reason", "again", "--db", db, "--data-dir", state);
        assertThat(tooFar.exit()).isEqualTo(2);
        assertThat(tooFar.err()).contains("no earlier version");
        CliTest.Result badVersion = run("models", "lineage", "cli-fraud", "latest-one", "--db", db, "--data-dir", state);
        assertThat(badVersion.exit()).isEqualTo(2);
        assertThat(badVersion.err()).contains("give a number");
    }

    @Test
    void evaluateRecordsAParentRunWithAChildPerModel() {
        CliTest.Result r = ok("evaluate", "--data", simulated.toString(), "--models", "decision_tree_depth2,xgboost",
                "--train-days", "14", "--delay-days", "7", "--test-days", "7", "--threads", "2", "--db", db, "--data-dir", state,
                "--experiment", "nightly");
        Matcher m = Pattern.compile("run ([0-9a-f]{32}) \\(experiment nightly\\) with 2 model runs").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        CliTest.Result show = ok("runs", "show", m.group(1), "--db", db, "--data-dir", state);
        assertThat(show.out()).contains("protocol", "baseline", "report/report.md", "report/figures.json",
                "runs within it", "decision_tree_depth2", "xgboost");
    }

    @Test
    void theEmbeddedDatabaseUnderDataDirKeepsWhatEachCommandRecorded(@TempDir Path dataDir) {
        String[] embedded = {"--data-dir", dataDir.toString()};
        CliTest.Result t = ok(concat(new String[] {"train", "--data", simulated.toString(), "--trees", "5", "--threads",
                "2", "--train-days", "14", "--delay-days", "7", "--test-days", "7", "--out",
                dataDir.resolve("model").toString()}, embedded));
        assertThat(t.out()).contains("registered fraud v1");
        assertThat(dataDir.resolve("pg/PG_VERSION")).exists();
        assertThat(dataDir.resolve("artifacts")).isDirectory();
        // a second process finds the first one's records
        assertThat(ok(concat(new String[] {"models", "list"}, embedded)).out()).containsPattern("fraud\\s+v1");
        assertThat(ok(concat(new String[] {"runs", "show", runIdOf(t)}, embedded)).out()).contains("FINISHED");

        CliTest.Result badDb = run("models", "list", "--db", "jdbc:postgresql://localhost:1/none");
        assertThat(badDb.exit()).isEqualTo(2);
        assertThat(badDb.err()).contains("cannot connect to jdbc:postgresql://localhost:1/none");
        CliTest.Result wrongEngine = run("models", "list", "--db", "jdbc:h2:mem:x");
        assertThat(wrongEngine.exit()).isEqualTo(2);
        assertThat(wrongEngine.err()).contains("jdbc:postgresql://");
    }

    @Test
    void serveAnswersMlflowClientsWithAKeyAndTheCliShowsWhatTheyLogged() throws Exception {
        // keys: made, listed (never shown again), revoked; the first line after the heading is the key
        String made = ok("keys", "create", "trainer", "--role", "service", "--db", db, "--data-dir", state, "--actor",
                "ops").out();
        String key = made.lines().skip(1).findFirst().orElseThrow().strip();
        assertThat(key).startsWith("rlk_");
        String other = ok("keys", "create", "leaver", "--role", "analyst", "--db", db, "--data-dir", state).out();
        assertThat(ok("keys", "list", "--db", db, "--data-dir", state).out()).contains("trainer", "service", "leaver")
                .doesNotContain(key);
        assertThat(ok("keys", "revoke", "leaver", "--db", db, "--data-dir", state, "--actor", "ops").out())
                .contains("revoked leaver");
        assertThat(ok("keys", "list", "--db", db, "--data-dir", state).out()).doesNotContain("leaver");
        assertThat(ok("keys", "list", "--all", "--db", db, "--data-dir", state).out()).contains("leaver", "by ops");
        assertThat(run("keys", "create", "x", "--role", "boss", "--db", db, "--data-dir", state).err())
                .contains("role 'boss' is not one of");
        assertThat(other).contains("shown once");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        AtomicInteger exit = new AtomicInteger(-1);
        Thread server = new Thread(() -> exit.set(Main.run("serve", "--port", Integer.toString(port), "--db", db, "--data-dir", state)),
                "serve-under-test");
        server.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ready = null;
            for (int i = 0; i < 300 && ready == null; i++) {
                try {
                    ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                            .build(), HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException notYet) {
                    Thread.sleep(100);
                }
            }
            assertThat(ready).isNotNull();
            // no champion in this registry: the server serves, but is not ready to score, and says why
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"database\" : \"up\"", "has no champion yet", "not configured");

            try (MlflowClient client = new MlflowClient(new org.mlflow.tracking.creds.BasicMlflowHostCreds(
                    "http://127.0.0.1:" + port, key))) {
                String exp = client.createExperiment("from-mlflow");
                String runId = client.createRun(exp).getRunId();
                client.logParam(runId, "framework", "sklearn");
                client.logMetric(runId, "auc_roc", 0.77);
                client.setTerminated(runId, Service.RunStatus.FINISHED);
                client.sendPost("registered-models/create", "{\"name\": \"mlflow-cli-model\"}");
                client.sendPost("model-versions/create", new ObjectMapper().createObjectNode()
                        .put("name", "mlflow-cli-model").put("source", "s3://models/x").put("run_id", runId).toString());
                client.sendPost("registered-models/alias",
                        "{\"name\": \"mlflow-cli-model\", \"alias\": \"champion\", \"version\": \"1\"}");

                assertThat(ok("runs", "show", runId, "--db", db, "--data-dir", state).out()).contains("from-mlflow", "framework",
                        "sklearn", "auc_roc", "FINISHED");
                assertThat(ok("models", "show", "mlflow-cli-model", "--db", db, "--data-dir", state).out())
                        .contains("champion -> v1", runId, "0.770", "set through the MLflow API", "trainer");
                assertThat(ok("models", "lineage", "mlflow-cli-model", "1", "--db", db, "--data-dir", state).out())
                        .contains("experiment from-mlflow", "dataset        unknown");
            }
        } finally {
            server.interrupt();
            server.join(60_000);
        }
        assertThat(server.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
        assertThat(List.of(run("serve", "--port", "70000").exit())).containsExactly(2);
    }
}
