package io.riskloop.registry.record;

import io.riskloop.model.ModelManifest;
import io.riskloop.registry.Registry;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.models.NewVersion;
import io.riskloop.registry.tracking.Metric;
import io.riskloop.registry.tracking.Run;
import io.riskloop.registry.tracking.RunArtifact;
import io.riskloop.registry.tracking.RunStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A run being recorded by riskloop's own commands. Closing it without {@link #finish()} marks it FAILED, so a
 * command that dies half-way leaves a failed run, not one that seems to run forever.
 */
public final class ActiveRun implements AutoCloseable {

    /** Where a registered model's files are within its run. */
    public static final String MODEL_DIR = "model";

    private final Registry registry;
    private final Clock clock;
    private final String id;
    private boolean ended;

    ActiveRun(Registry registry, Clock clock, String id) {
        this.registry = registry;
        this.clock = clock;
        this.id = id;
    }

    public String id() {
        return id;
    }

    public Run run() {
        return registry.tracking().run(id);
    }

    public void params(Map<String, String> params) {
        List<Map.Entry<String, String>> all = new ArrayList<>(params.entrySet());
        for (int i = 0; i < all.size(); i += 100) {
            Map<String, String> chunk = new LinkedHashMap<>();
            for (var e : all.subList(i, Math.min(all.size(), i + 100))) {
                chunk.put(e.getKey(), e.getValue());
            }
            registry.tracking().logBatch(id, List.of(), chunk, Map.of());
        }
    }

    public void metrics(Map<String, Double> metrics, long step) {
        long now = clock.millis();
        List<Metric> list = new ArrayList<>();
        metrics.forEach((k, v) -> list.add(new Metric(k, v, now, step)));
        registry.tracking().logBatch(id, list, Map.of(), Map.of());
    }

    public void tag(String key, String value) {
        registry.tracking().setTag(id, key, value);
    }

    public RunArtifact artifact(String path, Path file) {
        return registry.tracking().logArtifact(id, path, file);
    }

    /** Stores every regular file under {@code dir} as {@code prefix/<relative path>}. */
    public List<RunArtifact> artifacts(String prefix, Path dir) {
        List<RunArtifact> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(f).toString().replace('\\', '/');
                out.add(artifact(prefix.isEmpty() ? rel : prefix + "/" + rel, f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Registers the model this run saved under {@value #MODEL_DIR}/ as the next version of {@code modelName}
     * (created if new), with the manifest's metrics and feature schema and the run's dataset snapshot.
     */
    public ModelVersion registerModel(String modelName, ModelManifest manifest, String actor) {
        registry.models().modelNamed(modelName, actor);
        return registry.models().createVersion(new NewVersion(modelName, "runs:/" + id + "/" + MODEL_DIR, id, null,
                manifest, manifest.metrics(), "", Map.of(), actor));
    }

    public void finish() {
        registry.tracking().updateRun(id, RunStatus.FINISHED, null, null);
        ended = true;
    }

    @Override
    public void close() {
        if (!ended) {
            ended = true;
            registry.tracking().updateRun(id, RunStatus.FAILED, null, null);
        }
    }
}
