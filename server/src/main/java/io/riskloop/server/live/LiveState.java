package io.riskloop.server.live;

import io.riskloop.core.domain.LabelEvent;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.features.EventWindow;
import io.riskloop.core.features.FeatureGroup;
import io.riskloop.core.features.FeatureSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A replica of the pipeline's per-card and per-terminal feature state, for scoring on demand. It is written by one
 * thread (the {@link LiveFeatures} consumer, in the order decisions and labels arrive) and read by any number:
 * each entity's window is kept as the immutable bytes {@link EventWindow#toBytes} writes (the form the pipeline's
 * state stores keep), so a reader always decodes a private copy and scoring can never change live state.
 *
 * <p>The feature code is the feature set's own: {@link FeatureGroup#apply} for each decided transaction and
 * {@link FeatureGroup#label} for each label, as the stream processor and the offline replay run them. As in the
 * pipeline, every stateful group keeps an {@link EventWindow}.
 */
public final class LiveState {

    private final FeatureSet set;
    private final int[] offsets;
    private final List<ConcurrentHashMap<String, byte[]>> states = new ArrayList<>();
    private final double[] scratch;

    public LiveState(FeatureSet set) {
        this.set = set;
        this.offsets = set.offsets();
        for (FeatureGroup<?> g : set.groups()) {
            if (g.entity() != FeatureGroup.Entity.NONE && !(g.newState() instanceof EventWindow)) {
                throw new IllegalArgumentException("feature group " + g + " keeps " + g.newState().getClass()
                        + "; live state, like the pipeline, holds event windows only");
            }
            states.add(new ConcurrentHashMap<>());
        }
        this.scratch = new double[set.size()];
    }

    public FeatureSet featureSet() {
        return set;
    }

    /** Takes a decided transaction into the state (writer thread only). */
    public void apply(Transaction tx) {
        List<FeatureGroup<?>> groups = set.groups();
        for (int i = 0; i < groups.size(); i++) {
            FeatureGroup<?> g = groups.get(i);
            if (g.entity() == FeatureGroup.Entity.NONE) {
                continue;
            }
            String key = g.key(tx);
            if (key == null) {
                continue;
            }
            EventWindow w = EventWindow.fromBytes(states.get(i).get(key));
            run(g, w, tx, scratch, offsets[i]);
            states.get(i).put(key, w.toBytes());
        }
    }

    /**
     * Takes a label into the state of the entities it concerns (writer thread only), as the pipeline does when the
     * transaction it marks is in the entity's window.
     *
     * @return false when no entity that the label concerns holds the transaction yet (its decision has not been
     *         applied, or it has left the windows); true when applied, or when no group cares about labels
     */
    public boolean label(LabelEvent label) {
        List<FeatureGroup<?>> groups = set.groups();
        long time = label.transactionTime().toEpochMilli();
        long id = EventWindow.hashId(label.transactionId());
        boolean concerned = false;
        boolean applied = false;
        for (int i = 0; i < groups.size(); i++) {
            FeatureGroup<?> g = groups.get(i);
            String key = g.key(label);
            if (key == null) {
                continue;
            }
            concerned = true;
            byte[] bytes = states.get(i).get(key);
            // whether the window holds the transaction, asked of a copy (marking it is the group's business)
            if (bytes != null && EventWindow.fromBytes(bytes).label(time, id, label.fraud())) {
                EventWindow w = EventWindow.fromBytes(bytes);
                labelWith(g, w, label);
                states.get(i).put(key, w.toBytes());
                applied = true;
            }
        }
        return applied || !concerned;
    }

    /**
     * The feature vector the pipeline would compute for {@code tx} now, computed on copies: the state is left as
     * it was. Thread-safe.
     */
    public double[] features(Transaction tx) {
        double[] out = new double[set.size()];
        Arrays.fill(out, Double.NaN);
        List<FeatureGroup<?>> groups = set.groups();
        for (int i = 0; i < groups.size(); i++) {
            FeatureGroup<?> g = groups.get(i);
            if (g.entity() == FeatureGroup.Entity.NONE) {
                run(g, null, tx, out, offsets[i]);
            } else {
                String key = g.key(tx);
                run(g, EventWindow.fromBytes(key == null ? null : states.get(i).get(key)), tx, out, offsets[i]);
            }
        }
        return out;
    }

    /** The recent events of a card or terminal, as the state holds them: for people, not for features. */
    public int events(FeatureGroup.Entity entity, String key) {
        int n = 0;
        for (int i = 0; i < set.groups().size(); i++) {
            if (set.groups().get(i).entity() == entity) {
                byte[] b = states.get(i).get(key);
                n = Math.max(n, b == null ? 0 : EventWindow.fromBytes(b).size());
            }
        }
        return n;
    }

    /** Entities with state, over all groups. */
    public int entities() {
        return states.stream().mapToInt(ConcurrentHashMap::size).sum();
    }

    @SuppressWarnings("unchecked")
    private static void run(FeatureGroup<?> g, Object state, Transaction tx, double[] out, int offset) {
        ((FeatureGroup<Object>) g).apply(state, tx, out, offset);
    }

    @SuppressWarnings("unchecked")
    private static void labelWith(FeatureGroup<?> g, Object state, LabelEvent label) {
        ((FeatureGroup<Object>) g).label(state, label);
    }
}
