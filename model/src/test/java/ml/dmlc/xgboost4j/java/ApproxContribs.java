package ml.dmlc.xgboost4j.java;

/**
 * XGBoost's approximate (Saabas) contributions, which XGBoost4J's public API does not expose: the native predict
 * with the pred_contribs and approx_contribs option bits. Lives in XGBoost4J's package (test code only) to reach
 * the package-private JNI binding.
 */
public final class ApproxContribs {

    private static final int PRED_CONTRIBS = 4;
    private static final int APPROX_CONTRIBS = 8;

    private ApproxContribs() {
    }

    /** rows x (features + 1) contributions, bias last. */
    public static float[][] of(Booster booster, DMatrix data, int rows) throws Exception {
        java.lang.reflect.Field h = Booster.class.getDeclaredField("handle");
        h.setAccessible(true);
        float[][] raw = new float[1][];
        XGBoostError.class.getName();
        int rc = XGBoostJNI.XGBoosterPredict(h.getLong(booster), data.getHandle(), PRED_CONTRIBS | APPROX_CONTRIBS, 0, raw);
        if (rc != 0) {
            throw new IllegalStateException("XGBoost's native predict failed: " + XGBoostJNI.XGBGetLastError());
        }
        int width = raw[0].length / rows;
        float[][] out = new float[rows][width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(raw[0], r * width, out[r], 0, width);
        }
        return out;
    }
}
