package io.riskloop.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
}
