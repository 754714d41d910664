package io.riskloop.cli;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The processor's probes and metrics follow the pipeline's state and the store sink's health. */
class ProcessorEndpointsTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(ProcessorEndpoints e, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyWhileRunningLiveUntilSomethingFails() throws Exception {
        AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.REBALANCING);
        AtomicReference<Throwable> sink = new AtomicReference<>();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("riskloop.pipeline.received").register(registry).increment(3);
        try (ProcessorEndpoints e = ProcessorEndpoints.start("127.0.0.1", 0, state::get, sink::get, registry)) {
            assertThat(get(e, "/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> starting = get(e, "/health/ready");
            assertThat(starting.statusCode()).isEqualTo(503);
            assertThat(starting.body()).contains("\"pipeline\":\"REBALANCING\"");

            state.set(KafkaStreams.State.RUNNING);
            assertThat(get(e, "/health/ready").statusCode()).isEqualTo(200);

            HttpResponse<String> metrics = get(e, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("text/plain"));
            assertThat(metrics.body()).contains("riskloop_pipeline_received_total 3.0", "jvm_memory_used_bytes");

            sink.set(new IllegalStateException("database gone"));
            HttpResponse<String> failed = get(e, "/health/ready");
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(failed.body()).contains("failed: database gone");
            assertThat(get(e, "/health/live").statusCode()).as("a failed sink needs a restart").isEqualTo(503);

            sink.set(null);
            state.set(KafkaStreams.State.ERROR);
            assertThat(get(e, "/health/live").statusCode()).as("a dead pipeline needs a restart").isEqualTo(503);
            assertThat(get(e, "/health/ready").statusCode()).isEqualTo(503);
        }
    }
}
