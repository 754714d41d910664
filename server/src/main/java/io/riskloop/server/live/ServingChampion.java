package io.riskloop.server.live;

import io.riskloop.model.score.ModelHolder;
import io.riskloop.model.score.ModelInfo;
import io.riskloop.model.score.ScoringModel;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.stream.ServingModels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The champion the scoring API serves: the version the registry's {@code champion} alias of one model points at,
 * swapped (through {@link ServingModels#promote}, calls in flight finish on the old one) when the alias moves.
 * The registry is polled, as the database is the source of truth and one indexed query every few seconds costs
 * nothing. Until a champion exists, there is nothing to serve and {@link #holder()} is empty.
 */
public final class ServingChampion implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServingChampion.class);

    private final RegistryModels models;
    private final String modelName;
    private final List<String> featureNames;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "riskloop-champion-poller");
        t.setDaemon(true);
        return t;
    });
    private volatile ServingModels serving;
    private volatile Long servingId;
    private volatile String problem;

    /** @param featureNames the features live state computes: a champion must take exactly these */
    public ServingChampion(RegistryModels models, String modelName, List<String> featureNames) {
        this.models = models;
        this.modelName = modelName;
        this.featureNames = List.copyOf(featureNames);
    }

    /** Serves a model given directly (tests, benchmarks), not from the registry. */
    public static ServingChampion fixed(ScoringModel model) {
        ServingChampion c = new ServingChampion(null, model.info().version(), model.info().featureNames());
        c.serving = new ServingModels(model.info().featureNames(), model);
        return c;
    }

    public String modelName() {
        return modelName;
    }

    /** Looks at the alias once now, then every {@code interval}. */
    public ServingChampion start(Duration interval) {
        check();
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One look at the alias; loads and serves the version it points at when that changed. */
    public synchronized void check() {
        if (models == null) {
            return;
        }
        try {
            Optional<ModelVersion> v = models.byAlias(modelName, "champion");
            if (v.isEmpty()) {
                problem = "model '" + modelName + "' has no champion yet: train one (riskloop train ... --alias"
                        + " champion) or promote a version";
                return;
            }
            if (Long.valueOf(v.get().id()).equals(servingId)) {
                return;
            }
            ScoringModel m = models.load(v.get());
            if (!m.info().featureNames().equals(featureNames)) {
                problem = v.get().label() + " takes " + m.info().featureNames() + " but the server computes "
                        + featureNames + "; it cannot serve here";
                LOG.warn(problem);
                return;
            }
            if (serving == null) {
                serving = new ServingModels(featureNames, m);
            } else {
                serving.promote(m);
            }
            servingId = v.get().id();
            problem = null;
            LOG.info("scoring with {} (champion of {})", m.info().version(), modelName);
        } catch (RuntimeException e) {
            problem = "cannot load the champion of '" + modelName + "': " + e.getMessage();
            LOG.warn("{}; serving the previous one, if any", problem);
        }
    }

    /** The holder of the model in service, or empty before any champion was loaded. */
    public Optional<ModelHolder> holder() {
        ServingModels s = serving;
        return s == null ? Optional.empty() : Optional.of(s.champion());
    }

    /** The model in service, or empty. */
    public Optional<ModelInfo> info() {
        return holder().map(ModelHolder::info);
    }

    /** Why no (newer) champion is served, or null when all is well. */
    public String problem() {
        return problem;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        ServingModels s = serving;
        if (s != null) {
            s.close();
        }
    }
}
