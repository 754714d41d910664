package io.riskloop.registry.record;

import io.riskloop.registry.Registry;
import io.riskloop.registry.tracking.Experiment;
import io.riskloop.registry.tracking.NewRun;
import io.riskloop.registry.tracking.Run;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts the runs riskloop's own commands record: in a named experiment (created on first use), with the code
 * version and the dataset snapshot, tagged the way MLflow's tools look for (user, source, parent).
 */
public final class RunRecorder {

    private final Registry registry;
    private final Clock clock;

    public RunRecorder(Registry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * @param parentRunId the run this one is part of, or null
     * @param source      what made the run, e.g. "riskloop train"
     */
    public ActiveRun start(String experiment, String runName, String user, Long snapshotId, String parentRunId,
                           String source) {
        Experiment e = registry.tracking().experimentNamed(experiment);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("mlflow.user", user);
        tags.put("mlflow.source.name", source);
        tags.put("mlflow.source.type", "LOCAL");
        String code = CodeVersion.current();
        if (code != null) {
            tags.put("mlflow.source.git.commit", code);
        }
        if (parentRunId != null) {
            tags.put("mlflow.parentRunId", parentRunId);
        }
        Run r = registry.tracking().createRun(new NewRun(e.id(), runName, user, clock.instant(), tags, code,
                snapshotId, parentRunId));
        return new ActiveRun(registry, clock, r.info().id());
    }
}
