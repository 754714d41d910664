package io.riskloop.server.monitor;

import io.riskloop.core.drift.DriftPolicy;
import io.riskloop.core.drift.DriftReport;
import io.riskloop.core.drift.DriftResult;
import io.riskloop.core.drift.LiveWindow;
import io.riskloop.core.drift.ReferenceProfile;
import io.riskloop.model.report.DriftReportJson;
import io.riskloop.registry.Registry;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.record.ActiveRun;
import io.riskloop.registry.serving.ServingModelLoader;
import io.riskloop.registry.tracking.RunArtifact;
import io.riskloop.server.retrain.ReferenceProfiles;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.decisions.KnownOutcome;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compares the champion's recent live decisions with the reference profile of its training data, which every
 * model riskloop trains carries beside its model file ({@link ReferenceProfiles}) (docs/drift.md).
 */
public final class DriftMonitor {


    private final Registry registry;
    private final DecisionStore decisions;
    private final Map<Long, Optional<ReferenceProfile>> profiles = new ConcurrentHashMap<>();

    public DriftMonitor(Registry registry, DecisionStore decisions) {
        this.registry = registry;
        this.decisions = decisions;
    }

    /** The version's reference profile, or empty when it was registered without one. */
    public Optional<ReferenceProfile> profile(ModelVersion v) {
        return profiles.computeIfAbsent(v.id(), id -> {
            if (v.runId() == null) {
                return Optional.empty();
            }
            RunArtifact a = registry.tracking().artifacts(v.runId()).stream()
                    .filter(x -> x.path().equals(ActiveRun.MODEL_DIR + "/" + ReferenceProfiles.FILE)).findFirst().orElse(null);
            if (a == null) {
                return Optional.empty();
            }
            try (InputStream in = registry.artifacts().open(a.sha256())) {
                return Optional.of(ReferenceProfile.fromBytes(in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException("the reference profile of " + v.label() + " cannot be read: "
                        + e.getMessage(), e);
            }
        });
    }

    /**
     * Drift of the decisions {@code champion} made in [{@code from}, {@code to}) against its reference; empty when it
     * has no profile or the window holds fewer than {@code minRows} of its decisions.
     */
    public Optional<DriftReport> check(ModelVersion champion, Instant from, Instant to, long minRows, DriftPolicy policy) {
        Optional<ReferenceProfile> reference = profile(champion);
        if (reference.isEmpty()) {
            return Optional.empty();
        }
        String label = ServingModelLoader.versionLabel(champion);
        List<KnownOutcome> live = decisions.outcomes(from, to, to).stream()
                .filter(o -> o.decision().modelVersion().equals(label)).toList();
        if (live.size() < minRows) {
            return Optional.empty();
        }
        LiveWindow window = LiveWindow.builder(reference.get()).size(Math.max(live.size(), 1)).build();
        List<String> names = reference.get().names();
        float[] row = new float[names.size()];
        for (KnownOutcome o : live) {
            List<String> featureNames = o.decision().featureNames();
            double[] f = o.decision().features();
            for (int i = 0; i < names.size(); i++) {
                int j = featureNames.indexOf(names.get(i));
                row[i] = j < 0 ? Float.NaN : (float) f[j];
            }
            window.add(row, o.decision().score(), o.decision().transaction().timestamp());
        }
        return Optional.of(policy.assess(reference.get(), window));
    }

    /** The names of the drifted features. */
    public static List<String> drifted(DriftReport r) {
        return r.features().stream().filter(DriftResult::drifted).map(DriftResult::name).toList();
    }

    /** The report as JSON (docs/drift.md), the form stored and served by the API. */
    public static String json(DriftReport r) {
        return DriftReportJson.write(r);
    }
}
