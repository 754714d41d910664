package io.riskloop.core.drift;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/** Runs a {@link DriftPolicy} over a reference profile and a live window's snapshot. */
final class DriftAssessment {

    /** Wasserstein distances are divided by the reference's standard deviation, but by no less than this. */
    static final double MIN_SCALE = 1e-3;

    private DriftAssessment() {
    }

    static DriftReport assess(DriftPolicy policy, ReferenceProfile reference, LiveWindow window) {
        ReferenceProfile made = window.reference();
        if (made != reference && !sameColumns(made, reference)) {
            throw new IllegalArgumentException("the live window was made for the profile of model "
                    + made.modelVersion() + " " + made.names() + ", not for that of model "
                    + reference.modelVersion() + " " + reference.names());
        }
        LiveWindow.Snapshot live = window.snapshot();
        if (live.rows() == 0) {
            throw new IllegalStateException("the live window for model " + reference.modelVersion()
                    + " is empty: add transactions before assessing drift");
        }
        List<DriftResult> results = new ArrayList<>(reference.features().size());
        int tested = 0;
        int drifted = 0;
        for (int c = 0; c < reference.features().size(); c++) {
            ColumnProfile ref = reference.features().get(c);
            ColumnProfile liveColumn = live.features().get(c);
            DriftResult r = compare(ref, liveColumn, policy.testFor(ref.kind(), liveColumn.count()), policy);
            results.add(r);
            if (!Double.isNaN(r.statistic())) {
                tested++;
                drifted += r.drifted() ? 1 : 0;
            }
        }
        DriftResult prediction = compare(reference.score(), live.score(), policy.predictionTest(), policy);
        double share = tested == 0 ? 0 : (double) drifted / tested;
        return new DriftReport(reference.modelVersion(), reference.rows(), live.rows(), live.from(), live.to(), results,
                prediction, tested, drifted, share, tested > 0 && share >= policy.datasetDriftShare(), policy);
    }

    private static boolean sameColumns(ReferenceProfile a, ReferenceProfile b) {
        if (!a.names().equals(b.names())) {
            return false;
        }
        for (int i = 0; i < a.features().size(); i++) {
            if (a.features().get(i).kind() != b.features().get(i).kind()) {
                return false;
            }
        }
        return true;
    }

    /** One column's test; the live column's kind is the reference's. */
    static DriftResult compare(ColumnProfile ref, ColumnProfile live, DriftTest test, DriftPolicy policy) {
        Binned b = ref.kind().counted() ? categories(ref, live) : quantileBins(ref, live, policy.bins());
        DriftStatistics.Outcome o;
        if (ref.count() == 0 || live.count() == 0) {
            o = DriftStatistics.Outcome.UNDEFINED;
        } else {
            o = switch (test) {
                case PSI -> new DriftStatistics.Outcome(DriftStatistics.psi(b.reference, b.live, policy.psiEpsilon()),
                        Double.NaN);
                case JENSEN_SHANNON -> new DriftStatistics.Outcome(DriftStatistics.jensenShannon(b.reference, b.live),
                        Double.NaN);
                case WASSERSTEIN -> new DriftStatistics.Outcome(DriftStatistics.wasserstein(ref.quantiles(), live.quantiles())
                        / Math.max(ref.standardDeviation(), MIN_SCALE), Double.NaN);
                case KOLMOGOROV_SMIRNOV -> DriftStatistics.kolmogorovSmirnov(ref.sample(), live.sample(),
                        ReferenceProfile.rng(ref.count() ^ live.count(), ref.name().hashCode()));
                case CHI_SQUARED -> {
                    if (!ref.kind().counted()) {
                        throw new IllegalArgumentException("chi-squared test asked for continuous column " + ref.name());
                    }
                    yield DriftStatistics.chiSquared(b.referenceCounts, b.liveCounts);
                }
            };
        }
        double threshold = policy.threshold(test);
        boolean drifted = !Double.isNaN(o.statistic())
                && (test.hasPValue() ? o.pValue() < threshold : o.statistic() >= threshold);
        return new DriftResult(ref.name(), ref.kind(), test, o.statistic(), o.pValue(), threshold, drifted, ref.count(),
                live.count(), missingShare(ref), missingShare(live), b.histogram());
    }

    private static double missingShare(ColumnProfile c) {
        long all = c.count() + c.missing();
        return all == 0 ? 0 : (double) c.missing() / all;
    }

    /** Shares (and for categories, counts) of both sides over the same bins. */
    record Binned(List<String> labels, float[] edges, double[] reference, double[] live, long[] referenceCounts,
                  long[] liveCounts) {

        Histogram histogram() {
            List<Double> e = new ArrayList<>(edges.length);
            for (float v : edges) {
                e.add((double) v);
            }
            return new Histogram(labels, e, boxed(reference), boxed(live));
        }

        private static List<Double> boxed(double[] v) {
            List<Double> l = new ArrayList<>(v.length);
            for (double d : v) {
                l.add(d);
            }
            return l;
        }
    }

    static Binned quantileBins(ColumnProfile ref, ColumnProfile live, int bins) {
        float[] edges = DriftStatistics.quantileEdges(ref.quantiles(), bins);
        String[] e = edgeLabels(edges);
        List<String> labels = new ArrayList<>(edges.length + 1);
        if (edges.length == 0) {
            labels.add("all");
        } else {
            labels.add("< " + e[0]);
            for (int i = 1; i < edges.length; i++) {
                labels.add("[" + e[i - 1] + ", " + e[i] + ")");
            }
            labels.add(">= " + e[edges.length - 1]);
        }
        return new Binned(labels, edges, DriftStatistics.shares(ref.quantiles(), edges),
                DriftStatistics.shares(live.quantiles(), edges), new long[0], new long[0]);
    }

    /** One bin per value either side counted, in ascending order, then "other" when either side has values there. */
    static Binned categories(ColumnProfile ref, ColumnProfile live) {
        TreeSet<Float> values = new TreeSet<>();
        values.addAll(ref.categoryCounts().keySet());
        values.addAll(live.categoryCounts().keySet());
        boolean other = ref.otherCount() > 0 || live.otherCount() > 0;
        int n = values.size() + (other ? 1 : 0);
        long[] rc = new long[n];
        long[] lc = new long[n];
        List<String> labels = new ArrayList<>(n);
        int i = 0;
        for (Float v : values) {
            rc[i] = ref.categoryCounts().getOrDefault(v, 0L);
            lc[i] = live.categoryCounts().getOrDefault(v, 0L);
            labels.add(label(v));
            i++;
        }
        if (other) {
            rc[i] = ref.otherCount();
            lc[i] = live.otherCount();
            labels.add("other");
        }
        return new Binned(labels, new float[0], shares(rc), shares(lc), rc, lc);
    }

    private static double[] shares(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double[] s = new double[counts.length];
        for (int i = 0; i < counts.length && total > 0; i++) {
            s[i] = (double) counts[i] / total;
        }
        return s;
    }

    /** The edges with the fewest significant digits (4 to 9) that tell every edge apart. */
    static String[] edgeLabels(float[] edges) {
        String[] out = new String[edges.length];
        for (int digits = 4; digits <= 9; digits++) {
            for (int i = 0; i < edges.length; i++) {
                out[i] = new BigDecimal(Float.toString(edges[i])).round(new MathContext(digits)).stripTrailingZeros()
                        .toPlainString();
            }
            if (Arrays.stream(out).distinct().count() == out.length) {
                return out;
            }
        }
        return out; // nine digits tell floats apart
    }

    /** A value as a label: integers without a decimal point, others in the shortest form that reads back. */
    static String label(float v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9f) {
            return Long.toString((long) v);
        }
        return Float.toString(v);
    }
}
