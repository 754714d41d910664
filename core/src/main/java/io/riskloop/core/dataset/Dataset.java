package io.riskloop.core.dataset;

import io.riskloop.core.domain.LabeledTransaction;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A labelled data set read from a file, sorted by event time.
 *
 * @param rows        the transactions in event-time order (ties in file order)
 * @param format      the layout it was read as
 * @param source      the file
 * @param sha256      SHA-256 of the file's bytes, hex
 * @param badRows     rows set aside (policy SKIP)
 * @param rejectsFile where the set-aside rows were written, or null when there were none
 */
public record Dataset(List<LabeledTransaction> rows, DatasetFormat format, Path source, String sha256, long badRows,
                      Path rejectsFile) {

    public Dataset {
        rows = List.copyOf(rows);
    }

    public int size() {
        return rows.size();
    }

    public long frauds() {
        return rows.stream().filter(LabeledTransaction::fraud).count();
    }

    public Instant start() {
        return rows.isEmpty() ? null : rows.getFirst().transaction().timestamp();
    }

    public Instant end() {
        return rows.isEmpty() ? null : rows.getLast().transaction().timestamp();
    }
}
