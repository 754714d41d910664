package io.riskloop.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.token.CardTokenizer;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads and checks a transaction record of the {@code transactions} topic (docs/topics.md). A bad record is not
 * an exception but a {@link Rejected} naming the field and the reason, for the dead-letter topic. A card number
 * sent instead of a card id is tokenised here and never kept; a rejected record's raw text is redacted of it.
 */
public final class TransactionJson {

    /** The upper bound on amounts; larger values are certainly errors. */
    public static final double MAX_AMOUNT = 1e9;
    static final int MAX_ID_LENGTH = 128;
    private static final java.util.regex.Pattern CURRENCY = java.util.regex.Pattern.compile("[A-Z]{3}");
    private static final Set<String> KNOWN = Set.of("transaction_id", "timestamp", "card_id", "card_number",
            "terminal_id", "amount", "currency");

    /** The outcome of reading one record. */
    public sealed interface Result permits Accepted, Rejected {
    }

    public record Accepted(Transaction transaction) implements Result {
    }

    /**
     * @param field  the offending field, or "(record)"
     * @param reason what was wrong
     * @param raw    the record as received, with any card number replaced
     */
    public record Rejected(String field, String reason, String raw) implements Result {
    }

    private final CardTokenizer tokenizer;

    /** @param tokenizer tokenises {@code card_number}; null refuses records that carry one */
    public TransactionJson(CardTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public Result read(String raw) {
        if (raw == null) {
            return new Rejected("(record)", "empty record (null value)", "");
        }
        JsonNode node;
        try {
            node = StreamJson.MAPPER.readTree(raw);
        } catch (JsonProcessingException e) {
            return new Rejected("(record)", "not JSON: " + e.getOriginalMessage(), redact(raw));
        }
        if (node == null || !node.isObject()) {
            return new Rejected("(record)", "not a JSON object", redact(raw));
        }
        ObjectNode record = (ObjectNode) node; // its redacted copy is made only for a rejection: accepting is the hot path
        String id = text(node, "transaction_id");
        if (id == null || id.isBlank()) {
            return new Rejected("transaction_id", "missing or empty; a transaction needs an id", redacted(record.deepCopy()));
        }
        if (id.length() > MAX_ID_LENGTH) {
            return new Rejected("transaction_id", "longer than " + MAX_ID_LENGTH + " characters", redacted(record.deepCopy()));
        }
        String ts = text(node, "timestamp");
        if (ts == null) {
            return new Rejected("timestamp", "missing; expected ISO-8601 such as 2018-08-01T10:00:00Z", redacted(record.deepCopy()));
        }
        Instant time;
        try {
            time = Instant.parse(ts);
        } catch (DateTimeParseException e) {
            return new Rejected("timestamp", "not an ISO-8601 instant: '" + ts + "'", redacted(record.deepCopy()));
        }
        String card = text(node, "card_id");
        String number = text(node, "card_number");
        if (card != null && number != null) {
            return new Rejected("card_number", "send card_id or card_number, not both", redacted(record.deepCopy()));
        }
        if (number != null) {
            if (tokenizer == null) {
                return new Rejected("card_number", "card numbers are not accepted here; send the card token as"
                        + " card_id", redacted(record.deepCopy()));
            }
            if (!CardTokenizer.looksLikeCardNumber(number)) {
                return new Rejected("card_number", "not a card number (12 to 19 digits)", redacted(record.deepCopy()));
            }
            card = tokenizer.tokenize(number);
        }
        if (card == null || card.isBlank()) {
            return new Rejected("card_id", "missing; a transaction needs card_id (or card_number)", redacted(record.deepCopy()));
        }
        if (CardTokenizer.looksLikeCardNumber(card) && card.replaceAll("[ -]", "").length() >= 13) {
            return new Rejected("card_id", "looks like a raw card number; send it as card_number to be tokenised",
                    redacted(record.deepCopy()));
        }
        JsonNode terminalNode = node.get("terminal_id");
        if (terminalNode == null || !terminalNode.isValueNode() || terminalNode.isNull()) {
            return new Rejected("terminal_id", "missing; use \"\" when there is none", redacted(record.deepCopy()));
        }
        JsonNode amountNode = node.get("amount");
        if (amountNode == null || !amountNode.isNumber()) {
            return new Rejected("amount", amountNode == null ? "missing" : "not a number: " + amountNode, redacted(record.deepCopy()));
        }
        double amount = amountNode.asDouble();
        if (!Double.isFinite(amount) || amount < 0 || amount > MAX_AMOUNT) {
            return new Rejected("amount", amount + " is out of range [0, " + MAX_AMOUNT + "]", redacted(record.deepCopy()));
        }
        Map<String, String> attributes = new HashMap<>();
        String currency = text(node, "currency");
        if (currency != null) {
            if (!CURRENCY.matcher(currency).matches()) {
                return new Rejected("currency", "'" + currency + "' is not an ISO 4217 code such as EUR", redacted(record.deepCopy()));
            }
            attributes.put("currency", currency);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!KNOWN.contains(f.getKey()) && f.getValue().isValueNode() && !f.getValue().isNull()) {
                attributes.put(f.getKey(), f.getValue().asText());
            }
        }
        return new Accepted(new Transaction(id, time, card, terminalNode.asText(), amount, attributes));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    /** The record with its card number (if any) replaced, for the dead-letter topic. */
    private static String redacted(ObjectNode node) {
        if (node.has("card_number")) {
            node.put("card_number", "[removed]");
        }
        return node.toString();
    }

    /** Unparseable text: any run of 13 to 19 digits is replaced, in case it is a card number. */
    static String redact(String raw) {
        return raw.replaceAll("(?<!\\d)(?:\\d[ -]?){12,18}\\d(?!\\d)", "[removed]");
    }

    /** The JSON form of a transaction for the {@code transactions} topic (the form {@link #read} reads). */
    public static String write(Transaction tx) {
        ObjectNode n = StreamJson.MAPPER.createObjectNode();
        n.put("transaction_id", tx.id());
        n.put("timestamp", tx.timestamp().toString());
        n.put("card_id", tx.cardId());
        n.put("terminal_id", tx.terminalId());
        n.put("amount", tx.amount());
        tx.attributes().forEach(n::put);
        return n.toString();
    }
}
