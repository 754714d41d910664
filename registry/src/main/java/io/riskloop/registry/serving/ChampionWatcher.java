package io.riskloop.registry.serving;

import io.riskloop.model.score.ScoringModel;
import io.riskloop.registry.models.ModelRegistry;
import io.riskloop.registry.models.ModelVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches a registered model's {@code champion} and {@code challenger} aliases and hands the models they point to
 * to whoever serves them, when they move. Polls the registry (the database is the source of truth; a poll every
 * few seconds costs one indexed query).
 */
public final class ChampionWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChampionWatcher.class);

    private final ModelRegistry registry;
    private final ServingModelLoader loader;
    private final String modelName;
    private final Consumer<ScoringModel> onChampion;
    private final Consumer<ScoringModel> onChallenger;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "riskloop-champion-watcher");
        t.setDaemon(true);
        return t;
    });
    private volatile Long championId;
    private volatile Long challengerId;

    /**
     * @param onChampion   told the new champion when the alias moves
     * @param onChallenger told the new challenger, or null when the alias is removed
     */
    public ChampionWatcher(ModelRegistry registry, ServingModelLoader loader, String modelName,
                           Consumer<ScoringModel> onChampion, Consumer<ScoringModel> onChallenger) {
        this.registry = registry;
        this.loader = loader;
        this.modelName = modelName;
        this.onChampion = onChampion;
        this.onChallenger = onChallenger;
    }

    /** The current champion, loaded; the caller starts serving with it. */
    public ScoringModel currentChampion() {
        ModelVersion v = alias(ModelRegistry.CHAMPION).orElseThrow(() -> new IllegalStateException(
                "model '" + modelName + "' has no champion: train one (riskloop train ... --alias champion) or promote"
                        + " a version (riskloop models promote " + modelName + " VERSION --reason ...)"));
        championId = v.id();
        return loader.load(v);
    }

    /** The current challenger, loaded, if there is one. */
    public Optional<ScoringModel> currentChallenger() {
        Optional<ModelVersion> v = alias(ModelRegistry.CHALLENGER);
        challengerId = v.map(ModelVersion::id).orElse(null);
        return v.map(loader::load);
    }

    private Optional<ModelVersion> alias(String alias) {
        if (registry.find(modelName).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(registry.versionByAlias(modelName, alias));
        } catch (io.riskloop.registry.RegistryException e) {
            return Optional.empty();
        }
    }

    /** Starts polling every {@code interval}. */
    public ChampionWatcher start(Duration interval) {
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One look at the aliases; public so that a caller can force it (e.g. right after a promotion). */
    public void check() {
        try {
            Optional<ModelVersion> champ = alias(ModelRegistry.CHAMPION);
            if (champ.isPresent() && !Long.valueOf(champ.get().id()).equals(championId)) {
                ScoringModel m = loader.load(champ.get());
                onChampion.accept(m);
                championId = champ.get().id();
                LOG.info("now serving {} as champion", champ.get().label());
            }
            Optional<ModelVersion> chall = alias(ModelRegistry.CHALLENGER);
            Long id = chall.map(ModelVersion::id).orElse(null);
            if (!java.util.Objects.equals(id, challengerId)) {
                onChallenger.accept(chall.map(loader::load).orElse(null));
                challengerId = id;
                LOG.info("challenger now {}", chall.map(ModelVersion::label).orElse("none"));
            }
        } catch (RuntimeException e) {
            // keep serving the current models; the next poll tries again
            LOG.warn("cannot check the aliases of model '{}': {}", modelName, e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
