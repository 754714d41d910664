package io.riskloop.model.score;

import java.util.List;

/**
 * An XGBoost tree ensemble (boosted trees or a random forest) compiled into flat arrays and evaluated in pure
 * Java: no JNI and no allocation per row, safe for any number of concurrent callers (all state is final arrays).
 * Its probabilities equal XGBoost4J's to within float rounding of the final logistic function (tested to 1e-6
 * over randomly trained models).
 */
public final class CompiledEnsemble implements ScoringModel {

    /** Which node layout to use; {@link #AUTO} picks the faster one that fits. */
    public enum Layout {
        AUTO, PACKED, NODES
    }

    private final ModelInfo info;
    private final TreeLayout layout;
    private final float baseMargin;
    private final List<XgboostJson.Tree> trees;
    private final int features;
    private volatile TreeShap shap;
    private volatile PathAttribution paths;

    private CompiledEnsemble(ModelInfo info, TreeLayout layout, float baseMargin, List<XgboostJson.Tree> trees,
                             int features) {
        this.info = info;
        this.layout = layout;
        this.baseMargin = baseMargin;
        this.trees = trees;
        this.features = features;
    }

    /** Compiles an XGBoost JSON model of a gbtree booster. */
    public static CompiledEnsemble fromXgboostJson(byte[] json, ModelInfo info) {
        return fromXgboostJson(json, info, Layout.AUTO);
    }

    public static CompiledEnsemble fromXgboostJson(byte[] json, ModelInfo info, Layout choice) {
        XgboostJson.Parsed p = XgboostJson.parse(json);
        if (!p.booster().equals("gbtree")) {
            throw new UnsupportedModelException("a " + p.booster() + " model is not a tree ensemble; use LinearModel");
        }
        return compile(p, info, choice);
    }

    static CompiledEnsemble compile(XgboostJson.Parsed p, ModelInfo info, Layout choice) {
        if (info.features() != p.features()) {
            throw new UnsupportedModelException("the model takes " + p.features() + " features but its manifest"
                    + " names " + info.features() + ": " + info.featureNames());
        }
        int depth = 0;
        for (XgboostJson.Tree t : p.trees()) {
            depth = Math.max(depth, t.depth());
        }
        TreeLayout layout = switch (choice) {
            case PACKED -> {
                if (!PackedTrees.fits(p.trees(), depth)) {
                    throw new IllegalArgumentException("the packed layout does not fit " + p.trees().size()
                            + " trees of depth " + depth + " (more than " + PackedTrees.MAX_LEAVES + " padded leaves)");
                }
                yield PackedTrees.compile(p.trees(), depth, p.features());
            }
            case NODES -> NodeTrees.compile(p.trees());
            case AUTO -> PackedTrees.fits(p.trees(), depth) ? PackedTrees.compile(p.trees(), depth, p.features())
                    : NodeTrees.compile(p.trees());
        };
        return new CompiledEnsemble(info, layout, p.baseMargin(), List.copyOf(p.trees()), p.features());
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** The layout in use, for benchmarks and logs. */
    public String layoutName() {
        return layout.name();
    }

    public int trees() {
        return trees.size();
    }

    @Override
    public double score(float[] row) {
        if (row.length < features) {
            throw new IllegalArgumentException("a row needs " + features + " features, got " + row.length);
        }
        return sigmoid(layout.margin(row, 0, baseMargin));
    }

    /** The margin (log-odds) XGBoost would output with {@code output_margin}. */
    public float margin(float[] row) {
        if (row.length < features) {
            throw new IllegalArgumentException("a row needs " + features + " features, got " + row.length);
        }
        return layout.margin(row, 0, baseMargin);
    }

    @Override
    public void scoreBatch(float[] values, int rows, double[] out) {
        if ((long) rows * features > values.length || rows > out.length) {
            throw new IllegalArgumentException("a batch of " + rows + " rows needs " + (long) rows * features
                    + " values and " + rows + " outputs, got " + values.length + " and " + out.length);
        }
        layout.margins(values, rows, features, baseMargin, out);
        for (int r = 0; r < rows; r++) {
            out[r] = sigmoid((float) out[r]);
        }
    }

    @Override
    public Explanation explain(float[] row) {
        if (row.length < features) {
            throw new IllegalArgumentException("a row needs " + features + " features, got " + row.length);
        }
        TreeShap s = treeShap();
        double[] phi = new double[features];
        s.explain(row, phi);
        return new Explanation(info.featureNames(), phi, s.bias(), layout.margin(row, 0, baseMargin), "tree_shap");
    }

    /** Saabas path attribution ("saabas"): as fast as scoring, adds up to the margin, not Shapley values. */
    @Override
    public Explanation explainQuickly(float[] row) {
        if (row.length < features) {
            throw new IllegalArgumentException("a row needs " + features + " features, got " + row.length);
        }
        PathAttribution p = paths;
        if (p == null) {
            p = PathAttribution.build(trees, baseMargin);
            paths = p;
        }
        double[] phi = new double[features];
        p.explain(row, phi);
        return new Explanation(info.featureNames(), phi, p.bias(), layout.margin(row, 0, baseMargin), "saabas");
    }

    /** The TreeSHAP tables, built on the first explanation (they take memory that scoring never needs). */
    private TreeShap treeShap() {
        TreeShap s = shap;
        if (s == null) {
            synchronized (this) {
                s = shap;
                if (s == null) {
                    s = TreeShap.build(trees, features, baseMargin);
                    shap = s;
                }
            }
        }
        return s;
    }

    /** XGBoost's logistic transform, in float as XGBoost computes it. */
    static float sigmoid(float margin) {
        return (float) (1.0 / (1.0 + Math.exp(-margin)));
    }
}
