package io.riskloop.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names riskloop exposes (Micrometer's Prometheus names), as the pipeline, the monitor and the server
 * implement them: the rules and the dashboard may use these and nothing else.
 */
final class MetricContract {

    static final Set<String> NAMES = Set.of(
            "riskloop_pipeline_received_total",
            "riskloop_pipeline_decisions_total",
            "riskloop_pipeline_dead_letters_total",
            "riskloop_store_stored_total",
            "riskloop_alerts_dead_lettered_total",
            "riskloop_alerts_delivered_total",
            "riskloop_pipeline_decide_seconds_bucket",
            "riskloop_pipeline_score_bucket",
            "riskloop_pipeline_consumer_lag_records",
            "riskloop_model_info",
            "riskloop_drift_dataset_drifted",
            "riskloop_drift_share",
            "riskloop_accuracy_average_precision",
            "riskloop_accuracy_card_precision_at_100",
            "riskloop_retraining_runs_total",
            "riskloop_http_refused_total",
            "up");

    /** The server's HTTP timer (Javalin's Micrometer plugin): jetty_server_requests_seconds and its series. */
    private static final Pattern JETTY = Pattern.compile("jetty_server_requests_seconds(_count|_sum|_bucket|_max)?");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN");

    private MetricContract() {
    }

    static boolean allowed(String metric) {
        return NAMES.contains(metric) || JETTY.matcher(metric).matches();
    }

    /**
     * The metric names a PromQL expression selects: identifiers that are not functions, aggregations, keywords,
     * label names (in matchers and groupings), strings, durations or Grafana variables.
     */
    static Set<String> metricsIn(String promql) {
        String s = promql
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\{?\\w+}?", " ")
                .replaceAll("\\boffset\\s+\\w+", " ")
                .replaceAll("(?<![\\w.])\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?(?![\\w.])", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?<![\\w:])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()").matcher(s);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }
}
