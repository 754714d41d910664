package io.riskloop.core.features;

import io.riskloop.core.domain.Transaction;

import java.util.List;

/** Features computed from the transaction alone. */
public abstract class StatelessGroup implements FeatureGroup<Void> {

    private final List<String> names;

    protected StatelessGroup(List<String> names) {
        this.names = List.copyOf(names);
    }

    @Override
    public final Entity entity() {
        return Entity.NONE;
    }

    @Override
    public final List<String> names() {
        return names;
    }

    @Override
    public final String key(Transaction tx) {
        return null;
    }

    @Override
    public final Void newState() {
        return null;
    }

    @Override
    public final void apply(Void state, Transaction tx, double[] out, int offset) {
        compute(tx, out, offset);
    }

    protected abstract void compute(Transaction tx, double[] out, int offset);
}
