package io.riskloop.stream.sink;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskloop.core.domain.Decision;
import io.riskloop.store.decisions.DeadLetter;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.stream.Records;
import io.riskloop.stream.StreamJson;
import io.riskloop.stream.Topics;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the pipeline's decisions and dead letters to PostgreSQL. Each poll's records are one batch, written in one
 * statement per table (micro-batching bounded by the poll: at most {@link #MAX_POLL} of latency when traffic is low)
 * by a writer thread while the next batch is polled and read; the consumer offsets of a batch are committed only
 * after the database has committed it: at-least-once delivery on idempotent writes, so each transaction ends with
 * exactly one row. Reads only committed records of the pipeline's transactions.
 */
public final class StoreSink implements AutoCloseable {

    static final Duration MAX_POLL = Duration.ofMillis(20);
    /** Attribute a producer may set (epoch milliseconds) to have produce-to-stored latency measured. */
    public static final String SENT_AT = "sent_at_ms";
    private static final Logger LOG = LoggerFactory.getLogger(StoreSink.class);

    private final KafkaConsumer<String, String> consumer;
    private final DecisionStore store;
    private final Topics topics;
    private final Clock clock;
    private final Thread thread;
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final Recorder latency = new Recorder(3);
    private final Recorder decideLatency = new Recorder(3);
    private final Recorder deliverLatency = new Recorder(3);
    private volatile io.micrometer.core.instrument.Timer writeTimer;
    private volatile io.micrometer.core.instrument.Timer storeLag;
    private volatile boolean running = true;
    private volatile boolean writerRunning = true;
    private volatile RuntimeException writerFailure;
    private volatile Throwable failure;

    /**
     * Publishes what the sink stored as {@code riskloop.store.stored}, {@code .dead.letters}, {@code .unreadable}, and
     * its stage's times: {@code riskloop.store.write} (a batch) and {@code riskloop.store.lag} (decision to stored).
     */
    public StoreSink bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
        writeTimer = io.micrometer.core.instrument.Timer.builder("riskloop.store.write")
                .description("Time to write one batch of decisions and dead letters to the store")
                .publishPercentileHistogram().register(registry);
        storeLag = io.micrometer.core.instrument.Timer.builder("riskloop.store.lag")
                .description("From a transaction's decision to its row committed in the store")
                .publishPercentileHistogram().register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("riskloop.store.stored", stored, AtomicLong::get)
                .description("Decisions written to the store").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("riskloop.store.dead.letters", deadLetters, AtomicLong::get)
                .description("Dead letters written to the store").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("riskloop.store.unreadable", unreadable, AtomicLong::get)
                .description("Records the sink could not read, kept in the store's dead letters").register(registry);
        return this;
    }

    public StoreSink(String bootstrapServers, String groupId, DecisionStore store, Topics topics, Clock clock) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        this.store = store;
        this.topics = topics;
        this.clock = clock;
        this.thread = new Thread(this::run, "riskloop-store-sink");
    }

    public StoreSink start() {
        consumer.subscribe(List.of(topics.decisions(), topics.deadLetters()));
        thread.start();
        return this;
    }

    /** One poll's records, read, with the offsets to commit once they are stored. */
    private record Batch(List<Decision> decisions, List<DeadLetter> letters,
                         Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    /**
     * The poller reads and parses while the writer stores the previous batch; offsets are committed only for
     * batches the database has committed (handed back through {@code stored}).
     */
    private void run() {
        BlockingQueue<Batch> toWrite = new ArrayBlockingQueue<>(1);
        BlockingQueue<Batch> written = new LinkedBlockingQueue<>();
        Thread writer = new Thread(() -> write(toWrite, written), "riskloop-store-sink-writer");
        writer.start();
        try {
            while (running) {
                for (Batch b; (b = written.poll()) != null; ) {
                    consumer.commitAsync(b.offsets(), (o, e) -> {
                        if (e != null) {
                            // the next commit covers these offsets; at worst the records are stored again, harmlessly
                            LOG.warn("committing the store sink's offsets failed: {}", e.getMessage());
                        }
                    });
                }
                if (writerFailure != null) {
                    throw writerFailure;
                }
                ConsumerRecords<String, String> records = consumer.poll(MAX_POLL);
                if (records.isEmpty()) {
                    continue;
                }
                List<Decision> decisions = new ArrayList<>(records.count());
                List<DeadLetter> letters = new ArrayList<>();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<String, String> r : records) {
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    if (r.topic().equals(topics.decisions())) {
                        try {
                            decisions.add(Records.readDecision(r.value()));
                        } catch (IllegalArgumentException e) {
                            unreadable.incrementAndGet();
                            letters.add(new DeadLetter(r.topic(), r.partition(), r.offset(), "(record)",
                                    "unreadable decision record: " + e.getMessage(), String.valueOf(r.value()),
                                    clock.instant()));
                        }
                    } else {
                        letters.add(deadLetter(r));
                    }
                }
                long polledAt = clock.millis();
                for (Decision d : decisions) {
                    String sent = d.transaction().attributes().get(SENT_AT);
                    if (sent != null) {
                        try {
                            deliverLatency.recordValue(Math.max(0, polledAt - Long.parseLong(sent)));
                        } catch (NumberFormatException | ArrayIndexOutOfBoundsException ignored) {
                            // not a time we wrote
                        }
                    }
                }
                Batch batch = new Batch(decisions, letters, offsets);
                while (running && !toWrite.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                    if (writerFailure != null) {
                        throw writerFailure;
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("the store sink stopped: {}", e.getMessage(), e);
        } finally {
            writerRunning = false;
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                Map<TopicPartition, OffsetAndMetadata> last = new HashMap<>();
                for (Batch b; (b = written.poll()) != null; ) {
                    last.putAll(b.offsets());
                }
                if (!last.isEmpty()) {
                    consumer.commitSync(last);
                }
            } catch (RuntimeException e) {
                LOG.warn("the store sink's last offsets were not committed ({}); their records will be stored again,"
                        + " harmlessly", e.getMessage());
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void write(BlockingQueue<Batch> toWrite, BlockingQueue<Batch> written) {
        try {
            while (writerRunning || !toWrite.isEmpty()) {
                Batch b = toWrite.poll(50, TimeUnit.MILLISECONDS);
                if (b == null) {
                    continue;
                }
                long started = System.nanoTime();
                store.storeDecisions(b.decisions());
                store.storeDeadLetters(b.letters());
                stored.addAndGet(b.decisions().size());
                deadLetters.addAndGet(b.letters().size());
                written.add(b);
                long now = clock.millis();
                io.micrometer.core.instrument.Timer w = writeTimer;
                io.micrometer.core.instrument.Timer lag = storeLag;
                if (w != null) {
                    w.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                }
                for (Decision d : b.decisions()) {
                    if (lag != null) {
                        lag.record(Math.max(0, now - d.decidedAt().toEpochMilli()), TimeUnit.MILLISECONDS);
                    }
                    String sent = d.transaction().attributes().get(SENT_AT);
                    if (sent != null) {
                        try {
                            long sentAt = Long.parseLong(sent);
                            latency.recordValue(Math.max(0, now - sentAt));
                            decideLatency.recordValue(Math.max(0, d.decidedAt().toEpochMilli() - sentAt));
                        } catch (NumberFormatException | ArrayIndexOutOfBoundsException ignored) {
                            // not a time we wrote: no latency to record
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            writerFailure = e;
            LOG.error("the store sink could not write: {}", e.getMessage(), e);
        }
    }

    private DeadLetter deadLetter(ConsumerRecord<String, String> r) {
        try {
            JsonNode n = StreamJson.MAPPER.readTree(r.value());
            return new DeadLetter(n.path("source_topic").asText(r.topic()), n.path("partition").asInt(-1),
                    n.path("offset").asLong(r.offset()), n.path("field").asText("(record)"),
                    n.path("reason").asText("unknown"), n.path("record").asText(""),
                    n.hasNonNull("received_at") ? Instant.parse(n.get("received_at").asText()) : clock.instant());
        } catch (Exception e) {
            return new DeadLetter(r.topic(), r.partition(), r.offset(), "(record)", "unreadable dead letter: "
                    + e.getMessage(), String.valueOf(r.value()), clock.instant());
        }
    }

    public long stored() {
        return stored.get();
    }

    public long deadLetters() {
        return deadLetters.get();
    }

    /** Produce-to-stored latencies (ms) recorded since the last call, for records that carried {@link #SENT_AT}. */
    public Histogram takeLatencies() {
        return latency.getIntervalHistogram();
    }

    /**
     * Produce-to-delivered latencies (ms): until the decision is readable on the decisions topic, i.e. committed by
     * the pipeline and fetched. Recorded since the last call.
     */
    public Histogram takeDeliverLatencies() {
        return deliverLatency.getIntervalHistogram();
    }

    /** Produce-to-decided latencies (ms; until the decide step ran, before its commit) recorded since the last call. */
    public Histogram takeDecideLatencies() {
        return decideLatency.getIntervalHistogram();
    }

    /** Why the sink stopped, or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
