package io.riskloop.stream;

import io.riskloop.core.token.CardTokenizer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@link DecisionTopology} against a Kafka cluster with exactly-once processing (exactly_once_v2). State
 * stores are backed by changelog topics, so a restarted (or another) instance resumes where this one stopped.
 */
public final class DecisionPipeline implements AutoCloseable {

    /** The default application id: the pipeline's consumer group and the prefix of its internal topics. */
    public static final String APPLICATION_ID = "riskloop-decisions";
    /**
     * How often the pipeline commits by default: a reader of its topics sees a decision after about this long. 10 ms
     * gave the lowest tail latency at 5,000 tx/s in the pipeline bench (p99 82-92 ms against 251-328 ms at 20 ms and
     * 178 ms at 5 ms) for up to a tenth less peak throughput than 20 ms; docs/benchmarks.md.
     */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(10);

    /**
     * How to run.
     *
     * @param bootstrapServers the cluster
     * @param applicationId    the Kafka Streams application id (consumer group, internal topic prefix)
     * @param stateDir         local state
     * @param commitInterval   how often transactions commit: the floor of end-to-end latency, as downstream
     *                         readers only see committed records
     * @param threads          stream threads
     */
    public record Options(String bootstrapServers, String applicationId, Path stateDir, Duration commitInterval,
                          int threads) {
        public static Options defaults(String bootstrapServers, Path stateDir) {
            return new Options(bootstrapServers, APPLICATION_ID, stateDir, DEFAULT_COMMIT_INTERVAL, 1);
        }

        public Options {
            if (commitInterval.isNegative() || commitInterval.isZero()) {
                throw new IllegalArgumentException("the commit interval must be positive, got " + commitInterval);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("at least one stream thread is needed, got " + threads);
            }
        }

        /** These options with another commit interval and number of stream threads. */
        public Options tuned(Duration commitInterval, int threads) {
            return new Options(bootstrapServers, applicationId, stateDir, commitInterval, threads);
        }
    }

    private final KafkaStreams streams;
    private final PipelineMetrics metrics;

    private DecisionPipeline(KafkaStreams streams, PipelineMetrics metrics) {
        this.streams = streams;
        this.metrics = metrics;
    }

    public static Properties properties(Options o) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, o.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, o.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) o.commitInterval().toMillis());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, o.threads());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0); // forward every record at once: latency
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        // no compression: it ran in the stream thread (LZ4 with its checksum took a third of the thread's time) and
        // the broker is usually close; set it on the topics if the network is the constraint
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "none");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 10);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
        return p;
    }

    /** Starts the pipeline and waits until it runs (or fails to). */
    public static DecisionPipeline start(Options options, PipelineConfig config, ServingModels models,
                                         CardTokenizer tokenizer, Clock clock, MeterRegistry registry) {
        PipelineMetrics metrics = new PipelineMetrics(registry);
        Topology topology = DecisionTopology.build(config, models, tokenizer, clock, metrics);
        KafkaStreams streams = new KafkaStreams(topology, properties(options));
        streams.setUncaughtExceptionHandler(e -> {
            org.slf4j.LoggerFactory.getLogger(DecisionPipeline.class)
                    .error("the decision pipeline's stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        streams.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING
                    || System.nanoTime() > deadline) {
                KafkaStreams.State s = streams.state();
                streams.close(Duration.ofSeconds(10));
                throw new IllegalStateException("the decision pipeline did not start (state " + s + ") against "
                        + options.bootstrapServers());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                streams.close(Duration.ofSeconds(10));
                throw new IllegalStateException("interrupted while starting the decision pipeline", e);
            }
        }
        io.micrometer.core.instrument.Gauge.builder("riskloop.pipeline.consumer.lag.records", streams,
                        DecisionPipeline::consumerLag)
                .description("Records the pipeline's consumers have yet to read, over the partitions this instance holds")
                .register(registry);
        return new DecisionPipeline(streams, metrics);
    }

    /** Sum of the main consumers' per-partition {@code records-lag} (the restore consumers' are not work to do). */
    static double consumerLag(KafkaStreams streams) {
        double lag = 0;
        for (var e : streams.metrics().entrySet()) {
            org.apache.kafka.common.MetricName n = e.getKey();
            if (n.name().equals("records-lag") && n.group().equals("consumer-fetch-manager-metrics")
                    && n.tags().containsKey("partition")
                    && !n.tags().getOrDefault("client-id", "").endsWith("restore-consumer")
                    && e.getValue().metricValue() instanceof Double d && !d.isNaN()) {
                lag += d;
            }
        }
        return lag;
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Stops after committing, and leaves the consumer group, so that a restarted or another instance takes the
     * partitions over at once instead of after the session timeout.
     */
    @Override
    public void close() {
        streams.close(org.apache.kafka.streams.CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
