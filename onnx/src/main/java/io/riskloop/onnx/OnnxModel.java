package io.riskloop.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.riskloop.model.score.Explanation;
import io.riskloop.model.score.ModelInfo;
import io.riskloop.model.score.ScoringModel;
import io.riskloop.model.score.UnsupportedModelException;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A binary classifier exported to ONNX (e.g. from scikit-learn with skl2onnx, or LightGBM with onnxmltools),
 * scored through ONNX Runtime. The model takes one float tensor [rows, features]; the fraud probability is read
 * from the output named "probabilities" (or the first float output): the last column of a [rows, 2] tensor, the
 * only column of [rows, 1] or [rows], or key 1 of scikit-learn's ZipMap (a sequence of maps).
 *
 * <p>Unlike the compiled scorer, each call crosses into native code and allocates tensors. Explanations are by
 * occlusion (the change in margin when one feature takes its reference value), an approximation: they need not
 * add up, and the bias is what they leave unexplained.
 */
public final class OnnxModel implements ScoringModel, AutoCloseable {

    private final ModelInfo info;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;
    private final String output;
    private final float[] reference;

    private OnnxModel(ModelInfo info, OrtEnvironment env, OrtSession session, String input, String output,
                      float[] reference) {
        this.info = info;
        this.env = env;
        this.session = session;
        this.input = input;
        this.output = output;
        this.reference = reference;
    }

    /**
     * @param file         the .onnx file
     * @param featureNames the input's features, in order
     * @param version      a version label
     * @param reference    reference values for occlusion explanations (e.g. training means), or null for zeros
     */
    public static OnnxModel load(Path file, List<String> featureNames, String version, float[] reference) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UnsupportedModelException("cannot read the ONNX model " + file + ": " + e.getMessage());
        }
        if (reference != null && reference.length != featureNames.size()) {
            throw new IllegalArgumentException("the reference has " + reference.length + " values for "
                    + featureNames.size() + " features");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            session = env.createSession(bytes, options);
        } catch (OrtException e) {
            throw new UnsupportedModelException(file + " is not an ONNX model ONNX Runtime can load: " + e.getMessage());
        }
        try {
            if (session.getNumInputs() != 1) {
                throw new UnsupportedModelException(file + " takes " + session.getNumInputs()
                        + " inputs; riskloop feeds one float tensor [rows, features]");
            }
            Map.Entry<String, NodeInfo> in = session.getInputInfo().entrySet().iterator().next();
            if (!(in.getValue().getInfo() instanceof TensorInfo ti) || ti.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
                throw new UnsupportedModelException(file + ": input '" + in.getKey() + "' is " + in.getValue().getInfo()
                        + "; riskloop feeds a float tensor [rows, features]");
            }
            long[] shape = ti.getShape();
            if (shape.length != 2 || shape[1] > 0 && shape[1] != featureNames.size()) {
                throw new UnsupportedModelException(file + ": input '" + in.getKey() + "' has shape "
                        + java.util.Arrays.toString(shape) + ", expected [rows, " + featureNames.size() + "]");
            }
            String out = session.getOutputNames().contains("probabilities") ? "probabilities" : null;
            if (out == null) {
                for (Map.Entry<String, NodeInfo> o : session.getOutputInfo().entrySet()) {
                    if (o.getValue().getInfo() instanceof TensorInfo t && t.type == ai.onnxruntime.OnnxJavaType.FLOAT) {
                        out = o.getKey();
                        break;
                    }
                }
            }
            if (out == null) {
                throw new UnsupportedModelException(file + " has no 'probabilities' output and no float tensor output;"
                        + " outputs are " + session.getOutputNames());
            }
            ModelInfo info = new ModelInfo("onnx", featureNames, version, sha256(bytes));
            return new OnnxModel(info, env, session, in.getKey(), out,
                    reference != null ? reference.clone() : new float[featureNames.size()]);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new UnsupportedModelException(file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public double score(float[] row) {
        double[] out = new double[1];
        scoreBatch(row, 1, out);
        return out[0];
    }

    @Override
    public void scoreBatch(float[] values, int rows, double[] out) {
        int f = info.features();
        if ((long) rows * f > values.length || rows > out.length) {
            throw new IllegalArgumentException("a batch of " + rows + " rows needs " + (long) rows * f
                    + " values and " + rows + " outputs, got " + values.length + " and " + out.length);
        }
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(values, 0, rows * f), new long[] {rows, f});
             OrtSession.Result result = session.run(Map.of(input, t), java.util.Set.of(output))) {
            read(result.get(0), rows, out);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to score " + rows + " rows with " + info.version()
                    + ": " + e.getMessage(), e);
        }
    }

    private void read(OnnxValue value, int rows, double[] out) throws OrtException {
        if (value instanceof OnnxTensor tensor) {
            long[] shape = tensor.getInfo().getShape();
            FloatBuffer fb = tensor.getFloatBuffer();
            int width = shape.length == 2 ? (int) shape[1] : 1;
            for (int r = 0; r < rows; r++) {
                out[r] = fb.get(r * width + width - 1);
            }
            return;
        }
        if (value instanceof OnnxSequence seq) {
            List<? extends OnnxValue> maps = seq.getValue();
            for (int r = 0; r < rows; r++) {
                Map<?, ?> m = ((OnnxMap) maps.get(r)).getValue();
                Object p = m.containsKey(1L) ? m.get(1L) : m.get("1");
                if (p == null) {
                    throw new UnsupportedModelException("output '" + output + "' maps " + m.keySet()
                            + "; expected class 1 (fraud)");
                }
                out[r] = ((Number) p).doubleValue();
            }
            return;
        }
        throw new UnsupportedModelException("output '" + output + "' is a " + value.getType() + "; expected a float"
                + " tensor or a sequence of maps");
    }

    @Override
    public Explanation explain(float[] row) {
        int f = info.features();
        float[] batch = new float[(f + 1) * f];
        for (int j = 0; j < f; j++) {
            System.arraycopy(row, 0, batch, j * f, f);
            batch[j * f + j] = reference[j];
        }
        System.arraycopy(row, 0, batch, f * f, f);
        double[] p = new double[f + 1];
        scoreBatch(batch, f + 1, p);
        double margin = logit(p[f]);
        double[] phi = new double[f];
        double sum = 0;
        for (int j = 0; j < f; j++) {
            phi[j] = margin - logit(p[j]);
            sum += phi[j];
        }
        return new Explanation(info.featureNames(), phi, margin - sum, margin, "occlusion");
    }

    private static double logit(double p) {
        double q = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
        return Math.log(q / (1 - q));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException ignored) {
            // already failing; the original error is the one to report
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX session of " + info.version() + " failed", e);
        }
    }
}
