package io.riskloop.core.dataset;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.token.CardTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads a labelled CSV data set in one of the {@link DatasetFormat layouts}. Every bad row is either fatal,
 * with a message naming file, line, column and reason, or set aside with its reason in a side file, as the
 * {@link BadRowPolicy} says. Duplicate transaction ids are bad rows too.
 */
public final class DatasetReader {

    /** Called every {@value #PROGRESS_EVERY} rows. */
    @FunctionalInterface
    public interface Progress {
        void rowsRead(long rows);

        Progress NONE = r -> { };
    }

    static final int PROGRESS_EVERY = 100_000;

    private final BadRowPolicy policy;
    private final CardTokenizer tokenizer;
    private final Progress progress;

    /**
     * @param policy    what to do with bad rows
     * @param tokenizer tokenises card numbers in layouts that carry them (Sparkov); may be null for the others
     */
    public DatasetReader(BadRowPolicy policy, CardTokenizer tokenizer, Progress progress) {
        this.policy = policy;
        this.tokenizer = tokenizer;
        this.progress = progress == null ? Progress.NONE : progress;
    }

    public DatasetReader(BadRowPolicy policy, CardTokenizer tokenizer) {
        this(policy, tokenizer, Progress.NONE);
    }

    /** The side file rejected rows go to: {@code <file>.rejected.csv} beside the input. */
    public static Path defaultRejectsFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".rejected.csv");
    }

    /** Reads {@code file}; {@code format} null means: recognise the layout from the header. */
    public Dataset read(Path file, DatasetFormat format) {
        return read(file, format, defaultRejectsFile(file));
    }

    public Dataset read(Path file, DatasetFormat format, Path rejectsFile) {
        MessageDigest sha = sha256();
        List<LabeledTransaction> rows = new ArrayList<>();
        List<BadRow> rejected = new ArrayList<>();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha);
             CsvReader<CsvRecord> csv = CsvReader.builder().allowExtraFields(true).allowMissingFields(true)
                     .skipEmptyLines(true).ofCsvRecord(in, StandardCharsets.UTF_8)) {
            Iterator<CsvRecord> it = csv.iterator();
            if (!next(it, file)) {
                throw new DatasetException(file + " is empty: expected a header line and rows");
            }
            List<String> header = it.next().getFields();
            DatasetFormat f = format != null ? format : DatasetFormat.detect(header);
            if (f == null) {
                throw new DatasetException(file + ":1: the header matches no known layout; expected native ("
                        + String.join(",", NativeLayout.HEADER) + "), kaggle (Time,V1..V28,Amount,Class) or sparkov"
                        + " (trans_date_trans_time,cc_num,merchant,...,is_fraud); found " + header);
            }
            Layout layout = layout(f, file);
            layout.bind(header, file.toString());
            Set<String> ids = new HashSet<>();
            long dataRow = 0;
            while (next(it, file)) {
                CsvRecord row = it.next();
                dataRow++;
                BadRow bad = null;
                if (row.getFieldCount() != header.size()) {
                    bad = new BadRow(file, row.getStartingLineNumber(), "(row)", "has " + row.getFieldCount()
                            + " fields, the header has " + header.size(), layout.rawForRejects(row));
                } else {
                    try {
                        LabeledTransaction lt = layout.parse(row, dataRow);
                        if (!ids.add(lt.transaction().id())) {
                            bad = new BadRow(file, row.getStartingLineNumber(), layout.idColumn(),
                                    "duplicate transaction id '" + lt.transaction().id() + "'",
                                    layout.rawForRejects(row));
                        } else {
                            rows.add(lt);
                        }
                    } catch (BadValue e) {
                        bad = new BadRow(file, row.getStartingLineNumber(), e.column, e.getMessage(),
                                layout.rawForRejects(row));
                    }
                }
                if (bad != null) {
                    if (policy == BadRowPolicy.FAIL) {
                        throw new DatasetException(bad);
                    }
                    rejected.add(bad);
                }
                if (dataRow % PROGRESS_EVERY == 0) {
                    progress.rowsRead(dataRow);
                }
            }
            in.transferTo(java.io.OutputStream.nullOutputStream()); // hash the whole file even if the parser stopped early
            if (!isSorted(rows)) {
                rows.sort(Comparator.comparing(r -> r.transaction().timestamp()));
            }
            Path rejects = null;
            if (!rejected.isEmpty()) {
                writeRejects(rejectsFile, rejected);
                rejects = rejectsFile;
            }
            return new Dataset(rows, f, file, HexFormat.of().formatHex(sha.digest()), rejected.size(), rejects);
        } catch (NoSuchFileException e) {
            throw new DatasetException("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean next(Iterator<CsvRecord> it, Path file) {
        try {
            return it.hasNext();
        } catch (CsvParseException e) {
            throw new DatasetException(file + ": the CSV is malformed: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getCause().getMessage(), e);
        }
    }

    private Layout layout(DatasetFormat f, Path file) {
        return switch (f) {
            case NATIVE -> new NativeLayout();
            case KAGGLE -> new KaggleLayout();
            case SPARKOV -> {
                if (tokenizer == null) {
                    throw new DatasetException(file + ": the sparkov layout carries card numbers, which riskloop"
                            + " tokenises on reading; no tokenisation key was configured");
                }
                yield new SparkovLayout(tokenizer);
            }
        };
    }

    private static boolean isSorted(List<LabeledTransaction> rows) {
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).transaction().timestamp().isBefore(rows.get(i - 1).transaction().timestamp())) {
                return false;
            }
        }
        return true;
    }

    private static void writeRejects(Path file, List<BadRow> rejected) {
        try (CsvWriter w = CsvWriter.builder().build(file)) {
            w.writeRecord("line", "column", "reason", "row");
            for (BadRow b : rejected) {
                w.writeRecord(Long.toString(b.line()), b.column(), b.reason(), b.raw());
            }
        } catch (IOException e) {
            throw new DatasetException("cannot write the rejected rows to " + file + ": " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
