package io.riskloop.core.dataset;

import de.siegmar.fastcsv.reader.CsvRecord;
import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kaggle credit-card layout: {@code Time, V1..V28, Amount, Class}. Time is seconds since the first
 * transaction; riskloop places it from 2013-09-01T00:00:00Z (the data were collected in September 2013). The
 * layout has no card or terminal: each transaction is its own card (so Card Precision@k becomes precision@k)
 * and the terminal is empty.
 */
final class KaggleLayout extends Layout {

    static final Instant EPOCH = Instant.parse("2013-09-01T00:00:00Z");
    static final int COMPONENTS = 28;

    private int time;
    private int amount;
    private int label;
    private final int[] v = new int[COMPONENTS];

    @Override
    void bind(List<String> header, String file) {
        time = column(header, "Time", file, DatasetFormat.KAGGLE);
        amount = column(header, "Amount", file, DatasetFormat.KAGGLE);
        label = column(header, "Class", file, DatasetFormat.KAGGLE);
        for (int i = 0; i < COMPONENTS; i++) {
            v[i] = column(header, "V" + (i + 1), file, DatasetFormat.KAGGLE);
        }
    }

    @Override
    String idColumn() {
        return "(row)"; // ids are made from the row number
    }

    @Override
    LabeledTransaction parse(CsvRecord row, long dataRow) throws BadValue {
        double seconds = number(row, time, "Time");
        if (seconds < 0) {
            throw new BadValue("Time", "negative time " + seconds);
        }
        Map<String, String> attributes = new HashMap<>(COMPONENTS * 2);
        for (int i = 0; i < COMPONENTS; i++) {
            String name = "V" + (i + 1);
            number(row, v[i], name); // validate
            attributes.put(name, row.getField(v[i]).strip());
        }
        String id = "kaggle-" + dataRow;
        Instant ts = EPOCH.plusMillis(Math.round(seconds * 1000));
        Transaction tx = new Transaction(id, ts, id, "", amount(row, amount, "Amount"), attributes);
        boolean fraud = label(row, label, "Class");
        return new LabeledTransaction(tx, fraud, fraud ? 1 : 0);
    }
}
