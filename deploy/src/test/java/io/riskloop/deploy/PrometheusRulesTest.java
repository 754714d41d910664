package io.riskloop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

import static io.riskloop.deploy.DeployFiles.each;
import static org.assertj.core.api.Assertions.assertThat;

/** deploy/prometheus: promtool checks the rules and runs their unit tests; every alert is tested, firing and quiet. */
class PrometheusRulesTest {

    static final Path DIR = DeployFiles.DEPLOY.resolve("prometheus");
    static final Set<String> JOBS = Set.of("riskloop-processor", "riskloop-api");

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Promtool.Result r = Promtool.run("check", "rules", "riskloop.rules.yml");
        assertThat(r.exit()).as(r.output()).isZero();
    }

    @Test
    void theRulesPassTheirUnitTests() throws Exception {
        Promtool.Result r = Promtool.run("test", "rules", "riskloop.rules.test.yml");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void promtoolAcceptsTheComposeScrapeConfiguration() throws Exception {
        Promtool.Result r = Promtool.run("check", "config", "prometheus.yml");
        assertThat(r.exit()).as(r.output()).isZero();
    }

    /**
     * Debian's promtool is built without Kubernetes service discovery and refuses kubernetes_sd_configs, so the
     * Kubernetes scrape configuration is checked for what the rules rely on: its job names and the pods it keeps.
     */
    @Test
    void theKubernetesScrapeConfigurationNamesTheJobsTheRulesUse() {
        for (String file : new String[] {"prometheus.yml", "prometheus-kubernetes.yml"}) {
            JsonNode config = DeployFiles.yamlDocument(DIR.resolve(file));
            Set<String> jobs = new HashSet<>();
            for (JsonNode job : each(config.path("scrape_configs"))) {
                jobs.add(job.path("job_name").asText());
            }
            assertThat(jobs).as(file).containsAll(JOBS);
            assertThat(config.path("rule_files").toString()).as(file).contains("riskloop.rules.yml");
        }
        JsonNode k8s = DeployFiles.yamlDocument(DIR.resolve("prometheus-kubernetes.yml"));
        for (JsonNode job : each(k8s.path("scrape_configs"))) {
            assertThat(job.path("kubernetes_sd_configs").path(0).path("role").asText()).isEqualTo("pod");
            String component = job.path("job_name").asText().replace("riskloop-", "");
            assertThat(job.path("relabel_configs").toString()).as(job.path("job_name").asText())
                    .contains("__meta_kubernetes_pod_label_app_kubernetes_io_component", "\"regex\":\"" + component + "\"",
                            "__meta_kubernetes_pod_annotation_prometheus_io_port");
        }
    }

    @Test
    void everyAlertIsLabelledAnnotatedAndUsesOnlyRiskloopsMetrics() {
        for (JsonNode rule : rules()) {
            String name = rule.path("alert").asText();
            assertThat(name).as("a recording rule or an unnamed alert: %s", rule).isNotEmpty();
            assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("warning", "critical");
            assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as(name).isNotBlank();
            Set<String> metrics = MetricContract.metricsIn(rule.path("expr").asText());
            assertThat(metrics).as("%s selects no metric", name).isNotEmpty();
            assertThat(metrics).as("metrics of %s outside riskloop's contract", name).allMatch(MetricContract::allowed);
            for (var m : java.util.regex.Pattern.compile("job=\"([^\"]+)\"").matcher(rule.path("expr").asText())
                    .results().toList()) {
                assertThat(m.group(1)).as(name).isIn(JOBS);
            }
        }
    }

    @Test
    void everyAlertHasATestWhereItFiresAndOneWhereItStaysQuiet() {
        Set<String> alerts = new LinkedHashSet<>();
        rules().forEach(r -> alerts.add(r.path("alert").asText()));
        assertThat(alerts).contains("RiskloopDeadLetterSpike", "RiskloopConsumerLagHigh", "RiskloopNotifierFailing",
                "RiskloopDatasetDrift", "RiskloopAccuracyBelowBound", "RiskloopDecisionLatencyHigh",
                "RiskloopProcessorDown", "RiskloopNoDecisions");
        Set<String> fired = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        JsonNode tests = DeployFiles.yamlDocument(DIR.resolve("riskloop.rules.test.yml"));
        assertThat(tests.path("rule_files").toString()).contains("riskloop.rules.yml");
        for (JsonNode test : each(tests.path("tests"))) {
            for (JsonNode t : each(test.path("alert_rule_test"))) {
                (t.path("exp_alerts").isEmpty() ? quiet : fired).add(t.path("alertname").asText());
            }
        }
        assertThat(fired).as("alerts never tested firing").containsAll(alerts);
        assertThat(quiet).as("alerts never tested quiet").containsAll(alerts);
    }

    static Iterable<JsonNode> rules() {
        JsonNode file = DeployFiles.yamlDocument(DIR.resolve("riskloop.rules.yml"));
        java.util.List<JsonNode> rules = new java.util.ArrayList<>();
        for (JsonNode group : each(file.path("groups"))) {
            each(group.path("rules")).forEach(rules::add);
        }
        assertThat(rules).isNotEmpty();
        return rules;
    }
}
