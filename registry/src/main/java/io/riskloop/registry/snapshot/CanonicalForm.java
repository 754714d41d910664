package io.riskloop.registry.snapshot;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The canonical form of a labelled data set, whose SHA-256 identifies it whatever file it came in: the line
 * {@code riskloop-dataset v1}, then one line per transaction, ordered by time then id, of tab-separated fields
 * id, time (ISO-8601 UTC), card, terminal, amount in cents, fraud (0/1), fraud scenario, and the attributes as
 * {@code name=value} sorted by name. Backslash, tab, CR and LF inside a value are escaped as {@code \\ \t \r \n}.
 * So row order within a timestamp, column order and number formatting in the file do not change the hash; any
 * change to a transaction, a label or an attribute does.
 */
public final class CanonicalForm {

    public static final int VERSION = 1;
    static final List<String> COLUMNS = List.of("transaction_id", "timestamp", "card_id", "terminal_id",
            "amount_cents", "fraud", "fraud_scenario");

    /** The hash and the figures a snapshot records. */
    public record Summary(String sha256, long rows, Instant start, Instant end, long frauds, List<String> columns) {
    }

    private CanonicalForm() {
    }

    public static Summary of(List<LabeledTransaction> rows) {
        List<LabeledTransaction> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing((LabeledTransaction r) -> r.transaction().timestamp())
                .thenComparing(r -> r.transaction().id()));
        MessageDigest md = sha256();
        md.update(("riskloop-dataset v" + VERSION + "\n").getBytes(StandardCharsets.UTF_8));
        TreeSet<String> attributes = new TreeSet<>();
        long frauds = 0;
        StringBuilder line = new StringBuilder(128);
        for (LabeledTransaction lt : sorted) {
            Transaction t = lt.transaction();
            line.setLength(0);
            escape(line, t.id()).append('\t').append(t.timestamp()).append('\t');
            escape(line, t.cardId()).append('\t');
            escape(line, t.terminalId()).append('\t').append(t.amountCents()).append('\t')
                    .append(lt.fraud() ? '1' : '0').append('\t').append(lt.scenario());
            for (Map.Entry<String, String> a : new TreeMap<>(t.attributes()).entrySet()) {
                line.append('\t');
                escape(line, a.getKey()).append('=');
                escape(line, a.getValue());
                attributes.add(a.getKey());
            }
            line.append('\n');
            md.update(line.toString().getBytes(StandardCharsets.UTF_8));
            frauds += lt.fraud() ? 1 : 0;
        }
        List<String> columns = new ArrayList<>(COLUMNS);
        columns.addAll(attributes);
        return new Summary(HexFormat.of().formatHex(md.digest()), sorted.size(),
                sorted.isEmpty() ? null : sorted.getFirst().transaction().timestamp(),
                sorted.isEmpty() ? null : sorted.getLast().transaction().timestamp(), frauds, columns);
    }

    private static StringBuilder escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
