package io.riskloop.core.drift;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.SignificanceResult;

import java.util.Arrays;

/**
 * The drift statistics. PSI, the Jensen-Shannon distance and the Wasserstein distance are a few lines each over
 * binned shares or sketches and are written here from their definitions (cited at each); the significance tests
 * (Kolmogorov-Smirnov, chi-squared) come from Apache Commons Statistics and the quantiles from DataSketches' KLL
 * sketch, read through its sorted view ({@link QuantileSummary}). See
 * docs/adr/0014-drift-statistics.md.
 */
final class DriftStatistics {

    /** A statistic and its p-value (NaN where the test has none, or nothing could be compared). */
    record Outcome(double statistic, double pValue) {
        static final Outcome UNDEFINED = new Outcome(Double.NaN, Double.NaN);
    }

    private DriftStatistics() {
    }

    /**
     * Population stability index, PSI = sum over bins of (a_i - e_i) * ln(a_i / e_i), with e_i the reference's share
     * of bin i and a_i the live share (Siddiqi, Credit Risk Scorecards, 2006; Yurdakul, "Statistical properties of
     * population stability index", 2018). A share of 0 is replaced by {@code epsilon} so that the sum stays finite.
     */
    static double psi(double[] reference, double[] live, double epsilon) {
        checkSameLength(reference, live);
        double sum = 0;
        for (int i = 0; i < reference.length; i++) {
            double e = Math.max(reference[i], epsilon);
            double a = Math.max(live[i], epsilon);
            sum += (a - e) * Math.log(a / e);
        }
        return sum;
    }

    /**
     * Jensen-Shannon distance in base 2: the square root of JSD(P, Q) = 1/2 KL(P || M) + 1/2 KL(Q || M) with
     * M = (P + Q) / 2 and KL in bits (Lin, "Divergence measures based on the Shannon entropy", 1991; Endres and
     * Schindelin, 2003, for the square root being a metric). In [0, 1]; terms with a zero share contribute 0.
     */
    static double jensenShannon(double[] p, double[] q) {
        checkSameLength(p, q);
        double jsd = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2;
            if (p[i] > 0) {
                jsd += 0.5 * p[i] * log2(p[i] / m);
            }
            if (q[i] > 0) {
                jsd += 0.5 * q[i] * log2(q[i] / m);
            }
        }
        return Math.sqrt(Math.min(1, Math.max(0, jsd)));
    }

    /**
     * Wasserstein-1 (earth mover's) distance between two one-dimensional distributions, W = integral of |F(x) - G(x)| dx
     * over the real line, F and G the distributions' CDFs (Vallender, 1974), here the summaries' step CDFs: exact when
     * both sketches held every value, otherwise off by at most (eps_F + eps_G) * (max - min) for the sketches' rank
     * errors eps. NaN when either is empty.
     */
    static double wasserstein(QuantileSummary a, QuantileSummary b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Double.NaN;
        }
        float[] xa = a.items();
        long[] wa = a.cumulativeWeights();
        float[] xb = b.items();
        long[] wb = b.cumulativeWeights();
        double na = a.n();
        double nb = b.n();
        int i = 0;
        int j = 0;
        double fa = 0;
        double fb = 0;
        double prev = 0;
        boolean first = true;
        double sum = 0;
        while (i < xa.length || j < xb.length) {
            float x = j >= xb.length || (i < xa.length && xa[i] <= xb[j]) ? xa[i] : xb[j];
            if (!first) {
                sum += Math.abs(fa - fb) * ((double) x - prev);
            }
            while (i < xa.length && xa[i] == x) {
                fa = wa[i++] / na;
            }
            while (j < xb.length && xb[j] == x) {
                fb = wb[j++] / nb;
            }
            prev = x;
            first = false;
        }
        return sum;
    }

    /**
     * Two-sample Kolmogorov-Smirnov test, D = sup |F_n(x) - G_m(x)|, by Commons Statistics: an exact p-value for
     * small samples, the asymptotic one for large, and a seeded estimate when ties make the exact one unavailable.
     */
    static Outcome kolmogorovSmirnov(float[] reference, float[] live, UniformRandomProvider rng) {
        if (reference.length < 2 || live.length < 2) {
            return Outcome.UNDEFINED;
        }
        KolmogorovSmirnovTest.TwoResult r = KolmogorovSmirnovTest.withDefaults().with(rng)
                .test(toDouble(reference), toDouble(live));
        return new Outcome(r.getStatistic(), r.getPValue());
    }

    /**
     * Chi-squared test of homogeneity on the 2 x k table of counts (reference and live, one column per category), by
     * Commons Statistics; statistic sum (O - E)^2 / E with k - 1 degrees of freedom. With fewer than two categories
     * there is nothing to test: statistic 0, p-value 1.
     */
    static Outcome chiSquared(long[] reference, long[] live) {
        checkSameLength(reference, live);
        long r = Arrays.stream(reference).sum();
        long l = Arrays.stream(live).sum();
        if (r == 0 || l == 0) {
            return Outcome.UNDEFINED;
        }
        if (reference.length < 2) {
            return new Outcome(0, 1);
        }
        SignificanceResult s = ChiSquareTest.withDefaults().test(new long[][] {reference, live});
        return new Outcome(s.getStatistic(), s.getPValue());
    }

    /**
     * Inner bin edges at the reference's quantiles of rank 1/bins, 2/bins, ... (inclusive: the smallest value with at
     * least ceil(i * n / bins) values at or below it), duplicates dropped. Bin i is [edge_(i-1), edge_i), the outer
     * bins unbounded.
     */
    static float[] quantileEdges(QuantileSummary reference, int bins) {
        if (reference.isEmpty()) {
            return new float[0];
        }
        long n = reference.n();
        float[] edges = new float[bins - 1];
        int k = 0;
        for (int i = 1; i < bins; i++) {
            long need = Math.ceilDiv(i * n, bins); // exact: no floating-point rank
            float q = reference.valueWithWeightAtLeast(need);
            if (k == 0 || q > edges[k - 1]) {
                edges[k++] = q;
            }
        }
        return Arrays.copyOf(edges, k);
    }

    /** Shares of the summarised values in the bins the edges make ([lo, hi), outer bins unbounded); all 0 when empty. */
    static double[] shares(QuantileSummary s, float[] edges) {
        double[] shares = new double[edges.length + 1];
        if (s.isEmpty()) {
            return shares;
        }
        double n = s.n();
        long below = 0;
        for (int i = 0; i < edges.length; i++) {
            long b = s.weightBelow(edges[i]);
            shares[i] = (b - below) / n;
            below = b;
        }
        shares[edges.length] = (s.n() - below) / n;
        return shares;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static void checkSameLength(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("distributions over different bins: " + a.length + " and " + b.length);
        }
    }

    private static void checkSameLength(long[] a, long[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("counts over different categories: " + a.length + " and " + b.length);
        }
    }
}
