package io.riskloop.core.drift;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LiveWindowTest {

    private static final ReferenceProfile REFERENCE = ReferenceProfile.builder().modelVersion("m/1").build(
            DriftData.matrix(List.of("amount", "channel"), DriftData.normal(1, 5_000, 0, 1),
                    DriftData.categorical(2, 5_000, 0.5, 0.3, 0.2)),
            DriftData.toDouble(DriftData.normal(3, 5_000, 0.2, 0.1)));

    @Test
    void oldTransactionsDropOutOfTheWindow() {
        LiveWindow w = LiveWindow.builder(REFERENCE).size(1_000).buckets(10).build();
        for (int i = 0; i < 5_000; i++) {
            w.add(new float[] {100, 1}, 0.9, DriftData.T0.plusSeconds(i));
        }
        for (int i = 0; i < 1_000; i++) {
            w.add(new float[] {-100, 2}, 0.1, DriftData.T0.plusSeconds(10_000 + i));
        }
        LiveWindow.Snapshot s = w.snapshot();
        assertThat(s.rows()).isEqualTo(1_000);
        assertThat(s.features().get(1).categoryCounts()).containsExactly(Map.entry(2f, 1_000L));
        assertThat(s.features().get(0).mean()).isEqualTo(-100);
        assertThat(s.features().get(0).quantile(1.0)).isEqualTo(-100);
        assertThat(s.score().mean()).isCloseTo(0.1, within(1e-6));
        assertThat(s.from()).isEqualTo(DriftData.T0.plusSeconds(10_000));
        assertThat(s.to()).isEqualTo(DriftData.T0.plusSeconds(10_999));
    }

    @Test
    void theWindowSlidesByWholeBuckets() {
        LiveWindow w = LiveWindow.builder(REFERENCE).size(1_000).buckets(10).build();
        for (int i = 0; i < 1_000; i++) {
            w.add(new float[] {1, 0}, 0.5, DriftData.T0);
        }
        assertThat(w.rows()).isEqualTo(1_000);
        w.add(new float[] {2, 1}, 0.5, DriftData.T0.plus(Duration.ofHours(1)));
        // the oldest bucket of 100 went when the 1,001st transaction started a new one
        assertThat(w.rows()).isEqualTo(901);
        LiveWindow.Snapshot s = w.snapshot();
        assertThat(s.features().get(1).categoryCounts()).containsExactly(Map.entry(0f, 900L), Map.entry(1f, 1L));
        assertThat(s.from()).isEqualTo(DriftData.T0);
    }

    @Property(tries = 60)
    void itHoldsTheLatestTransactionsAndTheirExactMoments(@ForAll @IntRange(min = 1, max = 3_000) int added,
                                                         @ForAll @IntRange(min = 1, max = 20) int buckets,
                                                         @ForAll @IntRange(min = 20, max = 1_000) int size,
                                                         @ForAll long seed) {
        LiveWindow w = LiveWindow.builder(REFERENCE).size(size).buckets(buckets).sampleSize(50).seed(seed).build();
        Random rnd = new Random(seed);
        List<Float> all = new ArrayList<>();
        for (int i = 0; i < added; i++) {
            float v = (float) rnd.nextGaussian();
            all.add(v);
            w.add(new float[] {v, rnd.nextInt(3)}, rnd.nextDouble(), DriftData.T0.plusSeconds(i));
        }
        int bucketSize = (size + buckets - 1) / buckets;
        long rows = w.rows();
        if (added <= size) {
            assertThat(rows).isEqualTo(added);
        } else {
            assertThat(rows).isBetween((long) size - bucketSize + 1, (long) size);
        }
        List<Float> latest = all.subList(added - (int) rows, added);
        ColumnProfile amount = w.snapshot().features().getFirst();
        double mean = latest.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
        double var = latest.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / rows;
        assertThat(amount.count()).isEqualTo(rows);
        assertThat(amount.mean()).isCloseTo(mean, within(1e-9));
        assertThat(amount.standardDeviation()).isCloseTo(Math.sqrt(var), within(1e-9));
        assertThat(amount.sampleSize()).isEqualTo((int) Math.min(50, rows));
        for (float v : amount.sample()) {
            assertThat(latest).contains(v);
        }
        assertThat(amount.quantile(0)).isEqualTo((double) latest.stream().min(Float::compare).orElseThrow());
    }

    @Test
    void aSnapshotsSampleDependsOnTheContentsOnly() {
        // (the merged KLL sketch does not: DataSketches compacts with a random choice it does not let us seed)
        LiveWindow w = LiveWindow.builder(REFERENCE).sampleSize(100).build();
        for (int i = 0; i < 3_000; i++) {
            w.add(new float[] {i, i % 3}, 0.5, DriftData.T0);
        }
        ColumnProfile first = w.snapshot().features().getFirst();
        ColumnProfile second = w.snapshot().features().getFirst();
        assertThat(second.sample()).isEqualTo(first.sample()).hasSize(100);
        assertThat(second.mean()).isEqualTo(first.mean());
        w.add(new float[] {1, 1}, 0.5, DriftData.T0);
        assertThat(w.snapshot().features().getFirst().sample()).isNotEqualTo(first.sample());
    }

    @Test
    void liveCategoriesBeyondTheLimitAreCountedAsOther() {
        LiveWindow w = LiveWindow.of(REFERENCE);
        for (int i = 0; i < 200; i++) {
            w.add(new float[] {0, i}, 0.5, DriftData.T0);
        }
        ColumnProfile channel = w.snapshot().features().get(1);
        assertThat(channel.categoryCounts()).hasSize(LiveWindow.MAX_CATEGORIES);
        assertThat(channel.otherCount()).isEqualTo(200 - LiveWindow.MAX_CATEGORIES);
    }

    @Test
    void badInputAndSettingsAreRefusedWithTheirValues() {
        LiveWindow w = LiveWindow.of(REFERENCE);
        assertThatThrownBy(() -> w.add(new float[3], 0.5, DriftData.T0))
                .hasMessageContaining("expected 2 feature values").hasMessageContaining("[amount, channel]")
                .hasMessageContaining("got 3");
        assertThatThrownBy(() -> LiveWindow.builder(REFERENCE).size(5).buckets(10).build())
                .hasMessageContaining("bucket count 10 is larger than the window size 5");
        assertThatThrownBy(() -> LiveWindow.builder(REFERENCE).size(0)).hasMessageContaining("got 0");
    }
}
