package io.riskloop.registry.tracking;

import java.time.Instant;
import java.util.Map;

/**
 * What a new run starts with.
 *
 * @param name        null for a generated name
 * @param startTime   null for now
 * @param codeVersion null when unknown
 * @param snapshotId  null when the run used no registered data
 * @param parentRunId null for a top-level run
 */
public record NewRun(long experimentId, String name, String userId, Instant startTime, Map<String, String> tags,
                     String codeVersion, Long snapshotId, String parentRunId) {
    public NewRun {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public static NewRun in(long experimentId, String name, String userId) {
        return new NewRun(experimentId, name, userId, null, Map.of(), null, null, null);
    }

    public NewRun withSnapshot(Long id) {
        return new NewRun(experimentId, name, userId, startTime, tags, codeVersion, id, parentRunId);
    }

    public NewRun withCodeVersion(String v) {
        return new NewRun(experimentId, name, userId, startTime, tags, v, snapshotId, parentRunId);
    }

    public NewRun withParent(String runId) {
        return new NewRun(experimentId, name, userId, startTime, tags, codeVersion, snapshotId, runId);
    }

    public NewRun withTags(Map<String, String> t) {
        return new NewRun(experimentId, name, userId, startTime, t, codeVersion, snapshotId, parentRunId);
    }
}
