package io.riskloop.server.retrain;

import io.riskloop.core.domain.Decision;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureReplay;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.features.LabelTiming;
import io.riskloop.core.simulate.DriftConfig;
import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.core.simulate.Simulator;
import io.riskloop.model.train.TrainingParams;
import io.riskloop.registry.Registry;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.registry.models.ModelRegistry;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a retraining ends when it must not register a challenger: the snapshot fails validation (volume, frauds,
 * schema, values), a gate refuses a challenger worse than the champion, or another retraining is running. On a
 * small simulated world whose transactions are stored with the features the pipeline would have computed.
 */
class RetrainerTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path dir;

    static final LocalDate START = LocalDate.of(2018, 4, 1);
    /** 25 days simulated; the cut-off at their end: 3 days label delay, 3 hold-out days, 14 training days. */
    static final Instant CUTOFF = START.plusDays(25).atStartOfDay(ZoneOffset.UTC).toInstant();
    static final RetrainPolicy POLICY = RetrainPolicy.DEFAULT.withWindows(14, 3, Duration.ofDays(3))
            .withVolumes(1_000, 20);
    /** Small and quick: 20 trees of depth 4 on one thread. */
    static final TrainingParams PARAMS = Retrainer.defaultParams().withRounds(20).withMaxDepth(4).withThreads(1);

    static Registry registry;
    static DecisionStore store;

    @BeforeAll
    static void world() {
        Clock clock = Clock.fixed(CUTOFF, ZoneOffset.UTC);
        registry = Registry.open(POSTGRES.database(), new ArtifactStore(dir.resolve("artifacts")), clock);
        store = new DecisionStore(POSTGRES.database(), clock);
        List<LabeledTransaction> rows = new ArrayList<>();
        new Simulator(new SimulationConfig(300, 600, 25, START, 20, 3, DriftConfig.NONE))
                .run(t -> rows.add(t.toLabeled()), Simulator.Progress.NONE);
        FeatureMatrix m = FeatureReplay.replay(rows, FeatureSet.BASELINE,
                LabelTiming.fraudKnownAfter(Duration.ofDays(3)), FeatureReplay.Progress.NONE);
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < m.rows(); i++) {
            double[] f = new double[m.columns()];
            for (int j = 0; j < f.length; j++) {
                f[j] = m.get(i, j);
            }
            Transaction tx = rows.get(i).transaction();
            decisions.add(new Decision(tx, f, m.names(), 0.01, DecisionType.APPROVE, List.of(), "fraud/0", null, null,
                    tx.timestamp()));
        }
        for (int from = 0; from < decisions.size(); from += 5_000) {
            store.storeDecisions(decisions.subList(from, Math.min(decisions.size(), from + 5_000)));
        }
        for (LabeledTransaction r : rows) {
            if (r.fraud()) {
                store.label(r.transaction().id(), true, "chargeback", "bank", null,
                        r.transaction().timestamp().plus(Duration.ofDays(2)));
            }
        }
    }

    @Test
    void aChallengerWorseThanTheChampionByMoreThanTheMarginIsGatedAndNotRegistered() {
        Retrainer first = retrainer("fraud-gated", POLICY, PARAMS);
        Retrainer.Result champion = first.retrain("manual", "ann");
        assertThat(champion.outcome()).as(champion.summary()).isEqualTo(Retrainer.Outcome.REGISTERED);
        assertThat(champion.challenger()).isEqualTo("fraud-gated/1");
        assertThat(registry.models().versionByAlias("fraud-gated", ModelRegistry.CHAMPION).version())
                .as("the first model becomes champion").isEqualTo(1);
        assertThat(champion.challengerMetrics().get("average_precision")).isGreaterThan(0.3);

        // a challenger that cannot split (every leaf needs more weight than the data has) scores every row alike
        TrainingParams stump = new TrainingParams(PARAMS.algorithm(), 1, 1, PARAMS.learningRate(), PARAMS.l2(), 1e9,
                1, 1, 1, 1, 0, 1);
        Retrainer.Result gated = retrainer("fraud-gated", POLICY, stump).retrain("drift", "riskloop-monitor");

        assertThat(gated.outcome()).as(gated.summary()).isEqualTo(Retrainer.Outcome.GATED);
        assertThat(gated.challenger()).isNull();
        assertThat(gated.runId()).as("the refused retraining is still recorded").isNotNull();
        assertThat(gated.steps()).extracting(Retrainer.Step::name)
                .containsExactly("snapshot", "validate", "train", "evaluate", "gates");
        Retrainer.Step gates = gated.steps().getLast();
        assertThat(gates.passed()).isFalse();
        assertThat(gates.summary()).startsWith("refused by the gates").contains("AP ").contains("vs champion");
        assertThat(gated.challengerMetrics().get("average_precision"))
                .isLessThan(gated.championMetrics().get("average_precision") - POLICY.apMargin());
        assertThat(registry.models().versions("fraud-gated")).as("nothing registered").hasSize(1);
        assertThat(registry.models().versions("fraud-gated").getFirst().aliases())
                .containsExactly(ModelRegistry.CHAMPION);
        assertThat(registry.tracking().run(gated.runId()).tags().get("riskloop.step.5.gates"))
                .startsWith("stopped: refused by the gates");
    }

    @Test
    void aChallengerWithinTheMarginPassesTheGatesAndIsRegisteredAsChallenger() {
        Retrainer retrainer = retrainer("fraud-passes", POLICY, PARAMS);
        assertThat(retrainer.retrain("manual", "ann").outcome()).isEqualTo(Retrainer.Outcome.REGISTERED);
        // the same window, parameters and seed: the same model, equal on every gate
        Retrainer.Result again = retrainer.retrain("labels", "riskloop-monitor");
        assertThat(again.outcome()).as(again.summary()).isEqualTo(Retrainer.Outcome.REGISTERED);
        assertThat(again.challenger()).isEqualTo("fraud-passes/2");
        assertThat(again.steps().get(4).summary()).startsWith("passed every gate");
        assertThat(registry.models().versionByAlias("fraud-passes", ModelRegistry.CHAMPION).version()).isEqualTo(1);
        assertThat(registry.models().versionByAlias("fraud-passes", ModelRegistry.CHALLENGER).version()).isEqualTo(2);
    }

    @Test
    void tooFewTransactionsOrFraudsIsInvalidDataAndNothingIsTrained() {
        Retrainer.Result rows = retrainer("fraud-few", POLICY.withVolumes(10_000_000, 20), PARAMS)
                .retrain("manual", "ann");
        assertThat(rows.outcome()).isEqualTo(Retrainer.Outcome.INVALID_DATA);
        assertThat(rows.steps()).extracting(Retrainer.Step::name).containsExactly("snapshot", "validate");
        assertThat(problems(rows)).singleElement().asString().contains("fewer than 10000000");

        Retrainer.Result frauds = retrainer("fraud-few", POLICY.withVolumes(1_000, 1_000_000), PARAMS)
                .retrain("manual", "ann");
        assertThat(frauds.outcome()).isEqualTo(Retrainer.Outcome.INVALID_DATA);
        assertThat(problems(frauds)).singleElement().asString().contains("known frauds, fewer than 1000000");
        assertThat(frauds.challenger()).isNull();
        assertThat(registry.models().find("fraud-few")).as("nothing registered").isEmpty();
    }

    @Test
    void aWindowWithoutLabelledHistoryIsInvalidData() {
        // a year later the store holds nothing: an empty snapshot
        Retrainer.Result r = retrainer("fraud-empty", POLICY, PARAMS, CUTOFF.plus(Duration.ofDays(365)))
                .retrain("schedule", "riskloop-monitor");
        assertThat(r.outcome()).isEqualTo(Retrainer.Outcome.INVALID_DATA);
        assertThat(r.steps().getFirst().details()).containsEntry("rows", 0);
        assertThat(problems(r)).hasSize(3).anySatisfy(p -> assertThat(p).contains("hold-out holds 0 transactions"));
    }

    @Test
    void decisionsMadeOnOtherFeaturesAreOneProblemAndTheRestIsStillCounted() {
        // two years on: 40 decisions on the baseline features, 4 frauds, and before them one made on other features
        Instant cutoff = CUTOFF.plus(Duration.ofDays(730));
        store.storeDecisions(List.of(decision("schema-other", cutoff.minus(Duration.ofDays(3 + 3 + 14)).plusSeconds(60),
                List.of("TX_AMOUNT"), new double[] {5}, 5)));
        storeWindow("schema", cutoff, i -> new double[FeatureSet.BASELINE.size()]);

        Retrainer.Result r = retrainer("fraud-schema", POLICY.withVolumes(10, 2), PARAMS, cutoff)
                .retrain("manual", "ann");

        assertThat(r.outcome()).isEqualTo(Retrainer.Outcome.INVALID_DATA);
        assertThat(problems(r)).singleElement().asString().contains("schema-other")
                .contains("was decided on features [TX_AMOUNT], not baseline's");
        Retrainer.Step validate = r.steps().getLast();
        assertThat(validate.details()).containsEntry("train_rows", 35L).containsEntry("train_frauds", 4L)
                .containsEntry("holdout_rows", 6L).containsEntry("holdout_frauds", 1L);
    }

    @Test
    void nonFiniteFeatureValuesAreInvalidData() {
        // (negative amounts, the other value check, cannot be stored: the decisions table refuses them)
        Instant cutoff = CUTOFF.plus(Duration.ofDays(1_095));
        storeWindow("values", cutoff, i -> {
            double[] f = new double[FeatureSet.BASELINE.size()];
            if (i % 20 == 1) {
                f[2] = Double.NaN;
            }
            return f;
        });

        Retrainer.Result r = retrainer("fraud-values", POLICY.withVolumes(10, 2), PARAMS, cutoff)
                .retrain("manual", "ann");

        assertThat(r.outcome()).isEqualTo(Retrainer.Outcome.INVALID_DATA);
        assertThat(problems(r)).containsExactly("2 transactions have non-finite feature values");
        assertThat(registry.models().find("fraud-values")).isEmpty();
    }

    @Test
    void featureValuesOutsideWhatTheirFeatureCanTakeAreInvalidData() {
        Instant cutoff = CUTOFF.plus(Duration.ofDays(1_460));
        List<String> names = FeatureSet.BASELINE.names();
        int risk = names.indexOf("TERMINAL_ID_RISK_7DAY_WINDOW");
        int count = names.indexOf("CUSTOMER_ID_NB_TX_1DAY_WINDOW");
        storeWindow("ranges", cutoff, i -> {
            double[] f = new double[FeatureSet.BASELINE.size()];
            f[risk] = i == 3 || i == 30 ? 1.5 : 0.25;
            f[count] = i == 7 ? 2.5 : 2;
            return f;
        });

        Retrainer.Result r = retrainer("fraud-ranges", POLICY.withVolumes(10, 2), PARAMS, cutoff)
                .retrain("manual", "ann");

        assertThat(r.outcome()).isEqualTo(Retrainer.Outcome.INVALID_DATA);
        assertThat(problems(r)).containsExactly(
                "feature CUSTOMER_ID_NB_TX_1DAY_WINDOW has 1 values outside whole numbers in [0, inf] (e.g. 2.5 in"
                        + " transaction ranges-7)",
                "feature TERMINAL_ID_RISK_7DAY_WINDOW has 2 values outside [0, 1] (e.g. 1.5 in transaction ranges-3)");
        assertThat(registry.models().find("fraud-ranges")).isEmpty();
    }

    @Test
    void aSecondRetrainingWhileOneRunsIsBusyAtOnce() throws Exception {
        // the first retraining's clock stops it once it holds the lock, at the start of its tracking run
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread[] worker = new Thread[1];
        Clock gate = new Clock() {
            int calls;

            @Override
            public Instant instant() {
                if (Thread.currentThread() == worker[0] && ++calls == 2) {
                    holding.countDown();
                    try {
                        if (!release.await(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("not released");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return CUTOFF;
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        Retrainer retrainer = new Retrainer(registry, store, "fraud-busy", POLICY.withVolumes(10_000_000, 20), PARAMS,
                gate, dir.resolve("busy"));
        CompletableFuture<Retrainer.Result> first = new CompletableFuture<>();
        worker[0] = new Thread(() -> first.complete(retrainer.retrain("drift", "riskloop-monitor")));
        worker[0].start();
        assertThat(holding.await(30, TimeUnit.SECONDS)).as("the first retraining started").isTrue();

        assertThat(retrainer.running()).isTrue();
        long t0 = System.nanoTime();
        Retrainer.Result second = retrainer.retrain("manual", "ann");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("returns at once").isLessThan(Duration.ofSeconds(5));
        assertThat(second.outcome()).isEqualTo(Retrainer.Outcome.BUSY);
        assertThat(second.trigger()).isEqualTo("manual");
        assertThat(second.steps()).isEmpty();
        assertThat(second.runId()).isNull();
        assertThat(second.summary()).isEqualTo("busy");

        release.countDown();
        Retrainer.Result done = first.get(60, TimeUnit.SECONDS);
        assertThat(done.outcome()).as("the first one ran to its end").isEqualTo(Retrainer.Outcome.INVALID_DATA);
        assertThat(retrainer.running()).isFalse();
        assertThat(retrainer.retrain("manual", "ann").outcome()).as("free again")
                .isEqualTo(Retrainer.Outcome.INVALID_DATA);
    }

    private static Retrainer retrainer(String model, RetrainPolicy policy, TrainingParams params) {
        return retrainer(model, policy, params, CUTOFF);
    }

    private static Retrainer retrainer(String model, RetrainPolicy policy, TrainingParams params, Instant cutoff) {
        // the budget is generous: the machine running the tests is shared
        RetrainPolicy p = new RetrainPolicy(policy.trainDays(), policy.holdoutDays(), policy.labelDelay(),
                policy.minRows(), policy.minFrauds(), policy.apMargin(), policy.cardPrecisionMargin(), 5_000,
                policy.shadowTransactions(), policy.watchTransactions(), policy.minWatchFrauds());
        return new Retrainer(registry, store, model, p, params, Clock.fixed(cutoff, ZoneOffset.UTC),
                dir.resolve(model));
    }

    @SuppressWarnings("unchecked")
    private static List<String> problems(Retrainer.Result r) {
        Retrainer.Step validate = r.steps().getLast();
        assertThat(validate.name()).isEqualTo("validate");
        assertThat(validate.passed()).isFalse();
        return (List<String>) validate.details().get("problems");
    }

    /**
     * Stores 40 baseline decisions {@code prefix-0..39}, ten hours apart through the training window and into the
     * hold-out of a retraining at {@code cutoff}, with {@code features.apply(i)}; 0, 10, 20, 30 (training) and 39
     * (hold-out) are labelled fraud a day before the cut-off.
     */
    private static void storeWindow(String prefix, Instant cutoff, java.util.function.IntFunction<double[]> features) {
        Instant trainStart = cutoff.minus(Duration.ofDays(3 + 3 + 14));
        List<Decision> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(decision(prefix + "-" + i, trainStart.plus(Duration.ofHours(10L * i + 2)),
                    FeatureSet.BASELINE.names(), features.apply(i), 10 + i));
        }
        store.storeDecisions(batch);
        for (int i = 0; i < 40; i += 10) {
            store.label(prefix + "-" + i, true, "analyst", "ann", null, cutoff.minus(Duration.ofDays(1)));
        }
        store.label(prefix + "-39", true, "analyst", "ann", null, cutoff.minus(Duration.ofDays(1)));
    }

    private static Decision decision(String id, Instant t, List<String> names, double[] features, double amount) {
        Transaction tx = new Transaction(id, t, "card-" + id, "term-1", amount);
        return new Decision(tx, features, names, 0.1, DecisionType.APPROVE, List.of(), "fraud/0", null, null, t);
    }
}
