package io.riskloop.core.features;

import io.riskloop.core.domain.LabeledTransaction;

import java.util.ArrayList;
import java.util.List;

/**
 * Feature vectors of a list of transactions, row-major in 32-bit floats (what XGBoost takes), with the
 * transactions they came from.
 *
 * @param names  feature names, in column order
 * @param values rows * names.size() values
 * @param rows   number of rows
 * @param source the transaction behind each row
 */
public record FeatureMatrix(List<String> names, float[] values, int rows, List<LabeledTransaction> source) {

    public FeatureMatrix {
        names = List.copyOf(names);
        if (values.length != (long) rows * names.size()) {
            throw new IllegalArgumentException("expected " + rows + " x " + names.size() + " values, got "
                    + values.length);
        }
        if (source.size() != rows) {
            throw new IllegalArgumentException("expected " + rows + " source rows, got " + source.size());
        }
    }

    public int columns() {
        return names.size();
    }

    public float get(int row, int column) {
        return values[row * names.size() + column];
    }

    public boolean fraud(int row) {
        return source.get(row).fraud();
    }

    public float[] labels() {
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = source.get(i).fraud() ? 1f : 0f;
        }
        return y;
    }

    public long frauds() {
        long n = 0;
        for (LabeledTransaction lt : source) {
            if (lt.fraud()) {
                n++;
            }
        }
        return n;
    }

    /** The rows at the given indexes, in that order. */
    public FeatureMatrix select(int[] indexes) {
        int w = names.size();
        float[] v = new float[indexes.length * w];
        List<LabeledTransaction> src = new ArrayList<>(indexes.length);
        for (int k = 0; k < indexes.length; k++) {
            System.arraycopy(values, indexes[k] * w, v, k * w, w);
            src.add(source.get(indexes[k]));
        }
        return new FeatureMatrix(names, v, indexes.length, src);
    }
}
