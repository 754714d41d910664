package io.riskloop.core.features;

import io.riskloop.core.domain.Transaction;

import java.util.List;

/** Attributes passed through as numbers (NaN, XGBoost's "missing", when absent or not numeric). */
public final class NumericAttributes extends StatelessGroup {

    private final List<String> attributes;

    public NumericAttributes(List<String> attributes) {
        super(attributes);
        this.attributes = List.copyOf(attributes);
    }

    @Override
    protected void compute(Transaction tx, double[] out, int offset) {
        for (int i = 0; i < attributes.size(); i++) {
            out[offset + i] = tx.numericAttribute(attributes.get(i));
        }
    }
}
