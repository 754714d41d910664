package io.riskloop.onnx;

import io.riskloop.model.score.Explanation;
import io.riskloop.model.score.ModelHolder;
import io.riskloop.model.score.ScoringModel;
import io.riskloop.model.score.UnsupportedModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OnnxModelTest {

    private static final float[] W = {0.8f, -1.5f, 0.3f};
    private static final float B = -0.25f;
    private static final List<String> NAMES = List.of("a", "b", "c");

    private static double expected(float[] x) {
        double m = B;
        for (int j = 0; j < W.length; j++) {
            m += W[j] * x[j];
        }
        return 1 / (1 + Math.exp(-m));
    }

    private static Path write(Path dir, byte[] model) throws Exception {
        Path f = dir.resolve("lr.onnx");
        Files.write(f, model);
        return f;
    }

    @Test
    void scoresLikeTheModelItWasBuiltFrom(@TempDir Path dir) throws Exception {
        try (OnnxModel m = OnnxModel.load(write(dir, OnnxModels.logisticRegression(W, B)), NAMES, "sk/1", null)) {
            assertThat(m.info().kind()).isEqualTo("onnx");
            assertThat(m.info().contentHash()).hasSize(64);
            Random rnd = new Random(3);
            int rows = 200;
            float[] batch = new float[rows * 3];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = (float) rnd.nextGaussian();
            }
            double[] out = new double[rows];
            m.scoreBatch(batch, rows, out);
            for (int r = 0; r < rows; r++) {
                float[] row = java.util.Arrays.copyOfRange(batch, r * 3, r * 3 + 3);
                assertThat(out[r]).isCloseTo(expected(row), within(1e-6));
                assertThat(m.score(row)).isCloseTo(expected(row), within(1e-6));
            }
        }
    }

    @Test
    void occlusionExplainsALinearModelExactly(@TempDir Path dir) throws Exception {
        // For a linear margin, replacing feature j by 0 removes exactly w_j x_j.
        try (OnnxModel m = OnnxModel.load(write(dir, OnnxModels.logisticRegression(W, B)), NAMES, "sk/1", null)) {
            float[] x = {1.2f, -0.4f, 2f};
            Explanation e = m.explain(x);
            assertThat(e.method()).isEqualTo("occlusion");
            for (int j = 0; j < 3; j++) {
                assertThat(e.contributions()[j]).isCloseTo(W[j] * x[j], within(1e-4));
            }
            assertThat(e.bias()).isCloseTo(B, within(1e-4));
        }
    }

    @Test
    void itServesBehindTheModelHolder(@TempDir Path dir) throws Exception {
        OnnxModel a = OnnxModel.load(write(dir, OnnxModels.logisticRegression(W, B)), NAMES, "a", null);
        Path other = dir.resolve("other.onnx");
        Files.write(other, OnnxModels.logisticRegression(new float[] {0, 0, 0}, 0));
        OnnxModel b = OnnxModel.load(other, NAMES, "b", null);
        ScoringModel[] models = {a, b};
        try (ModelHolder holder = new ModelHolder(models[0])) {
            float[] row = {1, 1, 1};
            assertThat(holder.score(row)).isCloseTo(expected(row), within(1e-6));
            holder.swap(models[1]);
            assertThat(holder.score(row)).isCloseTo(0.5, within(1e-6));
        }
    }

    @Test
    void whatDoesNotFitIsRefusedWithAReason(@TempDir Path dir) throws Exception {
        Path f = write(dir, OnnxModels.logisticRegression(W, B));
        assertThatThrownBy(() -> OnnxModel.load(f, List.of("a", "b"), "x", null))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("expected [rows, 2]");
        Path junk = dir.resolve("junk.onnx");
        Files.writeString(junk, "not a model");
        assertThatThrownBy(() -> OnnxModel.load(junk, NAMES, "x", null))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("is not an ONNX model");
        try (OnnxModel m = OnnxModel.load(f, NAMES, "x", null)) {
            assertThatThrownBy(() -> m.scoreBatch(new float[5], 2, new double[2])).hasMessageContaining("2 rows");
        }
    }
}
