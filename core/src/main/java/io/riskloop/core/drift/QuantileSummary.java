package io.riskloop.core.drift;

import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.quantilescommon.FloatsSortedView;

import java.util.Arrays;
import java.util.Objects;

/**
 * A KLL sketch frozen into its sorted view: the retained values in ascending order (the exact minimum and maximum
 * included) with their cumulative weights, which is what the sketch answers every rank and quantile query from. Exact
 * while the sketch held every value; otherwise each rank is within {@link #rankError()} (at 99% confidence).
 *
 * <p>Profiles keep this view rather than the sketch because datasketches-java 7 serialises sketches through
 * datasketches-memory 4, which is built on the JDK 17 incubator API {@code jdk.incubator.foreign} that Java 21 no
 * longer has (docs/adr/0014-drift-statistics.md). The two queries below are binary searches over the view.
 */
final class QuantileSummary {

    static final QuantileSummary EMPTY = new QuantileSummary(new float[0], new long[0], 0);

    private final float[] items;
    private final long[] cumulativeWeights;
    private final double rankError;

    QuantileSummary(float[] items, long[] cumulativeWeights, double rankError) {
        if (items.length != cumulativeWeights.length) {
            throw new IllegalArgumentException(items.length + " values but " + cumulativeWeights.length + " weights");
        }
        for (int i = 1; i < items.length; i++) {
            if (!(items[i] >= items[i - 1]) || cumulativeWeights[i] < cumulativeWeights[i - 1]) {
                throw new IllegalArgumentException("quantile summary not ascending at position " + i + ": values "
                        + items[i - 1] + ", " + items[i] + " with cumulative weights " + cumulativeWeights[i - 1] + ", "
                        + cumulativeWeights[i]);
            }
        }
        this.items = items.clone();
        this.cumulativeWeights = cumulativeWeights.clone();
        this.rankError = rankError;
    }

    static QuantileSummary of(KllFloatsSketch sketch) {
        if (sketch.isEmpty()) {
            return EMPTY;
        }
        FloatsSortedView v = sketch.getSortedView();
        return new QuantileSummary(v.getQuantiles(), v.getCumulativeWeights(),
                sketch.isEstimationMode() ? sketch.getNormalizedRankError(false) : 0);
    }

    /** Values summarised. */
    long n() {
        return items.length == 0 ? 0 : cumulativeWeights[items.length - 1];
    }

    boolean isEmpty() {
        return items.length == 0;
    }

    /** Normalised rank error of a single query (99% confidence); 0 when the summary is exact. */
    double rankError() {
        return rankError;
    }

    float[] items() {
        return items.clone();
    }

    long[] cumulativeWeights() {
        return cumulativeWeights.clone();
    }

    /** The smallest value with at least {@code need} values at or below it (inclusive quantile of rank need / n). */
    float valueWithWeightAtLeast(long need) {
        long target = Math.max(1, need);
        int lo = 0;
        int hi = items.length - 1;
        while (lo < hi) { // first position whose cumulative weight is >= target
            int mid = (lo + hi) >>> 1;
            if (cumulativeWeights[mid] < target) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return items[lo];
    }

    /** The inclusive quantile of the given rank in [0, 1]. */
    float quantile(double rank) {
        // a hair below the product, so that 0.3 * 10 = 3.0000000000000004 asks for 3 values and not 4
        return valueWithWeightAtLeast((long) Math.ceil(rank * n() - 1e-9));
    }

    /** How many values are strictly below x. */
    long weightBelow(float x) {
        int lo = 0;
        int hi = items.length;
        while (lo < hi) { // first position whose value is >= x
            int mid = (lo + hi) >>> 1;
            if (items[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == 0 ? 0 : cumulativeWeights[lo - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantileSummary q && Arrays.equals(items, q.items)
                && Arrays.equals(cumulativeWeights, q.cumulativeWeights) && Double.compare(rankError, q.rankError) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(items), Arrays.hashCode(cumulativeWeights), rankError);
    }
}
