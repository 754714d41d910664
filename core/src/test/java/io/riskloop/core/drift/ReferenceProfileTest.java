package io.riskloop.core.drift;

import io.riskloop.core.features.FeatureMatrix;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ReferenceProfileTest {

    @Test
    void infersEachFeaturesKind() {
        int n = 2_000;
        float[] amount = DriftData.normal(1, n, 50, 20);
        float[] hour = DriftData.categorical(2, n, 0.5, 0.3, 0.2); // 0, 1, 2
        float[] weekend = DriftData.categorical(3, n, 0.7, 0.3);   // 0, 1
        float[] twentyValues = new float[n];
        float[] twentyOneValues = new float[n];
        float[] constant = new float[n];
        for (int i = 0; i < n; i++) {
            twentyValues[i] = i % 20 + 100;
            twentyOneValues[i] = i % 21;
            constant[i] = 0;
        }
        ReferenceProfile p = ReferenceProfile.builder().build(DriftData.matrix(
                List.of("amount", "hour", "weekend", "twenty", "twenty_one", "constant"),
                amount, hour, weekend, twentyValues, twentyOneValues, constant), new double[n]);
        assertThat(p.features()).extracting(ColumnProfile::kind).containsExactly(FeatureKind.CONTINUOUS,
                FeatureKind.CATEGORICAL, FeatureKind.BINARY, FeatureKind.CATEGORICAL, FeatureKind.CONTINUOUS,
                FeatureKind.BINARY);
        assertThat(p.feature("twenty").categoryCounts()).hasSize(20).containsEntry(100f, 100L);
        assertThat(p.feature("amount").categoryCounts()).isEmpty();
        assertThat(p.score().kind()).isEqualTo(FeatureKind.CONTINUOUS);
        assertThat(p.feature("amount").mean()).isCloseTo(mean(amount), within(1e-6));
        assertThat(p.feature("amount").quantile(0.5)).isCloseTo(50, within(2.0));
    }

    @Test
    void aFractionMakesAFeatureContinuousAndAKindCanBeSet() {
        float[] v = {0, 1, 2, 1, 0.5f, 2};
        float[] counts = {0, 1, 2, 1, 3, 2};
        FeatureMatrix m = DriftData.matrix(List.of("v", "nb_tx"), v, counts);
        ReferenceProfile inferred = ReferenceProfile.builder().build(m, new double[6]);
        assertThat(inferred.feature("v").kind()).isEqualTo(FeatureKind.CONTINUOUS);
        assertThat(inferred.feature("nb_tx").kind()).isEqualTo(FeatureKind.CATEGORICAL);
        ReferenceProfile set = ReferenceProfile.builder().kind("nb_tx", FeatureKind.CONTINUOUS)
                .kind("v", FeatureKind.CATEGORICAL).build(m, new double[6]);
        assertThat(set.feature("nb_tx").kind()).isEqualTo(FeatureKind.CONTINUOUS);
        assertThat(set.feature("v").categoryCounts()).containsExactly(Map.entry(0f, 1L), Map.entry(0.5f, 1L),
                Map.entry(1f, 2L), Map.entry(2f, 2L));
        assertThatThrownBy(() -> ReferenceProfile.builder().kind("nope", FeatureKind.BINARY).build(m, new double[6]))
                .hasMessageContaining("'nope'").hasMessageContaining("[v, nb_tx]");
    }

    @Test
    void missingValuesAreCountedApartAndEnterNothingElse() {
        float nan = Float.NaN;
        ReferenceProfile p = ReferenceProfile.builder().build(DriftData.matrix(List.of("a"),
                new float[] {1, nan, 0, nan, 1}), new double[] {0.1, 0.2, 0.3, 0.4, Double.NaN});
        ColumnProfile a = p.feature("a");
        assertThat(a.kind()).isEqualTo(FeatureKind.BINARY);
        assertThat(a.count()).isEqualTo(3);
        assertThat(a.missing()).isEqualTo(2);
        assertThat(a.categoryCounts()).containsExactly(Map.entry(0f, 1L), Map.entry(1f, 2L));
        assertThat(a.sampleSize()).isEqualTo(3);
        assertThat(p.score().missing()).isEqualTo(1);
    }

    @Test
    void sizeStaysBoundedWhateverTheRows() {
        byte[] small = profileOf(20_000).toBytes();
        ReferenceProfile big = profileOf(400_000);
        byte[] large = big.toBytes();
        assertThat(big.rows()).isEqualTo(400_000);
        assertThat(big.features()).allSatisfy(c -> assertThat(c.sampleSize()).isEqualTo(5_000));
        // the samples are full at both sizes; the sketch grows with log(n) only
        assertThat(large.length).isLessThan(small.length + 10_000).isLessThan(200_000);
    }

    @Property(tries = 40)
    void bytesReadBackToAnEqualProfile(@ForAll @IntRange(min = 1, max = 3_000) int rows, @ForAll long seed,
                                       @ForAll @IntRange(min = 10, max = 400) int sampleSize) {
        Random rnd = new Random(seed);
        float[] a = new float[rows];
        float[] b = new float[rows];
        float[] c = new float[rows];
        double[] scores = new double[rows];
        for (int i = 0; i < rows; i++) {
            a[i] = rnd.nextInt(10) == 0 ? Float.NaN : (float) rnd.nextGaussian();
            b[i] = rnd.nextInt(4);
            c[i] = rnd.nextBoolean() ? 1 : 0;
            scores[i] = rnd.nextDouble();
        }
        ReferenceProfile p = ReferenceProfile.builder().modelVersion("fraud-xgb/" + rows).seed(seed)
                .sampleSize(sampleSize).build(DriftData.matrix(List.of("a", "b", "c"), a, b, c), scores);
        byte[] bytes = p.toBytes();
        ReferenceProfile back = ReferenceProfile.fromBytes(bytes);
        assertThat(back).isEqualTo(p);
        assertThat(back.toBytes()).isEqualTo(bytes);
        // a column whose rows are all missing has no quantiles (NaN), so compare the bits, not with ==
        assertThat(Double.doubleToLongBits(back.feature("a").quantile(0.25)))
                .isEqualTo(Double.doubleToLongBits(p.feature("a").quantile(0.25)));
    }

    @Test
    void aColumnWithOnlyMissingValuesHasNoQuantiles() {
        ReferenceProfile p = ReferenceProfile.builder().build(DriftData.matrix(List.of("a"),
                new float[] {Float.NaN, Float.NaN}), new double[] {0.1, 0.2});
        assertThat(p.feature("a").count()).isZero();
        assertThat(p.feature("a").quantile(0.5)).isNaN();
        assertThat(ReferenceProfile.fromBytes(p.toBytes())).isEqualTo(p);
    }

    @Test
    void theSameSeedGivesTheSameSample() {
        ReferenceProfile a = profileOf(30_000);
        ReferenceProfile b = profileOf(30_000);
        assertThat(a.feature("x").sample()).isEqualTo(b.feature("x").sample());
        ReferenceProfile other = ReferenceProfile.builder().seed(2).build(matrixOf(30_000), new double[30_000]);
        assertThat(other.feature("x").sample()).isNotEqualTo(a.feature("x").sample());
    }

    @Test
    void readingRefusesOtherFormatsWithTheVersionFoundAndTheOneSupported() {
        byte[] bytes = profileOf(100).toBytes();
        byte[] future = bytes.clone();
        ByteBuffer.wrap(future).putInt(4, 9);
        assertThatThrownBy(() -> ReferenceProfile.fromBytes(future))
                .hasMessageContaining("format version 9").hasMessageContaining("reads version 1");
        assertThatThrownBy(() -> ReferenceProfile.fromBytes("{\"json\": true}".getBytes()))
                .hasMessageContaining("not a riskloop drift profile");
        assertThatThrownBy(() -> ReferenceProfile.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)))
                .hasMessageContaining("cut short");
    }

    @Test
    void scoresMustMatchTheRows() {
        assertThatThrownBy(() -> ReferenceProfile.builder().build(matrixOf(10), new double[9]))
                .hasMessageContaining("10 rows, 9 scores");
    }

    private static ReferenceProfile profileOf(int rows) {
        return ReferenceProfile.builder().modelVersion("m/1").build(matrixOf(rows), DriftData.toDouble(
                DriftData.normal(9, rows, 0.1, 0.05)));
    }

    private static FeatureMatrix matrixOf(int rows) {
        return DriftData.matrix(List.of("x", "y"), DriftData.normal(5, rows, 0, 1),
                DriftData.categorical(6, rows, 0.2, 0.8));
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }
}
