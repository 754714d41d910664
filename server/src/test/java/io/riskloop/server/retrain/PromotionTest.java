package io.riskloop.server.retrain;

import io.riskloop.core.domain.Decision;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.domain.Transaction;
import io.riskloop.registry.Registry;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.registry.models.AliasMove;
import io.riskloop.registry.models.ModelRegistry;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.models.NewVersion;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.monitor.LoopEvent;
import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A challenger's way through shadow, promotion and watch on a real store and registry: promoted when it scores as
 * well as the champion on the same labelled shadow traffic, withdrawn when it scores worse, and after a promotion
 * rolled back (the champion alias returns to the previous version, a {@code rolled_back} event) when the previous
 * champion, now shadowing it, ranks the frauds of the same live traffic better by more than the margin.
 */
class PromotionTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path dir;

    static final Instant T0 = Instant.parse("2018-05-01T00:00:00Z");
    static final Duration LABEL_DELAY = Duration.ofDays(3);
    /** 100 decisions to shadow and to watch, 10 labelled frauds to judge, AP margin 0.02. */
    static final RetrainPolicy POLICY = RetrainPolicy.DEFAULT.withWindows(7, 2, LABEL_DELAY).withShadow(100, 100, 10);

    static Registry registry;
    static ModelRegistry models;
    static DecisionStore store;

    /** How a model scores row {@code i}. */
    interface Scores {
        double score(int i, boolean fraud);
    }

    /** Ranks every fraud above every genuine transaction: AP 1. */
    static final Scores GOOD = (i, fraud) -> fraud ? 0.9 : 0.1 + (i % 50) / 1000.0;
    /** Ranks every fraud below every genuine transaction: AP about 0.06 with 20 frauds in 200. */
    static final Scores BAD = (i, fraud) -> fraud ? 0.05 : 0.1 + (i % 50) / 100.0;
    /**
     * Ranks one genuine transaction above one of the 20 frauds: AP (19 + 20/21) / 20 = 0.9976, worse than GOOD but
     * within the 0.02 margin.
     */
    static final Scores SLIGHTLY_WORSE = (i, fraud) -> i == 199 ? 0.5 : i == 3 ? 0.6 : GOOD.score(i, fraud);

    @BeforeAll
    static void open() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        registry = Registry.open(POSTGRES.database(), new ArtifactStore(dir), clock);
        models = registry.models();
        store = new DecisionStore(POSTGRES.database(), clock);
    }

    @Test
    void aPromotionWhoseLiveAccuracyRegressesIsRolledBack() {
        String name = "fraud-rollback";
        Promotion promotion = twoVersions(name);
        assertThat(promotion.inFlight()).isTrue();

        // shadow: fraud-rollback/2 ranks the frauds as well as fraud-rollback/1 on the same labelled traffic
        decide(name + "-shadow", T0, 200, name + "/1", GOOD, name + "/2", GOOD);
        Instant promotedAt = T0.plus(Duration.ofDays(5));
        List<LoopEvent> promoted = promotion.advance(promotedAt);
        assertThat(promoted).extracting(LoopEvent::kind).containsExactly("shadow", "promoted");
        assertThat(champion(name)).isEqualTo(2);
        ModelVersion watching = models.versionByAlias(name, ModelRegistry.CHALLENGER);
        assertThat(watching.version()).as("the previous champion shadows its successor").isEqualTo(1);
        assertThat(watching.tags()).containsEntry(Promotion.ROLE_TAG, Promotion.WATCH);

        // watch: the new champion decides and ranks the frauds badly; the previous one, shadowing, ranks them well
        decide(name + "-watch", promotedAt, 200, name + "/2", BAD, name + "/1", GOOD);
        assertThat(promotion.advance(promotedAt)).as("watched enough decisions, but none is label-complete yet")
                .isEmpty();
        assertThat(champion(name)).isEqualTo(2);

        Instant judged = promotedAt.plus(LABEL_DELAY).plus(Duration.ofDays(1));
        List<LoopEvent> events = promotion.advance(judged);

        assertThat(events).extracting(LoopEvent::kind).containsExactly("rolled_back");
        LoopEvent e = events.getFirst();
        assertThat(e.at()).isEqualTo(judged);
        assertThat(e.version()).isEqualTo(name + "/2");
        assertThat(e.summary()).contains("champion rolled back to " + name + "/1");
        assertThat(e.details()).containsEntry("label_complete", 200).containsEntry("frauds", 20L);
        assertThat((Double) e.details().get("champion_ap")).isLessThan(0.2);
        assertThat((Double) e.details().get("challenger_ap")).isEqualTo(1.0);

        assertThat(champion(name)).as("the champion alias is back on the previous version").isEqualTo(1);
        assertThat(alias(name, ModelRegistry.CHALLENGER)).as("the watch is over").isEmpty();
        assertThat(promotion.inFlight()).isFalse();
        assertThat(models.version(name, 1).tags().getOrDefault(Promotion.ROLE_TAG, "")).isEmpty();
        AliasMove rollback = models.history(name, ModelRegistry.CHAMPION).getFirst();
        assertThat(rollback.kind()).isEqualTo(AliasMove.Kind.ROLLBACK);
        assertThat(rollback.fromVersion()).isEqualTo(2);
        assertThat(rollback.toVersion()).isEqualTo(1);
        assertThat(rollback.actor()).isEqualTo("riskloop-monitor");
        assertThat(rollback.reason()).startsWith("live accuracy regressed");

        assertThat(promotion.advance(judged.plus(Duration.ofDays(1)))).as("nothing left to do").isEmpty();
    }

    @Test
    void aPromotionThatHoldsWithinTheMarginStaysAndTheWatchEnds() {
        String name = "fraud-holds";
        Promotion promotion = twoVersions(name);
        decide(name + "-shadow", T0, 200, name + "/1", GOOD, name + "/2", GOOD);
        Instant promotedAt = T0.plus(Duration.ofDays(5));
        assertThat(promotion.advance(promotedAt)).extracting(LoopEvent::kind).containsExactly("shadow", "promoted");

        // the new champion is a shade worse than its predecessor on the same traffic, by less than the margin
        decide(name + "-watch", promotedAt, 200, name + "/2", SLIGHTLY_WORSE, name + "/1", GOOD);
        Instant judged = promotedAt.plus(LABEL_DELAY).plus(Duration.ofDays(1));
        List<LoopEvent> events = promotion.advance(judged);

        assertThat(events).extracting(LoopEvent::kind).containsExactly("watch_ended");
        assertThat(events.getFirst().summary()).contains(name + "/2 holds up on live traffic");
        assertThat((Double) events.getFirst().details().get("champion_ap"))
                .isCloseTo((19 + 20.0 / 21) / 20, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(champion(name)).isEqualTo(2);
        assertThat(alias(name, ModelRegistry.CHALLENGER)).isEmpty();
        assertThat(promotion.inFlight()).isFalse();
        assertThat(models.version(name, 1).tags().getOrDefault(Promotion.ROLE_TAG, "")).isEmpty();
        assertThat(models.history(name, ModelRegistry.CHAMPION)).extracting(AliasMove::kind)
                .doesNotContain(AliasMove.Kind.ROLLBACK);
    }

    @Test
    void aChallengerIsPromotedOnlyAfterEnoughShadowedDecisionsAndLabelledFrauds() {
        String name = "fraud-waits";
        Promotion promotion = twoVersions(name);
        decide(name + "-a", T0, 99, name + "/1", GOOD, name + "/2", GOOD);
        Instant late = T0.plus(Duration.ofDays(10));
        assertThat(promotion.advance(late)).as("99 of 100 shadowed decisions").isEmpty();

        // the 100th decision is recent, so not label-complete; the 99 before it hold 9 frauds, one short of 10
        decide(name + "-b", late.minus(Duration.ofDays(1)), 1, name + "/1", GOOD, name + "/2", GOOD);
        assertThat(store.shadowed(name + "/1", name + "/2")).isEqualTo(100);
        assertThat(promotion.advance(late)).as("9 label-complete frauds, 10 needed").isEmpty();
        assertThat(champion(name)).isEqualTo(1);

        // ten more label-complete decisions, one of them a fraud: the tenth
        decide(name + "-c", T0.plus(Duration.ofHours(12)), 10, name + "/1", GOOD, name + "/2", GOOD);
        assertThat(promotion.advance(late)).extracting(LoopEvent::kind).containsExactly("shadow", "promoted");
        assertThat(champion(name)).isEqualTo(2);
    }

    @Test
    void aChallengerWorseThanTheChampionInShadowIsWithdrawn() {
        String name = "fraud-withdrawn";
        Promotion promotion = twoVersions(name);
        decide(name + "-shadow", T0, 200, name + "/1", GOOD, name + "/2", BAD);
        List<LoopEvent> events = promotion.advance(T0.plus(Duration.ofDays(5)));
        assertThat(events).extracting(LoopEvent::kind).containsExactly("shadow", "challenger_withdrawn");
        assertThat(champion(name)).isEqualTo(1);
        assertThat(alias(name, ModelRegistry.CHALLENGER)).isEmpty();
        assertThat(promotion.inFlight()).isFalse();
    }

    @Test
    void inAnAbTestTheShadowReportHoldsEachArmAndFishersTest() {
        String name = "fraud-ab";
        Promotion promotion = twoVersions(name);
        // the champion's arm: v1 decides, v2 scores beside it; the challenger's arm (other cards): the other way round
        decide(name + "-a", T0, 200, name + "/1", GOOD, name + "/2", GOOD);
        decide(name + "-b", T0.plusSeconds(30), 200, name + "/2", BAD, name + "/1", GOOD);
        List<LoopEvent> events = promotion.advance(T0.plus(Duration.ofDays(5)));
        LoopEvent shadow = events.getFirst();
        assertThat(shadow.kind()).isEqualTo("shadow");
        assertThat(shadow.summary()).contains("A/B: " + name + "/1 caught 20 of 20 frauds", name + "/2 caught");
        assertThat(shadow.details()).containsEntry("ab_champion_transactions", 200L)
                .containsEntry("ab_challenger_transactions", 200L)
                .containsEntry("ab_champion_frauds", 20L).containsEntry("ab_challenger_frauds", 20L)
                .containsEntry("ab_champion_caught", 20L);
        assertThat((Long) shadow.details().get("ab_challenger_caught")).isLessThan(20L);
        assertThat((Double) shadow.details().get("ab_p_value")).isBetween(0.0, 1.0);
    }

    /** A model with versions 1 (champion) and 2 (challenger), registered without artifacts: promotion reads none. */
    private static Promotion twoVersions(String name) {
        models.createModel(name, "", Map.of(), "ann");
        for (int v = 1; v <= 2; v++) {
            models.createVersion(new NewVersion(name, "test:" + name + "/" + v, null, null, null, Map.of(), "", Map.of(),
                    "ann"));
        }
        models.setAlias(name, ModelRegistry.CHAMPION, 1, "ann", "first model");
        models.setAlias(name, ModelRegistry.CHALLENGER, 2, "riskloop-monitor", "retrained");
        return new Promotion(models, new io.riskloop.store.audit.AuditLog(POSTGRES.database(), Clock.fixed(T0, ZoneOffset.UTC)), store, name, POLICY,
                "riskloop-monitor");
    }

    /**
     * Stores {@code n} decisions a minute apart from {@code start}, made by {@code champion} with {@code challenger}
     * scoring beside it; every tenth row is a fraud, labelled by a chargeback known a day after the transaction.
     */
    private static void decide(String prefix, Instant start, int n, String champion, Scores championScores,
                               String challenger, Scores challengerScores) {
        List<Decision> batch = new ArrayList<>();
        List<String> frauds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean fraud = i % 10 == 9;
            Instant t = start.plus(Duration.ofMinutes(i));
            String id = prefix + "-" + i;
            double score = championScores.score(i, fraud);
            Transaction tx = new Transaction(id, t, "card-" + i % 37, "term-" + i % 11, 20 + i);
            batch.add(new Decision(tx, new double[] {20 + i}, List.of("TX_AMOUNT"), score,
                    score >= 0.5 ? DecisionType.REVIEW : DecisionType.APPROVE, List.of(), champion,
                    challengerScores.score(i, fraud), challenger, t));
            if (fraud) {
                frauds.add(id);
            }
        }
        store.storeDecisions(batch);
        for (int i = 0; i < frauds.size(); i++) {
            store.label(frauds.get(i), true, "chargeback", "bank", null,
                    batch.get(i * 10 + 9).transaction().timestamp().plus(Duration.ofDays(1)));
        }
    }

    private static int champion(String name) {
        return models.versionByAlias(name, ModelRegistry.CHAMPION).version();
    }

    private static Optional<ModelVersion> alias(String name, String alias) {
        return models.versions(name).stream().filter(v -> v.aliases().contains(alias)).findFirst();
    }
}
