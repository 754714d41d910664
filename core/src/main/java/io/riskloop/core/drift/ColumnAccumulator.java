package io.riskloop.core.drift;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.datasketches.kll.KllFloatsSketch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects one column's values into what a {@link ColumnProfile} holds. Not thread-safe. Memory is bounded: the
 * sketch by its k, the sample by its capacity, the counts by a limit on distinct values.
 */
final class ColumnAccumulator {

    /** What to do with counts per value. */
    enum Counting {
        /** Count while the column may still be categorical; stop at the first non-integer or past the limit. */
        INFER,
        /** Count up to the limit; further distinct values go to "other". */
        COUNT,
        /** Do not count (continuous columns). */
        NONE
    }

    private final KllFloatsSketch sketch;
    private final Reservoir sample;
    private final Counting counting;
    private final int categoryLimit;
    private Map<Float, long[]> counts;
    private long other;
    private long count;
    private long missing;
    private double mean;
    private double m2;

    ColumnAccumulator(int sketchK, int sampleCapacity, Counting counting, int categoryLimit, UniformRandomProvider rng) {
        this.sketch = KllFloatsSketch.newHeapInstance(sketchK);
        this.sample = new Reservoir(sampleCapacity, rng);
        this.counting = counting;
        this.categoryLimit = categoryLimit;
        this.counts = counting == Counting.NONE ? null : new HashMap<>();
    }

    void add(float value) {
        if (Float.isNaN(value)) {
            missing++;
            return;
        }
        float v = value == 0f ? 0f : value; // one zero: -0.0f and 0.0f are different Float keys
        count++;
        double d = v - mean;
        mean += d / count;
        m2 += d * (v - mean);
        sketch.update(v);
        sample.add(v);
        if (counts != null) {
            count(v);
        }
    }

    private void count(float v) {
        long[] c = counts.get(v);
        if (c != null) {
            c[0]++;
            return;
        }
        if (counting == Counting.INFER && (Float.isInfinite(v) || v != Math.rint(v) || counts.size() == categoryLimit)) {
            counts = null; // not categorical after all
        } else if (counts.size() == categoryLimit) {
            other++;
        } else {
            counts.put(v, new long[] {1});
        }
    }

    long count() {
        return count;
    }

    long missing() {
        return missing;
    }

    /** The kind the values seen so far suggest (for {@link Counting#INFER}). */
    FeatureKind inferredKind() {
        if (counts == null || count == 0) {
            return FeatureKind.CONTINUOUS;
        }
        for (Float v : counts.keySet()) {
            if (v != 0f && v != 1f) {
                return FeatureKind.CATEGORICAL;
            }
        }
        return FeatureKind.BINARY;
    }

    ColumnProfile toProfile(String name, FeatureKind kind) {
        float[] cats = new float[0];
        long[] cnt = new long[0];
        if (kind.counted() && counts != null) {
            cats = new float[counts.size()];
            int i = 0;
            for (Float v : counts.keySet()) {
                cats[i++] = v;
            }
            Arrays.sort(cats);
            cnt = new long[cats.length];
            for (int j = 0; j < cats.length; j++) {
                cnt[j] = counts.get(cats[j])[0];
            }
        } else if (kind.counted()) {
            throw new IllegalStateException("column " + name + " is " + kind + " but its values were not counted");
        }
        return new ColumnProfile(name, kind, count, missing, mean, count == 0 ? 0 : m2 / count, QuantileSummary.of(sketch),
                cats, cnt, other, sample.toArray());
    }

    /**
     * One profile of several accumulators' values (a live window's buckets). The sample is stratified: each bucket
     * gives a uniform subsample of its reservoir in proportion to its share of the values, so the union is uniform
     * over the buckets' values when each bucket's reservoir is.
     */
    static ColumnProfile merge(String name, FeatureKind kind, List<ColumnAccumulator> parts, int sketchK,
                               int sampleSize, int categoryLimit, UniformRandomProvider rng) {
        KllFloatsSketch merged = KllFloatsSketch.newHeapInstance(sketchK);
        long n = 0;
        long missing = 0;
        double mean = 0;
        double m2 = 0;
        Map<Float, long[]> counts = new HashMap<>();
        long other = 0;
        for (ColumnAccumulator p : parts) {
            missing += p.missing;
            if (p.count == 0) {
                continue;
            }
            merged.merge(p.sketch);
            // Chan et al.'s pairwise update of count, mean and sum of squared deviations
            long total = n + p.count;
            double delta = p.mean - mean;
            mean += delta * p.count / total;
            m2 += p.m2 + delta * delta * ((double) n * p.count / total);
            n = total;
            if (kind.counted()) {
                for (Map.Entry<Float, long[]> e : p.counts.entrySet()) {
                    counts.computeIfAbsent(e.getKey(), k -> new long[1])[0] += e.getValue()[0];
                }
                other += p.other;
            }
        }
        float[] cats = new float[0];
        long[] cnt = new long[0];
        if (kind.counted()) {
            List<Map.Entry<Float, long[]>> entries = new ArrayList<>(counts.entrySet());
            // keep the most frequent values when the buckets together met more than the limit
            entries.sort(Comparator.comparingLong((Map.Entry<Float, long[]> e) -> -e.getValue()[0])
                    .thenComparing(Map.Entry::getKey));
            for (int i = categoryLimit; i < entries.size(); i++) {
                other += entries.get(i).getValue()[0];
            }
            entries = entries.subList(0, Math.min(categoryLimit, entries.size()));
            entries.sort(Map.Entry.comparingByKey());
            cats = new float[entries.size()];
            cnt = new long[entries.size()];
            for (int i = 0; i < cats.length; i++) {
                cats[i] = entries.get(i).getKey();
                cnt[i] = entries.get(i).getValue()[0];
            }
        }
        return new ColumnProfile(name, kind, n, missing, mean, n == 0 ? 0 : m2 / n, QuantileSummary.of(merged), cats, cnt,
                other, stratifiedSample(parts, n, sampleSize, rng));
    }

    private static float[] stratifiedSample(List<ColumnAccumulator> parts, long n, int sampleSize,
                                            UniformRandomProvider rng) {
        int target = (int) Math.min(sampleSize, n);
        if (target == 0) {
            return new float[0];
        }
        // proportional allocation, the remainder to the largest fractional parts (Hamilton's method)
        int[] take = new int[parts.size()];
        double[] frac = new double[parts.size()];
        int given = 0;
        for (int i = 0; i < take.length; i++) {
            double exact = (double) target * parts.get(i).count / n;
            take[i] = (int) Math.floor(exact);
            frac[i] = exact - take[i];
            given += take[i];
        }
        while (given < target) {
            int best = 0;
            for (int i = 1; i < frac.length; i++) {
                if (frac[i] > frac[best]) {
                    best = i;
                }
            }
            take[best]++;
            frac[best] = -1;
            given++;
        }
        float[] out = new float[target];
        int at = 0;
        for (int i = 0; i < take.length; i++) {
            float[] s = parts.get(i).sample.subsample(take[i], rng);
            System.arraycopy(s, 0, out, at, s.length);
            at += s.length;
        }
        return Arrays.copyOf(out, at);
    }

    /** The KLL sketch size both profiles and live windows accept. */
    static int checkSketchK(int k) {
        if (k < 8 || k > 65_535) {
            throw new IllegalArgumentException("sketch k must be in [8, 65535], got " + k);
        }
        return k;
    }

    /** The sample size (for the Kolmogorov-Smirnov test) both profiles and live windows accept. */
    static int checkSampleSize(int n) {
        if (n < 10) {
            throw new IllegalArgumentException("sample size must be at least 10, got " + n);
        }
        return n;
    }
}
