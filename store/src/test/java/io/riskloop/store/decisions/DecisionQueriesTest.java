package io.riskloop.store.decisions;

import io.riskloop.core.domain.Decision;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecisionQueriesTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    static final Instant T0 = Instant.parse("2018-05-01T00:00:00Z");

    @Test
    void searchesFilterAndPageWithoutLosingOrRepeatingRows() {
        DecisionStore store = new DecisionStore(POSTGRES.database(), Clock.systemUTC());
        List<Decision> batch = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            DecisionType type = i % 3 == 0 ? DecisionType.REVIEW : i % 3 == 1 ? DecisionType.APPROVE : DecisionType.DECLINE;
            // ties in score and time, so that paging must break them by id
            batch.add(DecisionStoreTest.decision("q" + i, T0.plusSeconds(3600L * (i / 2)), type, (i % 10) / 10.0));
        }
        store.storeDecisions(batch);
        store.label("q0", true, "analyst", "ann", null, T0);
        DecisionQueries q = new DecisionQueries(POSTGRES.database());

        for (DecisionQueries.Order order : DecisionQueries.Order.values()) {
            Set<String> seen = new HashSet<>();
            List<StoredDecision> all = new ArrayList<>();
            String token = null;
            do {
                DecisionQueries.Page p = q.search(DecisionFilter.ALL, order, 7, token);
                p.items().forEach(d -> assertThat(seen.add(d.decision().transaction().id())).isTrue());
                all.addAll(p.items());
                token = p.nextPageToken();
            } while (token != null);
            assertThat(all).hasSize(60);
            if (order == DecisionQueries.Order.SCORE) {
                assertThat(all).extracting(d -> d.decision().score()).isSortedAccordingTo((a, b) -> Double.compare(b, a));
            } else {
                assertThat(all).extracting(d -> d.decision().transaction().timestamp())
                        .isSortedAccordingTo((a, b) -> b.compareTo(a));
            }
        }

        DecisionQueries.Page queue = q.search(DecisionFilter.REVIEW_QUEUE, DecisionQueries.Order.SCORE, 100, null);
        assertThat(queue.items()).hasSize(19).allSatisfy(d -> {
            assertThat(d.decision().decision()).isEqualTo(DecisionType.REVIEW);
            assertThat(d.trueLabel()).isNull();
        });
        assertThat(q.count(DecisionFilter.REVIEW_QUEUE)).isEqualTo(19);
        DecisionFilter narrow = new DecisionFilter(null, DecisionFilter.LabelState.FRAUD, null, "term-1",
                T0.minusSeconds(1), T0.plusSeconds(1), 0.0, 0.05);
        assertThat(q.search(narrow, DecisionQueries.Order.TIME, 10, null).items())
                .extracting(d -> d.decision().transaction().id()).containsExactly("q0");
        DecisionFilter scores = new DecisionFilter(null, null, null, null, null, null, 0.85, 0.95);
        assertThat(q.count(scores)).isEqualTo(6);
        String card = batch.get(5).transaction().cardId();
        assertThat(q.cardHistory(card, T0.plusSeconds(3600L * 20), 100)).isNotEmpty()
                .allSatisfy(d -> assertThat(d.decision().transaction().cardId()).isEqualTo(card));

        String token = q.search(DecisionFilter.ALL, DecisionQueries.Order.SCORE, 5, null).nextPageToken();
        assertThatThrownBy(() -> q.search(DecisionFilter.ALL, DecisionQueries.Order.TIME, 5, token))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page_token");
        assertThatThrownBy(() -> q.search(DecisionFilter.ALL, DecisionQueries.Order.TIME, 5, "%%%"))
                .isInstanceOf(IllegalArgumentException.class);

        // decided_at is event time + 5 ms in these rows
        DecisionQueries.Dashboard d = q.dashboard(T0, T0.plusSeconds(86_400 * 2), 30);
        assertThat(d.decisions()).isEqualTo(60);
        assertThat(d.mix()).containsEntry(DecisionType.REVIEW, 20L).containsEntry(DecisionType.DECLINE, 20L);
        assertThat(d.alertRate()).isEqualTo(40 / 60.0);
        assertThat(java.util.Arrays.stream(d.scoreHistogram()).sum()).isEqualTo(60);
        assertThat(d.perMinute().stream().mapToLong(DecisionQueries.Bucket::decisions).sum()).isEqualTo(60);
        assertThat(d.unlabelledReviews()).isEqualTo(19);
        assertThat(d.accuracy()).singleElement().satisfies(a -> {
            assertThat(a.truePositives()).isEqualTo(1);
            assertThat(a.precision()).isEqualTo(1.0);
            assertThat(a.recall()).isEqualTo(1.0);
        });
    }
}
