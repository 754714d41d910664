package io.riskloop.server.api;

import io.riskloop.core.domain.Decision;
import io.riskloop.model.score.Explanation;
import io.riskloop.server.ServerParts;
import io.riskloop.server.live.RegistryModels;
import io.riskloop.store.decisions.NoSuchTransactionException;
import io.riskloop.store.decisions.StoredDecision;
import io.riskloop.store.decisions.StoredLabel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything known about one decided transaction, for the API and the web app: its fields, the features the model
 * saw, the score, the decision and its reasons, an exact explanation, the label and its history, and the card's
 * recent transactions.
 */
public final class TransactionDetails {

    /** One feature with its value and its contribution to the score's log-odds (null when not explained). */
    public record Feature(String name, Double value, Double contribution) {
    }

    /**
     * The exact explanation, recomputed from the stored features with the model version that decided.
     *
     * @param unavailable why there is none (e.g. the version is no longer loadable), else null
     */
    public record ExplanationView(String method, Double bias, Double margin, List<Explanation.Contribution> top,
                                  String unavailable) {
    }

    /** A stored decision with its current label, in the form the API returns. */
    public record Summary(String transactionId, Instant timestamp, String cardId, String terminalId, double amount,
                          Map<String, String> attributes, double score, String decision, List<String> reasons,
                          String modelVersion, Double challengerScore, String challengerVersion, Instant decidedAt,
                          Boolean label, String labelSource, String labelAuthor, Instant labeledAt) {
    }

    public record Detail(Summary transaction, List<Feature> features, ExplanationView explanation,
                         List<StoredLabel> labels, List<Summary> cardHistory) {
    }

    public static final int HISTORY = 20;

    private final ServerParts parts;

    public TransactionDetails(ServerParts parts) {
        this.parts = parts;
    }

    public static Summary summary(StoredDecision s) {
        Decision d = s.decision();
        var tx = d.transaction();
        return new Summary(tx.id(), tx.timestamp(), tx.cardId(), tx.terminalId(), tx.amount(), tx.attributes(),
                d.score(), d.decision().name(), d.reasons(), d.modelVersion(), d.challengerScore(),
                d.challengerVersion(), d.decidedAt(), s.trueLabel(), s.labelSource(), s.labelAuthor(), s.labeledAt());
    }

    /** @throws NoSuchTransactionException when no decision is stored for {@code id} */
    public Detail load(String id) {
        StoredDecision s = parts.decisions().find(id).orElseThrow(() -> new NoSuchTransactionException(id));
        Decision d = s.decision();
        Explanation e = null;
        String unavailable;
        RegistryModels.Loaded m = parts.models().byLabel(d.modelVersion());
        if (m.model() == null) {
            unavailable = m.unavailable();
        } else {
            float[] row = new float[m.model().info().features()];
            List<String> names = m.model().info().featureNames();
            unavailable = null;
            for (int i = 0; i < row.length; i++) {
                int at = d.featureNames().indexOf(names.get(i));
                if (at < 0) {
                    unavailable = "the stored features lack '" + names.get(i) + "', which " + d.modelVersion()
                            + " takes";
                    break;
                }
                row[i] = (float) d.features()[at];
            }
            if (unavailable == null) {
                e = m.model().explain(row);
            }
        }
        Map<String, Double> contributions = new LinkedHashMap<>();
        if (e != null) {
            for (int i = 0; i < e.featureNames().size(); i++) {
                contributions.put(e.featureNames().get(i), e.contributions()[i]);
            }
        }
        List<Feature> features = new ArrayList<>();
        for (int i = 0; i < d.featureNames().size(); i++) {
            double v = d.features()[i];
            features.add(new Feature(d.featureNames().get(i), Double.isNaN(v) ? null : v,
                    contributions.get(d.featureNames().get(i))));
        }
        ExplanationView view = e == null ? new ExplanationView(null, null, null, List.of(), unavailable)
                : new ExplanationView(e.method(), e.bias(), e.margin(), e.top(e.featureNames().size()), null);
        List<Summary> history = parts.queries().cardHistory(d.transaction().cardId(), d.transaction().timestamp(),
                HISTORY).stream().map(TransactionDetails::summary).toList();
        return new Detail(summary(s), features, view, parts.decisions().labels(id), history);
    }
}
