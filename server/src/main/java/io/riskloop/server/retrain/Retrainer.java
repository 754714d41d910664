package io.riskloop.server.retrain;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.features.ValueRange;
import io.riskloop.model.TrainedModel;
import io.riskloop.model.Trainer;
import io.riskloop.model.evaluate.ModelMetrics;
import io.riskloop.model.score.ModelInfo;
import io.riskloop.model.score.Scorers;
import io.riskloop.model.score.ScoringModel;
import io.riskloop.model.train.Algorithm;
import io.riskloop.model.train.TrainingParams;
import io.riskloop.registry.Registry;
import io.riskloop.registry.models.ModelRegistry;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.record.ActiveRun;
import io.riskloop.registry.record.RunParams;
import io.riskloop.registry.record.RunRecorder;
import io.riskloop.registry.serving.ServingModelLoader;
import io.riskloop.registry.snapshot.DatasetSnapshot;
import io.riskloop.registry.snapshot.SnapshotOrigin;
import io.riskloop.server.api.AliasChanges;
import io.riskloop.store.audit.AuditLog;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.decisions.KnownOutcome;
import io.riskloop.store.monitor.LoopEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One retraining, start to end (docs/monitoring.md): a dataset snapshot from the store with only the labels known at
 * the cut-off, its validation, training, challenger and champion evaluated on the same recent hold-out, the
 * promotion gates, and registration as challenger. Every step is recorded on a tracking run in the experiment
 * {@value #EXPERIMENT}; a failed step stops the retraining there, and nothing is registered. One retraining at a
 * time: a second call while one runs returns at once with {@link Outcome#BUSY}.
 */
public final class Retrainer {

    public static final String EXPERIMENT = "retraining";
    private static final Logger LOG = LoggerFactory.getLogger(Retrainer.class);

    /** How a retraining ended. */
    public enum Outcome {
        /** A challenger was registered. */
        REGISTERED,
        /** The snapshot failed validation: nothing trained. */
        INVALID_DATA,
        /** Trained, but a promotion gate refused it: not registered. */
        GATED,
        /** Another retraining was running. */
        BUSY,
        /** A step failed unexpectedly: reported, nothing half-applied. */
        FAILED
    }

    /**
     * One step, as recorded.
     *
     * @param name    snapshot, validate, train, evaluate, gates, register
     * @param passed  whether it let the retraining go on
     * @param summary one line for people
     * @param details figures
     */
    public record Step(String name, boolean passed, String summary, Map<String, Object> details) {
        public Step {
            details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
        }
    }

    /**
     * What a retraining did.
     *
     * @param challenger the registered version's label (e.g. {@code fraud/4}), or null
     * @param runId      the tracking run holding the steps, or null when none was started
     */
    public record Result(Outcome outcome, String trigger, Instant cutoff, List<Step> steps, String challenger,
                         String runId, Map<String, Double> challengerMetrics, Map<String, Double> championMetrics) {
        public Result {
            steps = List.copyOf(steps);
            challengerMetrics = challengerMetrics == null ? Map.of() : Map.copyOf(challengerMetrics);
            championMetrics = championMetrics == null ? Map.of() : Map.copyOf(championMetrics);
        }

        public String summary() {
            return steps.isEmpty() ? outcome.name().toLowerCase(Locale.ROOT) : steps.getLast().summary();
        }
    }

    private final Registry registry;
    private final DecisionStore store;
    private final String modelName;
    private final RetrainPolicy policy;
    private final TrainingParams params;
    private final Clock clock;
    private final Path workDir;
    private final ReentrantLock running = new ReentrantLock();

    /**
     * @param params  how the challenger is trained (XGBoost by default)
     * @param workDir where model files are written before they go to the artifact store
     */
    public Retrainer(Registry registry, DecisionStore store, String modelName, RetrainPolicy policy,
                     TrainingParams params, Clock clock, Path workDir) {
        this.registry = registry;
        this.store = store;
        this.modelName = modelName;
        this.policy = policy;
        this.params = params;
        this.clock = clock;
        this.workDir = workDir;
    }

    public static TrainingParams defaultParams() {
        return TrainingParams.defaults(Algorithm.XGBOOST);
    }

    public RetrainPolicy policy() {
        return policy;
    }

    public boolean running() {
        return running.isLocked();
    }

    /** Retrains now (cut-off: the clock's now), for {@code trigger}, recorded as done by {@code actor}. */
    public Result retrain(String trigger, String actor) {
        Instant cutoff = clock.instant();
        if (!running.tryLock()) {
            return new Result(Outcome.BUSY, trigger, cutoff, List.of(), null, null, null, null);
        }
        try {
            return run(trigger, actor, cutoff);
        } finally {
            running.unlock();
        }
    }

    private Result run(String trigger, String actor, Instant cutoff) {
        List<Step> steps = new ArrayList<>();
        Instant labelComplete = cutoff.minus(policy.labelDelay());
        Instant holdoutStart = labelComplete.minus(java.time.Duration.ofDays(policy.holdoutDays()));
        Instant trainStart = holdoutStart.minus(java.time.Duration.ofDays(policy.trainDays()));
        ModelVersion champion = registry.models().find(modelName).isEmpty() ? null
                : registry.models().versions(modelName).stream()
                .filter(v -> v.aliases().contains(ModelRegistry.CHAMPION)).findFirst().orElse(null);

        // 1. snapshot
        List<KnownOutcome> outcomes = store.outcomes(trainStart, labelComplete, cutoff);
        List<LabeledTransaction> rows = outcomes.stream()
                .map(o -> new LabeledTransaction(o.decision().transaction(), o.fraud(), 0)).toList();
        DatasetSnapshot snapshot = rows.isEmpty() ? null : registry.snapshots().register(rows, "native",
                new SnapshotOrigin.StoreExport(trainStart, labelComplete, cutoff));
        steps.add(new Step("snapshot", true, "snapshot of " + rows.size() + " stored transactions from " + trainStart
                + " to " + labelComplete + ", labels known at " + cutoff, LoopEvent.details(
                "rows", rows.size(), "from", trainStart.toString(), "to", labelComplete.toString(),
                "labels_known_at", cutoff.toString(), "snapshot_id", snapshot == null ? -1 : snapshot.id(),
                "sha256", snapshot == null ? "" : snapshot.sha256())));

        try (ActiveRun run = new RunRecorder(registry, clock).start(EXPERIMENT, "retrain (" + trigger + ")", actor,
                snapshot == null ? null : snapshot.id(), null, "riskloop retrain")) {
            run.tag("riskloop.trigger", trigger);
            record(run, steps);
            // 2. validate
            FeatureSet set = FeatureSet.BASELINE;
            Step validation = validate(outcomes, set, holdoutStart);
            steps.add(validation);
            record(run, steps);
            if (!validation.passed()) {
                run.finish();
                return new Result(Outcome.INVALID_DATA, trigger, cutoff, steps, null, run.id(), null, null);
            }
            FeatureMatrix all = matrix(outcomes, set);
            int[] trainRows = indexes(outcomes, trainStart, holdoutStart);
            int[] testRows = indexes(outcomes, holdoutStart, labelComplete);
            FeatureMatrix train = all.select(trainRows);
            FeatureMatrix test = all.select(testRows);

            // 3. train
            long t0 = System.nanoTime();
            Trainer.Source source = new Trainer.Source("store:" + trainStart + ".." + holdoutStart,
                    snapshot.sha256());
            try (TrainedModel trained = new Trainer(clock).train(modelName, train, set, params, source)) {
                steps.add(new Step("train", true, String.format(Locale.ROOT, "trained %s on %,d transactions (%,d"
                                + " frauds) in %.1f s", params.describe(), train.rows(), train.frauds(),
                        (System.nanoTime() - t0) / 1e9), LoopEvent.details("rows", train.rows(), "frauds", train.frauds(),
                        "params", params.describe())));
                record(run, steps);

                // 4. evaluate both on the same hold-out
                ModelInfo info = new ModelInfo(params.algorithm() == Algorithm.LOGISTIC_REGRESSION ? "linear"
                        : "xgboost-trees", set.names(), "challenger", trained.manifest().modelSha256());
                ScoringModel challengerScorer = Scorers.fromXgboostJson(trained.modelJson(), info,
                        trained.manifest().standardizer());
                double[] challengerScores = scoreAll(challengerScorer, test);
                ModelMetrics challengerMetrics = ModelMetrics.of(test, challengerScores);
                ModelMetrics championMetrics = null;
                if (champion != null) {
                    ScoringModel c = new ServingModelLoader(registry.artifacts()).load(champion);
                    championMetrics = ModelMetrics.of(test, scoreAll(c, test));
                }
                steps.add(new Step("evaluate", true, String.format(Locale.ROOT,
                        "hold-out %s..%s (%,d transactions, %,d frauds): challenger AP %.3f CP@100 %.3f%s",
                        holdoutStart, labelComplete, test.rows(), test.frauds(), challengerMetrics.averagePrecision(),
                        challengerMetrics.cardPrecisionAt100(), championMetrics == null ? ", no champion"
                                : String.format(Locale.ROOT, "; champion %s AP %.3f CP@100 %.3f",
                                ServingModelLoader.versionLabel(champion), championMetrics.averagePrecision(),
                                championMetrics.cardPrecisionAt100())),
                        LoopEvent.details("challenger", challengerMetrics.asMap(),
                                "champion", championMetrics == null ? Map.of() : championMetrics.asMap())));
                run.metrics(prefixed("challenger.", challengerMetrics.asMap()), 0);
                if (championMetrics != null) {
                    run.metrics(prefixed("champion.", championMetrics.asMap()), 0);
                }
                record(run, steps);

                // 5. gates
                double micros = latencyMicros(challengerScorer, test);
                Step gates = gates(challengerMetrics, championMetrics, champion, trained, micros);
                steps.add(gates);
                run.metrics(Map.of("challenger.score_micros", micros), 0);
                record(run, steps);
                if (!gates.passed()) {
                    run.finish();
                    return new Result(Outcome.GATED, trigger, cutoff, steps, null, run.id(),
                            challengerMetrics.asMap(), championMetrics == null ? null : championMetrics.asMap());
                }

                // 6. register as challenger
                Path dir = workDir.resolve("retrain-" + cutoff.toEpochMilli());
                TrainedModel withMetrics = trained.withManifest(trained.manifest().withMetrics(challengerMetrics.asMap()));
                withMetrics.save(dir);
                ReferenceProfiles.write(dir, modelName, train, scoreAll(challengerScorer, train));
                run.params(paramsOf(trainStart, holdoutStart, labelComplete, cutoff));
                run.artifacts(ActiveRun.MODEL_DIR, dir);
                ModelVersion v = run.registerModel(modelName, withMetrics.manifest(), actor);
                var audited = AliasChanges.audited(new AuditLog(registry.database(), clock));
                if (champion == null) {
                    registry.models().setAlias(modelName, ModelRegistry.CHAMPION, v.version(), actor,
                            "retraining (" + trigger + "): the first model", audited);
                } else {
                    registry.models().setAlias(modelName, ModelRegistry.CHALLENGER, v.version(), actor,
                            "retraining (" + trigger + "): passed its gates against "
                                    + ServingModelLoader.versionLabel(champion), audited);
                }
                String label = ServingModelLoader.versionLabel(v);
                steps.add(new Step("register", true, "registered " + label + " as "
                        + (champion == null ? "champion (no champion before)" : "challenger; it shadows the champion"
                        + " for " + policy.shadowTransactions() + " transactions before promotion"),
                        LoopEvent.details("version", label)));
                record(run, steps);
                run.finish();
                return new Result(Outcome.REGISTERED, trigger, cutoff, steps, label, run.id(),
                        challengerMetrics.asMap(), championMetrics == null ? null : championMetrics.asMap());
            }
        } catch (RuntimeException | IOException e) {
            LOG.warn("retraining ({}) failed", trigger, e);
            steps.add(new Step("failed", false, "retraining failed: " + e.getMessage(), LoopEvent.details(
                    "error", String.valueOf(e))));
            return new Result(Outcome.FAILED, trigger, cutoff, steps, null, null, null, null);
        }
    }

    private Step validate(List<KnownOutcome> outcomes, FeatureSet set, Instant holdoutStart) {
        List<String> problems = new ArrayList<>();
        long trainRows = 0;
        long trainFrauds = 0;
        long testRows = 0;
        long testFrauds = 0;
        long nonFinite = 0;
        long negativeAmounts = 0;
        boolean otherSchema = false;
        List<ValueRange> ranges = set.ranges();
        long[] outOfRange = new long[ranges.size()];
        String[] example = new String[ranges.size()];
        for (KnownOutcome o : outcomes) {
            boolean sameSchema = o.decision().featureNames().equals(set.names());
            if (!otherSchema && !sameSchema) {
                // named once; the counts below go on, so that the report holds only real problems
                problems.add("transaction " + o.decision().transaction().id() + " was decided on features "
                        + o.decision().featureNames() + ", not " + set.name() + "'s");
                otherSchema = true;
            }
            double[] f = o.decision().features();
            boolean finite = true;
            for (int j = 0; j < f.length; j++) {
                if (!Double.isFinite(f[j])) {
                    finite = false;
                } else if (sameSchema && !ranges.get(j).contains(f[j])) {
                    if (outOfRange[j]++ == 0) {
                        example[j] = f[j] + " in transaction " + o.decision().transaction().id();
                    }
                }
            }
            if (!finite) {
                nonFinite++;
            }
            if (o.decision().transaction().amount() < 0) {
                negativeAmounts++;
            }
            if (o.decision().transaction().timestamp().isBefore(holdoutStart)) {
                trainRows++;
                trainFrauds += o.fraud() ? 1 : 0;
            } else {
                testRows++;
                testFrauds += o.fraud() ? 1 : 0;
            }
        }
        if (trainRows < policy.minRows()) {
            problems.add("the training window holds " + trainRows + " transactions, fewer than " + policy.minRows());
        }
        if (trainFrauds < policy.minFrauds()) {
            problems.add("the training window holds " + trainFrauds + " known frauds, fewer than " + policy.minFrauds());
        }
        if (testRows == 0 || testFrauds == 0) {
            problems.add("the hold-out holds " + testRows + " transactions and " + testFrauds
                    + " known frauds; it needs both");
        }
        if (nonFinite > 0) {
            problems.add(nonFinite + " transactions have non-finite feature values");
        }
        if (negativeAmounts > 0) {
            problems.add(negativeAmounts + " transactions have negative amounts");
        }
        for (int j = 0; j < outOfRange.length; j++) {
            if (outOfRange[j] > 0) {
                problems.add(String.format(Locale.ROOT, "feature %s has %,d values outside %s (e.g. %s)",
                        set.names().get(j), outOfRange[j], ranges.get(j), example[j]));
            }
        }
        Map<String, Object> d = LoopEvent.details("train_rows", trainRows, "train_frauds", trainFrauds, "holdout_rows", testRows,
                "holdout_frauds", testFrauds, "problems", problems);
        return problems.isEmpty()
                ? new Step("validate", true, String.format(Locale.ROOT, "valid: %,d training transactions (%,d frauds),"
                + " %,d hold-out (%,d frauds), schema %s v%d", trainRows, trainFrauds, testRows, testFrauds, set.name(),
                set.version()), d)
                : new Step("validate", false, "the snapshot failed validation: " + String.join("; ", problems), d);
    }

    private Step gates(ModelMetrics challenger, ModelMetrics champion, ModelVersion championVersion,
                       TrainedModel trained, double micros) {
        List<String> failed = new ArrayList<>();
        List<String> passed = new ArrayList<>();
        if (champion != null) {
            check(challenger.averagePrecision() >= champion.averagePrecision() - policy.apMargin(), String.format(
                    Locale.ROOT, "AP %.3f vs champion %.3f (margin %.3f)", challenger.averagePrecision(),
                    champion.averagePrecision(), policy.apMargin()), passed, failed);
            check(challenger.cardPrecisionAt100() >= champion.cardPrecisionAt100() - policy.cardPrecisionMargin(),
                    String.format(Locale.ROOT, "CP@100 %.3f vs champion %.3f (margin %.3f)",
                            challenger.cardPrecisionAt100(), champion.cardPrecisionAt100(),
                            policy.cardPrecisionMargin()), passed, failed);
            String schema = championVersion.featureSchemaHash();
            check(schema == null || schema.equals(trained.manifest().featureSchemaHash()),
                    "feature schema " + trained.manifest().featureSet() + " v" + trained.manifest().featureSetVersion()
                            + " matches the champion's", passed, failed);
        }
        check(micros <= policy.latencyBudgetMicros(), String.format(Locale.ROOT,
                "scoring %.2f us per transaction (budget %.0f us)", micros, policy.latencyBudgetMicros()), passed, failed);
        Map<String, Object> d = LoopEvent.details("passed", passed, "failed", failed, "score_micros", micros);
        return failed.isEmpty()
                ? new Step("gates", true, "passed every gate: " + String.join("; ", passed), d)
                : new Step("gates", false, "refused by the gates: " + String.join("; ", failed), d);
    }

    private static void check(boolean ok, String what, List<String> passed, List<String> failed) {
        (ok ? passed : failed).add(what);
    }

    private static void record(ActiveRun run, List<Step> steps) {
        Step s = steps.getLast();
        run.tag(String.format(Locale.ROOT, "riskloop.step.%d.%s", steps.size(), s.name()),
                (s.passed() ? "ok: " : "stopped: ") + s.summary());
    }

    static FeatureMatrix matrix(List<KnownOutcome> outcomes, FeatureSet set) {
        int cols = set.size();
        float[] values = new float[outcomes.size() * cols];
        List<LabeledTransaction> source = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            double[] f = outcomes.get(i).decision().features();
            for (int j = 0; j < cols; j++) {
                values[i * cols + j] = (float) f[j];
            }
            source.add(new LabeledTransaction(outcomes.get(i).decision().transaction(), outcomes.get(i).fraud(), 0));
        }
        return new FeatureMatrix(set.names(), values, outcomes.size(), source);
    }

    private static int[] indexes(List<KnownOutcome> outcomes, Instant from, Instant to) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Instant t = outcomes.get(i).decision().transaction().timestamp();
            if (!t.isBefore(from) && t.isBefore(to)) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double[] scoreAll(ScoringModel m, FeatureMatrix test) {
        double[] out = new double[test.rows()];
        if (test.rows() > 0) {
            m.scoreBatch(test.values(), test.rows(), out);
        }
        return out;
    }

    /** Mean time to score one row on one thread, after a warm-up pass; what the pipeline pays per transaction. */
    private static double latencyMicros(ScoringModel m, FeatureMatrix test) {
        int cols = test.columns();
        float[] row = new float[cols];
        int n = Math.min(test.rows(), 20_000);
        double sink = 0;
        for (int pass = 0; pass < 2; pass++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                System.arraycopy(test.values(), i * cols, row, 0, cols);
                sink += m.score(row);
            }
            if (pass == 1) {
                double micros = (System.nanoTime() - t0) / 1e3 / Math.max(1, n);
                return sink == Double.MIN_VALUE ? micros + 1 : micros; // keeps the loop from being optimised away
            }
        }
        throw new AssertionError("unreachable");
    }

    private Map<String, String> paramsOf(Instant trainStart, Instant holdoutStart, Instant labelComplete,
                                         Instant cutoff) {
        Map<String, String> p = new LinkedHashMap<>(RunParams.of(params));
        p.put("train.start", trainStart.toString());
        p.put("holdout.start", holdoutStart.toString());
        p.put("holdout.end", labelComplete.toString());
        p.put("labels_known_at", cutoff.toString());
        p.put("feature_set", FeatureSet.BASELINE.name());
        return p;
    }

    private static Map<String, Double> prefixed(String prefix, Map<String, Double> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (v != null && Double.isFinite(v)) {
                out.put(prefix + k, v);
            }
        });
        return out;
    }
}
