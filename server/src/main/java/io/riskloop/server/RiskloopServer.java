package io.riskloop.server;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.riskloop.model.Json;
import io.riskloop.registry.Registry;
import io.riskloop.server.mlflow.MlflowApi;

import java.util.Map;

/**
 * riskloop's HTTP server: health, riskloop's registry API under /api, and the MLflow-compatible tracking and
 * registry API under /api/2.0/mlflow. It holds no state of its own: everything is in the database and artifact
 * store, so several servers can run on one database.
 */
public final class RiskloopServer implements AutoCloseable {

    /** Largest accepted request body: far above any registry call, far below what could exhaust the server. */
    public static final long MAX_REQUEST_BYTES = 1024 * 1024;

    private final Javalin app;

    private RiskloopServer(Javalin app) {
        this.app = app;
    }

    /** Starts serving on {@code host}:{@code port} (port 0: any free port). */
    public static RiskloopServer start(Registry registry, String host, int port) {
        return new RiskloopServer(create(registry, java.time.Clock.systemUTC()).start(host, port));
    }

    /** The application, not started: its routes are a function of the registry. */
    static Javalin create(Registry registry, java.time.Clock clock) {
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.router.ignoreTrailingSlashes = true;
        });
        app.get("/health/live", ctx -> ctx.json(Map.of("status", "live")));
        app.get("/health/ready", ctx -> {
            boolean ready = registry.database().isReady();
            ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ready" : "unavailable",
                    "database", ready ? "up" : "down"));
        });
        new RegistryApi(registry).routes(app);
        new MlflowApi(registry, clock).routes(app);
        app.exception(HttpResponseException.class, ErrorResponses::handle);
        app.exception(Exception.class, ErrorResponses::handle);
        return app;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
