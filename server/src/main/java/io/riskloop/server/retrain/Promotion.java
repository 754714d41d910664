package io.riskloop.server.retrain;

import io.riskloop.core.metrics.Metrics;
import io.riskloop.registry.models.ModelRegistry;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.serving.ServingModelLoader;
import io.riskloop.server.api.AliasChanges;
import io.riskloop.store.audit.AuditLog;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.decisions.KnownOutcome;
import io.riskloop.store.monitor.LoopEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Moves a registered challenger along: it shadows the champion for at least
 * {@link RetrainPolicy#shadowTransactions()} decisions and until the label-complete part of its shadow traffic holds
 * {@link RetrainPolicy#minWatchFrauds()} frauds; there it must not be worse than the champion by more than
 * {@link RetrainPolicy#apMargin()} (else it is withdrawn); then it is promoted, and the previous champion shadows the new one for
 * {@link RetrainPolicy#watchTransactions()} decisions. If the new champion's live average precision on those is
 * below the previous one's by more than {@link RetrainPolicy#apMargin()}, the champion alias is rolled back. Every
 * move goes through the registry (who, when, why), is written to the audit log in the same transaction, and comes
 * back as a {@link LoopEvent}.
 *
 * <p>The watch reuses the shadow: both models score the same live transactions, so the comparison needs no
 * replay and is fair under drift, which a comparison with the previous champion's accuracy before the promotion
 * would not be.
 */
public final class Promotion {

    /** Version tag marking a challenger that is the previous champion watching its successor. */
    public static final String ROLE_TAG = "riskloop.role";
    public static final String WATCH = "watch";

    private final ModelRegistry models;
    private final DecisionStore store;
    private final String modelName;
    private final RetrainPolicy policy;
    private final String actor;
    private final ModelRegistry.MoveRecorder audited;

    /**
     * @param audit the audit log, where each alias move is written (by {@code actor}) in the move's transaction
     */
    public Promotion(ModelRegistry models, AuditLog audit, DecisionStore store, String modelName, RetrainPolicy policy,
                     String actor) {
        this.models = models;
        this.audited = AliasChanges.audited(audit);
        this.store = store;
        this.modelName = modelName;
        this.policy = policy;
        this.actor = actor;
    }

    /** Whether a challenger (new or watching) is in place: no retraining starts while one is. */
    public boolean inFlight() {
        return alias(ModelRegistry.CHALLENGER).isPresent();
    }

    /** Takes the next step that is due at {@code now}, if any. */
    public List<LoopEvent> advance(Instant now) {
        Optional<ModelVersion> challenger = alias(ModelRegistry.CHALLENGER);
        Optional<ModelVersion> champion = alias(ModelRegistry.CHAMPION);
        if (challenger.isEmpty() || champion.isEmpty()) {
            return List.of();
        }
        boolean watching = WATCH.equals(challenger.get().tags().get(ROLE_TAG));
        return watching ? watch(now, champion.get(), challenger.get()) : shadow(now, champion.get(), challenger.get());
    }

    private List<LoopEvent> shadow(Instant now, ModelVersion champion, ModelVersion challenger) {
        String c = ServingModelLoader.versionLabel(challenger);
        String previous = ServingModelLoader.versionLabel(champion);
        long shadowed = store.shadowed(previous, c);
        if (shadowed < policy.shadowTransactions()) {
            return List.of();
        }
        Comparison cmp = compare(previous, c, now);
        if (!cmp.judged()) {
            return List.of(); // its shadow traffic has too few labelled frauds yet: keep shadowing
        }
        List<LoopEvent> events = new ArrayList<>();
        Map<String, Object> details = new java.util.LinkedHashMap<>(cmp.details(shadowed));
        String ab = "";
        List<KnownOutcome> challengerArm = store.shadowOutcomes(c, previous, now.minus(policy.labelDelay()), now);
        if (!challengerArm.isEmpty()) {
            AbTest test = AbTest.of(previous, store.shadowOutcomes(previous, c, now.minus(policy.labelDelay()), now), c,
                    challengerArm);
            details.putAll(test.details());
            ab = "; " + test.describe();
        }
        events.add(LoopEvent.of(now, "shadow", modelName, c, String.format(Locale.ROOT,
                "%s shadowed %,d decisions of %s; %s%s", c, shadowed, previous, cmp.describe("challenger"), ab),
                details));
        if (cmp.challengerAp() < cmp.championAp() - policy.apMargin()) {
            models.deleteAlias(modelName, ModelRegistry.CHALLENGER, actor, "shadow: " + cmp.describe("challenger"),
                    audited);
            events.add(LoopEvent.of(now, "challenger_withdrawn", modelName, c, c + " scored worse than the champion"
                    + " on its labelled shadow traffic; withdrawn", cmp.details(shadowed)));
            return events;
        }
        models.setAlias(modelName, ModelRegistry.CHAMPION, challenger.version(), actor, "promoted after shadowing "
                + shadowed + " decisions; " + cmp.describe("challenger"), audited);
        models.setVersionTag(modelName, champion.version(), ROLE_TAG, WATCH);
        models.setAlias(modelName, ModelRegistry.CHALLENGER, champion.version(), actor,
                "the previous champion shadows " + c + " while it is watched", audited);
        events.add(LoopEvent.of(now, "promoted", modelName, c, c + " is champion (was " + previous + "); " + previous
                + " shadows it for " + policy.watchTransactions() + " decisions", Map.of("previous", previous,
                "shadowed", shadowed)));
        return events;
    }

    private List<LoopEvent> watch(Instant now, ModelVersion champion, ModelVersion previous) {
        String p = ServingModelLoader.versionLabel(previous);
        String c = ServingModelLoader.versionLabel(champion);
        long shadowed = store.shadowed(c, p);
        if (shadowed < policy.watchTransactions()) {
            return List.of();
        }
        Comparison cmp = compare(c, p, now);
        if (!cmp.judged()) {
            return List.of(); // not enough labelled frauds yet: keep watching
        }
        models.setVersionTag(modelName, previous.version(), ROLE_TAG, "");
        if (cmp.championAp() < cmp.challengerAp() - policy.apMargin()) {
            models.deleteAlias(modelName, ModelRegistry.CHALLENGER, actor, "watch ended: rolling back", audited);
            models.rollback(modelName, ModelRegistry.CHAMPION, actor, "live accuracy regressed: "
                    + cmp.describe("previous champion"), audited);
            return List.of(LoopEvent.of(now, "rolled_back", modelName, c, c + " regressed on live traffic ("
                    + cmp.describe("previous champion") + "); champion rolled back to " + p, cmp.details(shadowed)));
        }
        models.deleteAlias(modelName, ModelRegistry.CHALLENGER, actor, "watch ended: " + c + " holds up", audited);
        return List.of(LoopEvent.of(now, "watch_ended", modelName, c, c + " holds up on live traffic ("
                + cmp.describe("previous champion") + ")", cmp.details(shadowed)));
    }

    /** Champion and challenger average precision on the label-complete part of the challenger's shadow traffic. */
    private Comparison compare(String championLabel, String challengerLabel, Instant now) {
        List<KnownOutcome> rows = store.shadowOutcomes(championLabel, challengerLabel, now.minus(policy.labelDelay()),
                now);
        int n = rows.size();
        double[] champion = new double[n];
        double[] challenger = new double[n];
        boolean[] fraud = new boolean[n];
        long frauds = 0;
        for (int i = 0; i < n; i++) {
            champion[i] = rows.get(i).decision().score();
            challenger[i] = rows.get(i).decision().challengerScore();
            fraud[i] = rows.get(i).fraud();
            frauds += fraud[i] ? 1 : 0;
        }
        boolean judged = frauds >= policy.minWatchFrauds() && frauds < n;
        return new Comparison(n, frauds, judged, judged ? Metrics.averagePrecision(champion, fraud) : Double.NaN,
                judged ? Metrics.averagePrecision(challenger, fraud) : Double.NaN, policy.minWatchFrauds());
    }

    private record Comparison(int rows, long frauds, boolean judged, double championAp, double challengerAp,
                              long needed) {
        String describe(String other) {
            return judged ? String.format(Locale.ROOT, "on %,d label-complete shadowed transactions (%,d frauds):"
                    + " champion AP %.3f, %s AP %.3f", rows, frauds, championAp, other, challengerAp)
                    : String.format(Locale.ROOT, "%,d label-complete shadowed transactions hold %,d frauds (%d needed"
                    + " to compare)", rows, frauds, needed);
        }

        Map<String, Object> details(long shadowed) {
            return LoopEvent.details("shadowed", shadowed, "label_complete", rows, "frauds", frauds,
                    "champion_ap", judged ? championAp : null, "challenger_ap", judged ? challengerAp : null);
        }
    }

    private Optional<ModelVersion> alias(String alias) {
        if (models.find(modelName).isEmpty()) {
            return Optional.empty();
        }
        return models.versions(modelName).stream().filter(v -> v.aliases().contains(alias)).findFirst();
    }
}
