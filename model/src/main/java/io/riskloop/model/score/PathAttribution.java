package io.riskloop.model.score;

import java.util.List;

/**
 * Saabas path attribution, the "approximate" contributions of XGBoost's {@code predictContrib}: along the row's
 * path through each tree, the change in the node's expected value at each split is credited to the split's
 * feature. Contributions still add up to the margin exactly (the path telescopes from the root's expected value to
 * the leaf), and cost no more than scoring, but they are not Shapley values: use {@link TreeShap} when the
 * attribution must be exact.
 */
final class PathAttribution {

    private final int[] roots;
    private final int[] left;
    private final int[] right;
    private final int[] feature;
    private final float[] threshold;
    private final boolean[] defaultLeft;
    private final double[] expected;
    private final double bias;

    private PathAttribution(int[] roots, int[] left, int[] right, int[] feature, float[] threshold,
                            boolean[] defaultLeft, double[] expected, double bias) {
        this.roots = roots;
        this.left = left;
        this.right = right;
        this.feature = feature;
        this.threshold = threshold;
        this.defaultLeft = defaultLeft;
        this.expected = expected;
        this.bias = bias;
    }

    static PathAttribution build(List<XgboostJson.Tree> trees, float baseMargin) {
        int total = 0;
        for (XgboostJson.Tree t : trees) {
            total += t.nodes();
        }
        int[] roots = new int[trees.size()];
        int[] left = new int[total];
        int[] right = new int[total];
        int[] feature = new int[total];
        float[] threshold = new float[total];
        boolean[] defaultLeft = new boolean[total];
        double[] expected = new double[total];
        double bias = baseMargin;
        int offset = 0;
        for (int ti = 0; ti < trees.size(); ti++) {
            XgboostJson.Tree t = trees.get(ti);
            roots[ti] = offset;
            for (int n = 0; n < t.nodes(); n++) {
                left[offset + n] = t.isLeaf(n) ? -1 : offset + t.left()[n];
                right[offset + n] = t.isLeaf(n) ? -1 : offset + t.right()[n];
                feature[offset + n] = t.feature()[n];
                threshold[offset + n] = t.condition()[n];
                defaultLeft[offset + n] = t.defaultLeft()[n];
            }
            fill(t, 0, offset, expected);
            bias += expected[offset];
            offset += t.nodes();
        }
        return new PathAttribution(roots, left, right, feature, threshold, defaultLeft, expected, bias);
    }

    /** Cover-weighted mean leaf value below each node, as XGBoost computes its node mean values. */
    private static double fill(XgboostJson.Tree t, int n, int offset, double[] out) {
        if (t.isLeaf(n)) {
            out[offset + n] = t.condition()[n];
            return out[offset + n];
        }
        double l = fill(t, t.left()[n], offset, out);
        double r = fill(t, t.right()[n], offset, out);
        double c = t.cover()[n];
        out[offset + n] = c > 0 ? (l * t.cover()[t.left()[n]] + r * t.cover()[t.right()[n]]) / c : 0;
        return out[offset + n];
    }

    double bias() {
        return bias;
    }

    void explain(float[] row, double[] phi) {
        for (int root : roots) {
            int n = root;
            while (left[n] >= 0) {
                float v = row[feature[n]];
                boolean goesRight = v != v ? !defaultLeft[n] : !(v < threshold[n]);
                int c = goesRight ? right[n] : left[n];
                phi[feature[n]] += expected[c] - expected[n];
                n = c;
            }
        }
    }
}
