package io.riskloop.server.live;

import io.riskloop.core.domain.LabelEvent;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.stream.Records;
import io.riskloop.stream.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a {@link LiveState} up to date from the {@code decisions} and {@code labels} topics, so that the scoring
 * API sees each card and terminal as the pipeline does.
 *
 * <p>Every server reads every partition of both topics from the beginning (committed records only), on a
 * thread of its own: its state is in memory, so each start rebuilds it, and each server replica needs all of it.
 * That is why partitions are assigned rather than shared through a consumer group, and why nothing is committed.
 * The topics must therefore keep at least the longest feature window plus the label delay (38 days for the
 * baseline features); a shorter retention makes live features start partial.
 *
 * <p>Order: the pipeline applies a label in time order with the transactions of its terminal, so the transaction it
 * marks is in the window first. Here the two topics are read independently (and their partitions at their own
 * pace), so a label waits until the window holds its transaction; one that never finds it is dropped, as the
 * pipeline would drop it (see {@link #applyPendingLabels}).
 */
public final class LiveFeatures implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeatures.class);

    /** How far behind this replica is. */
    public record Status(boolean caughtUp, long decisionsApplied, long labelsApplied, long pendingLabels,
                         long labelsUnmatched, long unreadable, int entities) {
    }

    /** How long a label may wait for its transaction once the decisions topic has been read to its end. */
    static final Duration UNMATCHED_AFTER = Duration.ofSeconds(10);

    private record Pending(LabelEvent label, long since) {
    }

    private final LiveState state;
    private final Topics topics;
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final List<Pending> pending = new ArrayList<>();
    private final AtomicLong decisions = new AtomicLong();
    private final AtomicLong labels = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong pendingCount = new AtomicLong();
    private final AtomicLong unmatched = new AtomicLong();
    private final Map<TopicPartition, Long> startEnds = new HashMap<>();
    private volatile boolean caughtUp;
    private volatile boolean closing;
    private volatile Throwable failure;

    private LiveFeatures(LiveState state, Topics topics, KafkaConsumer<String, String> consumer) {
        this.state = state;
        this.topics = topics;
        this.consumer = consumer;
        this.thread = new Thread(this::run, "riskloop-live-features");
        this.thread.setDaemon(true);
    }

    /** Starts following the topics of {@code bootstrapServers}; returns at once (see {@link #status()}). */
    public static LiveFeatures start(String bootstrapServers, Topics topics, FeatureSet set) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "riskloop-live-features");
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        LiveFeatures live = new LiveFeatures(new LiveState(set), topics, c);
        live.thread.start();
        return live;
    }

    public LiveState state() {
        return state;
    }

    public Status status() {
        return new Status(caughtUp, decisions.get(), labels.get(), pendingCount.get(), unmatched.get(),
                unreadable.get(), state.entities());
    }

    /** Whether the reader is running (false after a failure it could not get over, or after close). */
    public boolean running() {
        return thread.isAlive() && failure == null;
    }

    private void run() {
        try {
            Set<TopicPartition> assigned = new HashSet<>();
            long nextPartitionCheck = 0;
            while (!closing) {
                if (System.nanoTime() - nextPartitionCheck >= 0) {
                    assign(assigned);
                    nextPartitionCheck = System.nanoTime() + Duration.ofSeconds(assigned.isEmpty() ? 1 : 30).toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> r : batch) {
                    if (r.topic().equals(topics.decisions())) {
                        decision(r);
                    } else {
                        label(r);
                    }
                }
                boolean decisionsDone = decisionsCaughtUp(assigned);
                applyPendingLabels(decisionsDone);
                if (!caughtUp && decisionsDone && labelsCaughtUp(assigned)) {
                    caughtUp = true;
                    LOG.info("live features caught up: {} decisions and {} labels applied, {} entities",
                            decisions.get(), labels.get(), state.entities());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("live features stopped: scores use the state as it was until then", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void assign(Set<TopicPartition> assigned) {
        List<TopicPartition> all = new ArrayList<>();
        for (String t : List.of(topics.decisions(), topics.labels())) {
            List<PartitionInfo> ps = consumer.partitionsFor(t, Duration.ofSeconds(5));
            if (ps != null) {
                ps.forEach(p -> all.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        if (!assigned.containsAll(all) || !all.containsAll(assigned)) {
            List<TopicPartition> fresh = all.stream().filter(tp -> !assigned.contains(tp)).toList();
            consumer.assign(all);
            consumer.seekToBeginning(fresh);
            startEnds.putAll(consumer.endOffsets(fresh));
            assigned.clear();
            assigned.addAll(all);
        }
    }

    private void decision(ConsumerRecord<String, String> r) {
        try {
            var d = Records.readDecision(r.value());
            state.apply(d.transaction());
            decisions.incrementAndGet();
        } catch (IllegalArgumentException e) {
            unreadable.incrementAndGet();
            LOG.warn("skipping an unreadable decision at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
        }
    }

    private void label(ConsumerRecord<String, String> r) {
        try {
            pending.add(new Pending(Records.readLabel(r.value()).event(), System.nanoTime()));
            pendingCount.set(pending.size());
        } catch (IllegalArgumentException e) {
            unreadable.incrementAndGet();
            LOG.warn("skipping an unreadable label at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
        }
    }

    /**
     * Applies the labels whose transactions are in the windows now. One still missing once the decisions topic has
     * been read to its end for {@link #UNMATCHED_AFTER} marks a transaction that is not (or no longer) in the
     * windows, where the pipeline would not have applied it either: it is dropped and counted.
     */
    private void applyPendingLabels(boolean decisionsRead) {
        long now = System.nanoTime();
        for (var it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (state.label(p.label())) {
                labels.incrementAndGet();
                it.remove();
            } else if (decisionsRead && now - p.since() > UNMATCHED_AFTER.toNanos()) {
                unmatched.incrementAndGet();
                it.remove();
                LOG.debug("label of {} matched no transaction in the windows; dropped", p.label().transactionId());
            }
        }
        pendingCount.set(pending.size());
    }

    private boolean decisionsCaughtUp(Set<TopicPartition> assigned) {
        return caughtUpOn(assigned, topics.decisions());
    }

    private boolean labelsCaughtUp(Set<TopicPartition> assigned) {
        return caughtUpOn(assigned, topics.labels());
    }

    private boolean caughtUpOn(Set<TopicPartition> assigned, String topic) {
        for (TopicPartition tp : assigned) {
            if (!tp.topic().equals(topic)) {
                continue;
            }
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent()) {
                if (lag.getAsLong() > 0) {
                    return false;
                }
            } else if (consumer.position(tp) < startEnds.getOrDefault(tp, 0L)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
