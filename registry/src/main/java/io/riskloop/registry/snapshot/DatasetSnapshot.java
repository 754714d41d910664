package io.riskloop.registry.snapshot;

import java.time.Instant;
import java.util.List;

/**
 * A data set identified by its content.
 *
 * @param sha256           SHA-256 of the canonical form ({@link CanonicalForm})
 * @param canonicalVersion the version of the canonical form the hash was computed with
 * @param rows             transactions
 * @param start            first transaction time
 * @param end              last transaction time
 * @param frauds           rows labelled fraud
 * @param genuine          rows labelled genuine
 * @param schema           layout and columns
 * @param origin           where the content came from when it was first registered
 */
public record DatasetSnapshot(long id, String sha256, int canonicalVersion, long rows, Instant start, Instant end,
                              long frauds, long genuine, Schema schema, SnapshotOrigin origin, Instant createdAt) {

    /** The layout the data were read in and the columns of the canonical form (attributes last, sorted). */
    public record Schema(String layout, List<String> columns) {
        public Schema {
            columns = List.copyOf(columns);
        }
    }

    public String describe() {
        return String.format("%,d rows (%,d frauds, %,d genuine), %s .. %s, sha256 %s", rows, frauds, genuine, start,
                end, sha256);
    }
}
