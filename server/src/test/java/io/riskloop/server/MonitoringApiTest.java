package io.riskloop.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskloop.core.drift.DriftPolicy;
import io.riskloop.core.drift.DriftReport;
import io.riskloop.model.report.DriftReportJson;
import io.riskloop.registry.Registry;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.server.auth.Role;
import io.riskloop.server.monitor.MonitorConfig;
import io.riskloop.server.monitor.MonitorLoop;
import io.riskloop.server.retrain.Promotion;
import io.riskloop.server.retrain.RetrainPolicy;
import io.riskloop.server.retrain.Retrainer;
import io.riskloop.server.Stack.Response;
import io.riskloop.store.monitor.AccuracyWindow;
import io.riskloop.store.monitor.LoopEvent;
import io.riskloop.store.monitor.MonitorStore;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitoring API on a live server and a real PostgreSQL: the loop's events, accuracy windows and drift reports
 * as stored through {@link MonitorStore}, the refusals, and a retraining on request that the loop runs at its next
 * tick (and the 409 of a server that runs no loop).
 */
class MonitoringApiTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    /** The servers' time: accuracy's default period and the loop's rounds are measured from it. */
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    static Path dir;

    static Registry registry;
    static ServerParts parts;
    static MonitorLoop loop;
    static RiskloopServer server;
    static RiskloopServer loopServer;
    static final Map<Role, String> KEYS = new EnumMap<>(Role.class);
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static List<LoopEvent> events;
    static DriftReport report;
    static long reportId;

    @BeforeAll
    static void start() {
        registry = Registry.open(POSTGRES.database(), new ArtifactStore(dir.resolve("artifacts")), CLOCK);
        parts = ServerParts.of(registry, CLOCK);
        for (Role r : Role.values()) {
            KEYS.put(r, parts.keys().create("test-" + r.id(), r, "test").secret());
        }
        MonitorStore store = parts.monitoring();
        Instant t = NOW.minus(Duration.ofDays(3));
        events = List.of(
                store.record(LoopEvent.of(t, "drift_detected", "fraud", "fraud/1", "dataset drift against fraud/1",
                        LoopEvent.details("share", 0.5, "features", List.of("TX_AMOUNT")))),
                store.record(LoopEvent.of(t.plusSeconds(3600), "retrain_triggered", "fraud", "fraud/1",
                        "retraining, triggered by drift", LoopEvent.details("triggers", List.of("drift")))),
                store.record(LoopEvent.of(t.plusSeconds(7200), "challenger_registered", "fraud", "fraud/2",
                        "registered fraud/2 as challenger", Map.of())));
        // fraud/1 decided throughout; fraud/2 shadowed it for the last two windows; one window is older than 30 days
        store.record(MonitoringData.window("fraud/1", "decided", NOW.minus(Duration.ofDays(40)), 0.9));
        for (int d = 6; d >= 4; d--) {
            store.record(MonitoringData.window("fraud/1", "decided", NOW.minus(Duration.ofDays(d)), 0.8 - d / 100.0));
        }
        for (int d = 5; d >= 4; d--) {
            store.record(MonitoringData.window("fraud/2", "shadow", NOW.minus(Duration.ofDays(d)), 0.85));
        }
        store.record(new AccuracyWindow("fraud/1", "decided", NOW.minus(Duration.ofDays(4)),
                NOW.minus(Duration.ofDays(3)), NOW, 500, 0, null, null, null, null));
        report = MonitoringData.driftReport("fraud/1", NOW);
        reportId = store.record(report.modelVersion(), report.from(), report.to(), report.datasetDrift(),
                report.driftedShare(), DriftReportJson.write(report));
        server = RiskloopServer.start(parts, "127.0.0.1", 0);

        // a second server on the same database that runs the loop, for a model with a champion and no data
        MonitoringData.champion(registry, "fraud");
        RetrainPolicy policy = RetrainPolicy.DEFAULT;
        loop = new MonitorLoop(registry, parts.decisions(), store, new Retrainer(registry, parts.decisions(), "fraud",
                policy, Retrainer.defaultParams(), CLOCK, dir.resolve("work")), new Promotion(registry.models(),
                parts.audit(), parts.decisions(), "fraud", policy, "riskloop-monitor"), MonitorConfig.DEFAULT, DriftPolicy.defaults(),
                "fraud", 0.5, CLOCK, parts.metrics().registry(), e -> { });
        ServerParts withLoop = new ServerParts(parts.registry(), parts.keys(), parts.audit(), parts.decisions(),
                parts.queries(), parts.models(), parts.metrics(), parts.clock(), null, null, null, null, null, null,
                store, loop);
        loopServer = RiskloopServer.start(withLoop, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        loopServer.close();
        loop.close();
    }

    static Response call(RiskloopServer s, Role as, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (as != null) {
            b.header("Authorization", "Bearer " + KEYS.get(as));
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = r.body().isEmpty() ? null : Stack.JSON.readTree(r.body());
        } catch (Exception e) {
            // not JSON (a report's page)
        }
        return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), json, r.body(), r);
    }

    static Response get(String path) throws Exception {
        return call(server, Role.ANALYST, "GET", path, null);
    }

    static void assertProblem(Response r, int status, String field) {
        ApiTest.assertProblem(r, status, field);
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    @Test
    void eventsComeLatestFirstWithTheirDetails() throws Exception {
        Response r = get("/api/v1/monitoring/events");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        List<Long> ours = events.stream().map(LoopEvent::id).toList();
        List<JsonNode> mine = list(r.body().get("events")).stream()
                .filter(e -> ours.contains(e.get("id").asLong())).toList();
        assertThat(mine).extracting(e -> e.get("kind").asText())
                .containsExactly("challenger_registered", "retrain_triggered", "drift_detected");
        JsonNode drift = mine.get(2);
        assertThat(drift.get("at").asText()).isEqualTo("2025-05-29T12:00:00Z");
        assertThat(drift.get("model_name").asText()).isEqualTo("fraud");
        assertThat(drift.get("version").asText()).isEqualTo("fraud/1");
        assertThat(drift.get("summary").asText()).isEqualTo("dataset drift against fraud/1");
        assertThat(drift.at("/details/share").asDouble()).isEqualTo(0.5);
        assertThat(drift.at("/details/features/0").asText()).isEqualTo("TX_AMOUNT");

        assertThat(get("/api/v1/monitoring/events?limit=2").body().get("events")).hasSize(2);
        assertProblem(get("/api/v1/monitoring/events?limit=0"), 400, "limit");
        assertProblem(get("/api/v1/monitoring/events?limit=501"), 400, "limit");
        assertProblem(get("/api/v1/monitoring/events?limit=ten"), 400, "limit");
    }

    @Test
    void accuracyComesAsOneSeriesPerVersionAndRole() throws Exception {
        Response r = get("/api/v1/monitoring/accuracy");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().get("since").asText()).as("by default 30 days before the latest window, which ends 3 days ago")
                .isEqualTo("2025-04-29T12:00:00Z");
        List<JsonNode> series = list(r.body().get("series"));
        assertThat(series).extracting(s -> s.get("model_version").asText() + " " + s.get("alias").asText())
                .containsExactly("fraud/1 decided", "fraud/2 shadow");
        List<JsonNode> champion = list(series.get(0).get("windows"));
        assertThat(champion).as("oldest first; the 40-day-old window is out")
                .extracting(w -> w.get("window_end").asText())
                .containsExactly("2025-05-26T12:00:00Z", "2025-05-27T12:00:00Z", "2025-05-28T12:00:00Z",
                        "2025-05-29T12:00:00Z");
        JsonNode first = champion.get(0);
        assertThat(first.get("average_precision").asDouble()).isEqualTo(0.74);
        assertThat(first.get("card_precision_at_100").asDouble()).isEqualTo(0.37);
        assertThat(first.get("precision_at_review").asDouble()).isEqualTo(0.4);
        assertThat(first.get("recall_at_review").asDouble()).isEqualTo(0.6);
        assertThat(first.get("rows").asLong()).isEqualTo(1_000);
        assertThat(first.get("frauds").asLong()).isEqualTo(12);
        assertThat(first.get("labels_known_at").asText()).isEqualTo("2025-06-02T12:00:00Z");
        JsonNode noFraud = champion.get(3);
        assertThat(noFraud.get("frauds").asLong()).isZero();
        assertThat(noFraud.get("average_precision").isNull()).as("undefined, not zero").isTrue();
        assertThat(noFraud.get("card_precision_at_100").isNull()).isTrue();
        assertThat(series.get(1).get("windows")).extracting(w -> w.get("average_precision").asDouble())
                .containsExactly(0.85, 0.85);

        JsonNode all = get("/api/v1/monitoring/accuracy?since=2025-04-01T00:00:00Z").body();
        assertThat(all.at("/series/0/windows")).hasSize(5);
        assertProblem(get("/api/v1/monitoring/accuracy?since=yesterday"), 400, "since");
    }

    @Test
    void driftReportsAreListedServedAsStoredAndAsAPage() throws Exception {
        Response r = get("/api/v1/monitoring/drift");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode listed = r.body().at("/reports/0");
        assertThat(listed.get("id").asLong()).isEqualTo(reportId);
        assertThat(listed.get("model_version").asText()).isEqualTo("fraud/1");
        assertThat(listed.get("window_start").asText()).isEqualTo(report.from().toString());
        assertThat(listed.get("window_end").asText()).isEqualTo(report.to().toString());
        assertThat(report.datasetDrift()).as("the shifted amounts drift").isTrue();
        assertThat(listed.get("dataset_drift").asBoolean()).isTrue();
        assertThat(listed.get("drift_share").asDouble()).isEqualTo(report.driftedShare());
        assertThat(listed.get("html").asText()).isEqualTo("/api/v1/monitoring/drift/" + reportId + ".html");
        assertThat(listed.has("report_json")).as("the list leaves the bodies out").isFalse();
        assertProblem(get("/api/v1/monitoring/drift?limit=0"), 400, "limit");

        Response stored = get(listed.get("report").asText());
        assertThat(stored.status()).as(stored.raw()).isEqualTo(200);
        assertThat(stored.contentType()).startsWith("application/json");
        assertThat(stored.body().get("format_version").asInt()).isEqualTo(DriftReportJson.CURRENT_VERSION);
        assertThat(DriftReportJson.read(stored.raw())).as("the stored form reads back to the report").isEqualTo(report);

        Response page = get(listed.get("html").asText());
        assertThat(page.status()).as(page.raw()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.raw()).contains("<h1>Drift of fraud/1 (report " + reportId + ")</h1>",
                "<tr class=\"drifted\"><td>TX_AMOUNT</td>", "<svg").doesNotContain("<script");
        assertThat(page.http().headers().firstValue("Content-Security-Policy")).hasValueSatisfying(c ->
                assertThat(c).contains("default-src 'none'").doesNotContain("script-src"));

        assertProblem(get("/api/v1/monitoring/drift/999999"), 404, "id");
        assertProblem(get("/api/v1/monitoring/drift/999999.html"), 404, "id");
        assertProblem(get("/api/v1/monitoring/drift/latest"), 400, "id");
        assertProblem(get("/api/v1/monitoring/drift/latest.html"), 400, "id");
    }

    @Test
    void readingNeedsAKeyAndRetrainingNeedsAnAdmin() throws Exception {
        for (String path : List.of("/api/v1/monitoring/events", "/api/v1/monitoring/accuracy",
                "/api/v1/monitoring/drift", "/api/v1/monitoring/drift/" + reportId,
                "/api/v1/monitoring/drift/" + reportId + ".html")) {
            assertProblem(call(server, null, "GET", path, null), 401, null);
            for (Role role : Role.values()) {
                assertThat(call(server, role, "GET", path, null).status()).as("%s reads %s", role, path)
                        .isEqualTo(200);
            }
        }
        assertProblem(call(loopServer, null, "POST", "/api/v1/retrain", null), 401, null);
        for (Role role : List.of(Role.ANALYST, Role.SERVICE)) {
            Response r = call(loopServer, role, "POST", "/api/v1/retrain", null);
            assertProblem(r, 403, null);
            assertThat(r.body().get("detail").asText()).contains("admin");
        }
        assertThat(parts.audit().recent(null, null, null, 50)).extracting(e -> e.action())
                .doesNotContain("retrain.request");
    }

    @Test
    void aServerWithoutTheLoopRefusesARetrainingSayingWhatToDo() throws Exception {
        Response r = call(server, Role.ADMIN, "POST", "/api/v1/retrain", "{\"reason\": \"labels are in\"}");
        assertProblem(r, 409, null);
        assertThat(r.body().get("title").asText()).isEqualTo("Conflict");
        assertThat(r.body().get("detail").asText()).contains("does not run the monitoring loop", "riskloop retrain");
        assertProblem(call(server, Role.ADMIN, "POST", "/api/v1/retrain", "{\"why\": \"x\"}"), 400, "why");
        assertProblem(call(server, Role.ADMIN, "POST", "/api/v1/retrain", "{\"reason\": \"" + "r".repeat(501)
                + "\"}"), 400, "reason");
        assertProblem(call(server, Role.ADMIN, "POST", "/api/v1/retrain", "[]"), 400, "body");
    }

    @Test
    void aRequestedRetrainingRunsAtTheLoopsNextTick() throws Exception {
        Response r = call(loopServer, Role.ADMIN, "POST", "/api/v1/retrain", "{\"reason\": \"labels are in\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        assertThat(r.body().get("model_name").asText()).isEqualTo("fraud");
        assertThat(r.body().get("requested_by").asText()).isEqualTo("test-admin");
        assertThat(r.body().get("detail").asText()).contains("next round");
        assertThat(parts.audit().recent("model:fraud", "test-admin", null, 5)).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("retrain.request");
            assertThat(e.detail()).isEqualTo("via the API: labels are in");
        });
        assertThat(call(loopServer, Role.ANALYST, "GET", "/api/v1/monitoring/events", null).body().get("events"))
                .as("nothing happens before the tick").noneMatch(e -> e.get("kind").asText().startsWith("retrain_s"));

        List<LoopEvent> ticked = loop.tick();
        assertThat(ticked).extracting(LoopEvent::kind).containsExactly("retrain_triggered", "retrain_stopped");
        assertThat(ticked.get(0).details().get("triggers")).isEqualTo(List.of("manual"));
        assertThat(ticked.get(1).details().get("outcome")).as("an empty store fails validation")
                .isEqualTo("INVALID_DATA");

        List<JsonNode> latest = list(call(loopServer, Role.ANALYST, "GET", "/api/v1/monitoring/events?limit=2", null)
                .body().get("events"));
        assertThat(latest).extracting(e -> e.get("kind").asText()).containsExactly("retrain_stopped",
                "retrain_triggered");
        assertThat(latest.get(1).at("/details/triggers/0").asText()).isEqualTo("manual");
        assertThat(latest.get(0).get("at").asText()).isEqualTo(NOW.toString());
        // the request was taken: the next round does not retrain again
        assertThat(loop.tick()).extracting(LoopEvent::kind).doesNotContain("retrain_triggered");
    }
}
