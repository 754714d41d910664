package io.riskloop.model.score;

import java.util.List;

/**
 * Every tree padded to a complete binary tree of the ensemble's depth D and stored breadth-first: node i's
 * children are 2i+1 and 2i+2, so a walk needs no child pointers and no branches, only D steps of
 * {@code i = 2i + 1 + goesRight}. A leaf above depth D becomes a pass-through node whose descendants at depth D
 * all hold its value. Four trees are walked in lock step so that their independent loads overlap.
 *
 * <p>Chosen by measurement over a pointer-based walk (see docs/benchmarks.md): for 300 trees of depth 6 it
 * halves single-row latency. It costs memory exponential in the depth, so {@link CompiledEnsemble} uses it only
 * up to {@link #MAX_LEAVES} padded leaves.
 */
final class PackedTrees implements TreeLayout {

    /** Padded leaves over all trees beyond which the layout is not used (about 12 MB of arrays). */
    static final long MAX_LEAVES = 1L << 20;
    private static final int DEFAULT_RIGHT = 1 << 31;
    private static final int FEATURE_MASK = ~DEFAULT_RIGHT;

    private final int trees;
    private final int depth;
    private final int internal;
    private final int leaves;
    /** Feature index per internal node; bit 31 set when a missing value goes right. */
    private final int[] feature;
    private final float[] threshold;
    private final float[] leaf;

    private PackedTrees(int trees, int depth, int[] feature, float[] threshold, float[] leaf) {
        this.trees = trees;
        this.depth = depth;
        this.internal = (1 << depth) - 1;
        this.leaves = 1 << depth;
        this.feature = feature;
        this.threshold = threshold;
        this.leaf = leaf;
    }

    static boolean fits(List<XgboostJson.Tree> trees, int depth) {
        return depth < 30 && (long) trees.size() << depth <= MAX_LEAVES;
    }

    static PackedTrees compile(List<XgboostJson.Tree> trees, int depth) {
        int internal = (1 << depth) - 1;
        int leaves = 1 << depth;
        int[] feature = new int[trees.size() * internal];
        float[] threshold = new float[trees.size() * internal];
        float[] leaf = new float[trees.size() * leaves];
        for (int t = 0; t < trees.size(); t++) {
            fill(trees.get(t), 0, 0, 0, depth, t * internal, t * leaves, feature, threshold, leaf);
        }
        return new PackedTrees(trees.size(), depth, feature, threshold, leaf);
    }

    /** Copies XGBoost node {@code n} to packed position {@code p} at level {@code level}. */
    private static void fill(XgboostJson.Tree tree, int n, int p, int level, int depth, int nodeBase, int leafBase,
                             int[] feature, float[] threshold, float[] leaf) {
        if (level == depth) {
            leaf[leafBase + p - ((1 << depth) - 1)] = tree.condition()[n];
            return;
        }
        if (tree.isLeaf(n)) {
            // pass-through: the comparison does not matter, both subtrees end in this leaf's value
            feature[nodeBase + p] = 0;
            threshold[nodeBase + p] = 0f;
            fill(tree, n, 2 * p + 1, level + 1, depth, nodeBase, leafBase, feature, threshold, leaf);
            fill(tree, n, 2 * p + 2, level + 1, depth, nodeBase, leafBase, feature, threshold, leaf);
            return;
        }
        feature[nodeBase + p] = tree.feature()[n] | (tree.defaultLeft()[n] ? 0 : DEFAULT_RIGHT);
        threshold[nodeBase + p] = tree.condition()[n];
        fill(tree, tree.left()[n], 2 * p + 1, level + 1, depth, nodeBase, leafBase, feature, threshold, leaf);
        fill(tree, tree.right()[n], 2 * p + 2, level + 1, depth, nodeBase, leafBase, feature, threshold, leaf);
    }

    /** 1 when the value at node {@code node} goes right: not below the threshold, or missing and default right. */
    private int right(float[] values, int offset, int node) {
        int f = feature[node];
        float v = values[offset + (f & FEATURE_MASK)];
        return (v >= threshold[node] | (v != v & f < 0)) ? 1 : 0;
    }

    @Override
    public float margin(float[] values, int offset, float baseMargin) {
        float m = baseMargin;
        int t = 0;
        for (; t + 4 <= trees; t += 4) {
            int b0 = t * internal;
            int b1 = b0 + internal;
            int b2 = b1 + internal;
            int b3 = b2 + internal;
            int i0 = 0;
            int i1 = 0;
            int i2 = 0;
            int i3 = 0;
            for (int d = 0; d < depth; d++) {
                i0 = 2 * i0 + 1 + right(values, offset, b0 + i0);
                i1 = 2 * i1 + 1 + right(values, offset, b1 + i1);
                i2 = 2 * i2 + 1 + right(values, offset, b2 + i2);
                i3 = 2 * i3 + 1 + right(values, offset, b3 + i3);
            }
            int l = t * leaves - internal;
            m += leaf[l + i0];
            m += leaf[l + leaves + i1];
            m += leaf[l + 2 * leaves + i2];
            m += leaf[l + 3 * leaves + i3];
        }
        for (; t < trees; t++) {
            int b = t * internal;
            int i = 0;
            for (int d = 0; d < depth; d++) {
                i = 2 * i + 1 + right(values, offset, b + i);
            }
            m += leaf[t * leaves - internal + i];
        }
        return m;
    }

    @Override
    public void margins(float[] values, int rows, int columns, float baseMargin, double[] out) {
        // Rows in blocks, trees outer within a block: a tree's nodes stay in cache for the block's rows, and each
        // row still adds its trees in order.
        final int block = 64;
        for (int r0 = 0; r0 < rows; r0 += block) {
            int r1 = Math.min(rows, r0 + block);
            for (int r = r0; r < r1; r++) {
                out[r] = baseMargin;
            }
            for (int t = 0; t < trees; t++) {
                int b = t * internal;
                int l = t * leaves - internal;
                for (int r = r0; r < r1; r++) {
                    int offset = r * columns;
                    int i = 0;
                    for (int d = 0; d < depth; d++) {
                        i = 2 * i + 1 + right(values, offset, b + i);
                    }
                    out[r] = (float) out[r] + leaf[l + i];
                }
            }
        }
    }

    @Override
    public String name() {
        return "packed breadth-first, depth " + depth;
    }
}
