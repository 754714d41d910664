package io.riskloop.core.features;

import io.riskloop.core.domain.LabelEvent;
import io.riskloop.core.domain.Transaction;

import java.util.List;

/**
 * Features that share one piece of state keyed by one entity (a card, a terminal) or no state at all.
 *
 * <p>This is the unit both the offline replay and the stream processor run: the replay keeps the states in a
 * map, the stream processor in a state store partitioned by {@link #key(Transaction)}. Either way the same
 * {@link #apply} computes the values, so training and serving features cannot drift apart.
 *
 * @param <S> the per-entity state; {@code Void} for stateless groups
 */
public interface FeatureGroup<S> {

    /** The entity whose state a group keeps; the stream processor partitions its work by it. */
    enum Entity { NONE, CARD, TERMINAL }

    /** Which entity this group's state belongs to. */
    Entity entity();

    /** Feature names, in the order {@link #apply} writes them. */
    List<String> names();

    /**
     * The values feature {@code i} (of {@link #names()}) can take by construction, for validating stored features;
     * by default any.
     */
    default ValueRange range(int i) {
        return ValueRange.ANY;
    }

    /** The entity whose state this transaction reads and updates, or null for a stateless group. */
    String key(Transaction tx);

    /** The entity a label concerns, or null when labels do not matter to this group. */
    default String key(LabelEvent label) {
        return null;
    }

    /** A fresh state for an entity seen for the first time. */
    S newState();

    /** Updates {@code state} with {@code tx} and writes {@code names().size()} values to {@code out[offset..]}. */
    void apply(S state, Transaction tx, double[] out, int offset);

    /** Takes a label that has just become known into the entity's state. */
    default void label(S state, LabelEvent label) {
    }
}
