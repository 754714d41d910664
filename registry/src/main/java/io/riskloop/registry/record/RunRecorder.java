package io.riskloop.registry.record;

import io.riskloop.registry.Registry;
import io.riskloop.registry.tracking.Experiment;
import io.riskloop.registry.tracking.NewRun;
import io.riskloop.registry.tracking.Run;

import io.riskloop.model.evaluate.Evaluation;
import io.riskloop.model.evaluate.ModelResult;
import io.riskloop.model.evaluate.Protocol;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the runs riskloop's own commands record: in a named experiment (created on first use), with the code
 * version and the dataset snapshot, tagged the way MLflow's tools look for (user, source, parent).
 */
public final class RunRecorder {

    private final Registry registry;
    private final Clock clock;

    public RunRecorder(Registry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * @param parentRunId the run this one is part of, or null
     * @param source      what made the run, e.g. "riskloop train"
     */
    public ActiveRun start(String experiment, String runName, String user, Long snapshotId, String parentRunId,
                           String source) {
        Experiment e = registry.tracking().experimentNamed(experiment);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("mlflow.user", user);
        tags.put("mlflow.source.name", source);
        tags.put("mlflow.source.type", "LOCAL");
        String code = CodeVersion.current();
        if (code != null) {
            tags.put("mlflow.source.git.commit", code);
        }
        if (parentRunId != null) {
            tags.put("mlflow.parentRunId", parentRunId);
        }
        Run r = registry.tracking().createRun(new NewRun(e.id(), runName, user, clock.instant(), tags, code,
                snapshotId, parentRunId));
        return new ActiveRun(registry, clock, r.info().id());
    }

    /** An evaluation as recorded: the parent run and one child run per model, in the evaluation's order. */
    public record RecordedEvaluation(String parentRunId, List<String> childRunIds) {
    }

    /**
     * Records an evaluation as a parent run (the protocol, split and data as params, the report files as
     * artifacts) with one child run per model: its parameters and metrics. A prequential evaluation logs each
     * fold's figure as {@code fold_<metric>} at step = fold (0 the most recent) and the mean and standard
     * deviation under the metric's own name and {@code <metric>_std}.
     */
    public RecordedEvaluation recordEvaluation(String experiment, String user, Long snapshotId, Evaluation e,
                                              Map<String, String> params, Path reportDir, String source) {
        try (ActiveRun parent = start(experiment, "evaluate " + e.protocol().cliName(), user, snapshotId, null, source)) {
            Map<String, String> p = new LinkedHashMap<>(params);
            p.putAll(RunParams.of(e.split()));
            p.put("protocol", e.protocol().cliName());
            p.put("folds", Integer.toString(e.folds()));
            parent.params(p);
            List<String> children = new ArrayList<>();
            for (ModelResult r : e.models()) {
                try (ActiveRun child = start(experiment, r.name(), user, snapshotId, parent.id(), source)) {
                    Map<String, String> cp = new LinkedHashMap<>(RunParams.of(r.params()));
                    cp.put("model", r.name());
                    if (r.selection() != null) {
                        cp.put("selection", r.selection());
                    }
                    child.params(cp);
                    Map<String, Double> m = new LinkedHashMap<>(r.first().asMap());
                    m.put("auc_roc", ModelResult.mean(r.aucRoc()));
                    m.put("average_precision", ModelResult.mean(r.ap()));
                    m.put("card_precision_at_100", ModelResult.mean(r.cp100()));
                    if (e.protocol() == Protocol.PREQUENTIAL) {
                        m.put("auc_roc_std", ModelResult.std(r.aucRoc()));
                        m.put("average_precision_std", ModelResult.std(r.ap()));
                        m.put("card_precision_at_100_std", ModelResult.std(r.cp100()));
                        for (int k = 0; k < r.folds(); k++) {
                            child.metrics(Map.of("fold_auc_roc", r.aucRoc()[k], "fold_average_precision", r.ap()[k],
                                    "fold_card_precision_at_100", r.cp100()[k]), k);
                        }
                    }
                    child.metrics(m, 0);
                    child.finish();
                    children.add(child.id());
                }
            }
            if (reportDir != null) {
                parent.artifacts("report", reportDir);
            }
            parent.finish();
            return new RecordedEvaluation(parent.id(), children);
        }
    }
}
