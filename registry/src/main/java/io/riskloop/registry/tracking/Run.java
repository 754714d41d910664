package io.riskloop.registry.tracking;

import java.util.List;
import java.util.Map;

/**
 * A run with its data.
 *
 * @param metrics each metric's value at its largest step, then latest (MLflow's rule)
 */
public record Run(RunInfo info, Map<String, String> params, List<Metric> metrics, Map<String, String> tags) {
    public Run {
        params = Map.copyOf(params);
        metrics = List.copyOf(metrics);
        tags = Map.copyOf(tags);
    }

    public Double metric(String key) {
        return metrics.stream().filter(m -> m.key().equals(key)).map(Metric::value).findFirst().orElse(null);
    }
}
