package io.riskloop.stream.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.stream.Records;
import io.riskloop.stream.StreamJson;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One record of the {@code alerts} topic, as written by {@link Records#alert}: the record's text, sent as it is,
 * and the fields a notifier reads from it.
 *
 * @param json          the record's value, exactly as on the topic (the webhook body)
 * @param transactionId the transaction
 * @param timestamp     the transaction's event time
 * @param cardId        the card token
 * @param terminalId    the terminal, empty when the source has none
 * @param amount        the amount
 * @param currency      the ISO 4217 currency from the transaction's attributes, or null
 * @param decision      REVIEW or DECLINE
 * @param score         the champion's fraud probability
 * @param reasons       the rules that fired or the threshold crossed
 * @param modelVersion  the model version that decided
 * @param decidedAt     when the decision was made
 */
public record Alert(String json, String transactionId, Instant timestamp, String cardId, String terminalId,
                    double amount, String currency, DecisionType decision, double score, List<String> reasons,
                    String modelVersion, Instant decidedAt) {

    public Alert {
        reasons = List.copyOf(reasons);
    }

    /**
     * Reads an alert record.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public static Alert read(String json) {
        if (json == null) {
            throw new IllegalArgumentException("not an alert record: the value is null");
        }
        JsonNode n;
        try {
            n = StreamJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an alert record: not JSON: " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not an alert record: not a JSON object");
        }
        for (String f : List.of("transaction_id", "timestamp", "card_id", "amount", "decision", "score",
                "decided_at")) {
            if (!n.hasNonNull(f)) {
                throw new IllegalArgumentException("not an alert record: field '" + f + "' is missing");
            }
        }
        if (!n.get("amount").isNumber() || !n.get("score").isNumber()) {
            throw new IllegalArgumentException("not an alert record: 'amount' and 'score' must be numbers");
        }
        DecisionType decision;
        try {
            decision = DecisionType.valueOf(n.get("decision").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an alert record: decision '" + n.get("decision").asText()
                    + "' is not one of REVIEW, DECLINE", e);
        }
        List<String> reasons = new ArrayList<>();
        n.path("reasons").forEach(r -> reasons.add(r.asText()));
        JsonNode currency = n.path("attributes").path("currency");
        try {
            return new Alert(json, n.get("transaction_id").asText(), Instant.parse(n.get("timestamp").asText()),
                    n.get("card_id").asText(), n.path("terminal_id").asText(""), n.get("amount").asDouble(),
                    currency.isTextual() ? currency.asText() : null, decision, n.get("score").asDouble(), reasons,
                    n.path("model_version").asText(""), Instant.parse(n.get("decided_at").asText()));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not an alert record: a time is not ISO-8601: " + e.getMessage(), e);
        }
    }

    /**
     * The delivery id of this alert to one notifier: the same for every attempt and for a redelivery after a
     * restart, so that a receiver can drop duplicates; different for another alert or another notifier.
     */
    public String deliveryId(String notifier) {
        String identity = notifier + '\n' + transactionId + '\n' + decision + '\n' + decidedAt;
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
