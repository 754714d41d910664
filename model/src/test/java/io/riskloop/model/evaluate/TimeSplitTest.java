package io.riskloop.model.evaluate;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.features.FeatureMatrix;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeSplitTest {

    private final List<LabeledTransaction> rows = new ArrayList<>();

    private void tx(String id, String day, String card, boolean fraud) {
        rows.add(new LabeledTransaction(new Transaction(id, Instant.parse(day + "T12:00:00Z"), card, "t", 1), fraud,
                fraud ? 1 : 0));
    }

    private FeatureMatrix matrix() {
        return new FeatureMatrix(List.of(), new float[0], rows.size(), rows);
    }

    private List<String> ids(int[] idx) {
        return Arrays.stream(idx).mapToObj(i -> rows.get(i).transaction().id()).toList();
    }

    @Test
    void knownDefraudedCardsLeaveTheTestDaysAsTheirFraudsBecomeKnown() {
        // train 07-25..07-26 (2 days), gap 2 days, test 07-29..07-31 (3 days)
        TimeSplit split = new TimeSplit(LocalDate.of(2018, 7, 25), 2, 2, 3);
        tx("before", "2018-07-24", "A", false);
        tx("train1", "2018-07-25", "A", true);    // A known defrauded from the start
        tx("train2", "2018-07-26", "B", false);
        tx("gap-b", "2018-07-27", "B", true);     // last training day + 1: B known before test day 1
        tx("gap-c", "2018-07-28", "C", true);     // last training day + 2: C known before test day 2
        tx("t0-a", "2018-07-29", "A", false);     // removed: A
        tx("t0-b", "2018-07-29", "B", false);     // kept: B not yet known on test day 0
        tx("t0-c", "2018-07-29", "C", false);     // kept
        tx("t1-b", "2018-07-30", "B", false);     // removed: B known
        tx("t1-c", "2018-07-30", "C", false);     // kept: C known only from test day 2
        tx("t2-c", "2018-07-31", "C", true);      // removed: C known
        tx("t2-d", "2018-07-31", "D", true);      // kept
        tx("after", "2018-08-01", "D", false);
        TimeSplit.Indexes idx = split.apply(matrix());
        assertThat(ids(idx.train())).containsExactly("train1", "train2");
        assertThat(ids(idx.test())).containsExactly("t0-b", "t0-c", "t1-c", "t2-d");
    }

    @Test
    void theBookSplitIsTheHandbooks() {
        assertThat(TimeSplit.BOOK.describe()).isEqualTo("train 2018-07-25..2018-07-31, gap 7 d, test 2018-08-08..2018-08-14");
        assertThat(TimeSplit.BOOK.shiftedBack(7).trainStart()).isEqualTo(LocalDate.of(2018, 7, 18));
    }

    @Test
    void nonsenseSplitsAreRefused() {
        assertThatThrownBy(() -> new TimeSplit(LocalDate.of(2018, 1, 1), 0, 7, 7))
                .hasMessageContaining("train 0, delay 7, test 7");
    }
}
