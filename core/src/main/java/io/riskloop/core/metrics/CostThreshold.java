package io.riskloop.core.metrics;

/**
 * The cheapest threshold found by {@link Metrics#minimiseCost}.
 *
 * @param threshold  flag scores at or above this (+infinity: flag nothing)
 * @param cost       total cost at that threshold: missed fraud amounts plus reviews
 * @param reviewCost cost of one review, as given
 */
public record CostThreshold(double threshold, double cost, double reviewCost) {
}
