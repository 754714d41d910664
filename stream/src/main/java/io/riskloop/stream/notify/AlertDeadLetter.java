package io.riskloop.stream.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskloop.stream.StreamJson;

import java.time.Instant;
import java.util.Locale;

/**
 * A record of the {@code alerts.dlq} topic (key: the alert's key, the card token): an alert one notifier could not
 * deliver, or an {@code alerts} record nobody could read, with why. {@code record} is the alert exactly as it was,
 * so that it can be sent again with the same signature.
 *
 * @param notifier    the notifier that gave up, or null for an unreadable record
 * @param cause       the kind of failure
 * @param reason      what happened, for a person
 * @param attempts    attempts made (0 when none was)
 * @param lastStatus  the last HTTP status or SMTP reply code, or null when none came back
 * @param lastError   the last error, or null
 * @param deliveryId  the delivery id the attempts carried, or null for an unreadable record
 * @param record      the {@code alerts} record's value
 * @param sourceTopic where the alert was read
 * @param partition   its partition
 * @param offset      its offset
 * @param failedAt    when the notifier gave up
 */
public record AlertDeadLetter(String notifier, Cause cause, String reason, int attempts, Integer lastStatus,
                              String lastError, String deliveryId, String record, String sourceTopic, int partition,
                              long offset, Instant failedAt) {

    /** Why an alert was dead-lettered. */
    public enum Cause {
        /** The receiver refused it (HTTP 4xx other than 408 and 429, a redirect, SMTP 5xx, failed authentication). */
        REJECTED,
        /** Every attempt the retry policy allows failed with an error worth retrying. */
        RETRIES_EXHAUSTED,
        /** The receiver asked to wait ({@code Retry-After}) longer than the policy's longest wait. */
        RETRY_AFTER_TOO_LONG,
        /** The dispatcher shut down before the alert was delivered. */
        SHUTDOWN,
        /** The notifier itself failed (a bug): see the log for the stack trace. */
        NOTIFIER_FAILED,
        /** The {@code alerts} record is not an alert riskloop can read. */
        UNREADABLE;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Cause of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    public String toJson() {
        ObjectNode n = StreamJson.MAPPER.createObjectNode();
        n.put("notifier", notifier);
        n.put("cause", cause.id());
        n.put("reason", reason);
        n.put("attempts", attempts);
        n.put("last_status", lastStatus);
        n.put("last_error", lastError);
        n.put("delivery_id", deliveryId);
        n.put("record", record);
        n.put("source_topic", sourceTopic);
        n.put("partition", partition);
        n.put("offset", offset);
        n.put("failed_at", failedAt.toString());
        return n.toString();
    }

    public static AlertDeadLetter read(String json) {
        try {
            JsonNode n = StreamJson.MAPPER.readTree(json);
            return new AlertDeadLetter(text(n, "notifier"), Cause.of(n.path("cause").asText()), text(n, "reason"),
                    n.path("attempts").asInt(), n.hasNonNull("last_status") ? n.get("last_status").asInt() : null,
                    text(n, "last_error"), text(n, "delivery_id"), text(n, "record"), text(n, "source_topic"),
                    n.path("partition").asInt(), n.path("offset").asLong(), Instant.parse(n.path("failed_at").asText()));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not an alert dead-letter record: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
