package io.riskloop.stream.replay;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import io.riskloop.store.decisions.NoSuchTransactionException;
import io.riskloop.stream.TransactionJson;
import io.riskloop.stream.sink.StoreSink;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends labelled history to the {@code transactions} topic at a given rate, as a bank's traffic, and sends the truth
 * back the way a bank learns it: each fraud becomes a chargeback {@code chargebackDelay} later in simulated time.
 * Each record carries its send time ({@link StoreSink#SENT_AT}), so that produce-to-stored latency can be measured.
 */
public final class Replayer implements AutoCloseable {

    /** Receives chargebacks; throws {@link NoSuchTransactionException} while the decision is not stored yet. */
    @FunctionalInterface
    public interface Chargebacks {
        void chargeback(Transaction tx, Instant knownAt);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Replayer.class);

    private final Iterator<LabeledTransaction> source;
    private final Producer<String, String> producer;
    private final String topic;
    private final double rate;
    private Instant catchUpUntil = Instant.MIN;
    private double catchUpRate;
    private final Duration chargebackDelay;
    private final Chargebacks chargebacks;
    private final SimulatedClock clock;
    private final ArrayDeque<LabeledTransaction> pending = new ArrayDeque<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong labelled = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private long position;

    /**
     * @param source          the history, in time order, from position {@code startPosition}
     * @param startPosition   how many transactions of the history were sent before (for a resumed run)
     * @param rate            transactions per second (wall clock)
     * @param chargebackDelay simulated time between a fraud and its chargeback
     * @param pendingFrauds   frauds sent before this run whose chargebacks are still due, in time order
     */
    public Replayer(Iterator<LabeledTransaction> source, long startPosition, Producer<String, String> producer,
                    String topic, double rate, Duration chargebackDelay, Chargebacks chargebacks, SimulatedClock clock,
                    Iterable<LabeledTransaction> pendingFrauds) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("the rate must be positive, was " + rate);
        }
        this.source = source;
        this.position = startPosition;
        this.producer = producer;
        this.topic = topic;
        this.rate = rate;
        this.chargebackDelay = chargebackDelay;
        this.chargebacks = chargebacks;
        this.clock = clock;
        pendingFrauds.forEach(pending::add);
        this.thread = new Thread(this::run, "riskloop-replayer");
    }

    /**
     * Sends the history before {@code until} (event time) at {@code fasterRate} instead: a demo catches up on the
     * weeks its first model was trained on, then runs at the given rate. Call before {@link #start()}.
     */
    public Replayer catchUpUntil(Instant until, double fasterRate) {
        if (!(fasterRate > 0)) {
            throw new IllegalArgumentException("the catch-up rate must be positive, was " + fasterRate);
        }
        this.catchUpUntil = until;
        this.catchUpRate = fasterRate;
        return this;
    }

    public Replayer start() {
        thread.start();
        return this;
    }

    private void run() {
        long due = System.nanoTime();
        try {
            while (running && source.hasNext()) {
                LabeledTransaction lt = source.next();
                Transaction tx = lt.transaction();
                due += (long) (1e9 / (tx.timestamp().isBefore(catchUpUntil) ? catchUpRate : rate));
                long wait = due - System.nanoTime();
                if (wait > 1_000_000) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                clock.advanceTo(tx.timestamp());
                deliverDueChargebacks(tx.timestamp());
                Map<String, String> attributes = new HashMap<>(tx.attributes());
                attributes.put(StoreSink.SENT_AT, Long.toString(System.currentTimeMillis()));
                Transaction stamped = new Transaction(tx.id(), tx.timestamp(), tx.cardId(), tx.terminalId(), tx.amount(),
                        attributes);
                producer.send(new ProducerRecord<>(topic, null, tx.timestamp().toEpochMilli(), tx.cardId(),
                        TransactionJson.write(stamped)));
                if (lt.fraud()) {
                    pending.add(lt);
                }
                position++;
                sent.incrementAndGet();
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("the replay stopped: {}", e.getMessage(), e);
        }
    }

    private void deliverDueChargebacks(Instant now) {
        while (!pending.isEmpty()) {
            LabeledTransaction f = pending.peek();
            Instant known = f.transaction().timestamp().plus(chargebackDelay);
            if (known.isAfter(now)) {
                return;
            }
            try {
                chargebacks.chargeback(f.transaction(), known);
                pending.poll();
                labelled.incrementAndGet();
            } catch (NoSuchTransactionException notYet) {
                return; // its decision is not stored yet: try again with the next transaction
            }
        }
    }

    /** Transactions sent in this run. */
    public long sent() {
        return sent.get();
    }

    /** Chargebacks delivered in this run. */
    public long chargebacksDelivered() {
        return labelled.get();
    }

    /** Position in the history: transactions sent in this and earlier runs. */
    public long position() {
        return position;
    }

    public boolean finished() {
        return !thread.isAlive();
    }

    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
    }
}
