package io.riskloop.registry.tracking;

import java.time.Instant;
import java.util.Map;

/**
 * A named group of runs.
 *
 * @param id               0 is MLflow's "Default" experiment
 * @param artifactLocation where the experiment's artifacts go, as a client asked, or null
 * @param lifecycleStage   active or deleted
 */
public record Experiment(long id, String name, String artifactLocation, String lifecycleStage, Instant createdAt,
                         Instant updatedAt, Map<String, String> tags) {
    public Experiment {
        tags = Map.copyOf(tags);
    }
}
