package io.riskloop.core.drift;

import java.util.List;

/**
 * A column's reference and live distributions over the bins the binned tests use: for a continuous column, bins at
 * the reference's quantiles; for a categorical or binary one, one bin per value (and "other" for values beyond the
 * counting limit).
 *
 * @param bins      a label per bin, e.g. "[0.5, 1.25)" or "3"
 * @param edges     the inner bin edges of a continuous column (bins.size() - 1 of them), empty for categories
 * @param reference the reference's share of each bin
 * @param live      the live window's share of each bin
 */
public record Histogram(List<String> bins, List<Double> edges, List<Double> reference, List<Double> live) {

    public Histogram {
        bins = List.copyOf(bins);
        edges = List.copyOf(edges);
        reference = List.copyOf(reference);
        live = List.copyOf(live);
        if (reference.size() != bins.size() || live.size() != bins.size()) {
            throw new IllegalArgumentException("histogram of " + bins.size() + " bins has " + reference.size()
                    + " reference and " + live.size() + " live shares");
        }
        if (!edges.isEmpty() && edges.size() != bins.size() - 1) {
            throw new IllegalArgumentException("histogram of " + bins.size() + " bins has " + edges.size() + " edges");
        }
    }
}
