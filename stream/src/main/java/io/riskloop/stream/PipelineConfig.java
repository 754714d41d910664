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
 */
public record PipelineConfig(Topics topics, FeatureSet featureSet, DecisionPolicy policy, boolean persistentState,
                             Duration dedupWindow) {

    public static PipelineConfig defaults() {
        return new PipelineConfig(Topics.DEFAULT, FeatureSet.BASELINE, DecisionPolicy.DEFAULT, false,
                Duration.ofDays(7));
    }

    public PipelineConfig withTopics(Topics t) {
        return new PipelineConfig(t, featureSet, policy, persistentState, dedupWindow);
    }

    public PipelineConfig withPolicy(DecisionPolicy p) {
        return new PipelineConfig(topics, featureSet, p, persistentState, dedupWindow);
    }

    public PipelineConfig withPersistentState(boolean persistent) {
        return new PipelineConfig(topics, featureSet, policy, persistent, dedupWindow);
    }
}
