package io.riskloop.cli;

import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.model.Trainer;
import io.riskloop.model.evaluate.Evaluator;
import io.riskloop.model.evaluate.TimeSplit;
import io.riskloop.model.report.ReportWriter;
import io.riskloop.model.train.Algorithm;
import io.riskloop.model.train.TrainingParams;
import io.riskloop.registry.Registry;
import io.riskloop.registry.models.ModelRegistry;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.record.ActiveRun;
import io.riskloop.registry.record.RunParams;
import io.riskloop.registry.record.RunRecorder;
import io.riskloop.server.retrain.ReferenceProfiles;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Trains the XGBoost baseline on a split and makes it the champion: the first model of the demos and scenarios. */
final class Champions {

    private Champions() {
    }

    /**
     * Trains XGBoost on {@code split} of {@code all}, writes it with its report and reference profile to
     * {@code modelDir} and, with a registry, records the run and registers it as champion of {@code modelName}.
     */
    static void train(PrintWriter out, Registry registry, String experiment, String actor, String modelName, long seed,
                      Long snapshotId, FeatureMatrix all, TimeSplit split, Trainer.Source source, Path modelDir,
                      String why) throws Exception {
        TrainingParams params = TrainingParams.defaults(Algorithm.XGBOOST).withSeed(seed);
        ActiveRun tracked = registry == null ? null : new RunRecorder(registry, Clock.systemUTC())
                .start(experiment, "champion", actor, snapshotId, null, why);
        try (ActiveRun active = tracked;
             Evaluator.TrainedRun run = new Evaluator(new Trainer(), Evaluator.Listener.NONE)
                     .trainAndTest("champion", all, FeatureSet.BASELINE, split, params, source)) {
            run.model().save(modelDir);
            FeatureMatrix trainRows = all.select(split.apply(all).train());
            ReferenceProfiles.write(modelDir, modelName, trainRows, run.model().predict(trainRows));
            ReportWriter.write(run.evaluation(), why + ": champion", modelDir);
            var m = run.evaluation().models().getFirst().first();
            out.printf("    champion: AUC %.3f, AP %.3f, CP@100 %.3f -> %s%n", m.aucRoc(), m.averagePrecision(),
                    m.cardPrecisionAt100(), modelDir);
            if (active != null) {
                Map<String, String> p = new LinkedHashMap<>(RunParams.of(params));
                p.putAll(RunParams.of(split));
                p.put("feature_set", FeatureSet.BASELINE.name());
                p.put("data.file", source.file());
                active.params(p);
                active.metrics(run.model().manifest().metrics(), 0);
                active.artifacts(ActiveRun.MODEL_DIR, modelDir);
                ModelVersion v = active.registerModel(modelName, run.model().manifest(), actor);
                active.finish();
                var move = registry.models().setAlias(modelName, ModelRegistry.CHAMPION, v.version(), actor,
                        why + ": the XGBoost baseline", ModelsCommand.audited(registry));
                out.printf("    registered %s, champion%s; see: riskloop models show %s%n", v.label(),
                        move.map(x -> x.fromVersion() == null ? "" : " (was v" + x.fromVersion() + ")").orElse(""),
                        modelName);
            }
        }
        out.flush();
    }
}
