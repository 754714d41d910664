package io.riskloop.model.score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact path-dependent TreeSHAP (the algorithm behind XGBoost's {@code predictContrib}), organised per leaf.
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
 * G(M) = sum_m w(|M| - m, n) e_m(z_M) with e_m the elementary symmetric polynomials, and G(O \ {i}) follows from
 * dividing the polynomial prod (1 + z_j t) by (1 + z_i t). A row's explanation walks each tree once to find every
 * leaf's O (a bit mask carried down the tree), then does O(|O|^2) arithmetic per leaf on data that sits next to
 * each other in memory. (Precomputed tables of v G(M) over all 2^n subsets were tried: they trade the
 * arithmetic for cache misses and were slower; see docs/benchmarks.md.)
 */
final class TreeShap {

    /** Distinct features on one path that a row's bit mask can hold. */
    static final int MAX_PATH_FEATURES = 31;

    private final int features;
    private final double bias;
    // nodes of all trees, XGBoost numbering shifted by each tree's offset
    private final int[] treeRoot;
    private final int[] left;
    private final int[] right;
    private final int[] feature;
    private final float[] threshold;
    private final boolean[] defaultLeft;
    /** Internal node: position of its feature among the distinct features of the path to it. Leaf: leaf index. */
    private final int[] slotOrLeaf;
    // leaves
    private final int[] leafN;
    private final int[] leafStart;
    private final double[] leafValue;
    private final int[] leafFeature;
    private final double[] leafZ;
    /** weight[n][s] = w(s, n). */
    private final double[][] weight;
    private final int maxDepth;

    private TreeShap(int features, double bias, int[] treeRoot, int[] left, int[] right, int[] feature,
                     float[] threshold, boolean[] defaultLeft, int[] slotOrLeaf, int[] leafN, int[] leafStart,
                     double[] leafValue, int[] leafFeature, double[] leafZ, int maxPathFeatures, int maxDepth) {
        this.features = features;
        this.bias = bias;
        this.treeRoot = treeRoot;
        this.left = left;
        this.right = right;
        this.feature = feature;
        this.threshold = threshold;
        this.defaultLeft = defaultLeft;
        this.slotOrLeaf = slotOrLeaf;
        this.leafN = leafN;
        this.leafStart = leafStart;
        this.leafValue = leafValue;
        this.leafFeature = leafFeature;
        this.leafZ = leafZ;
        this.maxDepth = maxDepth;
        this.weight = new double[maxPathFeatures + 1][];
        for (int n = 1; n <= maxPathFeatures; n++) {
            weight[n] = new double[n];
            for (int s = 0; s < n; s++) {
                weight[n][s] = weight(s, n);
            }
        }
    }

    static TreeShap build(List<XgboostJson.Tree> trees, int features, float baseMargin) {
        int totalNodes = 0;
        for (XgboostJson.Tree t : trees) {
            totalNodes += t.nodes();
        }
        int[] treeRoot = new int[trees.size()];
        int[] left = new int[totalNodes];
        int[] right = new int[totalNodes];
        int[] feature = new int[totalNodes];
        float[] threshold = new float[totalNodes];
        boolean[] defaultLeft = new boolean[totalNodes];
        int[] slotOrLeaf = new int[totalNodes];
        List<Leaf> leaves = new ArrayList<>();
        double bias = baseMargin;
        int maxDepth = 0;
        int offset = 0;
        for (int ti = 0; ti < trees.size(); ti++) {
            XgboostJson.Tree t = trees.get(ti);
            treeRoot[ti] = offset;
            maxDepth = Math.max(maxDepth, t.depth());
            for (int n = 0; n < t.nodes(); n++) {
                boolean leaf = t.isLeaf(n);
                left[offset + n] = leaf ? -1 : offset + t.left()[n];
                right[offset + n] = leaf ? -1 : offset + t.right()[n];
                feature[offset + n] = t.feature()[n];
                threshold[offset + n] = t.condition()[n];
                defaultLeft[offset + n] = t.defaultLeft()[n];
            }
            walk(t, 0, offset, new ArrayList<>(), new ArrayList<>(), leaves, slotOrLeaf);
            bias += meanValue(t, 0);
            offset += t.nodes();
        }
        int[] leafN = new int[leaves.size()];
        int[] leafStart = new int[leaves.size()];
        double[] leafValue = new double[leaves.size()];
        int total = 0;
        int maxN = 1;
        for (Leaf l : leaves) {
            total += l.features().length;
            maxN = Math.max(maxN, l.features().length);
        }
        int[] leafFeature = new int[total];
        double[] leafZ = new double[total];
        int s = 0;
        for (int i = 0; i < leaves.size(); i++) {
            Leaf l = leaves.get(i);
            leafN[i] = l.features().length;
            leafStart[i] = s;
            leafValue[i] = l.value();
            System.arraycopy(l.features(), 0, leafFeature, s, l.features().length);
            System.arraycopy(l.z(), 0, leafZ, s, l.z().length);
            s += l.features().length;
        }
        return new TreeShap(features, bias, treeRoot, left, right, feature, threshold, defaultLeft, slotOrLeaf, leafN,
                leafStart, leafValue, leafFeature, leafZ, maxN, maxDepth);
    }

    /** The expected margin: base margin plus each tree's cover-weighted mean leaf value. */
    double bias() {
        return bias;
    }

    /** Adds every feature's contribution to the row's margin to {@code phi}. */
    void explain(float[] row, double[] phi) {
        int[] stackNode = new int[2 * maxDepth + 2];
        int[] stackMask = new int[2 * maxDepth + 2];
        double[] e = new double[MAX_PATH_FEATURES + 2];
        for (int root : treeRoot) {
            int sp = 0;
            stackNode[sp] = root;
            stackMask[sp++] = -1;
            while (sp > 0) {
                int n = stackNode[--sp];
                int mask = stackMask[sp];
                if (left[n] < 0) {
                    int li = slotOrLeaf[n];
                    addLeaf(li, mask & (int) ((1L << leafN[li]) - 1), phi, e);
                    continue;
                }
                float v = row[feature[n]];
                boolean goesRight = v != v ? !defaultLeft[n] : !(v < threshold[n]);
                int cleared = mask & ~(1 << slotOrLeaf[n]);
                stackNode[sp] = left[n];
                stackMask[sp++] = goesRight ? cleared : mask;
                stackNode[sp] = right[n];
                stackMask[sp++] = goesRight ? mask : cleared;
            }
        }
    }

    private void addLeaf(int li, int satisfied, double[] phi, double[] e) {
        int n = leafN[li];
        if (n == 0) {
            return;
        }
        int start = leafStart[li];
        double[] w = weight[n];
        int unsatisfiedBits = ~satisfied & (int) ((1L << n) - 1);
        // Bits are visited with numberOfTrailingZeros rather than tested one by one: the tests were data-dependent
        // branches the CPU mispredicted about half the time.
        double zUnsatisfied = 1;
        for (int m = unsatisfiedBits; m != 0; m &= m - 1) {
            zUnsatisfied *= leafZ[start + Integer.numberOfTrailingZeros(m)];
        }
        int k = 0;
        e[0] = 1;
        for (int m = satisfied; m != 0; m &= m - 1) {
            double z = leafZ[start + Integer.numberOfTrailingZeros(m)];
            k++;
            e[k] = 0;
            for (int q = k; q >= 1; q--) {
                e[q] += z * e[q - 1];
            }
        }
        double scale = leafValue[li] * zUnsatisfied;
        if (unsatisfiedBits != 0) {
            double g = 0;
            for (int q = 0; q <= k; q++) {
                g += w[k - q] * e[q];
            }
            double unsatisfied = -scale * g;
            for (int m = unsatisfiedBits; m != 0; m &= m - 1) {
                phi[leafFeature[start + Integer.numberOfTrailingZeros(m)]] += unsatisfied;
            }
        }
        for (int m = satisfied; m != 0; m &= m - 1) {
            int j = start + Integer.numberOfTrailingZeros(m);
            double z = leafZ[j];
            // divide prod (1 + z t) by (1 + z_j t): e2_q = e_q - z_j e2_(q-1)
            double prev = 1;
            double g = w[k - 1];
            for (int q = 1; q < k; q++) {
                prev = e[q] - z * prev;
                g += w[k - 1 - q] * prev;
            }
            phi[leafFeature[j]] += scale * (1 - z) * g;
        }
    }

    /** w(s, n) = s! (n - s - 1)! / n! = 1 / (n C(n - 1, s)). */
    static double weight(int s, int n) {
        double c = 1;
        for (int i = 1; i <= s; i++) {
            c = c * (n - 1 - s + i) / i;
        }
        return 1.0 / (n * c);
    }

    /** G(M) directly from its definition's polynomial form; used by tests as a reference. */
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

    /** A leaf with its path's distinct features (in order of first appearance) and their zero fractions. */
    private record Leaf(double value, int[] features, double[] z) {
    }

    /** Collects leaves and assigns each internal node its feature's slot (and each leaf its index). */
    private static void walk(XgboostJson.Tree t, int n, int offset, List<Integer> pathFeatures, List<Double> pathZ,
                             List<Leaf> leaves, int[] slotOrLeaf) {
        if (t.isLeaf(n)) {
            int k = pathFeatures.size();
            int[] f = new int[k];
            double[] z = new double[k];
            for (int i = 0; i < k; i++) {
                f[i] = pathFeatures.get(i);
                z[i] = pathZ.get(i);
            }
            slotOrLeaf[offset + n] = leaves.size();
            leaves.add(new Leaf(t.condition()[n], f, z));
            return;
        }
        int feature = t.feature()[n];
        int at = pathFeatures.indexOf(feature);
        boolean added = at < 0;
        if (added) {
            if (pathFeatures.size() == MAX_PATH_FEATURES) {
                throw new UnsupportedModelException("a path with more than " + MAX_PATH_FEATURES
                        + " distinct features: explanations are not supported for this model");
            }
            at = pathFeatures.size();
            pathFeatures.add(feature);
            pathZ.add(1.0);
        }
        slotOrLeaf[offset + n] = at;
        double before = pathZ.get(at);
        for (int c : new int[] {t.left()[n], t.right()[n]}) {
            double ratio = t.cover()[n] > 0 ? t.cover()[c] / t.cover()[n] : 0;
            pathZ.set(at, before * ratio);
            walk(t, c, offset, pathFeatures, pathZ, leaves, slotOrLeaf);
        }
        pathZ.set(at, before);
        if (added) {
            pathFeatures.removeLast();
            pathZ.removeLast();
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
        return (meanValue(t, t.left()[n]) * t.cover()[t.left()[n]]
                + meanValue(t, t.right()[n]) * t.cover()[t.right()[n]]) / c;
    }

    int features() {
        return features;
    }
}
