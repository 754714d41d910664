package io.riskloop.core.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ThresholdMetricsTest {

    @Test
    void derivesPrecisionRecallAndF1FromTheCounts() {
        ThresholdMetrics m = new ThresholdMetrics(0.5, 3, 1, 6, 90);
        assertThat(m.precision()).isEqualTo(0.75);
        assertThat(m.recall()).isCloseTo(1.0 / 3, within(1e-15));
        // 2PR/(P+R) = 2 * 0.75 * 1/3 / (0.75 + 1/3) = 0.5 / (13/12) = 6/13
        assertThat(m.f1()).isCloseTo(6.0 / 13, within(1e-15));
    }

    @Test
    void precisionIsZeroWhenNothingIsFlagged() {
        ThresholdMetrics m = new ThresholdMetrics(0.99, 0, 0, 4, 10);
        assertThat(m.precision()).isZero();
        assertThat(m.recall()).isZero();
        assertThat(m.f1()).isZero();
    }

    @Test
    void recallIsZeroWhenThereAreNoFrauds() {
        ThresholdMetrics m = new ThresholdMetrics(0.1, 0, 5, 0, 10);
        assertThat(m.recall()).isZero();
        assertThat(m.precision()).isZero();
        assertThat(m.f1()).isZero();
    }

    @Test
    void everythingIsOneWhenEveryFraudAndOnlyFraudIsFlagged() {
        ThresholdMetrics m = new ThresholdMetrics(0.5, 7, 0, 0, 3);
        assertThat(m.precision()).isEqualTo(1.0);
        assertThat(m.recall()).isEqualTo(1.0);
        assertThat(m.f1()).isEqualTo(1.0);
    }
}
