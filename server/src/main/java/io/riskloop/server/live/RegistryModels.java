package io.riskloop.server.live;

import io.riskloop.registry.serving.ServingModelLoader;

import io.riskloop.model.score.ScoringModel;
import io.riskloop.registry.Registry;
import io.riskloop.registry.RegistryException;
import io.riskloop.registry.models.ModelVersion;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Registered model versions as scoring models, read from the content-addressed artifact store. The version label
 * a model reports, and decisions carry, is "name/version" (e.g. "fraud/3"), which {@link #byLabel} reads back to
 * recompute an old decision's explanation with the model that made it. A few recently used models are kept.
 */
public final class RegistryModels {

    private static final int KEEP = 4;

    private final Registry registry;
    private final Map<Long, ScoringModel> recent = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ScoringModel> e) {
            return size() > KEEP;
        }
    };

    private final ServingModelLoader loader;

    public RegistryModels(Registry registry) {
        this.registry = registry;
        this.loader = new ServingModelLoader(registry.artifacts());
    }

    public Registry registry() {
        return registry;
    }

    /** The label decisions carry for this version. */
    public static String label(ModelVersion v) {
        return ServingModelLoader.versionLabel(v);
    }

    /** The version of {@code name} that {@code alias} points at, if any. */
    public Optional<ModelVersion> byAlias(String name, String alias) {
        if (registry.models().find(name).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(registry.models().versionByAlias(name, alias));
        } catch (RegistryException e) {
            if (e.kind() == RegistryException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The model a decision names by its label.
     *
     * @return empty, with the reason, when the label names no loadable version
     */
    public Loaded byLabel(String label) {
        var parsed = ServingModelLoader.parseLabel(label);
        if (parsed.isEmpty()) {
            return Loaded.missing("model version '" + label + "' is not a registry version (name/number)");
        }
        ModelVersion v;
        try {
            v = registry.models().version(parsed.get().model(), parsed.get().version());
        } catch (RegistryException e) {
            return Loaded.missing("model version '" + label + "' is not in the registry");
        }
        try {
            return new Loaded(load(v), null);
        } catch (RuntimeException e) {
            return Loaded.missing(e.getMessage());
        }
    }

    /** A model, or why there is none. */
    public record Loaded(ScoringModel model, String unavailable) {
        static Loaded missing(String why) {
            return new Loaded(null, why);
        }
    }

    /**
     * Loads a version.
     *
     * @throws IllegalStateException when it has no riskloop model file (e.g. registered through MLflow)
     */
    public synchronized ScoringModel load(ModelVersion v) {
        ScoringModel cached = recent.get(v.id());
        if (cached != null) {
            return cached;
        }
        ScoringModel model = loader.load(v);
        recent.put(v.id(), model);
        return model;
    }
}
