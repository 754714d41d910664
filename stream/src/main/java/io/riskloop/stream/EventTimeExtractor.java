package io.riskloop.stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Takes a record's time from a field of its JSON value (a transaction's {@code timestamp}, a label's
 * {@code known_at}) rather than from the producer's clock, so that stream time is event time: duplicate detection
 * and the order in which labels and transactions meet do not depend on when a record was sent. A record without a
 * readable time gets the partition's current time (0 before any), so it cannot move stream time; it is
 * dead-lettered anyway.
 */
public final class EventTimeExtractor implements TimestampExtractor {

    private final String needle;

    public EventTimeExtractor(String field) {
        this.needle = "\"" + field + "\":\"";
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        // not the producer's clock either: a wall-clock time would push stream time years ahead of a replay
        long fallback = Math.max(0, partitionTime);
        if (!(record.value() instanceof String v)) {
            return fallback;
        }
        int at = v.indexOf(needle);
        if (at < 0) {
            return fallback;
        }
        int start = at + needle.length();
        int end = v.indexOf('"', start);
        if (end < 0 || end - start > 40) {
            return fallback;
        }
        try {
            return Instant.parse(v.substring(start, end)).toEpochMilli();
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }
}
