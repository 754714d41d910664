package io.riskloop.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskloop.core.domain.Decision;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.domain.LabelEvent;
import io.riskloop.core.domain.Transaction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The JSON records of the decisions, alerts, labels and dead-letter topics (docs/topics.md). */
public final class Records {

    private Records() {
    }

    /**
     * A label on the {@code labels} topic: the transaction's identity (its card, terminal and time, so that
     * label-aware features can find it), the label, when it became known, and who said so.
     */
    public record Label(LabelEvent event, String source, String author) {
    }

    public static String decision(Decision d) {
        // written with the streaming generator: building a tree first cost as much again
        java.io.StringWriter w = new java.io.StringWriter(640);
        try (com.fasterxml.jackson.core.JsonGenerator g = StreamJson.MAPPER.getFactory().createGenerator(w)) {
            g.writeStartObject();
            transactionFields(g, d.transaction());
            g.writeStringField("decision", d.decision().name());
            g.writeNumberField("score", d.score());
            g.writeArrayFieldStart("reasons");
            for (String r : d.reasons()) {
                g.writeString(r);
            }
            g.writeEndArray();
            g.writeStringField("model_version", d.modelVersion());
            if (d.challengerScore() != null) {
                g.writeNumberField("challenger_score", d.challengerScore());
                g.writeStringField("challenger_version", d.challengerVersion());
            }
            g.writeObjectFieldStart("features");
            for (int i = 0; i < d.featureNames().size(); i++) {
                double v = d.features()[i];
                g.writeFieldName(d.featureNames().get(i));
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    g.writeNull();
                } else {
                    g.writeNumber(v);
                }
            }
            g.writeEndObject();
            g.writeStringField("decided_at", d.decidedAt().toString());
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void transactionFields(com.fasterxml.jackson.core.JsonGenerator g, Transaction tx)
            throws java.io.IOException {
        g.writeStringField("transaction_id", tx.id());
        g.writeStringField("timestamp", tx.timestamp().toString());
        g.writeStringField("card_id", tx.cardId());
        g.writeStringField("terminal_id", tx.terminalId());
        g.writeNumberField("amount", tx.amount());
        if (!tx.attributes().isEmpty()) {
            g.writeObjectFieldStart("attributes");
            for (var a : tx.attributes().entrySet()) {
                g.writeStringField(a.getKey(), a.getValue());
            }
            g.writeEndObject();
        }
    }

    public static Decision readDecision(String json) {
        try {
            JsonNode n = StreamJson.MAPPER.readTree(json);
            Transaction tx = readTransaction(n);
            List<String> reasons = new ArrayList<>();
            n.path("reasons").forEach(r -> reasons.add(r.asText()));
            List<String> names = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.path("features").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                names.add(e.getKey());
                values.add(e.getValue().isNull() ? Double.NaN : e.getValue().asDouble());
            }
            return new Decision(tx, values.stream().mapToDouble(Double::doubleValue).toArray(), names,
                    n.path("score").asDouble(), DecisionType.valueOf(n.path("decision").asText()), reasons,
                    n.path("model_version").asText(),
                    n.hasNonNull("challenger_score") ? n.get("challenger_score").asDouble() : null,
                    n.hasNonNull("challenger_version") ? n.get("challenger_version").asText() : null,
                    Instant.parse(n.path("decided_at").asText()));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a decision record: " + e.getMessage(), e);
        }
    }

    /** The alert for a review or decline: what an analyst or a webhook needs, without the features. */
    public static String alert(Decision d) {
        ObjectNode n = transaction(d.transaction());
        n.put("decision", d.decision().name());
        n.put("score", d.score());
        ArrayNode reasons = n.putArray("reasons");
        d.reasons().forEach(reasons::add);
        n.put("model_version", d.modelVersion());
        n.put("decided_at", d.decidedAt().toString());
        return n.toString();
    }

    public static String label(Label l) {
        ObjectNode n = StreamJson.MAPPER.createObjectNode();
        LabelEvent e = l.event();
        n.put("transaction_id", e.transactionId());
        n.put("card_id", e.cardId());
        n.put("terminal_id", e.terminalId());
        n.put("transaction_time", e.transactionTime().toString());
        n.put("fraud", e.fraud());
        n.put("known_at", e.knownAt().toString());
        n.put("source", l.source());
        if (l.author() != null) {
            n.put("author", l.author());
        }
        return n.toString();
    }

    public static Label readLabel(String json) {
        try {
            JsonNode n = StreamJson.MAPPER.readTree(json);
            for (String f : List.of("transaction_id", "card_id", "terminal_id", "transaction_time", "fraud", "known_at")) {
                if (!n.hasNonNull(f)) {
                    throw new IllegalArgumentException("field '" + f + "' is missing");
                }
            }
            if (!n.get("fraud").isBoolean()) {
                throw new IllegalArgumentException("field 'fraud' must be true or false");
            }
            LabelEvent e = new LabelEvent(n.get("transaction_id").asText(), n.get("card_id").asText(),
                    n.get("terminal_id").asText(), Instant.parse(n.get("transaction_time").asText()),
                    n.get("fraud").asBoolean(), Instant.parse(n.get("known_at").asText()));
            return new Label(e, n.path("source").asText("unknown"), n.hasNonNull("author") ? n.get("author").asText() : null);
        } catch (JsonProcessingException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("not a label record: " + e.getMessage(), e);
        }
    }

    public static String deadLetter(String field, String reason, String raw, String topic, int partition, long offset,
                                    Instant receivedAt) {
        ObjectNode n = StreamJson.MAPPER.createObjectNode();
        n.put("field", field);
        n.put("reason", reason);
        n.put("record", raw);
        n.put("source_topic", topic);
        n.put("partition", partition);
        n.put("offset", offset);
        n.put("received_at", receivedAt.toString());
        return n.toString();
    }

    private static ObjectNode transaction(Transaction tx) {
        ObjectNode n = StreamJson.MAPPER.createObjectNode();
        n.put("transaction_id", tx.id());
        n.put("timestamp", tx.timestamp().toString());
        n.put("card_id", tx.cardId());
        n.put("terminal_id", tx.terminalId());
        n.put("amount", tx.amount());
        if (!tx.attributes().isEmpty()) {
            ObjectNode a = n.putObject("attributes");
            tx.attributes().forEach(a::put);
        }
        return n;
    }

    private static Transaction readTransaction(JsonNode n) {
        Map<String, String> attributes = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("attributes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            attributes.put(e.getKey(), e.getValue().asText());
        }
        return new Transaction(n.path("transaction_id").asText(), Instant.parse(n.path("timestamp").asText()),
                n.path("card_id").asText(), n.path("terminal_id").asText(), n.path("amount").asDouble(), attributes);
    }
}
