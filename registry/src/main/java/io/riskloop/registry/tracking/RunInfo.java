package io.riskloop.registry.tracking;

import java.time.Instant;

/**
 * A run's own fields.
 *
 * @param id             32 hexadecimal characters, as MLflow's run ids
 * @param codeVersion    the git commit of the code that ran, when known
 * @param snapshotId     the dataset snapshot the run used, or null
 * @param parentRunId    the run this one is part of (an evaluation's model runs), or null
 * @param lifecycleStage active or deleted
 */
public record RunInfo(String id, long experimentId, String name, RunStatus status, String userId, Instant startTime,
                      Instant endTime, String codeVersion, Long snapshotId, String parentRunId, String lifecycleStage) {

    /** Where the run's artifacts are, in riskloop's own scheme: served by the HTTP API under /api/runs/ID/artifacts. */
    public String artifactUri() {
        return "riskloop-artifacts:/runs/" + id;
    }
}
