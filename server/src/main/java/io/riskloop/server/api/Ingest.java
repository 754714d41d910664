package io.riskloop.server.api;

import io.riskloop.core.domain.Transaction;
import io.riskloop.stream.Topics;
import io.riskloop.stream.TransactionJson;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Puts transactions on the {@code transactions} topic as the pipeline expects them: keyed by card token, the event
 * time as the record time, in the topic's JSON form (the card number, if one was sent, already replaced by its
 * token). A send returns once the broker has the record (acks=all, idempotent), so an accepted transaction is
 * not lost.
 */
public final class Ingest implements AutoCloseable {

    private final Producer<String, String> producer;
    private final Topics topics;
    private final boolean owned;

    public Ingest(Producer<String, String> producer, Topics topics) {
        this(producer, topics, false);
    }

    private Ingest(Producer<String, String> producer, Topics topics, boolean owned) {
        this.producer = producer;
        this.topics = topics;
        this.owned = owned;
    }

    /** An idempotent producer of its own on {@code bootstrapServers}. */
    public static Ingest connect(String bootstrapServers, Topics topics) {
        return new Ingest(producer(bootstrapServers, "riskloop-api-ingest"), topics, true);
    }

    /** The producer settings riskloop's server uses: idempotent, all replicas, small batches. */
    public static KafkaProducer<String, String> producer(String bootstrapServers, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    public Producer<String, String> producer() {
        return producer;
    }

    public Topics topics() {
        return topics;
    }

    /**
     * Sends one transaction and waits for the broker.
     *
     * @throws IllegalStateException when the broker did not take it in time
     */
    public void send(Transaction tx) {
        try {
            producer.send(new ProducerRecord<>(topics.transactions(), null, tx.timestamp().toEpochMilli(), tx.cardId(),
                    TransactionJson.write(tx))).get(20, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new BrokerUnavailableException("the broker did not take transaction " + tx.id() + ": "
                    + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while sending transaction " + tx.id(), e);
        }
    }

    /** The broker could not be reached or did not acknowledge in time. */
    public static final class BrokerUnavailableException extends RuntimeException {
        public BrokerUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public void close() {
        if (owned) {
            producer.close();
        }
    }
}
