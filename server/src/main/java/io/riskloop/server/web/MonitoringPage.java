package io.riskloop.server.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import io.riskloop.server.ApiProblem;
import io.riskloop.server.ServerParts;
import io.riskloop.server.api.AccuracySeries;
import io.riskloop.server.api.MonitoringApi;
import io.riskloop.server.api.RetrainRequests;
import io.riskloop.server.auth.Role;
import io.riskloop.store.monitor.MonitorStore;

import io.riskloop.store.monitor.AccuracyWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The web app's Monitoring page (/ui/monitoring): the served versions' accuracy over time (average precision and
 * Card Precision@100, champion against challenger), the monitoring loop's events, its drift reports with their
 * pages, and, for admins on a server that runs the loop, a retraining on request.
 */
final class MonitoringPage {

    /** Most windows a chart shows; more are thinned evenly, the latest always kept. */
    static final int CHART_POINTS = 200;
    static final int EVENTS = 100;
    static final int REPORTS = 50;
    static final int DEFAULT_DAYS = 30;

    private final WebApp web;
    private final ServerParts parts;

    MonitoringPage(WebApp web, ServerParts parts) {
        this.web = web;
        this.parts = parts;
    }

    void routes(Javalin app) {
        app.get("/ui/monitoring", this::page);
        app.get("/ui/monitoring/drift/{id}", this::report);
        app.post("/ui/monitoring/retrain", this::retrain);
    }

    private void page(Context ctx) {
        Sessions.Session s = WebApp.session(ctx);
        int days = DEFAULT_DAYS;
        String d = ctx.queryParam("days");
        if (d != null) {
            try {
                days = Integer.parseInt(d);
            } catch (NumberFormatException e) {
                days = -1;
            }
            if (days < 1 || days > 366) {
                throw ApiProblem.invalid("days", "a whole number of days from 1 to 366, not '" + d + "'");
            }
        }
        Instant since = parts.monitoring().latestAccuracy(parts.clock().instant()).minus(Duration.ofDays(days));
        List<AccuracySeries> series = AccuracySeries.of(parts.monitoring().accuracy(since));
        String notice = "requested".equals(ctx.queryParam("retrain")) ? "Retraining requested: the monitoring loop"
                + " starts it at its next check; its steps and outcome appear among the events below." : null;
        web.render(ctx, "monitoring.jte", new Pages.Monitoring(web.layout(s, "Monitoring", "monitoring"), days,
                series, Format.scriptJson(chart(series)), parts.monitoring().events(EVENTS),
                parts.monitoring().driftReports(REPORTS), parts.loop() != null, notice));
    }

    /**
     * The charts' data: one time axis (the windows' ends, thinned to {@link #CHART_POINTS}) and per series its
     * label, whether it is a challenger (drawn dashed), a colour index shared by a version's series, and its
     * average precision and Card Precision@100 at each time (null where it has no window or no fraud).
     */
    static Map<String, Object> chart(List<AccuracySeries> series) {
        TreeSet<Instant> all = new TreeSet<>();
        series.forEach(x -> x.windows().forEach(w -> all.add(w.windowEnd())));
        List<Instant> times = thin(new ArrayList<>(all), CHART_POINTS);
        List<String> versions = new ArrayList<>();
        List<Map<String, Object>> lines = new ArrayList<>();
        for (AccuracySeries x : series) {
            if (!versions.contains(x.modelVersion())) {
                versions.add(x.modelVersion());
            }
            Map<Instant, AccuracySeries.Window> byEnd = new java.util.HashMap<>();
            x.windows().forEach(w -> byEnd.put(w.windowEnd(), w));
            List<Double> ap = new ArrayList<>();
            List<Double> cp = new ArrayList<>();
            for (Instant t : times) {
                AccuracySeries.Window w = byEnd.get(t);
                ap.add(w == null ? null : w.averagePrecision());
                cp.add(w == null ? null : w.cardPrecisionAt100());
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("label", x.modelVersion() + " (" + x.alias() + ")");
            line.put("challenger", AccuracyWindow.SHADOW.equals(x.alias()));
            line.put("colour", versions.indexOf(x.modelVersion()));
            line.put("ap", ap);
            line.put("cp", cp);
            lines.add(line);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("times", times.stream().map(t -> Format.time(t).substring(0, 16)).toList());
        m.put("series", lines);
        return m;
    }

    /** At most {@code n} of {@code sorted}, evenly spaced, the first and the last always among them. */
    static <T> List<T> thin(List<T> sorted, int n) {
        if (sorted.size() <= n) {
            return sorted;
        }
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(sorted.get((int) Math.round(i * (sorted.size() - 1) / (double) (n - 1))));
        }
        return out;
    }

    /** A drift report's page, as the API serves it: self-contained, its styles inline, no script. */
    private void report(Context ctx) {
        MonitorStore.StoredDriftReport r = MonitoringApi.report(parts.monitoring(), ctx.pathParam("id"));
        ctx.header("Content-Security-Policy", MonitoringApi.REPORT_CSP);
        ctx.contentType("text/html; charset=utf-8").result(MonitoringApi.page(r));
    }

    private void retrain(Context ctx) {
        Sessions.Session s = WebApp.session(ctx);
        if (s.principal().role() != Role.ADMIN) {
            throw new ForbiddenResponse("retraining on request is for admins; you are logged in as '"
                    + s.principal().name() + "' (" + s.principal().role().id() + ")");
        }
        RetrainRequests.submit(parts, s.principal(), "web app", null);
        ctx.redirect("/ui/monitoring?retrain=requested", HttpStatus.SEE_OTHER);
    }
}
