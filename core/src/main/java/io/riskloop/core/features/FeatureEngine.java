package io.riskloop.core.features;

import io.riskloop.core.domain.LabelEvent;
import io.riskloop.core.domain.Transaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes a feature set's values one transaction at a time, keeping each group's per-entity state in memory.
 * Not thread-safe: one engine per replay or per stream task.
 */
public final class FeatureEngine {

    private final FeatureSet set;
    private final List<Map<String, Object>> states = new ArrayList<>();
    private final int[] offsets;
    private final int width;

    FeatureEngine(FeatureSet set) {
        this.set = set;
        this.offsets = new int[set.groups().size()];
        int o = 0;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = o;
            o += set.groups().get(i).names().size();
            states.add(new HashMap<>());
        }
        this.width = o;
    }

    public FeatureSet featureSet() {
        return set;
    }

    /** Updates state with {@code tx} and writes its feature vector to {@code out}. */
    public void apply(Transaction tx, double[] out) {
        List<FeatureGroup<?>> groups = set.groups();
        for (int i = 0; i < groups.size(); i++) {
            FeatureGroup<?> g = groups.get(i);
            String key = g.key(tx);
            Object state = key == null ? null : states.get(i).computeIfAbsent(key, k -> g.newState());
            apply(g, state, tx, out, offsets[i]);
        }
    }

    public double[] apply(Transaction tx) {
        double[] out = new double[width];
        apply(tx, out);
        return out;
    }

    /** Takes a label that has just become known. */
    public void label(LabelEvent label) {
        List<FeatureGroup<?>> groups = set.groups();
        for (int i = 0; i < groups.size(); i++) {
            FeatureGroup<?> g = groups.get(i);
            String key = g.key(label);
            if (key != null) {
                Object state = states.get(i).get(key);
                if (state != null) {
                    label(g, state, label);
                }
            }
        }
    }

    /** Number of entities with state, over all groups. */
    public int entities() {
        return states.stream().mapToInt(Map::size).sum();
    }

    @SuppressWarnings("unchecked")
    private static <S> void apply(FeatureGroup<S> g, Object state, Transaction tx, double[] out, int offset) {
        g.apply((S) state, tx, out, offset);
    }

    @SuppressWarnings("unchecked")
    private static <S> void label(FeatureGroup<S> g, Object state, LabelEvent label) {
        g.label((S) state, label);
    }
}
