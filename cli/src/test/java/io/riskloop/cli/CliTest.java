package io.riskloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskloop.model.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line end to end, in process: real files, real training, exit codes and messages. */
class CliTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final io.riskloop.store.testkit.TestPostgres POSTGRES = new io.riskloop.store.testkit.TestPostgres();

    /** A scaled-down book run: a tenth of the customers and terminals, the book's calendar. */
    private static final String[] SCALED = {"--customers", "500", "--terminals", "1000", "--radius", "15.8",
            "--days", "140", "--seed", "5"};

    @TempDir
    static Path shared;
    static Path simulated;

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    static String[] concat(String[] a, String... b) {
        List<String> l = new ArrayList<>(List.of(a));
        l.addAll(List.of(b));
        return l.toArray(String[]::new);
    }

    @BeforeAll
    static void simulate() {
        simulated = shared.resolve("scaled.csv");
        Result r = run(concat(concat(new String[] {"simulate"}, SCALED), "--out", simulated.toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("transactions", "frauds", "by scenario");
    }

    @ParameterizedTest
    @ValueSource(strings = {"simulate", "inspect", "train", "evaluate", "demo", "models", "runs", "serve", "keys"})
    void everyCommandHasHelp(String command) {
        Result r = run(command, "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: riskloop " + command);
    }

    @Test
    void wrongOptionsAreExplainedWithoutAStackTrace() {
        Result r = run("simulate", "--seeed", "3");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option", "--seed", "riskloop simulate --help");
        Result bad = run("simulate", "--days", "many");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("'many' is not an int");
        Result semantic = run("simulate", "--customers", "0", "--out", shared.resolve("x.csv").toString());
        assertThat(semantic.exit()).isEqualTo(2);
        assertThat(semantic.err()).contains("customers must be at least 1").doesNotContain("\tat ");
        Result noCommand = run();
        assertThat(noCommand.out()).contains("Commands:", "simulate", "evaluate");
    }

    @Test
    void contradictoryDecisionRulesAreRefusedBeforeAnythingStarts() {
        Result both = run("process", "--kafka", "127.0.0.1:1", "--allow-card", "tok_a,tok_b", "--block-card", "tok_b");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--allow-card and --block-card both name [tok_b]").doesNotContain("\tat ");
        Result amounts = run("serve", "--review-amount", "900", "--decline-amount", "500", "--port", "0");
        assertThat(amounts.exit()).isEqualTo(2);
        assertThat(amounts.err()).contains("--review-amount 900.0 is above --decline-amount 500.0");
        Result thresholds = run("process", "--kafka", "127.0.0.1:1", "--review-threshold", "0.95");
        assertThat(thresholds.exit()).isEqualTo(2);
        assertThat(thresholds.err()).contains("0 <= review <= decline <= 1");
    }

    @Test
    void simulationIsByteIdenticalForTheSameSeed(@TempDir Path dir) throws Exception {
        String[] small = {"simulate", "--customers", "100", "--terminals", "200", "--days", "20", "--seed", "9"};
        assertThat(run(concat(small, "--out", dir.resolve("a.csv").toString())).exit()).isZero();
        assertThat(run(concat(small, "--out", dir.resolve("b.csv").toString())).exit()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("a.csv"))).isEqualTo(Files.readAllBytes(dir.resolve("b.csv")));
        assertThat(Files.readAllLines(dir.resolve("a.csv")).getFirst())
                .isEqualTo("transaction_id,timestamp,card_id,terminal_id,amount,fraud,fraud_scenario");
    }

    @Test
    void evaluateBaselinePrintsTheTableAndWritesJsonAndReport(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("figures.json");
        Result r = run("evaluate", "--data", simulated.toString(), "--protocol", "baseline", "--json", json.toString(),
                "--report", dir.resolve("report").toString(), "--no-track");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("logistic_regression", "0.871 / 0.606 / 0.291", "train 2018-07-25..2018-07-31");
        JsonNode doc = Json.mapper().readTree(json.toFile());
        assertThat(doc.get("protocol").asText()).isEqualTo("baseline");
        assertThat(doc.get("models")).hasSize(5);
        List<String> names = new ArrayList<>();
        for (JsonNode m : doc.get("models")) {
            names.add(m.get("name").asText());
            for (String k : List.of("auc_roc", "average_precision", "card_precision_at_100")) {
                assertThat(m.get(k).asDouble()).as(k).isBetween(0.0, 1.0);
            }
        }
        assertThat(names).containsExactly("logistic_regression", "decision_tree_depth2", "decision_tree",
                "random_forest", "xgboost");
        assertThat(dir.resolve("report/report.html")).exists();
    }

    @Test
    void theWholeOutputReachesStandardOutput() {
        // Main.run is what the jar's main calls: its writers must be flushed even when a command ends with print.
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, false, java.nio.charset.StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Main.run("evaluate", "--data", simulated.toString(), "--models", "decision_tree_depth2", "--no-track");
        } finally {
            System.setOut(original);
        }
        assertThat(exit).isZero();
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("decision_tree_depth2", "0.763 / 0.496 / 0.241");
    }

    @Test
    void trainWritesModelManifestAndReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("model");
        Result r = run("train", "--data", simulated.toString(), "--algorithm", "random_forest", "--trees", "20",
                "--out", out.toString(), "--no-track");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(out.resolve("model.json")).exists();
        assertThat(out.resolve("report.md")).exists();
        JsonNode manifest = Json.mapper().readTree(out.resolve("manifest.json").toFile());
        assertThat(manifest.get("manifest_version").asInt()).isEqualTo(1);
        assertThat(manifest.get("algorithm").asText()).isEqualTo("RANDOM_FOREST");
        assertThat(manifest.at("/params/parallel_trees").asInt()).isEqualTo(20);
        assertThat(manifest.at("/metrics/auc_roc").asDouble()).isBetween(0.5, 1.0);
        assertThat(manifest.at("/data/source").asText()).isEqualTo(simulated.toString());

        Result wrong = run("train", "--data", simulated.toString(), "--algorithm", "svm", "--out", out.toString(),
                "--no-track");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("unknown algorithm 'svm'");
    }

    @Test
    void badRowsFailWithFileLineColumnAndReasonOrAreSetAside(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, """
                transaction_id,timestamp,card_id,terminal_id,amount,fraud,fraud_scenario
                1,2018-04-01T00:00:01Z,c1,t1,10.00,0,0
                2,2018-04-01T00:00:02Z,c1,t1,ten,0,0
                3,2018-04-01T00:00:03Z,c2,t1,5.00,1,2
                """);
        Result fail = run("inspect", "--data", csv.toString());
        assertThat(fail.exit()).isEqualTo(2);
        assertThat(fail.err()).contains(csv + ":3: column 'amount': not a number: 'ten'", "--on-bad-row=skip")
                .doesNotContain("Exception", "\tat ");

        Result skip = run("inspect", "--data", csv.toString(), "--on-bad-row", "skip");
        assertThat(skip.exit()).as(skip.err()).isZero();
        assertThat(skip.out()).contains("rows         2", "bad rows     1", "1 bad rows set aside");
        assertThat(Files.readString(dir.resolve("bad.csv.rejected.csv"))).contains("3,amount,not a number: 'ten'");

        Result missing = run("inspect", "--data", dir.resolve("nope.csv").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");
    }

    @Test
    void kaggleLayoutIsReadAndEvaluatedWithADaySplit(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("creditcard.csv");
        Random rnd = new Random(1);
        StringBuilder sb = new StringBuilder("\"Time\"");
        for (int i = 1; i <= 28; i++) {
            sb.append(",\"V").append(i).append('"');
        }
        sb.append(",\"Amount\",\"Class\"\n");
        for (int r = 0; r < 6000; r++) {
            boolean fraud = rnd.nextDouble() < 0.03;
            sb.append(r * 28); // two days of seconds
            for (int i = 1; i <= 28; i++) {
                double v = rnd.nextGaussian() + (fraud && i <= 3 ? 2.5 : 0);
                sb.append(',').append(String.format(java.util.Locale.ROOT, "%.6f", v));
            }
            sb.append(',').append(String.format(java.util.Locale.ROOT, "%.2f", rnd.nextDouble() * 200))
                    .append(",\"").append(fraud ? 1 : 0).append("\"\n");
        }
        Files.writeString(csv, sb.toString());
        Path json = dir.resolve("k.json");
        Result r = run("evaluate", "--data", csv.toString(), "--train-days", "1", "--delay-days", "0", "--test-days",
                "1", "--models", "xgboost,logistic_regression", "--json", json.toString(), "--no-track");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("train 2013-09-01..2013-09-01");
        JsonNode doc = Json.mapper().readTree(json.toFile());
        for (JsonNode m : doc.get("models")) {
            assertThat(m.get("auc_roc").asDouble()).as(m.get("name").asText()).isGreaterThan(0.9);
        }
        Result tooLong = run("evaluate", "--data", csv.toString(), "--models", "xgboost", "--no-track");
        assertThat(tooLong.exit()).isEqualTo(2);
        assertThat(tooLong.err()).contains("too short for 7 training + 7 gap + 7 test days");
    }

    @Test
    void sparkovLayoutIsTokenisedAndTrained(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("fraudTrain.csv");
        Random rnd = new Random(2);
        StringBuilder sb = new StringBuilder(",trans_date_trans_time,cc_num,merchant,category,amt,first,last,gender,"
                + "street,city,state,zip,lat,long,city_pop,job,dob,trans_num,unix_time,merch_lat,merch_long,is_fraud\n");
        String[] cards = new String[200];
        for (int c = 0; c < cards.length; c++) {
            cards[c] = String.format("4%015d", rnd.nextLong(1_000_000_000_000_000L));
        }
        for (int r = 0; r < 4000; r++) {
            boolean fraud = rnd.nextDouble() < 0.05;
            long second = r * 400L;
            String ts = java.time.LocalDateTime.of(2019, 1, 1, 0, 0).plusSeconds(second).toString().replace('T', ' ');
            double amt = fraud ? 300 + rnd.nextDouble() * 900 : rnd.nextDouble() * 120;
            sb.append(r).append(',').append(ts).append(',').append(cards[rnd.nextInt(cards.length)]).append(",\"fraud_Kub, Mann\",")
                    .append(fraud ? "shopping_net" : "grocery_pos").append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.2f", amt))
                    .append(",Jane,Doe,F,1 Main St,Springfield,IL,62701,39.78,-89.65,116000,Clerk,1980-02-03,")
                    .append("t").append(r).append(',').append(1325376000 + second).append(",39.9,-89.5,")
                    .append(fraud ? 1 : 0).append('\n');
        }
        Files.writeString(csv, sb.toString());
        Path out = dir.resolve("m");
        Result r = run("train", "--data", csv.toString(), "--token-key-file", dir.resolve("token.key").toString(),
                "--train-days", "5", "--delay-days", "1", "--test-days", "3", "--out", out.toString(), "--no-track");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode manifest = Json.mapper().readTree(out.resolve("manifest.json").toFile());
        assertThat(manifest.get("feature_set").asText()).isEqualTo("sparkov");
        assertThat(manifest.at("/metrics/auc_roc").asDouble()).isGreaterThan(0.9);
        String everything = Files.readString(out.resolve("manifest.json")) + Files.readString(out.resolve("report.md"));
        for (String card : cards) {
            assertThat(everything).doesNotContain(card);
        }
    }

    @Test
    void demoRunsTheOfflineLoop(@TempDir Path dir) {
        Result r = run("demo", "--offline", "--customers", "500", "--terminals", "1000", "--radius", "15.8", "--days", "60",
                "--dir", dir.toString(), "--db", POSTGRES.jdbcUrl(), "--data-dir", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("1/4", "2/4", "3/4", "4/4", "champion: AUC", "registered fraud v1, champion");
        Result models = run("models", "list", "--db", POSTGRES.jdbcUrl(), "--data-dir", dir.toString());
        assertThat(models.out()).containsPattern("fraud\\s+v1\\s+v1");
        Result lineage = run("models", "lineage", "fraud", "@champion", "--db", POSTGRES.jdbcUrl(), "--data-dir", dir.toString());
        assertThat(lineage.out()).contains("experiment demo", "simulator: 500 customers, 1000 terminals, 60 days");
        assertThat(dir.resolve("models/champion/manifest.json")).exists();
        assertThat(dir.resolve("evaluation/report.html")).exists();
    }

    @Test
    void theLiveDemoDecidesAndStoresEveryTransactionAndResumes(@TempDir Path dir) throws Exception {
        String[] world = {"demo", "--customers", "300", "--terminals", "600", "--radius", "20", "--days", "50",
            "--data-dir", dir.toString(), "--port", "0", "--rate", "2000", "--duration", "6s", "--model-name", "live"};
        Path summary = dir.resolve("summary.json");
        Result first = run(concat(world, "--summary", summary.toString()));
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("no champion for 'live' yet", "serving http://127.0.0.1:", "champion live/1");
        JsonNode s1 = Json.mapper().readTree(summary.toFile());
        long produced = s1.get("produced").asLong();
        assertThat(produced).isPositive();
        assertThat(s1.get("decided").asLong()).isEqualTo(produced);
        assertThat(s1.get("stored").asLong()).isEqualTo(produced);
        assertThat(s1.get("dlq").asLong()).isZero();
        // the first run starts at the world's beginning: its first weeks are the catch-up's backlog
        assertThat(s1.get("catch_up_latency_p99_ms").asDouble()).isPositive();

        Result second = run(concat(world, "--summary", summary.toString()));
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).contains("from transaction " + produced).doesNotContain("no champion");
        JsonNode s2 = Json.mapper().readTree(summary.toFile());
        assertThat(s2.get("position").asLong()).isEqualTo(produced + s2.get("produced").asLong());
        assertThat(s2.get("stored").asLong()).isEqualTo(s2.get("produced").asLong());
        assertThat(s2.get("dlq").asLong()).as("a resumed run sends no duplicate").isZero();
    }
}
