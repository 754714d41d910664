package io.riskloop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.riskloop.deploy.DeployFiles.each;
import static org.assertj.core.api.Assertions.assertThat;

/** deploy/grafana: the dashboard's queries use riskloop's metrics only, and its provisioning finds it. */
class GrafanaDashboardTest {

    static final Path DIR = DeployFiles.DEPLOY.resolve("grafana");
    static final JsonNode DASHBOARD = DeployFiles.json(DIR.resolve("dashboards/riskloop.json"));

    /** Every panel, rows' nested panels included. */
    static List<JsonNode> panels() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode p : each(DASHBOARD.path("panels"))) {
            all.add(p);
            each(p.path("panels")).forEach(all::add);
        }
        return all;
    }

    @Test
    void everyQueryUsesOnlyRiskloopsMetrics() {
        Set<String> used = new HashSet<>();
        int queries = 0;
        for (JsonNode panel : panels()) {
            for (JsonNode target : each(panel.path("targets"))) {
                String expr = target.path("expr").asText();
                assertThat(expr).as("panel '%s' has a target without a query", panel.path("title").asText()).isNotBlank();
                Set<String> metrics = MetricContract.metricsIn(expr);
                assertThat(metrics).as("panel '%s': %s", panel.path("title").asText(), expr).isNotEmpty()
                        .allMatch(MetricContract::allowed);
                used.addAll(metrics);
                queries++;
            }
        }
        assertThat(queries).isGreaterThan(10);
        // throughput, decision mix, latency, scores, dead letters, lag, drift, accuracy, model versions
        assertThat(used).contains("riskloop_pipeline_received_total", "riskloop_pipeline_decisions_total",
                "riskloop_pipeline_decide_seconds_bucket", "riskloop_pipeline_score_bucket",
                "riskloop_pipeline_dead_letters_total", "riskloop_pipeline_consumer_lag_records", "riskloop_drift_share",
                "riskloop_drift_dataset_drifted", "riskloop_accuracy_average_precision",
                "riskloop_accuracy_card_precision_at_100", "riskloop_model_info");
    }

    @Test
    void panelsHaveTitlesIdsAndTheProvisionedDatasourceAndDoNotOverlap() {
        JsonNode datasources = DeployFiles.yamlDocument(DIR.resolve("provisioning/datasources/prometheus.yml"));
        String uid = datasources.path("datasources").path(0).path("uid").asText();
        assertThat(uid).isNotBlank();
        assertThat(datasources.path("datasources").path(0).path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(DASHBOARD.path("uid").asText()).isNotBlank();
        Set<Integer> ids = new HashSet<>();
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode panel : panels()) {
            String title = panel.path("title").asText();
            assertThat(title).isNotBlank();
            assertThat(ids.add(panel.path("id").asInt())).as("duplicate panel id in '%s'", title).isTrue();
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo(uid);
                each(panel.path("targets")).forEach(t -> assertThat(t.path("datasource").path("uid").asText())
                        .as(title).isEqualTo(uid));
            }
            JsonNode g = panel.path("gridPos");
            int[] box = {g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt()};
            assertThat(box[0] + box[2]).as("'%s' is wider than the grid", title).isLessThanOrEqualTo(24);
            for (int[] other : boxes) {
                boolean overlap = box[0] < other[0] + other[2] && other[0] < box[0] + box[2]
                        && box[1] < other[1] + other[3] && other[1] < box[1] + box[3];
                assertThat(overlap).as("'%s' overlaps another panel", title).isFalse();
            }
            boxes.add(box);
        }
    }

    @Test
    void provisioningLoadsTheDashboardFromWhereComposeMountsIt() {
        JsonNode providers = DeployFiles.yamlDocument(DIR.resolve("provisioning/dashboards/riskloop.yml"));
        String path = providers.path("providers").path(0).path("options").path("path").asText();
        JsonNode grafana = DeployFiles.yamlDocument(DeployFiles.DEPLOY.resolve("compose.yaml")).path("services")
                .path("grafana");
        assertThat(grafana.path("volumes").toString()).contains("./grafana/dashboards:" + path + ":ro",
                "./grafana/provisioning:/etc/grafana/provisioning:ro");
    }
}
