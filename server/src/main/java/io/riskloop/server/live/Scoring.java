package io.riskloop.server.live;

import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.model.score.Explanation;
import io.riskloop.model.score.ModelHolder;
import io.riskloop.model.score.ScoringModel;
import io.riskloop.stream.DecisionPolicy;

import java.util.List;

/**
 * Scores a transaction as the pipeline would decide it now: features from live state (on copies), the champion,
 * the same decision policy, and the features that pushed the score most. Thread-safe.
 */
public final class Scoring {

    /** How much to explain. */
    public enum Explain {
        /** path attribution (Saabas): cheap, adds up to the margin, not Shapley values */
        QUICK,
        /** TreeSHAP: exact Shapley values, several times the cost of the score */
        EXACT,
        /** no contributions */
        NONE
    }

    /**
     * One scored transaction.
     *
     * @param features      the feature vector, in {@code featureNames} order (NaN: missing)
     * @param contributions the largest contributions to the margin, largest first (empty with {@link Explain#NONE})
     * @param method        the explanation's method ("saabas", "tree_shap", "linear"), or null
     */
    public record Scored(Transaction transaction, double score, DecisionType decision, List<String> reasons,
                         String modelVersion, List<String> featureNames, double[] features,
                         List<Explanation.Contribution> contributions, String method) {
    }

    /** Thrown when there is no champion to score with. */
    public static final class NoChampionException extends RuntimeException {
        public NoChampionException(String message) {
            super(message);
        }
    }

    public static final int TOP_CONTRIBUTIONS = 5;

    private final LiveState live;
    private final ServingChampion champion;
    private final DecisionPolicy policy;
    private final List<String> names;

    /** @param live live state; without it every card and terminal is scored as never seen before */
    public Scoring(LiveState live, ServingChampion champion, DecisionPolicy policy) {
        this.live = live;
        this.champion = champion;
        this.policy = policy;
        this.names = live.featureSet().names();
    }

    public FeatureSet featureSet() {
        return live.featureSet();
    }

    public ServingChampion champion() {
        return champion;
    }

    public Scored score(Transaction tx, Explain explain) {
        ModelHolder holder = champion.holder().orElseThrow(() -> new NoChampionException(
                champion.problem() != null ? champion.problem() : "no champion model is loaded"));
        double[] features = live.features(tx);
        float[] row = new float[features.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) features[i];
        }
        try (ModelHolder.Lease lease = holder.acquire()) {
            ScoringModel m = lease.model();
            double p = m.score(row);
            DecisionPolicy.Outcome outcome = policy.decide(tx, p);
            List<Explanation.Contribution> top = List.of();
            String method = null;
            if (explain != Explain.NONE) {
                Explanation e = explain == Explain.EXACT ? m.explain(row) : m.explainQuickly(row);
                top = e.top(TOP_CONTRIBUTIONS);
                method = e.method();
            }
            return new Scored(tx, p, outcome.decision(), outcome.reasons(), m.info().version(), names, features, top,
                    method);
        }
    }
}
