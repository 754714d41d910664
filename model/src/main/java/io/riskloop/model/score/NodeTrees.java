package io.riskloop.model.score;

import java.util.List;

/**
 * All trees' nodes in flat arrays, children of a node stored next to each other (right = left + 1), walked with
 * one loop per tree. Used when trees are too deep for {@link PackedTrees}, e.g. forests grown without a depth
 * limit.
 */
final class NodeTrees implements TreeLayout {

    private static final int DEFAULT_RIGHT = 1 << 31;
    private static final int FEATURE_MASK = ~DEFAULT_RIGHT;

    private final int[] roots;
    /** Index of the left child (the right one follows it), or -1 for a leaf. */
    private final int[] child;
    private final int[] feature;
    /** Threshold of a split, value of a leaf. */
    private final float[] value;

    private NodeTrees(int[] roots, int[] child, int[] feature, float[] value) {
        this.roots = roots;
        this.child = child;
        this.feature = feature;
        this.value = value;
    }

    static NodeTrees compile(List<XgboostJson.Tree> trees) {
        int total = 0;
        for (XgboostJson.Tree t : trees) {
            total += t.nodes();
        }
        int[] roots = new int[trees.size()];
        int[] child = new int[total];
        int[] feature = new int[total];
        float[] value = new float[total];
        int next = 0;
        for (int t = 0; t < trees.size(); t++) {
            XgboostJson.Tree tree = trees.get(t);
            roots[t] = next;
            // breadth-first renumbering so that siblings are adjacent
            int[] queue = new int[tree.nodes()];
            int[] placed = new int[tree.nodes()];
            int head = 0;
            int tail = 0;
            queue[tail++] = 0;
            placed[0] = next++;
            while (head < tail) {
                int n = queue[head++];
                int at = placed[n];
                if (tree.isLeaf(n)) {
                    child[at] = -1;
                    value[at] = tree.condition()[n];
                    continue;
                }
                feature[at] = tree.feature()[n] | (tree.defaultLeft()[n] ? 0 : DEFAULT_RIGHT);
                value[at] = tree.condition()[n];
                child[at] = next;
                placed[tree.left()[n]] = next++;
                placed[tree.right()[n]] = next++;
                queue[tail++] = tree.left()[n];
                queue[tail++] = tree.right()[n];
            }
        }
        return new NodeTrees(roots, child, feature, value);
    }

    private int leaf(float[] values, int offset, int n) {
        while (child[n] >= 0) {
            int f = feature[n];
            float v = values[offset + (f & FEATURE_MASK)];
            n = child[n] + ((v >= value[n] | (v != v & f < 0)) ? 1 : 0);
        }
        return n;
    }

    @Override
    public float margin(float[] values, int offset, float baseMargin) {
        float m = baseMargin;
        for (int root : roots) {
            m += value[leaf(values, offset, root)];
        }
        return m;
    }

    @Override
    public void margins(float[] values, int rows, int columns, float baseMargin, double[] out) {
        for (int r = 0; r < rows; r++) {
            out[r] = margin(values, r * columns, baseMargin);
        }
    }

    @Override
    public String name() {
        return "node arrays";
    }
}
