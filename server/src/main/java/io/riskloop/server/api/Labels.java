package io.riskloop.server.api;

import io.riskloop.server.ApiProblem;
import io.riskloop.server.ServerParts;
import io.riskloop.server.auth.Principal;
import io.riskloop.store.decisions.NoSuchTransactionException;
import io.riskloop.store.decisions.StoredDecision;
import io.riskloop.store.decisions.StoredLabel;

import java.time.Instant;

/**
 * Gives a transaction its true label, for the API and the web app alike: through the {@link
 * io.riskloop.stream.labels.Labeler} (the store, then the labels topic, where label-aware features take it in),
 * then into the audit log with the label before and after.
 */
public final class Labels {

    public static final int MAX_COMMENT = 2_000;

    private final ServerParts parts;

    public Labels(ServerParts parts) {
        this.parts = parts;
    }

    /**
     * @param knownAt when the label became known; null for now
     * @throws NoSuchTransactionException when no decision is stored for the transaction
     */
    public StoredLabel label(String transactionId, boolean fraud, String source, String comment, Instant knownAt,
                             Principal who) {
        if (parts.labeler() == null) {
            throw ApiProblem.unavailable("labels need the broker, to reach the pipeline's label-aware features:"
                    + " start the server with --kafka");
        }
        StoredDecision before = parts.decisions().find(transactionId)
                .orElseThrow(() -> new NoSuchTransactionException(transactionId));
        StoredLabel l = parts.labeler().label(transactionId, fraud, source, who.name(), comment, knownAt);
        parts.audit().append(who.name(), "label.set", "transaction:" + transactionId, state(before.trueLabel(),
                before.labelSource()), state(fraud, source), comment);
        parts.metrics().labelled(source, fraud);
        return l;
    }

    private static String state(Boolean fraud, String source) {
        if (fraud == null) {
            return "{\"label\":null}";
        }
        return "{\"label\":\"" + (fraud ? "fraud" : "genuine") + "\",\"source\":\"" + source + "\"}";
    }
}
