package io.riskloop.deploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The metric-name reader the rule and dashboard checks rely on. */
class MetricContractTest {

    @Test
    void findsTheSelectedMetricsAndNothingElse() {
        assertThat(MetricContract.metricsIn("histogram_quantile(0.99, sum by (le) (rate(riskloop_pipeline_decide_seconds_bucket"
                + "{job=\"riskloop-processor\", le!=\"+Inf\"}[$__rate_interval]))) > 0.5"))
                .containsExactly("riskloop_pipeline_decide_seconds_bucket");
        assertThat(MetricContract.metricsIn("(sum(rate(a_total[5m])) > 0) unless on (x) (sum(rate(b_total[5m])) > 1e-3)"
                + " or absent(up{job=\"j\"} == 1) offset 1h"))
                .containsExactly("a_total", "b_total", "up");
        assertThat(MetricContract.metricsIn("sum(foo) by (instance) / ignoring(le) bar:recorded"))
                .containsExactly("foo", "bar:recorded");
    }

    @Test
    void tellsContractNamesFromOthers() {
        assertThat(MetricContract.allowed("riskloop_pipeline_received_total")).isTrue();
        assertThat(MetricContract.allowed("jetty_server_requests_seconds_count")).isTrue();
        assertThat(MetricContract.allowed("riskloop_pipeline_received")).isFalse();
        assertThat(MetricContract.allowed("riskloop_pipeline_decisions")).isFalse();
    }
}
