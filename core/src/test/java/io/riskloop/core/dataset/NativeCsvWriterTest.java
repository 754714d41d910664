package io.riskloop.core.dataset;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class NativeCsvWriterTest {

    private static final String HEADER = "transaction_id,timestamp,card_id,terminal_id,amount,fraud,fraud_scenario\n";

    private static LabeledTransaction tx(String id, Instant t, String card, String terminal, long cents, boolean fraud,
                                         int scenario) {
        return new LabeledTransaction(new Transaction(id, t, card, terminal, cents / 100.0), fraud, scenario);
    }

    private static String written(List<LabeledTransaction> rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (NativeCsvWriter w = new NativeCsvWriter(out)) {
            rows.forEach(w::write);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    // ---- the bytes written -------------------------------------------------------------------------------------

    @Test
    void writesTheHeaderAndOneLinePerRow() throws IOException {
        String csv = written(List.of(
                tx("tx-1", Instant.parse("2018-04-01T00:07:56Z"), "c17", "T4", 5716, false, 0),
                tx("tx-2", Instant.parse("1969-12-31T23:59:59.250Z"), "c3", "", 5, true, 2),
                tx("tx-3", Instant.parse("2018-04-01T23:59:59Z"), "c3", "T1", 0, true, 0)));

        assertThat(csv).isEqualTo(HEADER
                + "tx-1,2018-04-01T00:07:56Z,c17,T4,57.16,0,0\n"
                + "tx-2,1969-12-31T23:59:59.250Z,c3,,0.05,1,2\n"
                + "tx-3,2018-04-01T23:59:59Z,c3,T1,0.00,1,0\n");
    }

    @Test
    void quotesTextContainingCommasQuotesOrLineBreaks() throws IOException {
        String csv = written(List.of(
                tx("a,\"b\"", Instant.parse("2018-04-01T00:00:00Z"), "line\nbreak", "plain", 100, false, 0)));

        assertThat(csv).isEqualTo(HEADER + "\"a,\"\"b\"\"\",2018-04-01T00:00:00Z,\"line\nbreak\",plain,1.00,0,0\n");
    }

    @Test
    void fastPathWritesNumbersAsText() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (NativeCsvWriter w = new NativeCsvWriter(out)) {
            w.writeRow(42, Instant.parse("2018-04-01T00:07:56Z").getEpochSecond(), 17, 4, 5716, 2);
            w.writeRow(0, 0, 0, 0, 1_000_000_007L, 0);
            assertThat(w.rows()).isEqualTo(2);
        }
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(HEADER
                + "42,2018-04-01T00:07:56Z,17,4,57.16,1,2\n"
                + "0,1970-01-01T00:00:00Z,0,0,10000000.07,0,0\n");
    }

    @Test
    void createsTheParentDirectoriesOfItsFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a/b/out.csv");
        try (NativeCsvWriter w = new NativeCsvWriter(f)) {
            w.write(tx("x", Instant.parse("2018-04-01T00:00:00Z"), "c", "t", 1, false, 0));
        }
        assertThat(Files.readString(f)).isEqualTo(HEADER + "x,2018-04-01T00:00:00Z,c,t,0.01,0,0\n");
    }

    // ---- fast path equals the general path ---------------------------------------------------------------------

    record NumericRow(long id, long epochSecond, int card, int terminal, long cents, int scenario) {
    }

    @Provide
    Arbitrary<List<NumericRow>> numericRows() {
        // years 0000 to about 11000, so the day cache and the fallback for five-digit years are both used
        Arbitrary<Long> seconds = Arbitraries.oneOf(
                Arbitraries.longs().between(-62_167_219_200L, 300_000_000_000L),
                Arbitraries.longs().between(1_500_000_000L, 1_500_400_000L)); // a few days: repeated dates
        return Combinators.combine(
                        Arbitraries.longs().greaterOrEqual(0),
                        seconds,
                        Arbitraries.integers(),
                        Arbitraries.integers(),
                        Arbitraries.longs().between(0, 1_000_000_000_000L),
                        Arbitraries.integers().between(0, 99))
                .as(NumericRow::new).list().ofMaxSize(30);
    }

    @Property
    void fastPathWritesTheSameBytesAsWritingTheTransaction(@ForAll("numericRows") List<NumericRow> rows)
            throws IOException {
        ByteArrayOutputStream fast = new ByteArrayOutputStream();
        try (NativeCsvWriter w = new NativeCsvWriter(fast)) {
            rows.forEach(r -> w.writeRow(r.id, r.epochSecond, r.card, r.terminal, r.cents, r.scenario));
        }
        List<LabeledTransaction> same = rows.stream()
                .map(r -> tx(Long.toString(r.id), Instant.ofEpochSecond(r.epochSecond), Integer.toString(r.card),
                        Integer.toString(r.terminal), r.cents, r.scenario != 0, r.scenario))
                .toList();

        assertThat(fast.toString(StandardCharsets.UTF_8)).isEqualTo(written(same));
    }

    @Test
    void fastPathMatchesTheGeneralPathAcrossBufferFlushes() throws IOException {
        ByteArrayOutputStream fast = new ByteArrayOutputStream();
        List<LabeledTransaction> same = new ArrayList<>();
        try (NativeCsvWriter w = new NativeCsvWriter(fast)) {
            for (int i = 0; i < 20_000; i++) {
                long t = 1_522_540_800L + i * 37L;
                int scenario = i % 7 == 0 ? i % 4 : 0;
                w.writeRow(i, t, i % 5000, i % 300, i * 13L, scenario);
                same.add(tx(Integer.toString(i), Instant.ofEpochSecond(t), Integer.toString(i % 5000),
                        Integer.toString(i % 300), i * 13L, scenario != 0, scenario));
            }
        }
        assertThat(fast.size()).isGreaterThan(3 * (1 << 16));
        assertThat(fast.toString(StandardCharsets.UTF_8)).isEqualTo(written(same));
    }

    // ---- round trip through DatasetReader ----------------------------------------------------------------------

    @Provide
    Arbitrary<List<LabeledTransaction>> transactions() {
        Arbitrary<String> idText = Arbitraries.strings().withChars("abzXY09 ,\"'-_.;\n\r\té€").ofMaxLength(12);
        Arbitrary<String> name = Arbitraries.strings().withChars("abcT019,\"- é").ofMinLength(1).ofMaxLength(8)
                .filter(s -> !s.isBlank() && s.equals(s.strip()));
        Arbitrary<String> terminal = Arbitraries.oneOf(Arbitraries.just(""), name);
        Arbitrary<Instant> time = Combinators.combine(
                        Arbitraries.longs().between(946_684_800L, 1_893_456_000L), // 2000 to 2030
                        Arbitraries.of(true, false),
                        Arbitraries.integers().between(1, 999))
                .as((s, wholeSecond, millis) -> Instant.ofEpochSecond(s).plusMillis(wholeSecond ? 0 : millis));
        Arbitrary<Long> cents = Arbitraries.longs().between(0, 99_999_999_999L);
        Arbitrary<Integer> scenario = Arbitraries.integers().between(0, 99);
        Arbitrary<Boolean> fraud = Arbitraries.of(true, false);
        Arbitrary<Tuple.Tuple7<String, Instant, String, String, Long, Boolean, Integer>> row =
                Combinators.combine(idText, time, name, terminal, cents, fraud, scenario).as(Tuple::of);
        return row.list().ofMaxSize(40).map(rows -> IntStream.range(0, rows.size()).mapToObj(i -> {
            var r = rows.get(i);
            // a unique id that neither starts nor ends with white space (the reader strips fields)
            // (':' is not among the generated characters, so "t1:0" and "t10:" cannot collide)
            String id = "t" + i + ":" + r.get1() + "!";
            return tx(id, r.get2(), r.get3(), r.get4(), r.get5(), r.get6(), r.get6() ? r.get7() : 0);
        }).toList());
    }

    @Property(tries = 300)
    void whatIsWrittenReadsBackEqualSortedByTime(@ForAll("transactions") List<LabeledTransaction> rows)
            throws IOException {
        Path f = Files.createTempFile("riskloop-native-roundtrip", ".csv");
        try {
            try (NativeCsvWriter w = new NativeCsvWriter(f)) {
                rows.forEach(w::write);
                assertThat(w.rows()).isEqualTo(rows.size());
            }

            Dataset d = new DatasetReader(BadRowPolicy.FAIL, null).read(f, null);

            List<LabeledTransaction> expected = rows.stream()
                    .sorted(Comparator.comparing(r -> r.transaction().timestamp())) // stable
                    .toList();
            assertThat(d.format()).isEqualTo(DatasetFormat.NATIVE);
            assertThat(d.badRows()).isZero();
            assertThat(d.rows()).containsExactlyElementsOf(expected);
        } finally {
            Files.deleteIfExists(f);
            Files.deleteIfExists(DatasetReader.defaultRejectsFile(f));
        }
    }

    @Test
    void aLargeFileWithLongIdsReadsBackEqual(@TempDir Path dir) throws IOException {
        List<LabeledTransaction> rows = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Instant t = Instant.parse("2018-04-01T00:00:00Z").plusMillis(i * 1_234L);
            rows.add(tx("tx-" + i, t, "card-" + (i % 977), i % 3 == 0 ? "" : "term,\"" + (i % 41) + "\"",
                    i * 101L, i % 50 == 0, i % 50 == 0 ? 1 + i % 9 : 0));
        }
        rows.add(tx("x".repeat(100_000), Instant.parse("2018-04-02T00:00:00Z"), "long-id-card", "t", 1, false, 0));
        Path f = dir.resolve("big.csv");
        try (NativeCsvWriter w = new NativeCsvWriter(f)) {
            rows.forEach(w::write);
        }

        Dataset d = new DatasetReader(BadRowPolicy.FAIL, null).read(f, null);

        assertThat(d.rows()).containsExactlyElementsOf(rows);
    }
}
