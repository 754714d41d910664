package io.riskloop.server.retrain;

import io.riskloop.core.domain.Decision;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.domain.Transaction;
import io.riskloop.registry.Registry;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.registry.models.ModelRegistry;
import io.riskloop.registry.models.NewVersion;
import io.riskloop.server.api.AliasChanges;
import io.riskloop.store.audit.AuditLog;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.monitor.LoopEvent;
import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The monitoring loop's alias moves are in the audit log like the API's: a promotion after shadowing, a challenger
 * withdrawn, a rollback after the watch, each by the loop's actor with the version before and after and the reason,
 * written in the transaction that moves the alias.
 */
class PromotionAuditTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path dir;

    static final Instant NOW = Instant.parse("2018-06-01T00:00:00Z");
    static final String ACTOR = "riskloop-monitor";
    /** Promotion after 30 shadowed decisions holding 3 labelled frauds, and a watch of as many. */
    static final RetrainPolicy POLICY = RetrainPolicy.DEFAULT.withShadow(30, 30, 3);

    static Registry registry;
    static DecisionStore decisions;
    static AuditLog audit;

    @BeforeAll
    static void open() {
        registry = Registry.open(POSTGRES.database(), new ArtifactStore(dir.resolve("artifacts")), Clock.systemUTC());
        decisions = new DecisionStore(POSTGRES.database(), Clock.systemUTC());
        audit = new AuditLog(POSTGRES.database(), Clock.systemUTC());
    }

    /** A model with v1 as champion and v2 as challenger. */
    static void championAndChallenger(String name) {
        registry.models().createModel(name, "", Map.of(), "test");
        for (int i = 0; i < 2; i++) {
            registry.models().createVersion(new NewVersion(name, "runs:/none/model", null, null, null, Map.of(), null,
                    null, "test"));
        }
        registry.models().setAlias(name, ModelRegistry.CHAMPION, 1, "test", "first");
        registry.models().setAlias(name, ModelRegistry.CHALLENGER, 2, "test", "retrained");
    }

    /**
     * 30 label-complete decisions of {@code champion} with {@code challenger} shadowing it, every fifth a fraud
     * (labelled): the better model of the two ranks every fraud first, the other every fraud last.
     */
    static void shadowed(String prefix, String champion, String challenger, boolean challengerBetter) {
        List<Decision> batch = new ArrayList<>();
        Instant t0 = NOW.minus(POLICY.labelDelay()).minus(Duration.ofDays(2));
        for (int i = 0; i < 30; i++) {
            boolean fraud = i % 5 == 0;
            double good = fraud ? 0.9 : 0.1;
            double bad = fraud ? 0.05 : 0.8;
            Transaction t = new Transaction(prefix + "-" + i, t0.plusSeconds(60L * i), "card-" + i, "term-1", 10 + i);
            batch.add(new Decision(t, new double[0], List.of(), challengerBetter ? bad : good, DecisionType.APPROVE,
                    List.of(), champion, challengerBetter ? good : bad, challenger, t.timestamp()));
        }
        decisions.storeDecisions(batch);
        for (int i = 0; i < 30; i += 5) {
            decisions.label(prefix + "-" + i, true, "chargeback", "bank", null, NOW.minus(Duration.ofDays(1)));
        }
    }

    static List<String> entries(String subject) {
        return audit.about(subject).stream().filter(e -> e.actor().equals(ACTOR))
                .map(e -> e.action() + " " + e.before() + " -> " + e.after()).toList();
    }

    @Test
    void aPromotionAndARollbackAfterTheWatchAreAudited() {
        championAndChallenger("promoted");
        Promotion p = new Promotion(registry.models(), audit, decisions, "promoted", POLICY, ACTOR);
        shadowed("promoted-shadow", "promoted/1", "promoted/2", true);
        assertThat(p.advance(NOW)).extracting(LoopEvent::kind).contains("promoted");
        assertThat(entries("model:promoted@champion")).containsExactly("alias.set {\"version\": 1} -> {\"version\": 2}");
        assertThat(entries("model:promoted@challenger"))
                .containsExactly("alias.set {\"version\": 2} -> {\"version\": 1}");
        assertThat(audit.about("model:promoted@champion").getLast().detail()).startsWith("promoted after shadowing 30");

        // the new champion does worse than the previous one on the traffic both scored: the watch rolls back
        shadowed("promoted-watch", "promoted/2", "promoted/1", true);
        assertThat(p.advance(NOW)).extracting(LoopEvent::kind).containsExactly("rolled_back");
        assertThat(entries("model:promoted@champion")).containsExactly(
                "alias.set {\"version\": 1} -> {\"version\": 2}", "alias.rollback {\"version\": 2} -> {\"version\": 1}");
        assertThat(audit.about("model:promoted@champion").getLast().detail()).startsWith("live accuracy regressed");
        assertThat(entries("model:promoted@challenger")).containsExactly(
                "alias.set {\"version\": 2} -> {\"version\": 1}", "alias.delete {\"version\": 1} -> null");
        // the audit log and the registry's own record of moves agree
        assertThat(registry.models().history("promoted", null).stream().filter(m -> m.actor().equals(ACTOR)).count())
                .isEqualTo(audit.recent("model:promoted@", ACTOR, null, 100).size()).isEqualTo(4);
    }

    @Test
    void aChallengerWithdrawnAfterShadowingIsAudited() {
        championAndChallenger("withdrawn");
        Promotion p = new Promotion(registry.models(), audit, decisions, "withdrawn", POLICY, ACTOR);
        shadowed("withdrawn-shadow", "withdrawn/1", "withdrawn/2", false);
        assertThat(p.advance(NOW)).extracting(LoopEvent::kind).containsExactly("shadow", "challenger_withdrawn");
        assertThat(entries("model:withdrawn@challenger")).containsExactly("alias.delete {\"version\": 2} -> null");
        assertThat(audit.about("model:withdrawn@challenger").getLast().detail()).startsWith("shadow: on 30");
        assertThat(entries("model:withdrawn@champion")).isEmpty();
    }

    @Test
    void aMoveWhoseAuditEntryCannotBeWrittenIsNotMade() {
        championAndChallenger("atomic");
        assertThatThrownBy(() -> registry.models().setAlias("atomic", ModelRegistry.CHAMPION, 2, ACTOR, "x",
                (c, m) -> {
                    AliasChanges.audited(audit).record(c, m);
                    throw new SQLException("the audit entry was refused");
                })).hasMessageContaining("the audit entry was refused");
        assertThat(registry.models().versionByAlias("atomic", ModelRegistry.CHAMPION).version()).isEqualTo(1);
        assertThat(registry.models().history("atomic", ModelRegistry.CHAMPION)).hasSize(1);
        assertThat(audit.about("model:atomic@champion")).isEmpty();
    }
}
