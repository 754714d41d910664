package io.riskloop.stream.notify;

import io.riskloop.core.domain.DecisionType;
import io.riskloop.stream.Topics;
import io.riskloop.stream.notify.AlertDeadLetter.Cause;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Delivers the {@code alerts} topic to the notifiers, apart from the decision pipeline: its own consumer group,
 * reading committed records only, so a failing notifier never slows or loses a decision.
 *
 * <pre>
 * alerts --poll--> route by decision type --> [queue] webhook worker --delivered | alerts.dlq
 *                                        \--> [queue] email worker   --delivered | alerts.dlq
 *        <--commit offsets below the first alert some notifier is not through with--
 * </pre>
 *
 * Delivery is at least once: an offset is committed only when every notifier the alert is routed to has delivered
 * it or written it to {@code alerts.dlq}; after a crash the uncommitted alerts are delivered again, with the same
 * delivery id. Each notifier has its own bounded queue and worker thread; when a queue is full the consumer pauses
 * its partitions (back-pressure) until there is room, and nothing is dropped. Each notifier gets its alerts in the
 * order it was handed them; a notifier retrying one alert holds back its later ones, not the other notifiers'.
 */
public final class AlertDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration LANE_STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_POLL_RECORDS = 500;

    /**
     * How to run.
     *
     * @param bootstrapServers the cluster
     * @param groupId          the consumer group (default {@code riskloop-notifiers}); a new group starts at the
     *                         beginning of {@code alerts}
     * @param topics           topic names: {@code alerts} is read, {@code alerts.dlq} written
     * @param queueCapacity    alerts each notifier may have waiting before the consumer pauses (default 1000)
     * @param shutdownGrace    how long {@link #close()} lets the notifiers finish what they hold before the rest goes
     *                         to the dead-letter topic (default 10 s)
     */
    public record Options(String bootstrapServers, String groupId, Topics topics, int queueCapacity,
                          Duration shutdownGrace) {

        public Options {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("the alert dispatcher needs bootstrapServers (host:port,...)");
            }
            if (groupId == null || groupId.isBlank()) {
                throw new IllegalArgumentException("the alert dispatcher needs a consumer groupId");
            }
            if (topics == null) {
                throw new IllegalArgumentException("the alert dispatcher needs topic names");
            }
            if (queueCapacity < 1 || queueCapacity > 1_000_000) {
                throw new IllegalArgumentException("queueCapacity must be between 1 and 1000000, was " + queueCapacity);
            }
            if (shutdownGrace == null || shutdownGrace.isNegative()) {
                throw new IllegalArgumentException("shutdownGrace must be zero or more, was " + shutdownGrace);
            }
        }

        public static Options defaults(String bootstrapServers) {
            return new Options(bootstrapServers, "riskloop-notifiers", Topics.DEFAULT, 1000, Duration.ofSeconds(10));
        }

        public Options withGroupId(String g) {
            return new Options(bootstrapServers, g, topics, queueCapacity, shutdownGrace);
        }

        public Options withTopics(Topics t) {
            return new Options(bootstrapServers, groupId, t, queueCapacity, shutdownGrace);
        }

        public Options withQueueCapacity(int c) {
            return new Options(bootstrapServers, groupId, topics, c, shutdownGrace);
        }

        public Options withShutdownGrace(Duration g) {
            return new Options(bootstrapServers, groupId, topics, queueCapacity, g);
        }
    }

    private final Options options;
    private final List<Notifier> notifiers;
    private final Map<DecisionType, List<NotifierLane>> routes;
    private final List<NotifierLane> lanes;
    private final AlertMetrics metrics;
    private final AlertDeadLetters deadLetters;
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean closing;
    private volatile Throwable failure;

    // owned by the consumer thread
    private final Map<TopicPartition, ArrayDeque<PendingAlert>> inFlight = new HashMap<>();
    private final Map<TopicPartition, Long> requested = new HashMap<>();
    private final Map<NotifierLane, ArrayDeque<PendingAlert>> overflow = new LinkedHashMap<>();
    private boolean paused;

    private AlertDispatcher(Options options, Routing routing, List<Notifier> notifiers, Clock clock, long seed) {
        this.options = options;
        this.notifiers = notifiers;
        this.metrics = new AlertMetrics(notifiers.stream().map(Notifier::name).toList());
        this.deadLetters = new AlertDeadLetters(options.bootstrapServers(), options.groupId() + "-dead-letters",
                options.topics().alertDeadLetters(), clock);
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, NotifierLane> byName = new LinkedHashMap<>();
        for (Notifier n : notifiers) {
            NotifierLane lane = new NotifierLane(n, options.queueCapacity(), random.split(), deadLetters, metrics);
            byName.put(n.name(), lane);
            overflow.put(lane, new ArrayDeque<>());
        }
        this.lanes = List.copyOf(byName.values());
        Map<DecisionType, List<NotifierLane>> r = new EnumMap<>(DecisionType.class);
        for (DecisionType t : DecisionType.values()) {
            r.put(t, routing.notifiersFor(t).stream().map(byName::get).toList());
        }
        this.routes = r;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, options.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, options.groupId() + "-alerts");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        this.thread = new Thread(this::run, "riskloop-alert-dispatcher");
    }

    /**
     * Checks the wiring and starts consuming. The dispatcher owns the notifiers from here on and closes them, also
     * when this throws.
     *
     * @param routing   which notifiers get REVIEW and which DECLINE alerts, by name
     * @param notifiers the notifiers, each routed to by at least one decision type
     * @param clock     the time of dead letters
     * @param seed      seeds the retry jitter
     * @throws IllegalArgumentException when names clash, or routing and notifiers do not match
     */
    public static AlertDispatcher start(Options options, Routing routing, List<? extends Notifier> notifiers,
                                        Clock clock, long seed) {
        List<Notifier> all = List.copyOf(notifiers);
        try {
            check(routing, all);
            AlertDispatcher d = new AlertDispatcher(options, routing, all, clock, seed);
            d.lanes.forEach(NotifierLane::start);
            d.thread.start();
            return d;
        } catch (RuntimeException e) {
            all.forEach(AlertDispatcher::closeQuietly);
            throw e;
        }
    }

    private static void check(Routing routing, List<Notifier> notifiers) {
        if (notifiers.isEmpty()) {
            throw new IllegalArgumentException("the alert dispatcher has no notifiers; give at least one");
        }
        Set<String> names = new HashSet<>();
        for (Notifier n : notifiers) {
            if (!names.add(n.name())) {
                throw new IllegalArgumentException("two notifiers are named '" + n.name() + "'; give each its own"
                        + " name (withName)");
            }
        }
        List<String> configured = notifiers.stream().map(Notifier::name).toList();
        for (DecisionType t : DecisionType.values()) {
            for (String n : routing.notifiersFor(t)) {
                if (!names.contains(n)) {
                    throw new IllegalArgumentException("the routing sends " + t + " alerts to '" + n + "', which is"
                            + " not a configured notifier; the notifiers are " + configured);
                }
            }
        }
        for (String n : configured) {
            if (!routing.notifiers().contains(n)) {
                throw new IllegalArgumentException("notifier '" + n + "' is configured but no decision type is routed"
                        + " to it; route REVIEW or DECLINE to it, or leave it out");
            }
        }
    }

    public AlertMetrics metrics() {
        return metrics;
    }

    /** Whether the dispatcher is consuming: false once closed or failed. */
    public boolean isRunning() {
        return thread.isAlive() && !closing && failure == null;
    }

    /** What stopped the dispatcher, if it stopped by failing. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Stops polling, lets the notifiers finish what they hold for up to the shutdown grace, dead-letters what is
     * left, commits, and closes the consumer, the producer and the notifiers.
     */
    @Override
    public void close() {
        closing = true;
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while waiting for the alert dispatcher to stop; it goes on stopping by itself");
        }
    }

    private void run() {
        try {
            consumer.subscribe(List.of(options.topics().alerts()), new Rebalance());
            while (!closing) {
                for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                    accept(r);
                }
                handOver();
                applyBackPressure();
                commit(null, false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
            LOG.error("the alert dispatcher was interrupted; shutting down", e);
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("the alert dispatcher failed; shutting down", e);
        } finally {
            shutDown();
        }
    }

    private void accept(ConsumerRecord<String, String> r) throws InterruptedException {
        metrics.countReceived();
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        ArrayDeque<PendingAlert> pending = inFlight.computeIfAbsent(tp, k -> new ArrayDeque<>());
        Alert alert;
        try {
            alert = Alert.read(r.value());
        } catch (IllegalArgumentException e) {
            PendingAlert p = new PendingAlert(tp, r.offset(), r.key(), r.value(), null, 1);
            pending.add(p);
            LOG.warn("record {} of {} is not an alert; dead-lettering it: {}", p, options.topics().alerts(),
                    e.getMessage());
            deadLetters.write(p, null, Cause.UNREADABLE, e.getMessage(), 0, null, null, null);
            metrics.countUnreadable();
            p.done();
            return;
        }
        List<NotifierLane> to = routes.get(alert.decision());
        PendingAlert p = new PendingAlert(tp, r.offset(), r.key(), r.value(), alert, to.size());
        pending.add(p);
        for (NotifierLane lane : to) {
            overflow.get(lane).add(p);
        }
    }

    /** Moves alerts into the notifiers' queues while they have room; each notifier on its own. */
    private void handOver() {
        overflow.forEach((lane, waiting) -> {
            while (!waiting.isEmpty() && lane.offer(waiting.peek())) {
                waiting.poll();
            }
        });
    }

    private boolean anyWaiting() {
        return overflow.values().stream().anyMatch(q -> !q.isEmpty());
    }

    private void applyBackPressure() {
        boolean full = anyWaiting();
        if (full && !paused) {
            consumer.pause(consumer.assignment());
            paused = true;
            metrics.countPause();
            LOG.debug("a notifier queue is full; pausing {}", consumer.assignment());
        } else if (!full && paused) {
            consumer.resume(consumer.paused());
            paused = false;
            LOG.debug("the notifier queues have room; resuming");
        }
    }

    /**
     * Commits, for each partition (of {@code which}, or all), the offset below the first alert not yet through
     * every notifier, or the consumer's position when all are through; only offsets beyond those already committed.
     */
    private void commit(Collection<TopicPartition> which, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, ArrayDeque<PendingAlert>> e : inFlight.entrySet()) {
            TopicPartition tp = e.getKey();
            if (which != null && !which.contains(tp)) {
                continue;
            }
            ArrayDeque<PendingAlert> pending = e.getValue();
            while (!pending.isEmpty() && pending.peek().isDone()) {
                pending.poll();
            }
            long next = pending.isEmpty() ? consumer.position(tp) : pending.peek().offset;
            Long last = requested.get(tp);
            if (last == null || next > last) {
                offsets.put(tp, new OffsetAndMetadata(next));
                requested.put(tp, next);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            consumer.commitSync(offsets);
            return;
        }
        consumer.commitAsync(offsets, (done, error) -> {
            if (error != null) {
                LOG.warn("committing {} failed, trying again with the next commit: {}", done, error.getMessage());
                done.forEach((tp, o) -> requested.remove(tp, o.offset()));
            }
        });
    }

    /** Partitions this instance no longer owns: their alerts are the new owner's to deliver. */
    private void forget(Collection<TopicPartition> parts) {
        inFlight.keySet().removeAll(parts);
        requested.keySet().removeAll(parts);
        overflow.values().forEach(q -> q.removeIf(p -> parts.contains(p.partition)));
        lanes.forEach(l -> l.discard(p -> parts.contains(p.partition)));
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> parts) {
            try {
                commit(parts, true);
            } catch (KafkaException e) {
                LOG.warn("cannot commit the revoked partitions {}; their new owner delivers their uncommitted alerts"
                        + " again: {}", parts, e.getMessage());
            }
            forget(parts);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> parts) {
            forget(parts);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> parts) {
            if (paused) {
                consumer.pause(parts);
            }
        }
    }

    private boolean allDone() {
        return inFlight.values().stream().allMatch(q -> q.stream().allMatch(PendingAlert::isDone));
    }

    private void shutDown() {
        try {
            long deadline = System.nanoTime() + options.shutdownGrace().toNanos();
            while (!allDone() && System.nanoTime() - deadline < 0) {
                handOver();
                Thread.sleep(10);
            }
            int left = 0;
            for (Map.Entry<NotifierLane, ArrayDeque<PendingAlert>> e : overflow.entrySet()) {
                for (PendingAlert p : e.getValue()) {
                    left += deadLetterAtShutdown(e.getKey().name(), p) ? 0 : 1;
                }
                e.getValue().clear();
            }
            lanes.forEach(NotifierLane::stop);
            for (NotifierLane lane : lanes) {
                if (!lane.join(LANE_STOP_TIMEOUT)) {
                    LOG.error("notifier '{}' did not stop within {} s; the alert it holds stays uncommitted",
                            lane.name(), LANE_STOP_TIMEOUT.toSeconds());
                }
            }
            if (left > 0) {
                LOG.error("{} alerts could not be dead-lettered at shutdown and stay uncommitted", left);
            }
            commit(null, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("interrupted while shutting the alert dispatcher down; uncommitted alerts will be delivered"
                    + " again", e);
        } catch (RuntimeException e) {
            LOG.error("the alert dispatcher could not finish its shutdown cleanly; uncommitted alerts will be"
                    + " delivered again", e);
        } finally {
            lanes.forEach(NotifierLane::stop);
            closeQuietly(() -> consumer.close(CloseOptions.timeout(Duration.ofSeconds(10))));
            closeQuietly(deadLetters);
            notifiers.forEach(AlertDispatcher::closeQuietly);
        }
    }

    private boolean deadLetterAtShutdown(String notifier, PendingAlert p) throws InterruptedException {
        try {
            deadLetters.write(p, notifier, Cause.SHUTDOWN, "not attempted: the dispatcher shut down before the"
                    + " notifier's turn", 0, null, null, p.alert.deliveryId(notifier));
            metrics.countDeadLetter(notifier);
            p.done();
            return true;
        } catch (IllegalStateException e) {
            LOG.error(e.getMessage(), e);
            return false;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", c, e.toString());
        }
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        lanes.forEach(l -> names.add(l.name()));
        return "AlertDispatcher[group=" + options.groupId() + ", alerts=" + options.topics().alerts() + ", notifiers="
                + names + "]";
    }
}
