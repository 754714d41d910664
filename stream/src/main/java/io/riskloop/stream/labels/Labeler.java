package io.riskloop.stream.labels;

import io.riskloop.core.domain.LabelEvent;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.decisions.StoredDecision;
import io.riskloop.store.decisions.StoredLabel;
import io.riskloop.stream.Records;
import io.riskloop.stream.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Records a transaction's true label: in the store (history kept, latest current) and on the {@code labels} topic,
 * keyed by terminal with the time the label became known, where the pipeline's label-aware features take it in.
 * The store comes first; a label the broker did not acknowledge stays marked unpublished and
 * {@link #republishPending()} sends it again.
 */
public final class Labeler {

    private final DecisionStore store;
    private final Producer<String, String> producer;
    private final Topics topics;
    private final Clock clock;

    /** @param clock the time a label becomes known when the caller gives none (the demo passes its simulated clock) */
    public Labeler(DecisionStore store, Producer<String, String> producer, Topics topics, Clock clock) {
        this.store = store;
        this.producer = producer;
        this.topics = topics;
        this.clock = clock;
    }

    /**
     * @param knownAt when the label became known; null for now
     * @throws io.riskloop.store.decisions.NoSuchTransactionException when no decision exists for the transaction
     */
    public StoredLabel label(String transactionId, boolean fraud, String source, String author, String comment,
                             Instant knownAt) {
        Instant known = knownAt != null ? knownAt : clock.instant();
        StoredLabel l = store.label(transactionId, fraud, source, author, comment, known);
        StoredDecision d = store.find(transactionId).orElseThrow();
        publish(l, d);
        return l;
    }

    /** Publishes labels stored but not acknowledged by the broker; returns how many. */
    public int republishPending() {
        int n = 0;
        for (StoredLabel l : store.unpublishedLabels(10_000)) {
            store.find(l.transactionId()).ifPresent(d -> publish(l, d));
            n++;
        }
        return n;
    }

    private void publish(StoredLabel l, StoredDecision d) {
        var tx = d.decision().transaction();
        LabelEvent e = new LabelEvent(tx.id(), tx.cardId(), tx.terminalId(), tx.timestamp(), l.fraud(), l.knownAt());
        String value = Records.label(new Records.Label(e, l.source(), l.author()));
        try {
            producer.send(new ProducerRecord<>(topics.labels(), null, l.knownAt().toEpochMilli(), tx.terminalId(), value))
                    .get(30, TimeUnit.SECONDS);
            store.markPublished(l.id());
        } catch (ExecutionException | TimeoutException e2) {
            throw new IllegalStateException("label " + l.id() + " of transaction " + tx.id() + " is stored but the"
                    + " broker did not take it (" + e2.getMessage() + "); it will be sent again", e2);
        } catch (InterruptedException e2) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing label " + l.id(), e2);
        }
    }
}
