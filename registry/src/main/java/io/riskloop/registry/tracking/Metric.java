package io.riskloop.registry.tracking;

/**
 * One logged value of a metric.
 *
 * @param timestamp milliseconds since the epoch
 * @param step      the step (e.g. fold or epoch) it belongs to
 */
public record Metric(String key, double value, long timestamp, long step) {
}
