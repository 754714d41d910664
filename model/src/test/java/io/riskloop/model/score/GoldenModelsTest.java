package io.riskloop.model.score;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The committed golden models (made by {@link GoldenModels} with XGBoost4J 3.0.4) score their rows as XGBoost
 * did, with no XGBoost involved in this test.
 */
class GoldenModelsTest {

    @ParameterizedTest
    @ValueSource(strings = {"boosted", "forest", "linear"})
    void scoresEqualTheRecordedXgboostOutputs(String name) throws Exception {
        Path dir = Path.of("src/test/resources/golden", name);
        byte[] json = Files.readAllBytes(dir.resolve("model.json"));
        List<float[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("rows.csv"))) {
            String[] f = line.split(",");
            float[] row = new float[f.length];
            for (int j = 0; j < f.length; j++) {
                row[j] = Float.parseFloat(f[j]);
            }
            rows.add(row);
        }
        List<String> expected = Files.readAllLines(dir.resolve("expected.csv"));
        List<String> names = new ArrayList<>();
        for (int j = 0; j < rows.getFirst().length; j++) {
            names.add("f" + j);
        }
        ScoringModel model = Scorers.fromXgboostJson(json, new ModelInfo("golden", names, name, "-"), null);
        assertThat(rows).hasSize(expected.size() - 1).hasSizeGreaterThanOrEqualTo(50);
        for (int r = 0; r < rows.size(); r++) {
            String[] e = expected.get(r + 1).split(",");
            assertThat(model.score(rows.get(r))).as("%s row %d", name, r).isCloseTo(Float.parseFloat(e[0]), within(1e-6));
            assertThat(model.explain(rows.get(r)).margin()).as("%s margin %d", name, r)
                    .isCloseTo(Float.parseFloat(e[1]), within(1e-5));
        }
    }
}
