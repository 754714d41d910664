package io.riskloop.server.monitor;

import io.riskloop.store.decisions.Arrivals;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.monitor.LoopEvent;
import io.riskloop.stream.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The loop's operational alert rules (docs/monitoring.md, "Alerts"), beside accuracy and drift: a dead-letter spike
 * (the share of records dead-lettered since the previous round, from the store), the pipeline's consumer lag and
 * notifier failures (records added to the alert dead-letter topic since the previous round), both read from the
 * broker. Each alert is raised when its condition starts and again only after it has cleared.
 */
public final class OperationalChecks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OperationalChecks.class);

    private final DecisionStore store;
    private final Admin admin;
    private final Topics topics;
    private final String pipelineGroup;
    private final MonitorConfig config;
    private Instant countedUntil;
    private long alertDeadLetters = -1;
    private boolean spiking;
    private boolean lagging;

    /**
     * @param admin         the broker's admin client, or null without a broker (then only the dead-letter rule runs)
     * @param pipelineGroup the decision pipeline's application id (its consumer group)
     */
    public OperationalChecks(DecisionStore store, Admin admin, Topics topics, String pipelineGroup,
                             MonitorConfig config) {
        this.store = store;
        this.admin = admin;
        this.topics = topics;
        this.pipelineGroup = pipelineGroup;
        this.config = config;
    }

    List<LoopEvent> check(Instant now, String modelName) {
        List<LoopEvent> events = new ArrayList<>();
        Arrivals a = store.arrivalsSince(countedUntil);
        if (countedUntil != null) {
            long newDecisions = a.decisions();
            long newDead = a.deadLetters();
            double share = newDead == 0 ? 0 : (double) newDead / (newDead + newDecisions);
            boolean spike = newDead >= 10 && share > config.maxDeadLetterShare();
            if (spike && !spiking) {
                events.add(LoopEvent.of(now, "dead_letter_spike", modelName, null, String.format(Locale.ROOT,
                        "%,d records dead-lettered since the last check, %.1f %% of what arrived (bound %.1f %%):"
                                + " see the dead letters' reasons (riskloop's store, topic %s)", newDead, 100 * share,
                        100 * config.maxDeadLetterShare(), topics.deadLetters()),
                        LoopEvent.details("dead_letters", newDead, "decisions", newDecisions, "share", share)));
            }
            spiking = spike;
        }
        countedUntil = a.asOf();
        if (admin != null) {
            try {
                long lag = lag();
                boolean behind = lag > config.maxConsumerLag();
                if (behind && !lagging) {
                    events.add(LoopEvent.of(now, "consumer_lag", modelName, null, String.format(Locale.ROOT,
                            "the decision pipeline is %,d records behind on %s (bound %,d): add processors, up to the"
                                    + " partition count, or look for a slow database", lag, topics.transactions(),
                            config.maxConsumerLag()), LoopEvent.details("lag", lag)));
                }
                lagging = behind;
                long end = endOffsets(topics.alertDeadLetters());
                if (alertDeadLetters >= 0 && end > alertDeadLetters) {
                    events.add(LoopEvent.of(now, "notifier_failures", modelName, null, String.format(Locale.ROOT,
                            "%,d alerts could not be delivered since the last check (topic %s): check the webhook"
                                    + " and mail server", end - alertDeadLetters, topics.alertDeadLetters()),
                            LoopEvent.details("undelivered", end - alertDeadLetters)));
                }
                alertDeadLetters = end;
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("cannot read the pipeline's lag from the broker: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return events;
    }

    private long lag() throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(pipelineGroup)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().stream().filter(tp -> tp.topic().equals(topics.transactions()))
                .forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        if (latest.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(10, TimeUnit.SECONDS);
        long lag = 0;
        for (var e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
        }
        return lag;
    }

    private long endOffsets(String topic) throws ExecutionException, InterruptedException, TimeoutException {
        var description = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }

    /** Closes the admin client it was given. */
    @Override
    public void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
        }
    }
}
