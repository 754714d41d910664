package io.riskloop.cli;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The processor's HTTP port, for probes and Prometheus: {@code /health/live} (503 once the pipeline or the store sink
 * has failed: restart me), {@code /health/ready} (200 while the pipeline is RUNNING and the sink has not failed; 503
 * while it starts or rebalances) and {@code /metrics} (the registry's meters and the JVM's, Prometheus text).
 */
final class ProcessorEndpoints implements AutoCloseable {

    /** Pipeline states from which it does not come back by itself. */
    private static final Set<KafkaStreams.State> DEAD = EnumSet.of(KafkaStreams.State.PENDING_ERROR,
            KafkaStreams.State.ERROR, KafkaStreams.State.NOT_RUNNING);

    private final Javalin app;

    private ProcessorEndpoints(Javalin app) {
        this.app = app;
    }

    /**
     * Starts serving on {@code host}:{@code port} (0: any free port).
     *
     * @param pipeline    the decision pipeline's state
     * @param sinkFailure why the store sink stopped, or null while it runs
     * @param metrics     the registry the pipeline's meters are bound to; the JVM's meters are added to it
     */
    static ProcessorEndpoints start(String host, int port, Supplier<KafkaStreams.State> pipeline,
                                    Supplier<Throwable> sinkFailure, PrometheusMeterRegistry metrics) {
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        @SuppressWarnings("resource") // lives as long as the registry
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(metrics);
        Javalin app = Javalin.create(c -> c.showJavalinBanner = false);
        app.get("/health/live", ctx -> respond(ctx, !DEAD.contains(pipeline.get()) && sinkFailure.get() == null,
                "live", pipeline.get(), sinkFailure.get()));
        app.get("/health/ready", ctx -> respond(ctx,
                pipeline.get() == KafkaStreams.State.RUNNING && sinkFailure.get() == null, "ready", pipeline.get(),
                sinkFailure.get()));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        return new ProcessorEndpoints(app.start(host, port));
    }

    private static void respond(Context ctx, boolean ok, String okStatus, KafkaStreams.State pipeline,
                                Throwable sinkFailure) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ok ? okStatus : "unavailable");
        body.put("pipeline", pipeline.name());
        body.put("store_sink", sinkFailure == null ? "running" : "failed: " + sinkFailure.getMessage());
        ctx.status(ok ? 200 : 503).json(body);
    }

    int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
