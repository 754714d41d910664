package io.riskloop.model.report;

import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.testkit.SimulatedData;
import io.riskloop.model.Trainer;
import io.riskloop.model.evaluate.Evaluation;
import io.riskloop.model.evaluate.Evaluator;
import io.riskloop.model.evaluate.ModelSpec;
import io.riskloop.model.evaluate.TimeSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReportWriterTest {

    @Test
    void writesMarkdownAndASelfContainedHtmlPage(@TempDir Path dir) throws Exception {
        FeatureMatrix all = SimulatedData.baselineFeatures(SimulatedData.SCALED_BOOK);
        Evaluation e = new Evaluator(new Trainer(), Evaluator.Listener.NONE).baseline(all, FeatureSet.BASELINE,
                TimeSplit.BOOK, ModelSpec.baseline(0).subList(3, 5), new Trainer.Source("x", "y"));
        ReportWriter.write(e, "test report", dir);
        String md = Files.readString(dir.resolve(ReportWriter.MARKDOWN));
        String html = Files.readString(dir.resolve(ReportWriter.HTML));
        assertThat(md).contains("# test report", "| random_forest |", "| xgboost |", "0.867", "cheapest threshold");
        assertThat(html).contains("<table>", "<td>random_forest</td>", "<h2>Curves");
        // ROC + PR + one score distribution per model
        assertThat(html.split("<svg", -1)).hasSize(1 + 2 + 2);
        assertThat(html).doesNotContain("src=\"http", "href=\"http", "<script src", "<link rel=\"stylesheet\"");
        assertThat(ReportWriter.table(e)).contains("random_forest", "0.867 / 0.658 / 0.287");
    }
}
