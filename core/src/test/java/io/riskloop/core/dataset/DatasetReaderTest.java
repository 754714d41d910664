package io.riskloop.core.dataset;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.token.CardTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DatasetReaderTest {

    private static final String NATIVE_HEADER = "transaction_id,timestamp,card_id,terminal_id,amount,fraud,fraud_scenario";
    private static final String SPARKOV_HEADER = ",trans_date_trans_time,cc_num,merchant,category,amt,first,last,gender,"
            + "street,city,state,zip,lat,long,city_pop,job,dob,trans_num,unix_time,merch_lat,merch_long,is_fraud";

    private static final byte[] KEY = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private final CardTokenizer tokenizer = new CardTokenizer(KEY);

    @TempDir
    Path dir;

    private Path file(String name, String... lines) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return f;
    }

    private Dataset read(Path f) {
        return new DatasetReader(BadRowPolicy.FAIL, tokenizer).read(f, null);
    }

    private Dataset readSkipping(Path f) {
        return new DatasetReader(BadRowPolicy.SKIP, tokenizer).read(f, null);
    }

    private static List<String> ids(Dataset d) {
        return d.rows().stream().map(r -> r.transaction().id()).toList();
    }

    // ---- native layout -----------------------------------------------------------------------------------------

    @Test
    void readsEveryFieldOfTheNativeLayout() throws IOException {
        Path f = file("native.csv", NATIVE_HEADER,
                "tx-1,2018-04-01T00:07:56Z,c17,T4,57.16,0,0",
                "tx-2,2018-04-01T00:31:03Z,c3,T9,1200.00,1,2");

        Dataset d = read(f);

        assertThat(d.format()).isEqualTo(DatasetFormat.NATIVE);
        assertThat(d.source()).isEqualTo(f);
        assertThat(d.badRows()).isZero();
        assertThat(d.rejectsFile()).isNull();
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.frauds()).isEqualTo(1);
        assertThat(d.start()).isEqualTo(Instant.parse("2018-04-01T00:07:56Z"));
        assertThat(d.end()).isEqualTo(Instant.parse("2018-04-01T00:31:03Z"));
        assertThat(d.rows()).containsExactly(
                new LabeledTransaction(new Transaction("tx-1", Instant.parse("2018-04-01T00:07:56Z"), "c17", "T4",
                        57.16), false, 0),
                new LabeledTransaction(new Transaction("tx-2", Instant.parse("2018-04-01T00:31:03Z"), "c3", "T9",
                        1200.00), true, 2));
    }

    @Test
    void nativeColumnsMayComeInAnyOrderAndExtraColumnsBecomeAttributes() throws IOException {
        Path f = file("native.csv",
                "fraud,mcc,amount,terminal_id,card_id,timestamp,transaction_id,channel",
                "1,5411,10.50,T1,c1,2018-04-01T00:00:00Z,a,online",
                "0,5812,3.00,,c2,2018-04-01T00:00:01Z,b,pos");

        Dataset d = read(f);

        assertThat(d.format()).isEqualTo(DatasetFormat.NATIVE);
        LabeledTransaction a = d.rows().get(0);
        assertThat(a.transaction().id()).isEqualTo("a");
        assertThat(a.transaction().cardId()).isEqualTo("c1");
        assertThat(a.transaction().terminalId()).isEqualTo("T1");
        assertThat(a.transaction().amount()).isEqualTo(10.50);
        assertThat(a.transaction().attributes()).isEqualTo(Map.of("mcc", "5411", "channel", "online"));
        // without a fraud_scenario column the scenario follows the label
        assertThat(a.fraud()).isTrue();
        assertThat(a.scenario()).isEqualTo(1);
        LabeledTransaction b = d.rows().get(1);
        assertThat(b.transaction().terminalId()).isEmpty();
        assertThat(b.fraud()).isFalse();
        assertThat(b.scenario()).isZero();
    }

    @Test
    void acceptsTheDocumentedTimestampForms() throws IOException {
        Path f = file("native.csv", NATIVE_HEADER,
                "utc,2018-04-01T00:07:56Z,c,T,1.00,0,0",
                "local-as-utc,2018-04-01 00:07:57,c,T,1.00,0,0",
                "offset,2018-04-01T02:07:58+02:00,c,T,1.00,0,0",
                "millis,2018-04-01T00:07:58.250Z,c,T,1.00,0,0");

        Dataset d = read(f);

        assertThat(d.rows()).extracting(r -> r.transaction().id() + "=" + r.transaction().timestamp())
                .containsExactly(
                        "utc=2018-04-01T00:07:56Z",
                        "local-as-utc=2018-04-01T00:07:57Z",
                        "offset=2018-04-01T00:07:58Z",
                        "millis=2018-04-01T00:07:58.250Z");
    }

    @Test
    void acceptsTheDocumentedLabelSpellings() throws IOException {
        Path f = file("native.csv", "transaction_id,timestamp,card_id,terminal_id,amount,fraud",
                "a,2018-04-01T00:00:00Z,c,T,1.00,1",
                "b,2018-04-01T00:00:01Z,c,T,1.00,0",
                "c,2018-04-01T00:00:02Z,c,T,1.00,true",
                "d,2018-04-01T00:00:03Z,c,T,1.00,FALSE",
                "e,2018-04-01T00:00:04Z,c,T,1.00,1.0",
                "f,2018-04-01T00:00:05Z,c,T,1.00,0.0");

        assertThat(read(f).rows()).extracting(LabeledTransaction::fraud)
                .containsExactly(true, false, true, false, true, false);
    }

    @Test
    void sortsRowsByTimeKeepingFileOrderForEqualTimes() throws IOException {
        Path f = file("native.csv", NATIVE_HEADER,
                "late,2018-04-01T00:00:30Z,c,T,1.00,0,0",
                "first-a,2018-04-01T00:00:10Z,c,T,1.00,0,0",
                "mid,2018-04-01T00:00:20Z,c,T,1.00,0,0",
                "first-b,2018-04-01T00:00:10Z,c,T,1.00,0,0",
                "mid-b,2018-04-01T00:00:20Z,c,T,1.00,0,0",
                "first-c,2018-04-01T00:00:10Z,c,T,1.00,0,0");

        assertThat(ids(read(f))).containsExactly("first-a", "first-b", "first-c", "mid", "mid-b", "late");
    }

    @Test
    void rejectsRawCardNumbersInTheNativeCardColumnWithoutRepeatingThem() throws IOException {
        Path f = file("native.csv", NATIVE_HEADER, "a,2018-04-01T00:00:00Z,4111 1111 1111 1111,T,1.00,0,0");

        DatasetException e = catchThrowableOfType(DatasetException.class, () -> read(f));

        assertThat(e.getMessage()).contains(f + ":2: column 'card_id'").contains("raw card number")
                .doesNotContain("4111");
    }

    // ---- kaggle layout -----------------------------------------------------------------------------------------

    private static String kaggleHeader() {
        StringBuilder h = new StringBuilder("\"Time\"");
        for (int i = 1; i <= 28; i++) {
            h.append(",\"V").append(i).append('"');
        }
        return h.append(",\"Amount\",\"Class\"").toString();
    }

    private static String v(int row, int component) {
        return String.format(Locale.ROOT, "%.6f", (row * 28 + component) / 100.0 - 3);
    }

    private static String kaggleRow(int row, String time, String amount, String label) {
        StringBuilder r = new StringBuilder(time);
        for (int i = 1; i <= 28; i++) {
            r.append(',').append(v(row, i));
        }
        return r.append(',').append(amount).append(",\"").append(label).append('"').toString();
    }

    @Test
    void readsTheKaggleLayoutPlacingTimeFromSeptember2013() throws IOException {
        Path f = file("creditcard.csv", kaggleHeader(),
                kaggleRow(1, "0", "149.62", "0"),
                kaggleRow(2, "0.0", "2.69", "0"),
                kaggleRow(3, "406.5", "0.00", "1"));

        Dataset d = read(f);

        assertThat(d.format()).isEqualTo(DatasetFormat.KAGGLE);
        assertThat(ids(d)).containsExactly("kaggle-1", "kaggle-2", "kaggle-3");
        Transaction third = d.rows().get(2).transaction();
        assertThat(third.timestamp()).isEqualTo(Instant.parse("2013-09-01T00:06:46.500Z"));
        assertThat(d.rows().get(0).transaction().timestamp()).isEqualTo(Instant.parse("2013-09-01T00:00:00Z"));
        assertThat(third.cardId()).as("each transaction is its own card").isEqualTo("kaggle-3");
        assertThat(third.terminalId()).isEmpty();
        assertThat(third.amount()).isEqualTo(0.0);
        assertThat(d.rows().get(0).transaction().amount()).isEqualTo(149.62);
        assertThat(d.rows()).extracting(LabeledTransaction::fraud).containsExactly(false, false, true);
        assertThat(d.rows()).extracting(LabeledTransaction::scenario).containsExactly(0, 0, 1);
        assertThat(third.attributes()).hasSize(28);
        for (int i = 1; i <= 28; i++) {
            assertThat(third.attributes()).containsEntry("V" + i, v(3, i));
        }
    }

    @Test
    void kaggleIdsFollowFileOrderEvenWhenRowsAreSortedByTime() throws IOException {
        Path f = file("creditcard.csv", kaggleHeader(),
                kaggleRow(1, "10", "1.00", "0"),
                kaggleRow(2, "5", "2.00", "0"),
                kaggleRow(3, "7", "3.00", "0"));

        Dataset d = read(f);

        assertThat(ids(d)).containsExactly("kaggle-2", "kaggle-3", "kaggle-1");
        assertThat(d.rows()).extracting(r -> r.transaction().amount()).containsExactly(2.00, 3.00, 1.00);
    }

    @Test
    void rejectsANegativeKaggleTime() throws IOException {
        Path f = file("creditcard.csv", kaggleHeader(), kaggleRow(1, "-1", "1.00", "0"));

        assertThatThrownBy(() -> read(f)).isInstanceOf(DatasetException.class)
                .hasMessageContaining(f + ":2: column 'Time': negative time");
    }

    // ---- sparkov layout ----------------------------------------------------------------------------------------

    private static final String PAN_1 = "2703186189652095";
    private static final String PAN_2 = "4613314721966";

    private static String sparkovRow(int index, String time, String pan, String id, String amount, String fraud) {
        return index + "," + time + "," + pan + ",\"fraud_Rippin, Kub and Mann\",misc_net," + amount
                + ",Jennifer,Banks,F,561 Perry Cove,Moravian Falls,NC,28654,36.0788,-81.1781,3495,"
                + "\"Psychologist, counselling\",1988-03-09," + id + ",1325376018,36.011293,-82.048315," + fraud;
    }

    @Test
    void readsTheSparkovLayoutTokenisingCardNumbersAndDroppingPersonalData() throws IOException {
        Path f = file("fraudTrain.csv", SPARKOV_HEADER,
                sparkovRow(0, "2019-01-01 00:00:18", PAN_1, "0b242abb623afc578575680df30655b9", "4.97", "0"),
                sparkovRow(1, "2019-01-01 00:00:44", PAN_2, "1f76529f8574734946361c461b024d99", "107.23", "1"),
                sparkovRow(2, "2019-01-01 00:00:51", PAN_1, "a1a22d70485983eac12b5b88dad1cf95", "220.11", "0"));

        Dataset d = read(f);

        assertThat(d.format()).isEqualTo(DatasetFormat.SPARKOV);
        assertThat(ids(d)).containsExactly("0b242abb623afc578575680df30655b9", "1f76529f8574734946361c461b024d99",
                "a1a22d70485983eac12b5b88dad1cf95");
        Transaction first = d.rows().get(0).transaction();
        assertThat(first.timestamp()).isEqualTo(Instant.parse("2019-01-01T00:00:18Z"));
        assertThat(first.terminalId()).isEqualTo("fraud_Rippin, Kub and Mann");
        assertThat(first.amount()).isEqualTo(4.97);
        assertThat(first.attributes()).isEqualTo(Map.of("category", "misc_net", "lat", "36.0788",
                "long", "-81.1781", "city_pop", "3495", "dob", "1988-03-09", "merch_lat", "36.011293",
                "merch_long", "-82.048315"));
        assertThat(d.rows()).extracting(LabeledTransaction::fraud).containsExactly(false, true, false);

        // card numbers become tokens: equal numbers, equal tokens; the number itself is nowhere
        assertThat(first.cardId()).isEqualTo(tokenizer.tokenize(PAN_1)).startsWith(CardTokenizer.PREFIX);
        assertThat(d.rows().get(2).transaction().cardId()).isEqualTo(first.cardId());
        assertThat(d.rows().get(1).transaction().cardId()).isEqualTo(tokenizer.tokenize(PAN_2))
                .isNotEqualTo(first.cardId());
        for (LabeledTransaction lt : d.rows()) {
            List<String> everything = everyString(lt.transaction());
            for (String secret : List.of(PAN_1, PAN_2, "Jennifer", "Banks", "561 Perry Cove")) {
                assertThat(everything).noneMatch(s -> s.contains(secret));
            }
            assertThat(lt.toString()).doesNotContain(PAN_1).doesNotContain(PAN_2).doesNotContain("Jennifer");
            assertThat(lt.transaction().attributes()).doesNotContainKeys("first", "last", "street", "cc_num");
        }
    }

    private static List<String> everyString(Transaction tx) {
        List<String> all = new ArrayList<>(List.of(tx.id(), tx.cardId(), tx.terminalId(), tx.timestamp().toString(),
                Double.toString(tx.amount())));
        tx.attributes().forEach((k, val) -> {
            all.add(k);
            all.add(val);
        });
        return all;
    }

    @Test
    void sparkovNeedsATokenisationKey() throws IOException {
        Path f = file("fraudTrain.csv", SPARKOV_HEADER,
                sparkovRow(0, "2019-01-01 00:00:18", PAN_1, "x", "4.97", "0"));

        assertThatThrownBy(() -> new DatasetReader(BadRowPolicy.FAIL, null).read(f, null))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("no tokenisation key");
    }

    @Test
    void aSparkovRowWithoutACardNumberIsABadRowWhoseMessageDoesNotRepeatTheValue() throws IOException {
        Path f = file("fraudTrain.csv", SPARKOV_HEADER,
                sparkovRow(0, "2019-01-01 00:00:18", "12345678901", "x", "4.97", "0"));

        assertThatThrownBy(() -> read(f)).isInstanceOf(DatasetException.class)
                .hasMessageContaining(f + ":2: column 'cc_num': not a card number")
                .hasMessageNotContaining("12345678901");
    }

    // ---- layout detection --------------------------------------------------------------------------------------

    @Test
    void detectsTheLayoutFromTheHeaderIgnoringCaseAndSpaces() {
        assertThat(DatasetFormat.detect(List.of(" Transaction_ID", "TIMESTAMP", "card_id ", "terminal_id", "amount",
                "fraud"))).isEqualTo(DatasetFormat.NATIVE);
        assertThat(DatasetFormat.detect(List.of(kaggleHeader().replace("\"", "").split(","))))
                .isEqualTo(DatasetFormat.KAGGLE);
        assertThat(DatasetFormat.detect(List.of(SPARKOV_HEADER.split(",")))).isEqualTo(DatasetFormat.SPARKOV);
        assertThat(DatasetFormat.detect(List.of("id", "time", "amount"))).isNull();
    }

    @Test
    void anUnknownHeaderIsRejectedListingTheKnownLayouts() throws IOException {
        Path f = file("mystery.csv", "id,when,how_much", "1,2,3");

        assertThatThrownBy(() -> read(f)).isInstanceOf(DatasetException.class)
                .hasMessageContaining(f + ":1: the header matches no known layout")
                .hasMessageContaining("native (transaction_id,timestamp,card_id,terminal_id,amount,fraud")
                .hasMessageContaining("kaggle (Time,V1..V28,Amount,Class)")
                .hasMessageContaining("sparkov")
                .hasMessageContaining("found [id, when, how_much]");
    }

    @Test
    void anExplicitFormatMustFindItsColumns() throws IOException {
        Path f = file("native.csv", NATIVE_HEADER, "a,2018-04-01T00:00:00Z,c,T,1.00,0,0");

        assertThatThrownBy(() -> new DatasetReader(BadRowPolicy.FAIL, tokenizer).read(f, DatasetFormat.KAGGLE))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(f + ":1: the kaggle layout needs a column 'Time'");
    }

    // ---- bad rows: FAIL ----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{2}: {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            b,2018-04-01T00:00:01Z,c,T,abc,0,0             | amount         | not a number: 'abc'
            b,2018-04-01T00:00:01Z,c,T,-5.00,0,0           | amount         | negative amount -5.0
            b,2018-04-01T00:00:01Z,c,T,NaN,0,0             | amount         | not a finite number: 'NaN'
            b,2018-04-01T00:00:01Z,c,T,1e12,0,0            | amount         | out of range
            b,yesterday,c,T,1.00,0,0                       | timestamp      | not a timestamp: 'yesterday'
            b,2018-02-30T00:00:00Z,c,T,1.00,0,0            | timestamp      | not a timestamp: '2018-02-30T00:00:00Z'
            b,2018-04-01 25:00:00,c,T,1.00,0,0             | timestamp      | not a timestamp: '2018-04-01 25:00:00'
            b,2018-04-01T00:00:01Z,c,T,1.00,2,0            | fraud          | not a label: '2'; expected 0 or 1
            b,2018-04-01T00:00:01Z,c,T,1.00,yes,0          | fraud          | not a label: 'yes'
            b,2018-04-01T00:00:01Z,c,T,1.00,0,3            | fraud_scenario | scenario 3 on a row labelled genuine
            b,2018-04-01T00:00:01Z,c,T,1.00,1,x            | fraud_scenario | not an integer: 'x'
            b,2018-04-01T00:00:01Z,c,T,1.00,1,100          | fraud_scenario | 100 is out of range [0, 99]
            b,2018-04-01T00:00:01Z,c,T,1.00,0              | (row)          | has 6 fields, the header has 7
            b,2018-04-01T00:00:01Z,c,T,1.00,0,0,extra      | (row)          | has 8 fields, the header has 7
            a,2018-04-01T00:00:01Z,c,T,1.00,0,0            | transaction_id | duplicate transaction id 'a'
            b,2018-04-01T00:00:01Z,,T,1.00,0,0             | card_id        | empty; a value is required
            ,2018-04-01T00:00:01Z,c,T,1.00,0,0             | transaction_id | empty; a value is required
            b,   ,c,T,1.00,0,0                             | timestamp      | empty; a value is required
            b,2018-04-01T00:00:01Z,c,T,,0,0                | amount         | empty; a value is required
            b,2018-04-01T00:00:01Z,c,T,1.00,,0             | fraud          | empty; a value is required
            """)
    void aBadRowStopsReadingWithFileLineColumnAndReason(String badRow, String column, String reason)
            throws IOException {
        Path f = file("native.csv", NATIVE_HEADER, "a,2018-04-01T00:00:00Z,c,T,1.00,0,0", badRow,
                "z,2018-04-01T00:00:02Z,c,T,1.00,0,0");

        DatasetException e = catchThrowableOfType(DatasetException.class, () -> read(f));

        assertThat(e).as("no exception for %s", badRow).isNotNull();
        assertThat(e.getMessage()).startsWith(f + ":3: column '" + column + "': ").contains(reason)
                .contains("--on-bad-row=skip");
        assertThat(e.badRow().file()).isEqualTo(f);
        assertThat(e.badRow().line()).isEqualTo(3);
        assertThat(e.badRow().column()).isEqualTo(column);
        assertThat(e.badRow().reason()).contains(reason);
    }

    @Test
    void lineNumbersCountPhysicalLinesIncludingQuotedLineBreaksAndBlankLines() throws IOException {
        Path f = file("native.csv", NATIVE_HEADER,
                "\"two",
                "lines\",2018-04-01T00:00:00Z,c,T,1.00,0,0",
                "",
                "b,2018-04-01T00:00:01Z,c,T,oops,0,0");

        assertThatThrownBy(() -> read(f)).isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(f + ":5: column 'amount': not a number: 'oops'");
    }

    @Test
    void aDuplicateSparkovIdNamesTheSparkovIdColumn() throws IOException {
        Path f = file("fraudTrain.csv", SPARKOV_HEADER,
                sparkovRow(0, "2019-01-01 00:00:18", PAN_1, "same", "4.97", "0"),
                sparkovRow(1, "2019-01-01 00:00:19", PAN_1, "same", "5.00", "0"));

        assertThatThrownBy(() -> read(f)).isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(f + ":3: column 'trans_num': duplicate transaction id 'same'");
    }

    // ---- bad rows: SKIP ----------------------------------------------------------------------------------------

    @Test
    void skippingKeepsTheGoodRowsAndWritesTheRejectsWithTheirReasons() throws IOException {
        Path f = file("native.csv", NATIVE_HEADER,
                "a,2018-04-01T00:00:00Z,c1,T,1.00,0,0",
                "b,2018-04-01T00:00:01Z,c1,T,abc,0,0",
                "c,2018-04-01T00:00:02Z,c2,T,2.00,1,1",
                "a,2018-04-01T00:00:03Z,c3,T,3.00,0,0",
                "d,2018-04-01T00:00:04Z,c4,T,4.00",
                "e,2018-04-01T00:00:05Z,c5,T,5.00,0,0");

        Dataset d = readSkipping(f);

        assertThat(ids(d)).containsExactly("a", "c", "e");
        assertThat(d.rows().get(0).transaction().cardId()).as("the first 'a' is kept").isEqualTo("c1");
        assertThat(d.badRows()).isEqualTo(3);
        Path rejects = dir.resolve("native.csv.rejected.csv");
        assertThat(d.rejectsFile()).isEqualTo(rejects).isEqualTo(DatasetReader.defaultRejectsFile(f));
        assertThat(readCsv(rejects)).containsExactly(
                List.of("line", "column", "reason", "row"),
                List.of("3", "amount", "not a number: 'abc'", "b,2018-04-01T00:00:01Z,c1,T,abc,0,0"),
                List.of("5", "transaction_id", "duplicate transaction id 'a'", "a,2018-04-01T00:00:03Z,c3,T,3.00,0,0"),
                List.of("6", "(row)", "has 5 fields, the header has 7", "d,2018-04-01T00:00:04Z,c4,T,4.00"));
    }

    @Test
    void theRejectsFileHoldsNoCardNumberAndNoPersonalData() throws IOException {
        Path f = file("fraudTrain.csv", SPARKOV_HEADER,
                sparkovRow(0, "2019-01-01 00:00:18", PAN_1, "ok", "4.97", "0"),
                sparkovRow(1, "2019-01-01 00:00:19", PAN_2, "bad", "lots", "0"));
        Path n = file("native.csv", NATIVE_HEADER, "a,2018-04-01T00:00:00Z," + PAN_1 + ",T,1.00,0,0");

        Dataset d = readSkipping(f);
        readSkipping(n);

        assertThat(d.badRows()).isEqualTo(1);
        String sparkovRejects = Files.readString(DatasetReader.defaultRejectsFile(f));
        String nativeRejects = Files.readString(DatasetReader.defaultRejectsFile(n));
        assertThat(sparkovRejects).contains("not a number: 'lots'", "[card number removed]")
                .doesNotContain(PAN_2);
        assertThat(nativeRejects).contains("[card number removed]").doesNotContain(PAN_1);
        List<String> header = List.of(SPARKOV_HEADER.split(",", -1));
        List<String> row = readCsv(DatasetReader.defaultRejectsFile(f)).get(1);
        List<String> raw = de.siegmar.fastcsv.reader.CsvReader.builder().ofSingleCsvRecord(row.get(3)).getFields();
        for (String personal : List.of("first", "last", "street", "city", "zip", "job")) {
            assertThat(raw.get(header.indexOf(personal))).as(personal).isEmpty();
        }
    }

    @Test
    void rejectsGoWhereTheCallerSays(@TempDir Path elsewhere) throws IOException {
        Path f = file("native.csv", NATIVE_HEADER, "a,2018-04-01T00:00:00Z,c1,T,-1.00,0,0");
        Path rejects = elsewhere.resolve("bad-rows.csv");

        Dataset d = new DatasetReader(BadRowPolicy.SKIP, tokenizer).read(f, null, rejects);

        assertThat(d.size()).isZero();
        assertThat(d.badRows()).isEqualTo(1);
        assertThat(d.rejectsFile()).isEqualTo(rejects);
        assertThat(readCsv(rejects)).hasSize(2);
        assertThat(readCsv(rejects).get(1)).startsWith("2", "amount");
        assertThat(DatasetReader.defaultRejectsFile(f)).doesNotExist();
    }

    @Test
    void noRejectsFileWhenEveryRowIsGood() throws IOException {
        Path f = file("native.csv", NATIVE_HEADER, "a,2018-04-01T00:00:00Z,c1,T,1.00,0,0");

        Dataset d = readSkipping(f);

        assertThat(d.badRows()).isZero();
        assertThat(d.rejectsFile()).isNull();
        assertThat(DatasetReader.defaultRejectsFile(f)).doesNotExist();
    }

    private static List<List<String>> readCsv(Path f) throws IOException {
        try (CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(f)) {
            return csv.stream().map(CsvRecord::getFields).toList();
        }
    }

    // ---- files that cannot be used -----------------------------------------------------------------------------

    @Test
    void aMissingFileIsADatasetException() {
        Path f = dir.resolve("nope.csv");

        assertThatThrownBy(() -> read(f)).isExactlyInstanceOf(DatasetException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("no such file");
    }

    @Test
    void anEmptyFileIsADatasetException() throws IOException {
        Path f = dir.resolve("empty.csv");
        Files.createFile(f);

        assertThatThrownBy(() -> read(f)).isExactlyInstanceOf(DatasetException.class)
                .hasMessageContaining(f + " is empty");
    }

    @Test
    void aFileOfBlankLinesIsEmptyToo() throws IOException {
        Path f = file("blank.csv", "", "", "");

        assertThatThrownBy(() -> read(f)).isExactlyInstanceOf(DatasetException.class)
                .hasMessageContaining(f + " is empty");
    }

    @Test
    void aDirectoryIsADatasetException() {
        assertThatThrownBy(() -> read(dir)).isExactlyInstanceOf(DatasetException.class)
                .hasMessageContaining("cannot read " + dir);
    }

    @Test
    void aHeaderWithoutRowsIsAnEmptyDataset() throws IOException {
        Dataset d = read(file("native.csv", NATIVE_HEADER));

        assertThat(d.size()).isZero();
        assertThat(d.start()).isNull();
        assertThat(d.end()).isNull();
        assertThat(d.format()).isEqualTo(DatasetFormat.NATIVE);
    }

    // ---- sha256 ------------------------------------------------------------------------------------------------

    @Test
    void sha256IsTheDigestOfTheWholeFile() throws Exception {
        List<String> lines = new ArrayList<>(List.of(NATIVE_HEADER));
        IntStream.range(0, 5_000).forEach(i -> lines.add("tx-" + i + ",2018-04-01T00:00:00Z,card-" + (i % 97)
                + ",terminal-" + (i % 13) + "," + i + ".25,0,0"));
        Path f = file("big.csv", lines.toArray(String[]::new));
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));

        Dataset d = read(f);

        assertThat(d.size()).isEqualTo(5_000);
        assertThat(d.sha256()).isEqualTo(expected);
    }

    @Test
    void sha256ChangesWithTheBytesEvenWhenTheRowsDoNot() throws Exception {
        Path a = file("a.csv", NATIVE_HEADER, "a,2018-04-01T00:00:00Z,c,T,1.00,0,0");
        Path b = file("b.csv", NATIVE_HEADER, "a,2018-04-01T00:00:00Z,c,T,1.0,0,0");

        Dataset da = read(a);
        Dataset db = read(b);

        assertThat(da.rows()).isEqualTo(db.rows());
        assertThat(da.sha256()).isNotEqualTo(db.sha256());
        assertThat(db.sha256()).isEqualTo(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(b))));
    }
}
