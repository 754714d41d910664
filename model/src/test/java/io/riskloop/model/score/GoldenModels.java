package io.riskloop.model.score;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Makes the golden models under src/test/resources/golden: small XGBoost models with test rows and the
 * probabilities and margins XGBoost4J 3.0.4 gave for them. {@link GoldenModelsTest} checks the scorer against
 * these files without XGBoost, so a change of library or scorer that alters predictions is caught.
 * Regenerate (only on purpose): from {@code model/}, after {@code ./mvnw -pl model test-compile}, run
 * {@code java -cp target/test-classes:target/classes:<the module's test class path> io.riskloop.model.score.GoldenModels}
 * (the class path from {@code ./mvnw -pl model dependency:build-classpath -Dmdep.includeScope=test}).
 */
public final class GoldenModels {

    private GoldenModels() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources/golden");
        boosted(root.resolve("boosted"));
        forest(root.resolve("forest"));
        linear(root.resolve("linear"));
    }

    static void boosted(Path dir) throws Exception {
        RandomModels.Trained m = RandomModels.train(20261122, 8, 25, 4, RandomModels.Mode.BOOSTED, 0.1, 500, 50);
        write(dir, m.booster(), m.json(), m.test(), m.rows(), m.features());
    }

    static void forest(Path dir) throws Exception {
        RandomModels.Trained m = RandomModels.train(424242, 6, 10, 5, RandomModels.Mode.FOREST, 0.05, 500, 50);
        write(dir, m.booster(), m.json(), m.test(), m.rows(), m.features());
    }

    static void linear(Path dir) throws Exception {
        Random rnd = new Random(5);
        int n = 400;
        int f = 5;
        float[] x = RandomModels.data(rnd, n, f, 0.1);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            float v = x[i * f];
            y[i] = (Float.isNaN(v) ? 0 : Math.tanh(v)) + 0.5 * rnd.nextGaussian() > 0 ? 1 : 0;
        }
        DMatrix d = new DMatrix(x, n, f, Float.NaN);
        d.setLabel(y);
        Map<String, Object> p = new HashMap<>();
        p.put("objective", "binary:logistic");
        p.put("booster", "gblinear");
        p.put("lambda", 1.0);
        p.put("nthread", 1);
        Booster b = XGBoost.train(d, p, 20, new HashMap<>(), null, null);
        float[] test = RandomModels.data(rnd, 50, f, 0.1);
        write(dir, b, b.toByteArray("json"), test, 50, f);
    }

    private static void write(Path dir, Booster b, byte[] json, float[] test, int rows, int features) throws Exception {
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.json"), json);
        DMatrix d = new DMatrix(test, rows, features, Float.NaN);
        float[][] p = b.predict(d);
        float[][] m = b.predict(d, true);
        StringBuilder in = new StringBuilder();
        StringBuilder out = new StringBuilder("probability,margin\n");
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < features; j++) {
                // Float.toString round-trips exactly
                in.append(j > 0 ? "," : "").append(Float.toString(test[r * features + j]));
            }
            in.append('\n');
            out.append(String.format(Locale.ROOT, "%s,%s%n", Float.toString(p[r][0]), Float.toString(m[r][0])));
        }
        Files.writeString(dir.resolve("rows.csv"), in);
        Files.writeString(dir.resolve("expected.csv"), out);
    }
}
