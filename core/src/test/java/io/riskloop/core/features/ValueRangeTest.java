package io.riskloop.core.features;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueRangeTest {

    @Test
    void containsItsEndsAndNothingOutsideOrMissing() {
        assertThat(ValueRange.UNIT.contains(0)).isTrue();
        assertThat(ValueRange.UNIT.contains(1)).isTrue();
        assertThat(ValueRange.UNIT.contains(0.25)).isTrue();
        assertThat(ValueRange.UNIT.contains(1.0001)).isFalse();
        assertThat(ValueRange.UNIT.contains(-0.0001)).isFalse();
        assertThat(ValueRange.ANY.contains(Double.NaN)).isFalse();
        assertThat(ValueRange.ANY.contains(-1e300)).isTrue();
    }

    @Test
    void countsAndFlagsTakeWholeNumbersOnly() {
        assertThat(ValueRange.COUNT.contains(3)).isTrue();
        assertThat(ValueRange.COUNT.contains(2.5)).isFalse();
        assertThat(ValueRange.COUNT.contains(-1)).isFalse();
        assertThat(ValueRange.FLAG.contains(0.5)).isFalse();
        assertThat(ValueRange.FLAG.contains(1)).isTrue();
        assertThat(ValueRange.FLAG).hasToString("whole numbers in [0, 1]");
        assertThat(ValueRange.NON_NEGATIVE).hasToString("[0, inf]");
    }

    @Test
    void theBaselineSetDeclaresARangePerFeature() {
        FeatureSet s = FeatureSet.BASELINE;
        assertThat(s.ranges()).hasSize(s.size());
        assertThat(s.ranges().get(s.names().indexOf("TX_DURING_WEEKEND"))).isEqualTo(ValueRange.FLAG);
        assertThat(s.ranges().get(s.names().indexOf("CUSTOMER_ID_NB_TX_7DAY_WINDOW"))).isEqualTo(ValueRange.COUNT);
        assertThat(s.ranges().get(s.names().indexOf("CUSTOMER_ID_AVG_AMOUNT_7DAY_WINDOW"))).isEqualTo(ValueRange.NON_NEGATIVE);
        assertThat(s.ranges().get(s.names().indexOf("TERMINAL_ID_RISK_30DAY_WINDOW"))).isEqualTo(ValueRange.UNIT);
        assertThatThrownBy(() -> new ValueRange(1, 0, false)).hasMessageContaining("min <= max");
    }
}
