package io.riskloop.store.decisions;

import io.riskloop.core.domain.Decision;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.domain.Transaction;
import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecisionStoreTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    static Decision decision(String id, Instant t, DecisionType type, double score) {
        Transaction tx = new Transaction(id, t, "card-" + id.hashCode() % 7, "term-1", 12.34,
                Map.of("currency", "EUR"));
        return new Decision(tx, new double[] {12.34, Double.NaN}, List.of("TX_AMOUNT", "X"), score, type,
                List.of("because"), "fraud/1", type == DecisionType.REVIEW ? 0.4 : null,
                type == DecisionType.REVIEW ? "fraud/2" : null, t.plusMillis(5));
    }

    @Test
    void decisionsAreStoredOnceAcrossDailyPartitionsAndReadBack() {
        DecisionStore store = new DecisionStore(POSTGRES.database(), CLOCK);
        List<Decision> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(decision("t" + i, Instant.parse("2018-04-01T12:00:00Z").plusSeconds(3600L * 13 * i),
                    i % 5 == 0 ? DecisionType.REVIEW : DecisionType.APPROVE, i / 100.0));
        }
        assertThat(store.storeDecisions(batch)).isEqualTo(50);
        // the same batch again, e.g. after a crash before the consumer committed: nothing changes
        assertThat(store.storeDecisions(batch)).isZero();
        assertThat(store.storeDecisions(batch.subList(10, 20))).isZero();
        assertThat(store.counts()).containsEntry("decisions", 50L).containsEntry("review", 10L)
                .containsEntry("approve", 40L);
        StoredDecision d = store.find("t5").orElseThrow();
        assertThat(d.decision().transaction()).isEqualTo(batch.get(5).transaction());
        assertThat(d.decision().features()[0]).isEqualTo(12.34);
        assertThat(d.decision().features()[1]).isNaN();
        assertThat(d.decision().challengerVersion()).isEqualTo("fraud/2");
        assertThat(d.decision().reasons()).containsExactly("because");
        assertThat(d.trueLabel()).isNull();
        assertThat(d.storedAt()).isEqualTo(CLOCK.instant());
        // 50 transactions 13 hours apart span 28 days: one partition per day
        int partitions = POSTGRES.database().withConnection(c -> io.riskloop.store.Sql.one(c,
                "select count(*) as n from pg_inherits where inhparent = 'decisions'::regclass",
                rs -> rs.getInt("n")).orElseThrow());
        assertThat(partitions).isEqualTo(28);
    }

    @Test
    void labelsKeepTheirHistoryAndTheLatestIsCurrent() {
        DecisionStore store = new DecisionStore(POSTGRES.database(), CLOCK);
        store.storeDecisions(List.of(decision("L1", Instant.parse("2018-05-01T10:00:00Z"), DecisionType.REVIEW, 0.7)));
        Instant k1 = Instant.parse("2018-05-02T00:00:00Z");
        store.label("L1", true, "analyst", "ana", "card testing pattern", k1);
        store.label("L1", false, "chargeback", "bank", null, k1.plusSeconds(86400));
        StoredDecision d = store.find("L1").orElseThrow();
        assertThat(d.trueLabel()).isFalse();
        assertThat(d.labelSource()).isEqualTo("chargeback");
        assertThat(d.labeledAt()).isEqualTo(k1.plusSeconds(86400));
        assertThat(store.labels("L1")).extracting(StoredLabel::fraud, StoredLabel::author)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(true, "ana"),
                        org.assertj.core.groups.Tuple.tuple(false, "bank"));
        assertThatThrownBy(() -> store.label("nope", true, "analyst", "ana", null, k1))
                .isInstanceOf(NoSuchTransactionException.class).hasMessageContaining("'nope'");
        assertThatThrownBy(() -> store.label("L1", true, "gossip", "ana", null, k1))
                .hasMessageContaining("label source 'gossip'");
    }

    @Test
    void deadLettersAreStoredOncePerSourceRecord() {
        DecisionStore store = new DecisionStore(POSTGRES.database(), CLOCK);
        DeadLetter a = new DeadLetter("transactions", 1, 42, "amount", "not a number", "{\"amount\":\"x\"}",
                CLOCK.instant());
        DeadLetter b = new DeadLetter("transactions", 1, 43, "(record)", "not JSON", "{", CLOCK.instant());
        assertThat(store.storeDeadLetters(List.of(a, b))).isEqualTo(2);
        assertThat(store.storeDeadLetters(List.of(a))).isZero();
        assertThat(store.deadLetters(10)).extracting(DeadLetter::offset).containsExactlyInAnyOrder(42L, 43L);
        assertThat(store.counts()).containsEntry("dead_letters", 2L);
    }
}
