package io.riskloop.registry;

import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.registry.models.ModelRegistry;
import io.riskloop.registry.snapshot.Snapshots;
import io.riskloop.registry.tracking.Tracking;
import io.riskloop.store.Database;

import java.time.Clock;

/**
 * The registry's parts on one database and artifact store: tracking (experiments, runs), dataset snapshots and
 * the model registry.
 */
public record Registry(Database database, ArtifactStore artifacts, Tracking tracking, Snapshots snapshots,
                       ModelRegistry models) {

    public static Registry open(Database db, ArtifactStore artifacts, Clock clock) {
        Tracking tracking = new Tracking(db, artifacts, clock);
        Snapshots snapshots = new Snapshots(db, clock);
        return new Registry(db, artifacts, tracking, snapshots, new ModelRegistry(db, tracking, snapshots, clock));
    }
}
