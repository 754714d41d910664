package io.riskloop.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riskloop.model.report.DriftReportJson;
import io.riskloop.model.report.DriftReportPage;
import io.riskloop.registry.FieldError;
import io.riskloop.server.ApiProblem;
import io.riskloop.server.Requests;
import io.riskloop.server.ServerParts;
import io.riskloop.server.auth.Access;
import io.riskloop.server.auth.Role;
import io.riskloop.store.monitor.LoopEvent;
import io.riskloop.store.monitor.MonitorStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the monitoring loop saw and did (docs/monitoring.md): its events, the served versions' accuracy over time,
 * the drift reports (as listed, as stored, as a page); and a retraining on request, for admins, handed to the loop
 * this server runs.
 */
public final class MonitoringApi {

    /** Accuracy looked back this far when {@code since} is not given. */
    public static final Duration DEFAULT_ACCURACY_PERIOD = Duration.ofDays(30);
    /** Content-Security-Policy of a drift report page: its own styles, inline SVG, nothing else. */
    public static final String REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
            + " frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static final Role[] READ = {Role.ANALYST, Role.SERVICE, Role.ADMIN};
    private static final int MAX_LIMIT = 500;

    public record Events(List<LoopEvent> events) {
    }

    public record Accuracy(Instant since, List<AccuracySeries> series) {
    }

    /**
     * A drift report without its body.
     *
     * @param report the report as stored (JSON)
     * @param html   the report as a page
     */
    public record DriftSummary(long id, String modelVersion, Instant windowStart, Instant windowEnd,
                               boolean datasetDrift, double driftShare, Instant createdAt, String report, String html) {
    }

    public record DriftReports(List<DriftSummary> reports) {
    }

    private final ServerParts parts;

    public MonitoringApi(ServerParts parts) {
        this.parts = parts;
    }

    public void routes(Javalin app) {
        app.get("/api/v1/monitoring/events", this::events, READ);
        app.get("/api/v1/monitoring/accuracy", this::accuracy, READ);
        app.get("/api/v1/monitoring/drift", this::driftReports, READ);
        app.get("/api/v1/monitoring/drift/{id}.html", this::driftPage, READ); // before {id}, which would take "7.html"
        app.get("/api/v1/monitoring/drift/{id}", this::driftReport, READ);
        app.post("/api/v1/retrain", this::retrain, Role.ADMIN);
    }

    private void events(Context ctx) {
        List<FieldError> errors = new ArrayList<>();
        Integer limit = Validation.integer(ctx.queryParam("limit"), "limit", 1, MAX_LIMIT, errors);
        Validation.orThrow(errors);
        ctx.json(new Events(parts.monitoring().events(limit == null ? 100 : limit)));
    }

    private void accuracy(Context ctx) {
        List<FieldError> errors = new ArrayList<>();
        Instant since = Validation.instant(ctx.queryParam("since"), "since", errors);
        Validation.orThrow(errors);
        Instant from = since != null ? since
                : parts.monitoring().latestAccuracy(parts.clock().instant()).minus(DEFAULT_ACCURACY_PERIOD);
        ctx.json(new Accuracy(from, AccuracySeries.of(parts.monitoring().accuracy(from))));
    }

    private void driftReports(Context ctx) {
        List<FieldError> errors = new ArrayList<>();
        Integer limit = Validation.integer(ctx.queryParam("limit"), "limit", 1, MAX_LIMIT, errors);
        Validation.orThrow(errors);
        ctx.json(new DriftReports(parts.monitoring().driftReports(limit == null ? 50 : limit).stream()
                .map(MonitoringApi::summary).toList()));
    }

    private static DriftSummary summary(MonitorStore.StoredDriftReport r) {
        String self = "/api/v1/monitoring/drift/" + r.id();
        return new DriftSummary(r.id(), r.modelVersion(), r.windowStart(), r.windowEnd(), r.datasetDrift(),
                r.driftShare(), r.createdAt(), self, self + ".html");
    }

    private void driftReport(Context ctx) {
        ctx.contentType("application/json").result(report(parts.monitoring(), ctx.pathParam("id")).reportJson());
    }

    private void driftPage(Context ctx) {
        MonitorStore.StoredDriftReport r = report(parts.monitoring(), ctx.pathParam("id"));
        ctx.header("Content-Security-Policy", REPORT_CSP);
        ctx.contentType("text/html; charset=utf-8").result(page(r));
    }

    /** The stored report with this id (a path parameter as sent). */
    public static MonitorStore.StoredDriftReport report(MonitorStore store, String id) {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiProblem.invalid("id", "a drift report's id is a whole number, was '" + id + "'");
        }
        return store.driftReport(n).orElseThrow(() -> ApiProblem.notFound("id", "there is no drift report " + n
                + "; GET /api/v1/monitoring/drift lists the latest"));
    }

    /** The report as a self-contained page (docs/drift.md). */
    public static String page(MonitorStore.StoredDriftReport r) {
        return DriftReportPage.html(DriftReportJson.read(r.reportJson()), "Drift of " + r.modelVersion() + " (report "
                + r.id() + ")");
    }

    private void retrain(Context ctx) {
        JsonNode b = Requests.object(ctx);
        List<FieldError> errors = new ArrayList<>();
        String reason = b.hasNonNull("reason") ? b.get("reason").asText().strip() : null;
        if (reason != null && reason.length() > RetrainRequests.MAX_REASON) {
            errors.add(new FieldError("reason", "at most " + RetrainRequests.MAX_REASON + " characters, was "
                    + reason.length()));
        }
        for (var it = b.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("reason")) {
                errors.add(new FieldError(name, "unknown field; a retraining request has only a reason"));
            }
        }
        Validation.orThrow(errors);
        ctx.status(202).json(RetrainRequests.submit(parts, Access.principal(ctx), "API",
                reason == null || reason.isEmpty() ? null : reason));
    }
}
