package io.riskloop.model.report;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.drift.DriftPolicy;
import io.riskloop.core.drift.DriftReport;
import io.riskloop.core.drift.DriftTest;
import io.riskloop.core.drift.LiveWindow;
import io.riskloop.core.drift.ReferenceProfile;
import io.riskloop.core.features.FeatureMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriftReportPageTest {

    private static final String HOSTILE = "<img src=x onerror=alert(1)>";
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    /** Three features (continuous, categorical with a hostile name, binary), the first shifted in the live data. */
    private static DriftReport report(int liveRows) {
        int n = 4_000;
        Random rnd = new Random(1);
        float[] v = new float[n * 3];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            v[3 * i] = (float) rnd.nextGaussian();
            v[3 * i + 1] = rnd.nextInt(4);
            v[3 * i + 2] = rnd.nextInt(10) == 0 ? 1 : 0;
            scores[i] = rnd.nextDouble();
        }
        LabeledTransaction any = new LabeledTransaction(new Transaction("t", T0, "c", "m", 1), false, 0);
        FeatureMatrix m = new FeatureMatrix(List.of("amount", HOSTILE, "weekend"), v, n, Collections.nCopies(n, any));
        ReferenceProfile ref = ReferenceProfile.builder().modelVersion("fraud-xgb/3").build(m, scores);
        LiveWindow w = LiveWindow.of(ref);
        for (int i = 0; i < liveRows; i++) {
            w.add(new float[] {(float) (rnd.nextGaussian() + 1), rnd.nextInt(4), rnd.nextInt(10) == 0 ? 1 : 0},
                    rnd.nextDouble(), T0.plusSeconds(60L * i));
        }
        return DriftPolicy.defaults().assess(ref, w);
    }

    @Test
    void thePageHasTheVerdictsATableAndOneChartPerColumn(@TempDir Path dir) throws Exception {
        DriftReport r = report(3_000);
        assertThat(r.feature("amount").drifted()).isTrue();
        DriftReportPage.write(r, "Drift of fraud-xgb/3", dir);
        String html = Files.readString(dir.resolve(DriftReportPage.HTML));
        // one chart per feature, and one for the score
        assertThat(html.split("<svg", -1)).hasSize(1 + r.features().size() + 1);
        assertThat(html).contains("<h1>Drift of fraud-xgb/3</h1>", "model version: fraud-xgb/3",
                "<tr class=\"drifted\"><td>amount</td>", "Wasserstein (sd)", "Jensen-Shannon", "PSI",
                "2025-03-01T10:00:00Z to");
        assertThat(html).doesNotContain("src=\"http", "href=\"http", "<script", "<link rel=\"stylesheet\"");
        assertThat(Files.readString(dir.resolve(DriftReportPage.JSON))).startsWith("{").contains("\"format_version\"");
    }

    @Test
    void everyTextIsEscapedInTheTableAndInTheCharts() {
        String html = DriftReportPage.html(report(300), "a <title> & more");
        assertThat(html).doesNotContain(HOSTILE, "<title> &");
        assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;", "a &lt;title&gt; &amp; more");
    }

    @Test
    void jsonReadsBackToAnEqualReport() {
        for (DriftReport r : List.of(report(300), report(3_000))) {
            String json = DriftReportJson.write(r);
            assertThat(DriftReportJson.read(json)).isEqualTo(r);
        }
    }

    @Test
    void undefinedNumbersAreNullInJson() {
        DriftReport r = report(3_000);
        assertThat(r.feature("amount").test()).isEqualTo(DriftTest.WASSERSTEIN);
        assertThat(r.feature("amount").pValue()).isNaN();
        String json = DriftReportJson.write(r);
        assertThat(json).contains("\"p_value\" : null", "\"model_version\" : \"fraud-xgb/3\"", "\"dataset_drift\" :",
                "\"ks_alpha\" : 0.05").doesNotContain("NaN");
        assertThat(json.indexOf("format_version")).isLessThan(json.indexOf("model_version"));
    }

    @Test
    void otherFormatVersionsAreRefusedWithBothVersions() {
        String json = DriftReportJson.write(report(300)).replace("\"format_version\" : 1", "\"format_version\" : 2");
        assertThatThrownBy(() -> DriftReportJson.read(json)).hasMessageContaining("format version 2")
                .hasMessageContaining("reads version 1");
        assertThatThrownBy(() -> DriftReportJson.read("{\"model_version\": \"x\"}"))
                .hasMessageContaining("not a riskloop drift report");
    }
}
