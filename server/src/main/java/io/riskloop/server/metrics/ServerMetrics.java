package io.riskloop.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's Prometheus metrics: HTTP request timings (Javalin's Micrometer plugin, {@code jetty_server_requests}),
 * score latency, ingested transactions, labels, refused requests by endpoint, and the JVM's own.
 */
public final class ServerMetrics {

    private final PrometheusMeterRegistry registry;
    private final Timer score;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    public ServerMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public ServerMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        @SuppressWarnings("resource") // lives as long as the registry
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        this.score = Timer.builder("riskloop.score.latency")
                .description("Time to compute features, score and explain one transaction (excluding HTTP)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void scored(long nanos) {
        score.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** A transaction taken in ({@code accepted}) or refused ({@code rejected}) by the ingest endpoint. */
    public void ingested(String outcome) {
        counter("riskloop.ingest.transactions", "Transactions received by the ingest endpoint", "outcome", outcome)
                .increment();
    }

    /** An alert raised by the monitoring loop (drift, accuracy drop, failed retraining, rollback). */
    public void alerted(String kind) {
        counter("riskloop.monitor.alerts", "Alerts raised by the monitoring loop, by kind", "kind", kind).increment();
    }

    public void labelled(String source, boolean fraud) {
        counter("riskloop.labels", "Labels given through the API or the web app", "source", source, "fraud",
                Boolean.toString(fraud)).increment();
    }

    /** A request refused with a 4xx, by the endpoint it was refused at. */
    public void refused(String endpoint, int status) {
        counter("riskloop.http.refused", "Requests refused (4xx) by endpoint and status", "endpoint", endpoint,
                "status", Integer.toString(status)).increment();
    }

    private Counter counter(String name, String description, String... tags) {
        String key = name + String.join("\u0000", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags)
                .register(registry));
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
