package io.riskloop.core.drift;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The distribution of one column (a feature, or the model's score) as drift tests need it, in memory bounded
 * whatever the number of rows: count and moments, a KLL quantile sketch, exact counts per value for categorical and
 * binary columns, and a uniform sample. Missing values (NaN) are counted apart and enter nothing else. The sketch
 * is kept as its sorted view (retained values with their cumulative weights).
 *
 * <p>A value: immutable, with equality over everything it holds. It is a class rather than a record because the
 * quantile summary and the arrays must stay private.
 */
public final class ColumnProfile {

    private final String name;
    private final FeatureKind kind;
    private final long count;
    private final long missing;
    private final double mean;
    private final double variance;
    private final QuantileSummary quantiles;
    private final float[] categories;
    private final long[] categoryCounts;
    private final long otherCount;
    private final float[] sample;

    ColumnProfile(String name, FeatureKind kind, long count, long missing, double mean, double variance,
                  QuantileSummary quantiles, float[] categories, long[] categoryCounts, long otherCount, float[] sample) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        if (categories.length != categoryCounts.length) {
            throw new IllegalArgumentException("column " + name + ": " + categories.length + " categories but "
                    + categoryCounts.length + " counts");
        }
        this.count = count;
        this.missing = missing;
        this.mean = mean;
        this.variance = variance;
        this.quantiles = Objects.requireNonNull(quantiles, "quantiles");
        if (quantiles.n() != count) {
            throw new IllegalArgumentException("column " + name + ": " + count + " values but a quantile summary of "
                    + quantiles.n());
        }
        this.categories = categories.clone();
        this.categoryCounts = categoryCounts.clone();
        this.otherCount = otherCount;
        this.sample = sample.clone();
    }

    public String name() {
        return name;
    }

    public FeatureKind kind() {
        return kind;
    }

    /** Values seen, missing ones excluded. */
    public long count() {
        return count;
    }

    /** Missing values (NaN) seen. */
    public long missing() {
        return missing;
    }

    /** Mean of the values seen (exact, not from the sketch); NaN when there were none. */
    public double mean() {
        return count == 0 ? Double.NaN : mean;
    }

    /** Population standard deviation of the values seen (exact, divisor n); NaN when there were none. */
    public double standardDeviation() {
        return count == 0 ? Double.NaN : Math.sqrt(variance);
    }

    /**
     * The smallest value whose share of values at or below it is at least {@code rank}, from the sketch (exact
     * while the sketch holds every value, otherwise within its rank error); NaN when there were no values.
     */
    public double quantile(double rank) {
        if (!(rank >= 0 && rank <= 1)) {
            throw new IllegalArgumentException("rank must be in [0, 1], got " + rank);
        }
        return quantiles.isEmpty() ? Double.NaN : quantiles.quantile(rank);
    }

    /** Exact counts per value, in ascending order of value; empty for continuous columns. */
    public Map<Float, Long> categoryCounts() {
        Map<Float, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < categories.length; i++) {
            m.put(categories[i], categoryCounts[i]);
        }
        return m;
    }

    /** Values counted apart because a live column met more distinct values than it keeps counts for. */
    public long otherCount() {
        return otherCount;
    }

    /** Number of values in the uniform sample. */
    public int sampleSize() {
        return sample.length;
    }

    QuantileSummary quantiles() {
        return quantiles;
    }

    double variance() {
        return variance;
    }

    double rawMean() {
        return mean;
    }

    float[] categories() {
        return categories.clone();
    }

    long[] counts() {
        return categoryCounts.clone();
    }

    float[] sample() {
        return sample.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnProfile c && name.equals(c.name) && kind == c.kind && count == c.count
                && missing == c.missing && Double.compare(mean, c.mean) == 0
                && Double.compare(variance, c.variance) == 0 && quantiles.equals(c.quantiles)
                && Arrays.equals(categories, c.categories) && Arrays.equals(categoryCounts, c.categoryCounts)
                && otherCount == c.otherCount && Arrays.equals(sample, c.sample);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, count, missing, mean, variance, quantiles.hashCode(),
                Arrays.hashCode(categories), Arrays.hashCode(categoryCounts), otherCount, Arrays.hashCode(sample));
    }

    @Override
    public String toString() {
        return "ColumnProfile[" + name + ", " + kind + ", count=" + count + ", missing=" + missing + ", mean=" + mean()
                + ", sd=" + standardDeviation() + ", categories=" + categories.length + ", sample=" + sample.length + "]";
    }
}
