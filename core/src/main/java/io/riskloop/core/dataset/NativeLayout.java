package io.riskloop.core.dataset;

import de.siegmar.fastcsv.reader.CsvRecord;
import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * riskloop's own layout: {@code transaction_id,timestamp,card_id,terminal_id,amount,fraud,fraud_scenario}, in
 * any column order; further columns become attributes.
 */
final class NativeLayout extends Layout {

    static final List<String> REQUIRED = List.of("transaction_id", "timestamp", "card_id", "terminal_id", "amount",
            "fraud");
    static final List<String> HEADER = List.of("transaction_id", "timestamp", "card_id", "terminal_id", "amount",
            "fraud", "fraud_scenario");

    private int id;
    private int ts;
    private int card;
    private int terminal;
    private int amount;
    private int fraud;
    private int scenario = -1;
    private final Map<Integer, String> extra = new HashMap<>();

    @Override
    void bind(List<String> header, String file) {
        id = column(header, "transaction_id", file, DatasetFormat.NATIVE);
        ts = column(header, "timestamp", file, DatasetFormat.NATIVE);
        card = column(header, "card_id", file, DatasetFormat.NATIVE);
        terminal = column(header, "terminal_id", file, DatasetFormat.NATIVE);
        amount = column(header, "amount", file, DatasetFormat.NATIVE);
        fraud = column(header, "fraud", file, DatasetFormat.NATIVE);
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip();
            if (name.equalsIgnoreCase("fraud_scenario")) {
                scenario = i;
            } else if (!HEADER.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.isEmpty()) {
                extra.put(i, name);
            }
        }
    }

    @Override
    String idColumn() {
        return "transaction_id";
    }

    @Override
    LabeledTransaction parse(CsvRecord row, long dataRow) throws BadValue {
        String cardId = text(row, card, "card_id");
        if (io.riskloop.core.token.CardTokenizer.looksLikeCardNumber(cardId) && cardId.length() >= 13) {
            throw new BadValue("card_id", "looks like a raw card number; riskloop stores only card tokens "
                    + "(tokenise with 'riskloop' ingestion, which applies the keyed HMAC)");
        }
        Map<String, String> attributes = Map.of();
        if (!extra.isEmpty()) {
            attributes = new HashMap<>();
            for (Map.Entry<Integer, String> e : extra.entrySet()) {
                attributes.put(e.getValue(), row.getField(e.getKey()));
            }
        }
        Transaction tx = new Transaction(text(row, id, "transaction_id"), timestamp(row, ts, "timestamp"),
                intern(cardId), intern(row.getField(terminal).strip()), amount(row, amount, "amount"), attributes);
        boolean isFraud = label(row, fraud, "fraud");
        int sc = scenario >= 0 && !row.getField(scenario).isBlank()
                ? integer(row, scenario, "fraud_scenario", 0, 99) : (isFraud ? 1 : 0);
        if (!isFraud && sc != 0) {
            throw new BadValue("fraud_scenario", "scenario " + sc + " on a row labelled genuine (fraud=0)");
        }
        return new LabeledTransaction(tx, isFraud, sc);
    }
}
