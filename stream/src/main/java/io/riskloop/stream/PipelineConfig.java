package io.riskloop.stream;

import io.riskloop.core.features.FeatureSet;

import java.time.Duration;

/**
 * What the decision topology needs to know.
 *
 * @param topics          topic names
 * @param featureSet      the features the models take
 * @param policy          thresholds and rules
 * @param persistentState RocksDB state stores (true) or in-memory ones (false); both are backed by changelog topics
 * @param dedupWindow     how long a transaction id is remembered to refuse duplicates
 * @param abShare         share of cards (by a hash of the card token, so a card stays in its arm) whose
 *                        transactions the challenger decides while one is served; 0 = the challenger only shadows
 */
public record PipelineConfig(Topics topics, FeatureSet featureSet, DecisionPolicy policy, boolean persistentState,
                             Duration dedupWindow, double abShare) {

    public PipelineConfig {
        if (!(abShare >= 0 && abShare <= 0.5)) {
            throw new IllegalArgumentException("the A/B share must be between 0 (shadow only) and 0.5, was " + abShare
                    + "; a challenger deciding more than half the traffic should be promoted instead");
        }
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(Topics.DEFAULT, FeatureSet.BASELINE, DecisionPolicy.DEFAULT, false,
                Duration.ofDays(7), 0);
    }

    public PipelineConfig withAbShare(double share) {
        return new PipelineConfig(topics, featureSet, policy, persistentState, dedupWindow, share);
    }

    /**
     * Whether the challenger decides for {@code cardToken}: the card's hash, in [0, 1), below the share. Stable across
     * processes and restarts, so a card keeps its arm for the whole test. FNV-1a over the characters, then MurmurHash3's
     * 64-bit finaliser: FNV-1a alone leaves its top bits poorly mixed for short, similar keys ("card-1", "card-2"),
     * which put 64 % of a test's cards in a 30 % arm.
     */
    public boolean challengerArm(String cardToken) {
        if (abShare == 0) {
            return false;
        }
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < cardToken.length(); i++) {
            h ^= cardToken.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53 < abShare;
    }

    public PipelineConfig withTopics(Topics t) {
        return new PipelineConfig(t, featureSet, policy, persistentState, dedupWindow, abShare);
    }

    public PipelineConfig withPolicy(DecisionPolicy p) {
        return new PipelineConfig(topics, featureSet, p, persistentState, dedupWindow, abShare);
    }

    public PipelineConfig withPersistentState(boolean persistent) {
        return new PipelineConfig(topics, featureSet, policy, persistent, dedupWindow, abShare);
    }
}
