package io.riskloop.cli;

import io.riskloop.core.features.FeatureSet;
import io.riskloop.registry.Registry;
import io.riskloop.registry.serving.ChampionWatcher;
import io.riskloop.registry.serving.ServingModelLoader;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.stream.DecisionPipeline;
import io.riskloop.stream.PipelineConfig;
import io.riskloop.stream.ServingModels;
import io.riskloop.stream.Topics;
import io.riskloop.stream.sink.StoreSink;
import io.riskloop.core.token.CardTokenizer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The processing role, as `riskloop process` and `riskloop demo` run it: the decision pipeline serving the
 * registry's champion (and challenger in shadow), swapped when the aliases move, and the sink that stores every
 * decision and dead letter.
 */
final class PipelineRole implements AutoCloseable {

    private final ChampionWatcher watcher;
    private final ServingModels models;
    private final DecisionPipeline pipeline;
    private final StoreSink sink;
    private final DecisionStore store;

    private PipelineRole(ChampionWatcher watcher, ServingModels models, DecisionPipeline pipeline, StoreSink sink,
                         DecisionStore store) {
        this.watcher = watcher;
        this.models = models;
        this.pipeline = pipeline;
        this.sink = sink;
        this.store = store;
    }

    /** @param streams where the pipeline connects, its state and its tuning */
    static PipelineRole start(Registry registry, DecisionPipeline.Options streams, String modelName,
                              PipelineConfig config, int partitions, CardTokenizer tokenizer, MeterRegistry meters) {
        String bootstrap = streams.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            config.topics().create(admin, partitions, (short) 1);
        }
        ServingModels[] holder = new ServingModels[1];
        ChampionWatcher watcher = new ChampionWatcher(registry.models(), new ServingModelLoader(registry.artifacts()),
                modelName, m -> holder[0].promote(m), m -> holder[0].challenger(m));
        ServingModels models = new ServingModels(FeatureSet.BASELINE.names(), watcher.currentChampion());
        holder[0] = models;
        watcher.currentChallenger().ifPresent(models::challenger);
        watcher.start(Duration.ofSeconds(2));
        DecisionStore store = new DecisionStore(registry.database(), Clock.systemUTC());
        DecisionPipeline pipeline = DecisionPipeline.start(streams,
                config, models, tokenizer, Clock.systemUTC(), meters);
        StoreSink sink = new StoreSink(bootstrap, "riskloop-store-sink", store, config.topics(), Clock.systemUTC())
                .bindTo(meters).start();
        return new PipelineRole(watcher, models, pipeline, sink, store);
    }

    DecisionPipeline pipeline() {
        return pipeline;
    }

    StoreSink sink() {
        return sink;
    }

    ServingModels models() {
        return models;
    }

    DecisionStore store() {
        return store;
    }

    @Override
    public void close() {
        watcher.close();
        pipeline.close();
        sink.close();
        models.close();
    }

    static Topics topics() {
        return Topics.DEFAULT;
    }
}
