package io.riskloop.stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * riskloop's topics (docs/topics.md). {@code transactions}, {@code transactions.by-terminal} and {@code labels}
 * must have the same number of partitions: the decision stage reads the last two together, partition by
 * partition, so that a terminal's labels and transactions meet in one task in time order.
 *
 * @param transactions transactions in (key: card token)
 * @param byTerminal   transactions with their card features, keyed by terminal (riskloop's own)
 * @param labels       labels as they become known (key: terminal)
 * @param decisions    one decision per transaction (key: transaction id)
 * @param alerts       reviews and declines (key: card token)
 * @param deadLetters  records that could not be processed, with the reason
 * @param alertDeadLetters alerts a notifier could not deliver, with the reason (key: card token; docs/alerts.md)
 */
public record Topics(String transactions, String byTerminal, String labels, String decisions, String alerts,
                     String deadLetters, String alertDeadLetters) {

    public static final Topics DEFAULT = withPrefix("");

    /** The default names, each preceded by {@code prefix} (for several pipelines on one cluster, or tests). */
    public static Topics withPrefix(String prefix) {
        return new Topics(prefix + "transactions", prefix + "transactions.by-terminal", prefix + "labels",
                prefix + "decisions", prefix + "alerts", prefix + "transactions.dlq", prefix + "alerts.dlq");
    }

    public List<String> all() {
        return List.of(transactions, byTerminal, labels, decisions, alerts, deadLetters, alertDeadLetters);
    }

    /** Creates the topics that do not exist yet. */
    public void create(Admin admin, int partitions, short replication) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (String t : all()) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, partitions, replication));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
            awaitLeaders(admin);
            int tx = admin.describeTopics(List.of(transactions, byTerminal, labels)).allTopicNames().get()
                    .values().stream().mapToInt(d -> d.partitions().size()).distinct().toArray().length;
            if (tx != 1) {
                throw new IllegalStateException("topics " + transactions + ", " + byTerminal + " and " + labels
                        + " must have the same number of partitions; repartition them to match");
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return; // created concurrently by another instance
            }
            throw new IllegalStateException("cannot create riskloop's topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * Waits until every partition of every topic has a leader. A producer that starts writing to a topic
     * created a moment ago can otherwise meet NOT_LEADER_OR_FOLLOWER and, idempotent, go on retrying a
     * sequence the new leader never saw.
     */
    private void awaitLeaders(Admin admin) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (true) {
            List<String> leaderless;
            try {
                leaderless = admin.describeTopics(all()).allTopicNames().get().values().stream()
                        .filter(d -> d.partitions().stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty()))
                        .map(TopicDescription::name)
                        .toList();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                leaderless = all(); // created, but not yet in the metadata this broker answers with
            }
            if (leaderless.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + leaderless + " still have partitions without a leader after "
                        + LEADER_WAIT.toSeconds() + " s; check that the brokers are up and can see each other");
            }
            Thread.sleep(50);
        }
    }

    private static final Duration LEADER_WAIT = Duration.ofSeconds(30);
}
