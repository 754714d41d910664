package io.riskloop.cli;

import io.riskloop.core.dataset.BadRowPolicy;
import io.riskloop.core.dataset.Dataset;
import io.riskloop.core.dataset.DatasetFormat;
import io.riskloop.core.dataset.DatasetReader;
import io.riskloop.core.token.CardTokenizer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options shared by every command that reads a labelled data file. */
final class DataOptions {

    @Option(names = "--data", required = true, description = "The data file (CSV).")
    Path data;

    @Option(names = "--format", converter = FormatConverter.class,
            description = "Layout: native, kaggle or sparkov; recognised from the header when omitted.")
    DatasetFormat format;

    @Option(names = "--on-bad-row", defaultValue = "fail",
            description = "fail: stop at the first bad row; skip: set bad rows aside in a side file and go on."
                    + " Default ${DEFAULT-VALUE}.")
    BadRowPolicy onBadRow;

    @Option(names = "--rejects", description = "Where skipped rows go, default <data>.rejected.csv.")
    Path rejects;

    @Option(names = "--token-key-file", defaultValue = "data/token.key",
            description = "Key for tokenising card numbers (layouts that carry them), created if missing, unless"
                    + " RISKLOOP_TOKEN_KEY is set. Default ${DEFAULT-VALUE}.")
    Path tokenKeyFile;

    Dataset read(Progress progress, java.io.PrintWriter out) {
        CardTokenizer tokenizer = format == DatasetFormat.SPARKOV || format == null && mayNeedTokens()
                ? CardTokenizer.fromEnvironmentOrFile(tokenKeyFile) : null;
        DatasetReader reader = new DatasetReader(onBadRow, tokenizer,
                rows -> progress.note("reading", String.format("%,d rows", rows)));
        Dataset d = reader.read(data, format, rejects != null ? rejects : DatasetReader.defaultRejectsFile(data));
        progress.done();
        if (d.badRows() > 0) {
            out.printf("%,d bad rows set aside in %s%n", d.badRows(), d.rejectsFile());
        }
        if (d.size() == 0) {
            throw new IllegalArgumentException(data + " holds no usable rows");
        }
        return d;
    }

    private boolean mayNeedTokens() {
        try (var lines = java.nio.file.Files.lines(data)) {
            return lines.findFirst().map(h -> h.contains("cc_num")).orElse(false);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false; // the reader reports the real problem
        }
    }

    static final class FormatConverter implements ITypeConverter<DatasetFormat> {
        @Override
        public DatasetFormat convert(String value) {
            return DatasetFormat.parse(value);
        }
    }
}
