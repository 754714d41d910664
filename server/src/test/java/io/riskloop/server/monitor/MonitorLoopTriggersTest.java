package io.riskloop.server.monitor;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskloop.core.domain.Decision;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.drift.DriftPolicy;
import io.riskloop.core.testkit.TestClock;
import io.riskloop.registry.Registry;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.registry.models.ModelRegistry;
import io.riskloop.registry.models.NewVersion;
import io.riskloop.server.retrain.Promotion;
import io.riskloop.server.retrain.RetrainPolicy;
import io.riskloop.server.retrain.Retrainer;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.monitor.LoopEvent;
import io.riskloop.store.monitor.MonitorStore;
import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The loop's retraining triggers, each on its own stretch of simulated time in one store: N new labels, an accuracy
 * drop once the change can be learnt, the cron schedule, and the cool-down between retrainings. The retrainings
 * themselves stop at validation (the policy asks for more rows than there are), which keeps each round quick; what is
 * asserted is when the loop starts one and for which trigger.
 */
class MonitorLoopTriggersTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path dir;

    static final Duration LABEL_DELAY = Duration.ofDays(3);
    /** Validation always refuses: a retraining ends at once as INVALID_DATA. */
    static final RetrainPolicy POLICY = RetrainPolicy.DEFAULT.withWindows(7, 2, LABEL_DELAY)
            .withVolumes(10_000_000, 20);

    static final TestClock CLOCK = new TestClock(Instant.parse("2019-01-01T00:00:00Z"));
    static Registry registry;
    static DecisionStore store;
    static MonitorStore records;

    @BeforeAll
    static void open() {
        registry = Registry.open(POSTGRES.database(), new ArtifactStore(dir.resolve("artifacts")), CLOCK);
        store = new DecisionStore(POSTGRES.database(), CLOCK);
        records = new MonitorStore(POSTGRES.database());
    }

    @Test
    void nNewLabelsSinceTheLastRetrainingTriggerOne() {
        Instant t = Instant.parse("2019-03-01T00:00:00Z");
        MonitorConfig config = MonitorConfig.DEFAULT.withNewLabels(5).withWindows(Duration.ofDays(1),
                Duration.ofDays(7), Duration.ofHours(1));
        List<LoopEvent> alerts = new CopyOnWriteArrayList<>();
        MonitorLoop loop = loop("labels", config, alerts);
        decide("labels", "labels/1", t.minus(Duration.ofDays(2)), 20, (i, fraud) -> 0.1, false);

        assertThat(tick(loop, t)).as("the count starts with the loop").isEmpty();
        label("labels", 0, 4, t.plus(Duration.ofHours(2)));
        assertThat(tick(loop, t.plus(Duration.ofHours(3)))).as("4 new labels of 5").isEmpty();

        label("labels", 4, 1, t.plus(Duration.ofHours(4)));
        List<LoopEvent> events = tick(loop, t.plus(Duration.ofHours(5)));
        assertThat(triggers(events)).containsExactly("labels");
        assertThat(events).extracting(LoopEvent::kind).containsExactly("retrain_triggered", "retrain_stopped");
        assertThat(events.get(1).details()).containsEntry("outcome", "INVALID_DATA");
        assertThat(alerts).extracting(LoopEvent::kind).containsExactly("retrain_stopped");
        assertThat(records.eventsSince(t)).filteredOn(e -> e.modelName().equals("labels")).extracting(LoopEvent::kind)
                .as("stored").containsExactly("retrain_triggered", "retrain_stopped");

        assertThat(tick(loop, t.plus(Duration.ofHours(7)))).as("counted afresh from the retraining").isEmpty();
        label("labels", 5, 4, t.plus(Duration.ofHours(8)));
        assertThat(tick(loop, t.plus(Duration.ofHours(9)))).isEmpty();
        label("labels", 9, 1, t.plus(Duration.ofHours(9)));
        assertThat(triggers(tick(loop, t.plus(Duration.ofHours(10))))).containsExactly("labels");
    }

    @Test
    void aCoolDownSeparatesRetrainingsStartedByLabels() {
        Instant t = Instant.parse("2019-06-01T00:00:00Z");
        MonitorConfig config = MonitorConfig.DEFAULT.withNewLabels(3).withWindows(Duration.ofDays(1),
                Duration.ofDays(7), Duration.ofDays(1));
        MonitorLoop loop = loop("cool", config, new ArrayList<>());
        decide("cool", "cool/1", t.minus(Duration.ofDays(2)), 20, (i, fraud) -> 0.1, false);

        assertThat(tick(loop, t)).isEmpty();
        label("cool", 0, 3, t.plus(Duration.ofHours(1)));
        assertThat(tick(loop, t.plus(Duration.ofHours(2)))).as("3 new labels, but within a day of the loop's start")
                .isEmpty();
        assertThat(tick(loop, t.plus(Duration.ofHours(23)))).isEmpty();
        assertThat(triggers(tick(loop, t.plus(Duration.ofDays(1))))).as("a day after: cooled down")
                .containsExactly("labels");

        label("cool", 3, 3, t.plus(Duration.ofDays(1)).plus(Duration.ofHours(1)));
        assertThat(tick(loop, t.plus(Duration.ofDays(1)).plus(Duration.ofHours(2)))).isEmpty();
        assertThat(tick(loop, t.plus(Duration.ofDays(2)).minusSeconds(1))).isEmpty();
        assertThat(triggers(tick(loop, t.plus(Duration.ofDays(2))))).containsExactly("labels");
    }

    @Test
    void anAccuracyDropTriggersOnceTheChangeCanBeLearntAndThenAfterEachCoolDown() {
        Instant day0 = Instant.parse("2020-03-01T00:00:00Z");
        // settle 1 day, cool down 1 day, judge a day's window; 200 decisions a day, 20 frauds ranked below the rest
        MonitorConfig config = MonitorConfig.DEFAULT.withSettleDays(1).withWindows(Duration.ofDays(1),
                Duration.ofDays(7), Duration.ofDays(1));
        List<LoopEvent> alerts = new CopyOnWriteArrayList<>();
        MonitorLoop loop = loop("acc", config, alerts);
        for (int d = 0; d < 13; d++) {
            decide("acc-d" + d, "acc/1", day0.plus(Duration.ofDays(d)), 200, (i, fraud) -> fraud ? 0.05 : 0.2 + i / 1000.0,
                    true);
        }
        Instant day5 = day0.plus(Duration.ofDays(5));

        List<LoopEvent> first = tick(loop, day5);
        assertThat(first).extracting(LoopEvent::kind).containsExactly("accuracy_drop");
        assertThat(first.getFirst().summary()).contains("below the bound 0.3");
        assertThat(alerts).extracting(LoopEvent::kind).containsExactly("accuracy_drop");
        // the change shows from the champion's first round (day 5) on: the training window of a retraining holds a
        // settled, labelled day of it at day 5 + 3 (label delay) + 2 (hold-out) + 1 (settle) = day 11
        for (int h = 12; h < 6 * 24; h += 12) {
            assertThat(triggers(tick(loop, day5.plus(Duration.ofHours(h))))).as("hour %d after day 5", h).isEmpty();
        }
        Instant day11 = day0.plus(Duration.ofDays(11));
        assertThat(triggers(tick(loop, day11))).containsExactly("accuracy");
        assertThat(alerts).extracting(LoopEvent::kind).as("the drop is raised once")
                .containsExactly("accuracy_drop", "retrain_stopped");

        assertThat(triggers(tick(loop, day11.plus(Duration.ofHours(12))))).as("cooling down").isEmpty();
        assertThat(triggers(tick(loop, day11.plus(Duration.ofDays(1))))).containsExactly("accuracy");
    }

    @Test
    void aGoodChampionTriggersNoAccuracyRetraining() {
        Instant day0 = Instant.parse("2020-09-01T00:00:00Z");
        MonitorConfig config = MonitorConfig.DEFAULT.withSettleDays(1).withWindows(Duration.ofDays(1),
                Duration.ofDays(7), Duration.ofDays(1));
        MonitorLoop loop = loop("good", config, new ArrayList<>());
        for (int d = 0; d < 13; d++) {
            decide("good-d" + d, "good/1", day0.plus(Duration.ofDays(d)), 200, (i, fraud) -> fraud ? 0.9 : 0.2, true);
        }
        for (int d = 5; d <= 12; d++) {
            assertThat(tick(loop, day0.plus(Duration.ofDays(d)))).as("day %d", d).isEmpty();
        }
        assertThat(records.accuracy(day0)).filteredOn(w -> w.modelVersion().equals("good/1")).hasSize(8)
                .allSatisfy(w -> assertThat(w.averagePrecision()).isEqualTo(1.0));
    }

    @Test
    void theScheduleTriggersAtItsCronTimesWhateverTheCoolDownAndNotWhileAChallengerIsInFlight() {
        // Mondays at 03:00 UTC; 2021-03-01 is a Monday. The 30-day cool-down does not hold back the schedule.
        MonitorConfig config = MonitorConfig.DEFAULT.withSchedule("0 3 * * 1").withWindows(Duration.ofDays(1),
                Duration.ofDays(7), Duration.ofDays(30));
        MonitorLoop loop = loop("cron", config, new ArrayList<>());

        assertThat(tick(loop, Instant.parse("2021-02-28T12:00:00Z"))).isEmpty();
        assertThat(tick(loop, Instant.parse("2021-03-01T02:59:00Z"))).isEmpty();
        assertThat(triggers(tick(loop, Instant.parse("2021-03-01T03:00:00Z")))).containsExactly("schedule");
        assertThat(tick(loop, Instant.parse("2021-03-01T03:15:00Z"))).as("once per scheduled time").isEmpty();
        assertThat(tick(loop, Instant.parse("2021-03-05T03:00:00Z"))).as("a Friday").isEmpty();
        assertThat(triggers(tick(loop, Instant.parse("2021-03-08T07:45:00Z"))))
                .as("a round after the scheduled time catches it").containsExactly("schedule");

        registry.models().createVersion(new NewVersion("cron", "test:cron/2", null, null, null, Map.of(), "", Map.of(),
                "test"));
        registry.models().setAlias("cron", ModelRegistry.CHALLENGER, 2, "test", "in flight");
        assertThat(triggers(tick(loop, Instant.parse("2021-03-15T03:05:00Z")))).as("a challenger is in flight")
                .isEmpty();
    }

    @Test
    void scheduleWindowsAreHalfOpenAndBadExpressionsAreRefused() {
        var cron = Schedules.parse("0 3 * * 1");
        Instant monday3 = Instant.parse("2021-03-01T03:00:00Z");
        assertThat(Schedules.dueBetween(cron, monday3.minusSeconds(1), monday3)).isTrue();
        assertThat(Schedules.dueBetween(cron, monday3, monday3.plus(Duration.ofDays(6)))).isFalse();
        assertThat(Schedules.dueBetween(cron, monday3, monday3.plus(Duration.ofDays(7)))).isTrue();
        assertThat(Schedules.dueBetween(cron, monday3.minus(Duration.ofDays(6)), monday3.minusSeconds(60))).isFalse();
        assertThatThrownBy(() -> MonitorConfig.DEFAULT.withSchedule("every monday"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'every monday'");
        assertThatThrownBy(() -> MonitorConfig.DEFAULT.withSchedule("0 3 * *"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Unix cron expression");
    }

    /** A model with one version, the champion, registered with a hold-out AP of 0.9; its loop on the test clock. */
    private static MonitorLoop loop(String name, MonitorConfig config, List<LoopEvent> alerts) {
        registry.models().createModel(name, "", Map.of(), "test");
        registry.models().createVersion(new NewVersion(name, "test:" + name + "/1", null, null, null,
                Map.of("average_precision", 0.9), "", Map.of(), "test"));
        registry.models().setAlias(name, ModelRegistry.CHAMPION, 1, "test", "first");
        Retrainer retrainer = new Retrainer(registry, store, name, POLICY, Retrainer.defaultParams(), CLOCK,
                dir.resolve(name));
        return new MonitorLoop(registry, store, records, retrainer,
                new Promotion(registry.models(), new io.riskloop.store.audit.AuditLog(POSTGRES.database(), CLOCK), store,
                        name, POLICY, "riskloop-monitor"), config,
                DriftPolicy.defaults(), name, 0.5, CLOCK, new SimpleMeterRegistry(), alerts::add);
    }

    private static List<LoopEvent> tick(MonitorLoop loop, Instant at) {
        CLOCK.set(at);
        return loop.tick();
    }

    /** The triggers of the retraining the events started, or an empty list when none started. */
    @SuppressWarnings("unchecked")
    private static List<String> triggers(List<LoopEvent> events) {
        return events.stream().filter(e -> e.kind().equals("retrain_triggered")).findFirst()
                .map(e -> (List<String>) e.details().get("triggers")).orElse(List.of());
    }

    interface Scores {
        double score(int i, boolean fraud);
    }

    /**
     * {@code n} decisions of {@code version} spread over a day from {@code start}, every tenth a fraud, labelled (when
     * {@code chargebacks}) by a chargeback a day after the transaction.
     */
    private static void decide(String prefix, String version, Instant start, int n, Scores scores,
                               boolean chargebacks) {
        List<Decision> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant t = start.plus(Duration.ofSeconds(86_400L * i / n));
            boolean fraud = i % 10 == 9;
            Transaction tx = new Transaction(prefix + "-" + i, t, "card-" + i % 50, "term-" + i % 7, 15);
            double s = scores.score(i, fraud);
            batch.add(new Decision(tx, new double[] {15}, List.of("TX_AMOUNT"), s,
                    s >= 0.5 ? DecisionType.REVIEW : DecisionType.APPROVE, List.of(), version, null, null, t));
        }
        store.storeDecisions(batch);
        if (chargebacks) {
            for (int i = 9; i < n; i += 10) {
                store.label(prefix + "-" + i, true, "chargeback", "bank", null,
                        batch.get(i).transaction().timestamp().plus(Duration.ofDays(1)));
            }
        }
    }

    /** Labels transactions {@code from} ... {@code from + n - 1} of {@code prefix} as genuine, known at {@code at}. */
    private static void label(String prefix, int from, int n, Instant at) {
        for (int i = from; i < from + n; i++) {
            store.label(prefix + "-" + i, false, "analyst", "ann", null, at);
        }
    }
}
