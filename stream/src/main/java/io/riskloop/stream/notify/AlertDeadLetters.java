package io.riskloop.stream.notify;

import io.riskloop.stream.notify.AlertDeadLetter.Cause;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes to the alerts' dead-letter topic, and waits until the broker has the record: only then may the alert's
 * offset be committed. Thread-safe (one producer for every notifier's worker).
 */
final class AlertDeadLetters implements AutoCloseable {

    private static final int DELIVERY_TIMEOUT_MS = 30_000;

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final Clock clock;

    AlertDeadLetters(String bootstrapServers, String clientId, String topic, Clock clock) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        this.topic = topic;
        this.clock = clock;
    }

    String topic() {
        return topic;
    }

    /**
     * Writes the dead letter of {@code p} and waits for the broker's acknowledgement.
     *
     * @throws IllegalStateException when the broker did not take it; the alert must then stay uncommitted
     * @throws InterruptedException  when interrupted while waiting
     */
    void write(PendingAlert p, String notifier, Cause cause, String reason, int attempts, Integer lastStatus,
               String lastError, String deliveryId) throws InterruptedException {
        AlertDeadLetter letter = new AlertDeadLetter(notifier, cause, reason, attempts, lastStatus, lastError,
                deliveryId, p.value, p.partition.topic(), p.partition.partition(), p.offset, clock.instant());
        try {
            producer.send(new ProducerRecord<>(topic, p.key, letter.toJson()))
                    .get(DELIVERY_TIMEOUT_MS + 5_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write the dead letter of alert " + p + " for notifier '" + notifier
                    + "' to " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot write the dead letter of alert " + p + " for notifier '" + notifier
                    + "' to " + topic + ": no acknowledgement within " + (DELIVERY_TIMEOUT_MS / 1000 + 5) + " s", e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot write the dead letter of alert " + p + " for notifier '" + notifier
                    + "' to " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
