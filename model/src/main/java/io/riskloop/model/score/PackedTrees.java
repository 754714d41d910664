package io.riskloop.model.score;

import java.util.List;

/**
 * Every tree padded to a complete binary tree of the ensemble's depth D and stored breadth-first: node i's
 * children are 2i+1 and 2i+2, so a walk needs no child pointers, only D steps of {@code i = 2i + 1 + goesRight}.
 * A leaf above depth D becomes a pass-through node whose descendants at depth D all hold its value.
 *
 * <p>The comparison is done on order-preserving integer keys of the floats, in arithmetic, without branches: a
 * float comparison compiled to a branch that the CPU mispredicted on about half the nodes. Eight trees (one row)
 * or eight rows (one tree, in a batch) are walked in lock step so that their independent loads overlap. Each
 * choice was measured; see docs/benchmarks.md.
 *
 * <p>Memory is exponential in the depth, so {@link CompiledEnsemble} uses this layout only up to
 * {@link #MAX_LEAVES} padded leaves.
 */
final class PackedTrees implements TreeLayout {

    /** Padded leaves over all trees beyond which the layout is not used (about 12 MB of arrays). */
    static final long MAX_LEAVES = 1L << 20;
    private static final int BLOCK = 128;
    /** Per-thread scratch for a row's (or a block of rows') keys, so that scoring allocates nothing. */
    private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[64]);

    private final int trees;
    private final int depth;
    private final int internal;
    private final int leaves;
    private final int features;
    /**
     * Per internal node, one load: the key slot to read in the high 32 bits (see {@link #right}), the threshold's
     * key in the low 32.
     */
    private final long[] nodes;
    private final float[] leaf;

    private PackedTrees(int trees, int depth, int features, long[] nodes, float[] leaf) {
        this.trees = trees;
        this.depth = depth;
        this.internal = (1 << depth) - 1;
        this.leaves = 1 << depth;
        this.features = features;
        this.nodes = nodes;
        this.leaf = leaf;
    }

    static boolean fits(List<XgboostJson.Tree> trees, int depth) {
        return depth < 30 && (long) trees.size() << depth <= MAX_LEAVES;
    }

    static PackedTrees compile(List<XgboostJson.Tree> trees, int depth, int features) {
        int internal = (1 << depth) - 1;
        int leaves = 1 << depth;
        long[] nodes = new long[trees.size() * internal];
        float[] leaf = new float[trees.size() * leaves];
        for (int t = 0; t < trees.size(); t++) {
            fill(trees.get(t), 0, 0, 0, depth, t * internal, t * leaves, nodes, leaf);
        }
        return new PackedTrees(trees.size(), depth, features, nodes, leaf);
    }

    /** Copies XGBoost node {@code n} to packed position {@code p} at level {@code level}. */
    private static void fill(XgboostJson.Tree tree, int n, int p, int level, int depth, int nodeBase, int leafBase,
                             long[] nodes, float[] leaf) {
        if (level == depth) {
            leaf[leafBase + p - ((1 << depth) - 1)] = tree.condition()[n];
            return;
        }
        if (tree.isLeaf(n)) {
            // pass-through: the comparison does not matter, both subtrees end in this leaf's value
            nodes[nodeBase + p] = 0;
            fill(tree, n, 2 * p + 1, level + 1, depth, nodeBase, leafBase, nodes, leaf);
            fill(tree, n, 2 * p + 2, level + 1, depth, nodeBase, leafBase, nodes, leaf);
            return;
        }
        // the node reads key slot 2f (missing = lowest, goes left) or 2f+1 (missing = highest, goes right)
        int slot = 2 * tree.feature()[n] + (tree.defaultLeft()[n] ? 0 : 1);
        nodes[nodeBase + p] = ((long) slot << 32) | (key(tree.condition()[n]) & 0xFFFFFFFFL);
        fill(tree, tree.left()[n], 2 * p + 1, level + 1, depth, nodeBase, leafBase, nodes, leaf);
        fill(tree, tree.right()[n], 2 * p + 2, level + 1, depth, nodeBase, leafBase, nodes, leaf);
    }

    /**
     * A float as a signed int in the same order, -0.0 taken as +0.0 (float comparison makes them equal). Keys of
     * floats lie strictly between Integer.MIN_VALUE and Integer.MAX_VALUE, which stand for missing values.
     */
    static int key(float v) {
        int b = Float.floatToRawIntBits(v + 0.0f);
        return b ^ (b >> 31 & 0x7FFFFFFF);
    }

    /**
     * The child a row goes to from node {@code i}: 2i+1 (left) when its key is below the threshold's, else 2i+2.
     * Each feature has two key slots that differ only for a missing value: the lowest key in slot 2f (so it goes
     * left at default-left nodes) and the highest in slot 2f+1 (default-right nodes read that one). No branch,
     * no missing test.
     */
    private int next(int[] keys, int base, int nodeBase, int i) {
        long packed = nodes[nodeBase + i];
        int k = keys[base + (int) (packed >>> 32)];
        return 2 * i + 2 - (int) (((long) k - (int) packed) >>> 63);
    }

    /** Writes the two key slots of each of a row's values. */
    private static void keys(float[] values, int offset, int features, int[] keys, int base) {
        for (int j = 0; j < features; j++) {
            float v = values[offset + j];
            if (v != v) {
                keys[base + 2 * j] = Integer.MIN_VALUE;
                keys[base + 2 * j + 1] = Integer.MAX_VALUE;
            } else {
                int k = key(v);
                keys[base + 2 * j] = k;
                keys[base + 2 * j + 1] = k;
            }
        }
    }

    private static int[] scratch(int size) {
        int[] s = SCRATCH.get();
        if (s.length < size) {
            s = new int[Math.max(size, 2 * s.length)];
            SCRATCH.set(s);
        }
        return s;
    }

    @Override
    public float margin(float[] values, int offset, float baseMargin) {
        int[] keys = scratch(2 * features);
        keys(values, offset, features, keys, 0);
        float m = baseMargin;
        int t = 0;
        for (; t + 8 <= trees; t += 8) {
            int b = t * internal;
            int i0 = 0;
            int i1 = 0;
            int i2 = 0;
            int i3 = 0;
            int i4 = 0;
            int i5 = 0;
            int i6 = 0;
            int i7 = 0;
            for (int d = 0; d < depth; d++) {
                i0 = next(keys, 0, b, i0);
                i1 = next(keys, 0, b + internal, i1);
                i2 = next(keys, 0, b + 2 * internal, i2);
                i3 = next(keys, 0, b + 3 * internal, i3);
                i4 = next(keys, 0, b + 4 * internal, i4);
                i5 = next(keys, 0, b + 5 * internal, i5);
                i6 = next(keys, 0, b + 6 * internal, i6);
                i7 = next(keys, 0, b + 7 * internal, i7);
            }
            int l = t * leaves - internal;
            m += leaf[l + i0];
            m += leaf[l + leaves + i1];
            m += leaf[l + 2 * leaves + i2];
            m += leaf[l + 3 * leaves + i3];
            m += leaf[l + 4 * leaves + i4];
            m += leaf[l + 5 * leaves + i5];
            m += leaf[l + 6 * leaves + i6];
            m += leaf[l + 7 * leaves + i7];
        }
        for (; t < trees; t++) {
            int b = t * internal;
            int i = 0;
            for (int d = 0; d < depth; d++) {
                i = next(keys, 0, b, i);
            }
            m += leaf[t * leaves - internal + i];
        }
        return m;
    }

    @Override
    public void margins(float[] values, int rows, int columns, float baseMargin, double[] out) {
        // Trees outer, rows inner in blocks: one tree's nodes stay in L1 while a block of rows walks it, eight
        // rows in lock step; each row still adds its trees in order (margins kept as floats in out).
        int width = 2 * columns;
        int[] keys = scratch(BLOCK * width);
        for (int r0 = 0; r0 < rows; r0 += BLOCK) {
            int r1 = Math.min(rows, r0 + BLOCK);
            for (int r = r0; r < r1; r++) {
                out[r] = baseMargin;
                keys(values, r * columns, columns, keys, (r - r0) * width);
            }
            for (int t = 0; t < trees; t++) {
                int b = t * internal;
                int l = t * leaves - internal;
                int r = r0;
                for (; r + 8 <= r1; r += 8) {
                    int o = (r - r0) * width;
                    int i0 = 0;
                    int i1 = 0;
                    int i2 = 0;
                    int i3 = 0;
                    int i4 = 0;
                    int i5 = 0;
                    int i6 = 0;
                    int i7 = 0;
                    for (int d = 0; d < depth; d++) {
                        i0 = next(keys, o, b, i0);
                        i1 = next(keys, o + width, b, i1);
                        i2 = next(keys, o + 2 * width, b, i2);
                        i3 = next(keys, o + 3 * width, b, i3);
                        i4 = next(keys, o + 4 * width, b, i4);
                        i5 = next(keys, o + 5 * width, b, i5);
                        i6 = next(keys, o + 6 * width, b, i6);
                        i7 = next(keys, o + 7 * width, b, i7);
                    }
                    out[r] = (float) out[r] + leaf[l + i0];
                    out[r + 1] = (float) out[r + 1] + leaf[l + i1];
                    out[r + 2] = (float) out[r + 2] + leaf[l + i2];
                    out[r + 3] = (float) out[r + 3] + leaf[l + i3];
                    out[r + 4] = (float) out[r + 4] + leaf[l + i4];
                    out[r + 5] = (float) out[r + 5] + leaf[l + i5];
                    out[r + 6] = (float) out[r + 6] + leaf[l + i6];
                    out[r + 7] = (float) out[r + 7] + leaf[l + i7];
                }
                for (; r < r1; r++) {
                    int o = (r - r0) * width;
                    int i = 0;
                    for (int d = 0; d < depth; d++) {
                        i = next(keys, o, b, i);
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
