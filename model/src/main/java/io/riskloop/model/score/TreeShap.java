package io.riskloop.model.score;

import java.util.ArrayList;
import java.util.List;

/**
 * Exact path-dependent TreeSHAP (the algorithm behind XGBoost's {@code predictContrib}), reorganised so that
 * most of the work happens once, when the model is loaded.
 *
 * <p>For a leaf with value v whose path holds the n distinct features P, feature j's "zero fraction" z_j is the
 * product of cover ratios of j's splits on the path, and its "one fraction" o_j is 1 when the row satisfies all of
 * j's splits on the path. The leaf adds to feature i
 * <pre>  v (o_i - z_i) sum over S in P\{i} of w(|S|, n) prod_{j in S} o_j prod_{j in P\S\{i}} z_j,
 *   w(s, n) = s! (n - s - 1)! / n!</pre>
 * Only subsets of the satisfied set O survive the product of o's. With G(M) = sum over S in M of w(|S|, n)
 * prod_{j in M\S} z_j and Z(O) = prod_{j not in O} z_j this becomes
 * <pre>  i not in O:  -v Z(O) G(O)          (the same for every unsatisfied feature)
 *   i in O:      v (1 - z_i) Z(O) G(O \ {i})</pre>
 * so a table of v G(M) over the 2^n subsets M, built at load time, turns a row's explanation into a walk that
 * finds each leaf's O and a few table lookups per leaf. Leaves whose paths hold more than
 * {@link #MAX_TABLE_BITS} distinct features, or models whose tables would exceed {@link #MAX_TABLE_ENTRIES},
 * compute G directly from elementary symmetric polynomials instead (same result, O(n^2) per leaf).
 */
final class TreeShap {

    static final int MAX_TABLE_BITS = 12;
    /** Distinct features on one path that a row's bit mask can hold. */
    static final int MAX_PATH_FEATURES = 31;
    static final long MAX_TABLE_ENTRIES = 1L << 23;

    private final int features;
    private final double bias;
    private final List<TreeTables> trees;

    /** One tree's nodes (XGBoost numbering) and its leaves' data. */
    private record TreeTables(int[] left, int[] right, int[] feature, float[] threshold, boolean[] defaultLeft,
                              int[] slot, int[] leafOf, int[] leafN, int[] leafSlots, double[] leafZ,
                              double[] leafValue, int[] tableOffset, double[] table) {
    }

    private TreeShap(int features, double bias, List<TreeTables> trees) {
        this.features = features;
        this.bias = bias;
        this.trees = trees;
    }

    static TreeShap build(List<XgboostJson.Tree> trees, int features, float baseMargin) {
        return build(trees, features, baseMargin, MAX_TABLE_ENTRIES);
    }

    /** @param tableBudget the most table entries to build; beyond it every leaf is computed directly */
    static TreeShap build(List<XgboostJson.Tree> trees, int features, float baseMargin, long tableBudget) {
        long entries = 0;
        List<List<Leaf>> leavesPerTree = new ArrayList<>();
        for (XgboostJson.Tree t : trees) {
            List<Leaf> leaves = new ArrayList<>();
            collect(t, 0, new ArrayList<>(), new ArrayList<>(), leaves);
            leavesPerTree.add(leaves);
            for (Leaf l : leaves) {
                if (l.n() > MAX_PATH_FEATURES) {
                    throw new UnsupportedModelException("a path of " + l.n() + " distinct features: explanations"
                            + " support at most " + MAX_PATH_FEATURES);
                }
                entries += l.n() <= MAX_TABLE_BITS ? 1L << l.n() : Long.MAX_VALUE / 4;
            }
        }
        boolean tables = entries <= tableBudget;
        double bias = baseMargin;
        List<TreeTables> out = new ArrayList<>();
        for (int ti = 0; ti < trees.size(); ti++) {
            XgboostJson.Tree t = trees.get(ti);
            List<Leaf> leaves = leavesPerTree.get(ti);
            bias += meanValue(t, 0);
            int[] slot = new int[t.nodes()];
            collectSlots(t, 0, new ArrayList<>(), slot);
            int[] leafOf = new int[t.nodes()];
            java.util.Arrays.fill(leafOf, -1);
            int[] leafN = new int[leaves.size()];
            int totalSlots = 0;
            int totalTable = 0;
            for (Leaf l : leaves) {
                totalSlots += l.n();
                totalTable += tables ? 1 << l.n() : 0;
            }
            int[] leafSlots = new int[totalSlots + 1];
            double[] leafZ = new double[totalSlots + 1];
            double[] leafValue = new double[leaves.size()];
            int[] tableOffset = new int[leaves.size() + 1];
            double[] table = new double[totalTable];
            int s = 0;
            int o = 0;
            for (int li = 0; li < leaves.size(); li++) {
                Leaf l = leaves.get(li);
                leafOf[l.node()] = li;
                leafN[li] = l.n();
                leafValue[li] = l.value();
                tableOffset[li] = o;
                for (int j = 0; j < l.n(); j++) {
                    leafSlots[s + j] = l.features()[j];
                    leafZ[s + j] = l.z()[j];
                }
                s += l.n();
                if (tables) {
                    for (int mask = 0; mask < 1 << l.n(); mask++) {
                        table[o + mask] = l.value() * g(l.z(), l.n(), mask);
                    }
                    o += 1 << l.n();
                }
            }
            tableOffset[leaves.size()] = o;
            out.add(new TreeTables(t.left(), t.right(), t.feature(), t.condition(), t.defaultLeft(), slot, leafOf,
                    leafN, leafSlots, leafZ, leafValue, tables ? tableOffset : null, tables ? table : null));
        }
        return new TreeShap(features, bias, out);
    }

    /** The expected margin: base margin plus each tree's cover-weighted mean leaf value. */
    double bias() {
        return bias;
    }

    /** Contributions of every feature to the row's margin, added to {@code phi}. */
    void explain(float[] row, double[] phi) {
        int[] stackNode = new int[64];
        int[] stackMask = new int[64];
        for (TreeTables t : trees) {
            int sp = 0;
            stackNode[sp] = 0;
            stackMask[sp++] = -1;
            int[] leafStart = leafStarts(t);
            while (sp > 0) {
                int n = stackNode[--sp];
                int mask = stackMask[sp];
                if (t.left()[n] < 0) {
                    int li = t.leafOf()[n];
                    addLeaf(t, li, leafStart[li], mask & ((1 << t.leafN()[li]) - 1), phi);
                    continue;
                }
                float v = row[t.feature()[n]];
                boolean right = v != v ? !t.defaultLeft()[n] : !(v < t.threshold()[n]);
                int bit = 1 << t.slot()[n];
                if (sp + 2 > stackNode.length) {
                    stackNode = java.util.Arrays.copyOf(stackNode, stackNode.length * 2);
                    stackMask = java.util.Arrays.copyOf(stackMask, stackMask.length * 2);
                }
                stackNode[sp] = t.left()[n];
                stackMask[sp++] = right ? mask & ~bit : mask;
                stackNode[sp] = t.right()[n];
                stackMask[sp++] = right ? mask : mask & ~bit;
            }
        }
    }

    private static int[] leafStarts(TreeTables t) {
        int[] start = new int[t.leafN().length];
        int s = 0;
        for (int i = 0; i < start.length; i++) {
            start[i] = s;
            s += t.leafN()[i];
        }
        return start;
    }

    private static void addLeaf(TreeTables t, int li, int start, int satisfied, double[] phi) {
        int n = t.leafN()[li];
        if (n == 0) {
            return;
        }
        double zUnsatisfied = 1;
        for (int j = 0; j < n; j++) {
            if ((satisfied >> j & 1) == 0) {
                zUnsatisfied *= t.leafZ()[start + j];
            }
        }
        double v = t.leafValue()[li];
        double[] z = null;
        if (t.table() == null) {
            z = java.util.Arrays.copyOfRange(t.leafZ(), start, start + n);
        }
        int base = t.table() == null ? 0 : t.tableOffset()[li];
        double gO = t.table() != null ? t.table()[base + satisfied] : v * g(z, n, satisfied);
        double unsatisfied = -zUnsatisfied * gO;
        for (int j = 0; j < n; j++) {
            int f = t.leafSlots()[start + j];
            if ((satisfied >> j & 1) == 0) {
                phi[f] += unsatisfied;
            } else {
                double gWithout = t.table() != null ? t.table()[base + (satisfied ^ (1 << j))]
                        : v * g(z, n, satisfied ^ (1 << j));
                phi[f] += (1 - t.leafZ()[start + j]) * zUnsatisfied * gWithout;
            }
        }
    }

    /**
     * G(M) = sum over S in M of w(|S|, n) prod_{j in M\S} z_j, via the elementary symmetric polynomials e_m of the
     * z's in M: G(M) = sum_m w(|M| - m, n) e_m.
     */
    static double g(double[] z, int n, int mask) {
        double[] e = new double[n + 1];
        e[0] = 1;
        int k = 0;
        for (int j = 0; j < n; j++) {
            if ((mask >> j & 1) != 0) {
                k++;
                for (int m = k; m >= 1; m--) {
                    e[m] += z[j] * e[m - 1];
                }
            }
        }
        double sum = 0;
        for (int m = 0; m <= k; m++) {
            sum += weight(k - m, n) * e[m];
        }
        return sum;
    }

    /** w(s, n) = s! (n - s - 1)! / n!. */
    static double weight(int s, int n) {
        // s! (n-s-1)! / n! = 1 / (n * C(n-1, s))
        double c = 1;
        for (int i = 1; i <= s; i++) {
            c = c * (n - 1 - s + i) / i;
        }
        return 1.0 / (n * c);
    }

    /** A leaf with its path's distinct features (in order of first appearance) and their zero fractions. */
    private record Leaf(int node, double value, int n, int[] features, double[] z) {
    }

    private static void collect(XgboostJson.Tree t, int n, List<Integer> pathFeatures, List<Double> pathZ,
                                List<Leaf> out) {
        if (t.isLeaf(n)) {
            int k = pathFeatures.size();
            int[] f = new int[k];
            double[] z = new double[k];
            for (int i = 0; i < k; i++) {
                f[i] = pathFeatures.get(i);
                z[i] = pathZ.get(i);
            }
            out.add(new Leaf(n, t.condition()[n], k, f, z));
            return;
        }
        int feature = t.feature()[n];
        for (int side = 0; side < 2; side++) {
            int c = side == 0 ? t.left()[n] : t.right()[n];
            double ratio = t.cover()[n] > 0 ? t.cover()[c] / t.cover()[n] : 0;
            int at = pathFeatures.indexOf(feature);
            if (at < 0) {
                pathFeatures.add(feature);
                pathZ.add(ratio);
                collect(t, c, pathFeatures, pathZ, out);
                pathFeatures.removeLast();
                pathZ.removeLast();
            } else {
                double before = pathZ.get(at);
                pathZ.set(at, before * ratio);
                collect(t, c, pathFeatures, pathZ, out);
                pathZ.set(at, before);
            }
        }
    }

    /** slot[n]: the position of node n's feature among the distinct features on the path to n. */
    private static void collectSlots(XgboostJson.Tree t, int n, List<Integer> pathFeatures, int[] slot) {
        if (t.isLeaf(n)) {
            return;
        }
        int feature = t.feature()[n];
        int at = pathFeatures.indexOf(feature);
        boolean added = at < 0;
        if (added) {
            at = pathFeatures.size();
            pathFeatures.add(feature);
        }
        slot[n] = at;
        collectSlots(t, t.left()[n], pathFeatures, slot);
        collectSlots(t, t.right()[n], pathFeatures, slot);
        if (added) {
            pathFeatures.removeLast();
        }
    }

    /** XGBoost's node mean value: the cover-weighted mean of the leaves below. */
    private static double meanValue(XgboostJson.Tree t, int n) {
        if (t.isLeaf(n)) {
            return t.condition()[n];
        }
        double c = t.cover()[n];
        if (c <= 0) {
            return 0;
        }
        return (meanValue(t, t.left()[n]) * t.cover()[t.left()[n]] + meanValue(t, t.right()[n]) * t.cover()[t.right()[n]]) / c;
    }

    int features() {
        return features;
    }
}
