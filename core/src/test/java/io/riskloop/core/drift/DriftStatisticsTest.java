package io.riskloop.core.drift;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Each statistic against a plain restatement of its definition. */
class DriftStatisticsTest {

    private static final double EPS = 1e-4;

    // ---- PSI -----------------------------------------------------------------------------------------------

    @Property(tries = 300)
    void psiOnQuantileBinsEqualsANaiveComputation(@ForAll("values") List<Float> reference,
                                                  @ForAll("values") List<Float> live,
                                                  @ForAll @IntRange(min = 2, max = 12) int bins) {
        float[] r = array(reference);
        float[] l = array(live);
        ColumnProfile ref = DriftData.continuous("x", r, 200);
        ColumnProfile liv = DriftData.continuous("x", l, 200);
        assertThat(ref.quantiles().rankError()).as("the sketch holds every value").isZero();

        DriftAssessment.Binned b = DriftAssessment.quantileBins(ref, liv, bins);
        float[] edges = naiveEdges(r, bins);
        assertThat(b.edges()).containsExactly(edges);
        double[] e = naiveShares(r, edges);
        double[] a = naiveShares(l, edges);
        assertThat(b.reference()).containsExactly(e, within(1e-12));
        assertThat(b.live()).containsExactly(a, within(1e-12));
        double naive = 0;
        for (int i = 0; i < e.length; i++) {
            double ei = e[i] == 0 ? EPS : e[i];
            double ai = a[i] == 0 ? EPS : a[i];
            naive += (ai - ei) * Math.log(ai / ei);
        }
        assertThat(DriftStatistics.psi(b.reference(), b.live(), EPS)).isCloseTo(naive, within(1e-12));
    }

    @Test
    void psiOfAKnownExample() {
        // reference 50/50, live 80/20: (0.8-0.5) ln(0.8/0.5) + (0.2-0.5) ln(0.2/0.5) = 0.3 ln 1.6 + 0.3 ln 2.5
        double psi = DriftStatistics.psi(new double[] {0.5, 0.5}, new double[] {0.8, 0.2}, EPS);
        assertThat(psi).isCloseTo(0.3 * Math.log(1.6) + 0.3 * Math.log(2.5), within(1e-12));
        assertThat(DriftStatistics.psi(new double[] {0.5, 0.5}, new double[] {0.5, 0.5}, EPS)).isZero();
        // an empty live bin counts as epsilon, not as an infinite term
        assertThat(DriftStatistics.psi(new double[] {0.5, 0.5}, new double[] {1, 0}, EPS)).isFinite()
                .isCloseTo(0.5 * Math.log(2) + (EPS - 0.5) * Math.log(EPS / 0.5), within(1e-12));
    }

    // ---- Jensen-Shannon --------------------------------------------------------------------------------------

    @Property(tries = 500)
    void jensenShannonIsASymmetricDistanceInZeroOne(@ForAll("shares") double[] p, @ForAll("shares") double[] q) {
        double[] qq = Arrays.copyOf(q, p.length);
        normalise(qq);
        double d = DriftStatistics.jensenShannon(p, qq);
        assertThat(d).isBetween(0.0, 1.0);
        assertThat(DriftStatistics.jensenShannon(qq, p)).isCloseTo(d, within(1e-12));
        assertThat(DriftStatistics.jensenShannon(p, p)).isCloseTo(0.0, within(1e-7));
        // the same quantity through entropies: JSD = H(M) - (H(P) + H(Q)) / 2, in bits
        double[] m = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            m[i] = (p[i] + qq[i]) / 2;
        }
        double jsd = entropy(m) - (entropy(p) + entropy(qq)) / 2;
        assertThat(d * d).isCloseTo(Math.max(0, jsd), within(1e-9));
    }

    @Test
    void jensenShannonIsOneForDisjointDistributions() {
        assertThat(DriftStatistics.jensenShannon(new double[] {1, 0}, new double[] {0, 1})).isCloseTo(1.0, within(1e-12));
        assertThat(DriftStatistics.jensenShannon(new double[] {0.5, 0.5, 0}, new double[] {0, 0, 1}))
                .isCloseTo(1.0, within(1e-12));
    }

    // ---- Wasserstein -----------------------------------------------------------------------------------------

    @Property(tries = 300)
    void wassersteinOfExactSketchesEqualsTheSortedSampleDistance(@ForAll("values") List<Float> a,
                                                                 @ForAll("values") List<Float> b) {
        float[] x = array(a);
        float[] y = array(b);
        double w = DriftStatistics.wasserstein(DriftData.continuous("x", x, 200).quantiles(),
                DriftData.continuous("y", y, 200).quantiles());
        assertThat(w).isCloseTo(naiveWasserstein(x, y), within(1e-6 * (1 + naiveWasserstein(x, y))));
    }

    @Test
    void wassersteinOfEqualSizeSamplesIsTheMeanGapBetweenSortedValues() {
        // with equal sizes W1 = mean |x_(i) - y_(i)| over the sorted samples
        float[] x = {3, 1, 2};
        float[] y = {5, 7, 6};
        assertThat(DriftStatistics.wasserstein(DriftData.continuous("x", x, 200).quantiles(),
                DriftData.continuous("y", y, 200).quantiles())).isCloseTo(4.0, within(1e-12));
    }

    @Test
    void wassersteinFromLargeSketchesStaysWithinTheSketchErrorBound() {
        float[] x = DriftData.normal(11, 50_000, 0, 1);
        float[] y = DriftData.normal(12, 30_000, 0.3, 1.2);
        ColumnProfile a = DriftData.continuous("x", x, 200);
        ColumnProfile b = DriftData.continuous("y", y, 200);
        assertThat(a.quantiles().rankError()).isPositive();
        double exact = naiveWasserstein(x, y);
        double range = Math.max(max(x), max(y)) - Math.min(min(x), min(y));
        double bound = (a.quantiles().rankError() + b.quantiles().rankError()) * range;
        assertThat(DriftStatistics.wasserstein(a.quantiles(), b.quantiles())).isCloseTo(exact, within(bound));
    }

    // ---- Kolmogorov-Smirnov and chi-squared (Commons Statistics) ----------------------------------------------

    @Property(tries = 200)
    void kolmogorovSmirnovStatisticIsTheLargestGapBetweenTheEmpiricalCdfs(@ForAll("values") List<Float> a,
                                                                         @ForAll("values") List<Float> b) {
        float[] x = array(a);
        float[] y = array(b);
        DriftStatistics.Outcome o = DriftStatistics.kolmogorovSmirnov(x, y, ReferenceProfile.rng(1, 1));
        double d = 0;
        for (float t : concat(x, y)) {
            d = Math.max(d, Math.abs(cdf(x, t) - cdf(y, t)));
        }
        assertThat(o.statistic()).isCloseTo(d, within(1e-12));
        assertThat(o.pValue()).isBetween(0.0, 1.0);
    }

    @Test
    void chiSquaredStatisticIsPearsonsOnTheTwoRowTable() {
        long[] r = {30, 50, 20};
        long[] l = {10, 10, 20};
        double n = 140;
        double stat = 0;
        long[] col = {40, 60, 40};
        for (int j = 0; j < 3; j++) {
            double er = 100 * col[j] / n;
            double el = 40 * col[j] / n;
            stat += (r[j] - er) * (r[j] - er) / er + (l[j] - el) * (l[j] - el) / el;
        }
        DriftStatistics.Outcome o = DriftStatistics.chiSquared(r, l);
        assertThat(o.statistic()).isCloseTo(stat, within(1e-9));
        // 2 degrees of freedom: p = exp(-stat / 2)
        assertThat(o.pValue()).isCloseTo(Math.exp(-stat / 2), within(1e-9));
        assertThat(DriftStatistics.chiSquared(new long[] {5}, new long[] {7})).isEqualTo(new DriftStatistics.Outcome(0, 1));
    }

    // ---- generators and naive restatements -------------------------------------------------------------------

    @Provide
    Arbitrary<List<Float>> values() {
        // few distinct values in half the cases, so that ties and duplicate edges are common
        Arbitrary<Float> tied = Arbitraries.integers().between(-3, 3).map(Integer::floatValue);
        Arbitrary<Float> spread = Arbitraries.floats().between(-1000, 1000);
        return Arbitraries.oneOf(tied, spread).list().ofMinSize(2).ofMaxSize(150);
    }

    @Provide
    Arbitrary<double[]> shares() {
        return Arbitraries.doubles().between(0, 1).array(double[].class).ofMinSize(1).ofMaxSize(12)
                .filter(a -> Arrays.stream(a).sum() > 0).map(a -> {
                    normalise(a);
                    return a;
                });
    }

    /** The inclusive quantile: the smallest value with at least rank * n values at or below it. */
    static float[] naiveEdges(float[] values, int bins) {
        float[] s = values.clone();
        Arrays.sort(s);
        float[] edges = new float[0];
        for (int i = 1; i < bins; i++) {
            double need = (double) i / bins * s.length;
            int k = 0;
            while (k + 1 < need - 1e-9) {
                k++;
            }
            float q = s[k];
            if (edges.length == 0 || q > edges[edges.length - 1]) {
                edges = Arrays.copyOf(edges, edges.length + 1);
                edges[edges.length - 1] = q;
            }
        }
        return edges;
    }

    static double[] naiveShares(float[] values, float[] edges) {
        double[] c = new double[edges.length + 1];
        for (float v : values) {
            int bin = 0;
            while (bin < edges.length && v >= edges[bin]) {
                bin++;
            }
            c[bin]++;
        }
        for (int i = 0; i < c.length; i++) {
            c[i] /= values.length;
        }
        return c;
    }

    /** SciPy's definition: the integral of |F - G| over the pooled sorted values. */
    static double naiveWasserstein(float[] x, float[] y) {
        double[] all = DriftData.toDouble(concat(x, y));
        Arrays.sort(all);
        double sum = 0;
        for (int i = 0; i + 1 < all.length; i++) {
            sum += Math.abs(cdf(x, (float) all[i]) - cdf(y, (float) all[i])) * (all[i + 1] - all[i]);
        }
        return sum;
    }

    private static double cdf(float[] v, float t) {
        int n = 0;
        for (float x : v) {
            if (x <= t) {
                n++;
            }
        }
        return (double) n / v.length;
    }

    private static double entropy(double[] p) {
        double h = 0;
        for (double x : p) {
            if (x > 0) {
                h -= x * Math.log(x) / Math.log(2);
            }
        }
        return h;
    }

    private static void normalise(double[] a) {
        double s = Arrays.stream(a).sum();
        if (s == 0) {
            Arrays.fill(a, 1.0 / a.length);
            return;
        }
        for (int i = 0; i < a.length; i++) {
            a[i] /= s;
        }
    }

    private static float[] array(List<Float> l) {
        float[] v = new float[l.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = l.get(i) == 0f ? 0f : l.get(i);
        }
        return v;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static float max(float[] v) {
        float m = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static float min(float[] v) {
        float m = Float.POSITIVE_INFINITY;
        for (float x : v) {
            m = Math.min(m, x);
        }
        return m;
    }
}
