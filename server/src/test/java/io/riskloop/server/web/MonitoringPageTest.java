package io.riskloop.server.web;

import io.riskloop.server.MonitoringData;
import io.riskloop.server.api.AccuracySeries;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The Monitoring page's chart data, without a server: one time axis, series aligned on it, thinned evenly. */
class MonitoringPageTest {

    static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");

    @Test
    void thinningKeepsAtMostNEvenlySpacedWithTheFirstAndTheLast() {
        List<Integer> all = IntStream.range(0, 1_000).boxed().toList();
        List<Integer> kept = MonitoringPage.thin(all, 200);
        assertThat(kept).hasSize(200).startsWith(0).endsWith(999).doesNotHaveDuplicates().isSorted();
        List<Integer> gaps = new ArrayList<>();
        for (int i = 1; i < kept.size(); i++) {
            gaps.add(kept.get(i) - kept.get(i - 1));
        }
        assertThat(gaps).allSatisfy(g -> assertThat(g).isBetween(4, 6));
        assertThat(MonitoringPage.thin(all.subList(0, 200), 200)).isEqualTo(all.subList(0, 200));
    }

    @Test
    @SuppressWarnings("unchecked")
    void seriesShareOneTimeAxisWithGapsWhereAVersionHadNoWindow() {
        Instant d1 = T0.plus(Duration.ofDays(1));
        Instant d2 = T0.plus(Duration.ofDays(2));
        Instant d3 = T0.plus(Duration.ofDays(3));
        var windows = List.of(
                MonitoringData.window("fraud/1", "decided", d1, 0.7),
                MonitoringData.window("fraud/1", "decided", d2, 0.6),
                MonitoringData.window("fraud/2", "shadow", d2, 0.8),
                MonitoringData.window("fraud/1", "shadow", d3, 0.5),
                MonitoringData.window("fraud/2", "decided", d3, 0.9));
        Map<String, Object> chart = MonitoringPage.chart(AccuracySeries.of(windows));
        assertThat((List<String>) chart.get("times")).containsExactly("2025-06-02 00:00", "2025-06-03 00:00",
                "2025-06-04 00:00");
        List<Map<String, Object>> series = (List<Map<String, Object>>) chart.get("series");
        assertThat(series).extracting(s -> s.get("label")).containsExactly("fraud/1 (decided)",
                "fraud/2 (shadow)", "fraud/1 (shadow)", "fraud/2 (decided)");
        assertThat(series.get(0).get("ap")).isEqualTo(Arrays.asList(0.7, 0.6, null));
        assertThat(series.get(0).get("cp")).isEqualTo(Arrays.asList(0.35, 0.3, null));
        assertThat(series.get(1).get("ap")).isEqualTo(Arrays.asList(null, 0.8, null));
        // a version keeps its colour when its role changes; challengers are drawn dashed
        assertThat(series).extracting(s -> s.get("colour")).containsExactly(0, 1, 0, 1);
        assertThat(series).extracting(s -> s.get("challenger")).containsExactly(false, true, true, false);
    }
}
