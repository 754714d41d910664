package io.riskloop.server;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.micrometer.MicrometerPlugin;
import io.riskloop.model.Json;
import io.riskloop.server.api.AdminApi;
import io.riskloop.server.api.AliasChanges;
import io.riskloop.server.api.MonitoringApi;
import io.riskloop.server.api.ScoreApi;
import io.riskloop.server.api.TransactionsApi;
import io.riskloop.server.auth.Access;
import io.riskloop.server.mlflow.MlflowApi;
import io.riskloop.server.web.WebApp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * riskloop's HTTP server: riskloop's API under /api/v1 (scoring, transactions, labels, models and runs, keys,
 * audit, monitoring), the registry API also under /api where it was first served, the MLflow-compatible API under
 * /api/2.0/mlflow, health, Prometheus metrics, the OpenAPI document, and the analysts' web app under /ui. Its
 * state is in the database, the broker and the artifact store, apart from the live feature replica each server
 * rebuilds from the topics, so several servers can run side by side.
 */
public final class RiskloopServer implements AutoCloseable {

    /** Largest accepted request body: far above any single call, far below what could exhaust the server. */
    public static final long MAX_REQUEST_BYTES = 1024 * 1024;

    private final Javalin app;

    private RiskloopServer(Javalin app) {
        this.app = app;
    }

    /** Starts serving on {@code host}:{@code port} (port 0: any free port). */
    public static RiskloopServer start(ServerParts parts, String host, int port) {
        return new RiskloopServer(create(parts).start(host, port));
    }

    /** The application, not started: its routes are a function of its parts. */
    static Javalin create(ServerParts parts) {
        WebApp web = new WebApp(parts);
        ErrorResponses errors = new ErrorResponses(web);
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.router.ignoreTrailingSlashes = true;
            config.staticFiles.enableWebjars();
            config.staticFiles.add(s -> {
                s.hostedPath = "/static";
                s.directory = "/web/static";
                s.location = io.javalin.http.staticfiles.Location.CLASSPATH;
            });
            config.registerPlugin(new MicrometerPlugin(m -> m.registry = parts.metrics().registry()));
            // Requests on virtual threads: on 2 cores, 16 connections gave 18,700 scores/s against 16,000 on Jetty's
            // platform-thread pool, with a shorter tail (docs/benchmarks.md); blocking JDBC and broker calls are fine.
            config.useVirtualThreads = true;
        });
        Access access = new Access(parts.keys());
        app.beforeMatched(access::check);
        app.get("/health/live", ctx -> ctx.json(Map.of("status", "live")));
        app.get("/health/ready", ctx -> {
            Map<String, Object> body = readiness(parts);
            ctx.status("ready".equals(body.get("status")) ? 200 : 503).json(body);
        });
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(parts.metrics().scrape()));
        OpenApi.routes(app);
        RegistryApi registryApi = new RegistryApi(parts.registry(), parts.audit());
        registryApi.routes(app, "/api/v1");
        registryApi.routes(app, "/api");
        new ScoreApi(parts).routes(app);
        new TransactionsApi(parts).routes(app);
        new AdminApi(parts).routes(app);
        new MonitoringApi(parts).routes(app);
        new MlflowApi(parts.registry(), parts.clock(), AliasChanges.audited(parts.audit())).routes(app);
        MlflowAudit.routes(app, parts.audit());
        web.routes(app);
        app.after(ctx -> {
            int s = ctx.statusCode();
            if (s >= 400 && s < 500) {
                String endpoint = ctx.endpointHandlerPath();
                parts.metrics().refused(endpoint == null || endpoint.isEmpty() ? "unmatched" : endpoint, s);
            }
        });
        app.exception(HttpResponseException.class, errors::handle);
        app.exception(Exception.class, errors::handle);
        return app;
    }

    /** Each configured part and whether it is up; ready when all are. */
    static Map<String, Object> readiness(ServerParts parts) {
        Map<String, Object> c = new LinkedHashMap<>();
        boolean ready = true;
        boolean db = parts.registry().database().isReady();
        c.put("database", db ? "up" : "down");
        ready &= db;
        if (parts.brokerUp() != null) {
            boolean up = parts.brokerUp().getAsBoolean();
            c.put("broker", up ? "up" : "down");
            ready &= up;
        } else {
            c.put("broker", "not configured");
        }
        if (parts.scoring() != null) {
            var info = parts.scoring().champion().info();
            c.put("model", info.isPresent() ? info.get().version() : "none: " + parts.scoring().champion().problem());
            ready &= info.isPresent();
        } else {
            c.put("model", "not configured");
        }
        if (parts.live() != null) {
            var s = parts.live().status();
            String state = !parts.live().running() ? "stopped" : s.caughtUp() ? "caught up" : "catching up";
            c.put("live_features", state);
            ready &= parts.live().running() && s.caughtUp();
        } else {
            c.put("live_features", "not configured");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "unavailable");
        body.putAll(c);
        return body;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
