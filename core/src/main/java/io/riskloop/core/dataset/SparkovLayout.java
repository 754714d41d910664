package io.riskloop.core.dataset;

import de.siegmar.fastcsv.reader.CsvRecord;
import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.token.CardTokenizer;

import java.util.List;
import java.util.Map;

/**
 * The Sparkov simulator layout. The card number {@code cc_num} is tokenised on reading (keyed HMAC) and never
 * kept; names and street addresses are dropped. The merchant becomes the terminal; category, coordinates,
 * city population and date of birth are kept as attributes for the Sparkov feature set.
 */
final class SparkovLayout extends Layout {

    static final List<String> ATTRIBUTES = List.of("category", "lat", "long", "city_pop", "dob", "merch_lat",
            "merch_long");

    private final CardTokenizer tokenizer;
    private int time;
    private int card;
    private int merchant;
    private int amount;
    private int id;
    private int fraud;
    private final int[] attr = new int[ATTRIBUTES.size()];

    SparkovLayout(CardTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    private final java.util.Set<Integer> personal = new java.util.HashSet<>();

    /** Columns with names, addresses and jobs: read by nobody, blanked in the rejects file. */
    static final List<String> PERSONAL = List.of("first", "last", "street", "city", "zip", "job");

    @Override
    java.util.Set<Integer> personalColumns() {
        return personal;
    }

    @Override
    void bind(List<String> header, String file) {
        for (int i = 0; i < header.size(); i++) {
            if (PERSONAL.contains(header.get(i).strip().toLowerCase(java.util.Locale.ROOT))) {
                personal.add(i);
            }
        }
        time = column(header, "trans_date_trans_time", file, DatasetFormat.SPARKOV);
        card = column(header, "cc_num", file, DatasetFormat.SPARKOV);
        merchant = column(header, "merchant", file, DatasetFormat.SPARKOV);
        amount = column(header, "amt", file, DatasetFormat.SPARKOV);
        id = column(header, "trans_num", file, DatasetFormat.SPARKOV);
        fraud = column(header, "is_fraud", file, DatasetFormat.SPARKOV);
        for (int i = 0; i < attr.length; i++) {
            attr[i] = column(header, ATTRIBUTES.get(i), file, DatasetFormat.SPARKOV);
        }
    }

    @Override
    String idColumn() {
        return "trans_num";
    }

    @Override
    LabeledTransaction parse(CsvRecord row, long dataRow) throws BadValue {
        String pan = text(row, card, "cc_num");
        if (!CardTokenizer.looksLikeCardNumber(pan)) {
            throw new BadValue("cc_num", "not a card number (expected 12 to 19 digits)");
        }
        number(row, attr[1], "lat");
        number(row, attr[2], "long");
        number(row, attr[3], "city_pop");
        date(row, attr[4], "dob");
        number(row, attr[5], "merch_lat");
        number(row, attr[6], "merch_long");
        Map<String, String> attributes = Map.of(
                "category", intern(text(row, attr[0], "category")),
                "lat", row.getField(attr[1]).strip(),
                "long", row.getField(attr[2]).strip(),
                "city_pop", row.getField(attr[3]).strip(),
                "dob", intern(row.getField(attr[4]).strip()),
                "merch_lat", row.getField(attr[5]).strip(),
                "merch_long", row.getField(attr[6]).strip());
        Transaction tx = new Transaction(text(row, id, "trans_num"), timestamp(row, time, "trans_date_trans_time"),
                intern(tokenizer.tokenize(pan)), intern(text(row, merchant, "merchant")),
                amount(row, amount, "amt"), attributes);
        boolean isFraud = label(row, fraud, "is_fraud");
        return new LabeledTransaction(tx, isFraud, isFraud ? 1 : 0);
    }
}
