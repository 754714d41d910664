package io.riskloop.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import io.riskloop.registry.Registry;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.registry.models.NewVersion;
import io.riskloop.registry.snapshot.SnapshotOrigin;
import io.riskloop.registry.tracking.NewRun;
import io.riskloop.registry.tracking.Run;
import io.riskloop.store.Database;
import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** riskloop's HTTP API on a live server and a real PostgreSQL, through java.net.http. */
class ServerApiTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path dir;

    static Registry registry;
    static ServerParts parts;
    static RiskloopServer server;
    static final Map<String, String> KEYS = new java.util.HashMap<>();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    record Response(int status, String contentType, JsonNode body, String raw) {
    }

    @BeforeAll
    static void start() {
        registry = Registry.open(POSTGRES.database(), new ArtifactStore(dir.resolve("artifacts")), Clock.systemUTC());
        parts = ServerParts.of(registry, Clock.systemUTC());
        for (String name : List.of("ann", "bob", "carol")) {
            KEYS.put(name, parts.keys().create(name, io.riskloop.server.auth.Role.ADMIN, "test").secret());
        }
        server = RiskloopServer.start(parts, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Response call(RiskloopServer s, String method, String path, String body) throws Exception {
        return callAs("ann", s, method, path, body);
    }

    static Response callAs(String who, RiskloopServer s, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .header("Authorization", "Bearer " + KEYS.get(who))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = r.body().isEmpty() ? null : JSON.readTree(r.body());
        } catch (Exception e) {
            // not JSON (an artifact's bytes)
        }
        return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), json, r.body());
    }

    static Response call(String method, String path, String body) throws Exception {
        return call(server, method, path, body);
    }

    static void assertProblem(Response r, int status, String field) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().get("status").asInt()).isEqualTo(status);
        assertThat(r.body().get("title").asText()).isNotBlank();
        assertThat(r.body().get("type").asText()).startsWith("/problems/");
        assertThat(r.body().get("detail").asText()).isNotBlank();
        if (field != null) {
            assertThat(r.body().get("errors")).extracting(e -> e.get("field").asText()).contains(field);
        }
        assertThat(r.raw()).doesNotContain("\tat ", "Exception");
    }

    @Test
    void readinessReportsTheDatabase() throws Exception {
        Response ok = call("GET", "/health/ready", null);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().get("database").asText()).isEqualTo("up");

        // a server whose database went away says so, and its failures carry no stack trace
        Database lost = Database.external(POSTGRES.jdbcUrl(), null, null);
        try (RiskloopServer orphan = RiskloopServer.start(ServerParts.of(Registry.open(lost, registry.artifacts(),
                Clock.systemUTC()), Clock.systemUTC()), "127.0.0.1", 0)) {
            lost.close();
            Response down = call(orphan, "GET", "/health/ready", null);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.body().get("database").asText()).isEqualTo("down");
            // the key cannot be checked without the database: a failure, not a refusal
            Response failed = call(orphan, "GET", "/api/models", null);
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.body().get("detail").asText()).contains("error id");
            assertThat(failed.raw()).doesNotContain("\tat ", "HikariDataSource");
        }
    }

    @Test
    void badInputGetsProblemJsonNamingTheField() throws Exception {
        assertProblem(call("POST", "/api/models", "{\"name\": \"has space\"}"), 400, "name");
        assertThat(call("POST", "/api/models", "{\"name\": \"api-model\"}").status()).isEqualTo(201);
        assertProblem(call("POST", "/api/models", "{\"name\": \"api-model\"}"), 409, "name");
        assertProblem(call("GET", "/api/models/absent", null), 404, "name");
        assertProblem(call("GET", "/api/models/api-model/versions/seven", null), 400, "version");
        assertProblem(call("GET", "/api/runs/" + "0".repeat(32), null), 404, "run_id");
        assertProblem(call("POST", "/api/models", "{broken"), 400, "body");
        assertProblem(call("POST", "/api/models", "[1, 2]"), 400, "body");
        assertProblem(call("GET", "/api/runs?filter=metrics.auc%20%3E%20high", null), 400, "filter");
        assertProblem(call("GET", "/api/no/such/thing", null), 404, null);
        String huge = "{\"name\": \"x\", \"description\": \"" + "d".repeat((int) RiskloopServer.MAX_REQUEST_BYTES) + "\"}";
        assertProblem(call("POST", "/api/models", huge), 413, null);
        assertThat(call("GET", "/health/ready", null).status()).as("still serving").isEqualTo(200);
    }

    @Test
    void promotionRollbackHistoryLineageAndArtifactsOverHttp() throws Exception {
        var snap = registry.snapshots().register(List.of(), "native",
                new SnapshotOrigin.ImportFile("data/import.csv", "b".repeat(64), "native"));
        long exp = registry.tracking().experimentNamed("http").id();
        Run run = registry.tracking().createRun(NewRun.in(exp, "train", "ann").withSnapshot(snap.id()));
        Path file = Files.writeString(dir.resolve("report.md"), "# report");
        registry.tracking().logArtifact(run.info().id(), "report/report.md", file);
        registry.models().createModel("served", "", Map.of(), "ann");
        for (int i = 0; i < 2; i++) {
            registry.models().createVersion(new NewVersion("served", "runs:/" + run.info().id() + "/model",
                    run.info().id(), null, null, Map.of("auc_roc", 0.8 + i / 10.0), null, null, "ann"));
        }
        assertProblem(call("PUT", "/api/models/served/aliases/champion", "{\"version\": 1}"), 400, "reason");
        Response first = call("PUT", "/api/models/served/aliases/champion", "{\"version\": 1, \"reason\": \"first\"}");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("changed").asBoolean()).isTrue();
        callAs("bob", server, "PUT", "/api/v1/models/served/aliases/champion", "{\"version\": 2, \"reason\": \"better\"}");
        Response back = callAs("carol", server, "POST", "/api/models/served/aliases/champion/rollback",
                "{\"reason\": \"v2 misbehaves\"}");
        assertThat(back.status()).isEqualTo(200);
        assertThat(back.body().at("/version/version").asInt()).isEqualTo(1);
        assertThat(back.body().at("/move/kind").asText()).isEqualTo("ROLLBACK");
        assertThat(call("GET", "/api/models/served/aliases/champion", null).body().get("version").asInt()).isEqualTo(1);
        JsonNode history = call("GET", "/api/models/served/history?alias=champion", null).body();
        assertThat(history).extracting(h -> h.get("actor").asText()).containsExactly("carol", "bob", "ann");
        // each move is in the audit log too, with the version before and after
        assertThat(parts.audit().recent("model:served@champion", null, null, 10))
                .extracting(e -> e.actor() + " " + e.action() + " " + e.before() + " -> " + e.after())
                .containsExactly("carol alias.rollback {\"version\": 2} -> {\"version\": 1}",
                        "bob alias.set {\"version\": 1} -> {\"version\": 2}", "ann alias.set null -> {\"version\": 1}");

        JsonNode lineage = call("GET", "/api/models/served/versions/1/lineage", null).body();
        assertThat(lineage.at("/run/info/id").asText()).isEqualTo(run.info().id());
        assertThat(lineage.at("/snapshot/origin/kind").asText()).isEqualTo("import");
        assertThat(lineage.at("/snapshot/origin/file").asText()).isEqualTo("data/import.csv");
        long versionId = lineage.at("/version/id").asLong();
        assertThat(call("GET", "/api/model-versions/" + versionId + "/lineage", null).body().at("/experiment/name")
                .asText()).isEqualTo("http");
        JsonNode diff = call("GET", "/api/models/served/diff?a=1&b=2", null).body();
        assertThat(diff.get("rows")).anySatisfy(r -> assertThat(r.get("property").asText()).isEqualTo("metric auc_roc"));
        assertProblem(call("GET", "/api/models/served/diff?a=1", null), 400, "b");

        Response artifact = call("GET", "/api/runs/" + run.info().id() + "/artifacts/report/report.md", null);
        assertThat(artifact.status()).isEqualTo(200);
        assertThat(artifact.raw()).isEqualTo("# report");
        assertProblem(call("GET", "/api/runs/" + run.info().id() + "/artifacts/nope.txt", null), 404, "path");
        JsonNode runView = call("GET", "/api/runs/" + run.info().id(), null).body();
        assertThat(runView.at("/artifacts/0/path").asText()).isEqualTo("report/report.md");
        assertThat(runView.at("/run/info/snapshot_id").asLong()).isEqualTo(snap.id());
    }

    @Test
    void experimentsSnapshotsArtifactListingsAndVersionsAreReadByTheirIds() throws Exception {
        // experiments: searched (filter, paging) and read by id
        var fast = registry.tracking().createExperiment("catalog-fast", "s3://bucket/fast", Map.of("team", "fraud"));
        var slow = registry.tracking().createExperiment("catalog-slow", null, Map.of());
        JsonNode found = call("GET", "/api/v1/experiments?filter=name%20LIKE%20%27catalog-%25%27", null).body();
        assertThat(found.get("items")).extracting(e -> e.get("name").asText())
                .containsExactlyInAnyOrder("catalog-fast", "catalog-slow");
        assertThat(found.get("next_page_token").isNull()).isTrue();
        JsonNode page1 = call("GET", "/api/v1/experiments?filter=name%20LIKE%20%27catalog-%25%27&max_results=1", null)
                .body();
        assertThat(page1.get("items")).hasSize(1);
        String token = page1.get("next_page_token").asText();
        JsonNode page2 = call("GET", "/api/v1/experiments?filter=name%20LIKE%20%27catalog-%25%27&max_results=1"
                + "&page_token=" + token, null).body();
        assertThat(page2.get("items")).hasSize(1);
        assertThat(List.of(page1.at("/items/0/name").asText(), page2.at("/items/0/name").asText()))
                .containsExactlyInAnyOrder("catalog-fast", "catalog-slow");
        JsonNode all = call("GET", "/api/v1/experiments?max_results=1000", null).body();
        assertThat(all.get("items")).extracting(e -> e.get("name").asText()).contains("catalog-fast", "catalog-slow");

        JsonNode experiment = call("GET", "/api/v1/experiments/" + fast.id(), null).body();
        assertThat(experiment.get("id").asLong()).isEqualTo(fast.id());
        assertThat(experiment.get("name").asText()).isEqualTo("catalog-fast");
        assertThat(experiment.get("artifact_location").asText()).isEqualTo("s3://bucket/fast");
        assertThat(experiment.get("lifecycle_stage").asText()).isEqualTo("active");
        assertThat(experiment.at("/tags/team").asText()).isEqualTo("fraud");
        assertThat(call("GET", "/api/experiments/" + slow.id(), null).body().get("name").asText())
                .isEqualTo("catalog-slow");
        assertProblem(call("GET", "/api/v1/experiments/987654", null), 404, "experiment_id");
        assertProblem(call("GET", "/api/v1/experiments/first", null), 400, "id");
        assertProblem(call("GET", "/api/v1/experiments?max_results=lots", null), 400, "max_results");

        // a dataset snapshot: its counts, time span, schema and origin
        Instant t0 = Instant.parse("2018-04-01T10:00:00Z");
        List<LabeledTransaction> rows = List.of(
                new LabeledTransaction(new Transaction("snap-1", t0, "card-1", "term-1", 12.5, Map.of()), false, 0),
                new LabeledTransaction(new Transaction("snap-2", t0.plusSeconds(60), "card-2", "term-1", 80, Map.of()),
                        true, 1),
                new LabeledTransaction(new Transaction("snap-3", t0.plusSeconds(3600), "card-1", "term-2", 7, Map.of()),
                        false, 0));
        var snap = registry.snapshots().register(rows, "native",
                new SnapshotOrigin.ImportFile("data/catalog.csv", "c".repeat(64), "native"));
        JsonNode snapshot = call("GET", "/api/v1/snapshots/" + snap.id(), null).body();
        assertThat(snapshot.get("id").asLong()).isEqualTo(snap.id());
        assertThat(snapshot.get("sha256").asText()).isEqualTo(snap.sha256()).matches("[0-9a-f]{64}");
        assertThat(snapshot.get("rows").asLong()).isEqualTo(3);
        assertThat(snapshot.get("frauds").asLong()).isEqualTo(1);
        assertThat(snapshot.get("genuine").asLong()).isEqualTo(2);
        assertThat(Instant.parse(snapshot.get("start").asText())).isEqualTo(t0);
        assertThat(Instant.parse(snapshot.get("end").asText())).isEqualTo(t0.plusSeconds(3600));
        assertThat(snapshot.at("/schema/layout").asText()).isEqualTo("native");
        assertThat(snapshot.at("/schema/columns")).extracting(JsonNode::asText).containsExactly("transaction_id",
                "timestamp", "card_id", "terminal_id", "amount_cents", "fraud", "fraud_scenario");
        assertThat(snapshot.at("/origin/kind").asText()).isEqualTo("import");
        assertThat(snapshot.at("/origin/file").asText()).isEqualTo("data/catalog.csv");
        assertThat(snapshot.at("/origin/file_sha256").asText()).isEqualTo("c".repeat(64));
        assertProblem(call("GET", "/api/v1/snapshots/987654", null), 404, "snapshot_id");
        assertProblem(call("GET", "/api/v1/snapshots/latest", null), 400, "id");

        // a run's files, listed by path with their hash and size
        Run run = registry.tracking().createRun(NewRun.in(fast.id(), "train", "ann").withSnapshot(snap.id()));
        Path notes = Files.writeString(dir.resolve("notes.md"), "# notes\n");
        Path metrics = Files.writeString(dir.resolve("metrics.json"), "{\"auc_roc\": 0.91}");
        registry.tracking().logArtifact(run.info().id(), "report/notes.md", notes);
        registry.tracking().logArtifact(run.info().id(), "eval/metrics.json", metrics);
        JsonNode listing = call("GET", "/api/v1/runs/" + run.info().id() + "/artifacts", null).body();
        assertThat(listing).extracting(a -> a.get("path").asText())
                .containsExactly("eval/metrics.json", "report/notes.md");
        assertThat(listing.get(1).get("size").asLong()).isEqualTo(Files.size(notes));
        assertThat(listing.get(1).get("sha256").asText()).isEqualTo(sha256(notes));
        assertThat(listing.get(0).get("sha256").asText()).isEqualTo(sha256(metrics));
        assertThat(call("GET", "/api/v1/runs/" + run.info().id() + "/artifacts/" + listing.get(0).get("path").asText(),
                null).raw()).isEqualTo("{\"auc_roc\": 0.91}");
        Run empty = registry.tracking().createRun(NewRun.in(fast.id(), "empty", "ann"));
        assertThat(call("GET", "/api/v1/runs/" + empty.info().id() + "/artifacts", null).body()).isEmpty();
        assertProblem(call("GET", "/api/v1/runs/" + "0".repeat(32) + "/artifacts", null), 404, "run_id");

        // one version of a model, by name and number
        registry.models().createModel("catalog", "", Map.of(), "ann");
        registry.models().createVersion(new NewVersion("catalog", "runs:/" + run.info().id() + "/model",
                run.info().id(), null, null, Map.of("auc_roc", 0.91), null, null, "ann"));
        registry.models().createVersion(new NewVersion("catalog", "s3://elsewhere/model", null, null, null,
                Map.of(), "registered by hand", null, "bob"));
        registry.models().setAlias("catalog", "champion", 1, "ann", "first");
        JsonNode v1 = call("GET", "/api/v1/models/catalog/versions/1", null).body();
        assertThat(v1.get("model_name").asText()).isEqualTo("catalog");
        assertThat(v1.get("version").asInt()).isEqualTo(1);
        assertThat(v1.get("run_id").asText()).isEqualTo(run.info().id());
        assertThat(v1.get("snapshot_id").asLong()).as("taken from the run").isEqualTo(snap.id());
        assertThat(v1.get("source").asText()).isEqualTo("runs:/" + run.info().id() + "/model");
        assertThat(v1.at("/metrics/auc_roc").asDouble()).isEqualTo(0.91);
        assertThat(v1.get("created_by").asText()).isEqualTo("ann");
        assertThat(v1.get("status").asText()).isEqualTo("READY");
        assertThat(v1.get("aliases")).extracting(JsonNode::asText).containsExactly("champion");
        JsonNode v2 = call("GET", "/api/models/catalog/versions/2", null).body();
        assertThat(v2.get("version").asInt()).isEqualTo(2);
        assertThat(v2.get("source").asText()).isEqualTo("s3://elsewhere/model");
        assertThat(v2.get("run_id").isNull()).isTrue();
        assertThat(v2.get("description").asText()).isEqualTo("registered by hand");
        assertThat(v2.get("created_by").asText()).isEqualTo("bob");
        assertThat(v2.get("aliases")).isEmpty();
        assertThat(v2.get("id").asLong()).isNotEqualTo(v1.get("id").asLong());
        Response unknown = call("GET", "/api/v1/models/catalog/versions/3", null);
        assertProblem(unknown, 404, "version");
        assertThat(unknown.body().get("detail").asText()).contains("catalog", "3");
        assertProblem(call("GET", "/api/v1/models/no-such-model/versions/1", null), 404, "name");
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file)));
    }
}
