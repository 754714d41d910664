package io.riskloop.model.report;

import io.riskloop.core.drift.DriftReport;
import io.riskloop.core.drift.DriftResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A drift report as one self-contained HTML page: the verdicts, a table of every column's test, and one chart per
 * column (the score first) with the reference and live shares over the test's bins, drawn inline as SVG.
 */
public final class DriftReportPage {

    public static final String HTML = "drift-report.html";
    public static final String JSON = "drift-report.json";

    private DriftReportPage() {
    }

    /** Writes {@value #HTML} and {@value #JSON} into {@code dir}. */
    public static void write(DriftReport report, String title, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(HTML), html(report, title));
        Files.writeString(dir.resolve(JSON), DriftReportJson.write(report));
    }

    public static String html(DriftReport r, String title) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1200px;color:#222}")
                .append("table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:4px 8px;")
                .append("text-align:right}td:nth-child(-n+3),th:nth-child(-n+3){text-align:left}")
                .append("tr.drifted td{background:#fde8e1}.charts{display:flex;flex-wrap:wrap;gap:1rem}")
                .append("</style></head><body>\n");
        sb.append("<h1>").append(esc(title)).append("</h1>\n<ul>\n");
        item(sb, "model version", r.modelVersion());
        item(sb, "reference rows", String.format(Locale.ROOT, "%,d", r.referenceRows()));
        item(sb, "live window", String.format(Locale.ROOT, "%,d transactions", r.liveRows())
                + (r.from() == null ? "" : ", " + r.from() + " to " + r.to()));
        item(sb, "dataset drift", (r.datasetDrift() ? "yes" : "no") + String.format(Locale.ROOT,
                " (%d of %d features drifted, %.0f%%; drift at %.0f%%)", r.driftedFeatures(), r.testedFeatures(),
                100 * r.driftedShare(), 100 * r.policy().datasetDriftShare()));
        item(sb, "prediction drift", (r.prediction().drifted() ? "yes" : "no") + " ("
                + testName(r.prediction()) + " " + number(r.prediction().statistic()) + ")");
        sb.append("</ul>\n<table>\n<tr><th>column</th><th>kind</th><th>test</th><th>statistic</th><th>p-value</th>")
                .append("<th>threshold</th><th>drifted</th><th>reference n</th><th>live n</th>")
                .append("<th>missing (reference / live)</th></tr>\n");
        List<DriftResult> all = new ArrayList<>();
        all.add(r.prediction());
        all.addAll(r.features());
        for (DriftResult d : all) {
            sb.append(d.drifted() ? "<tr class=\"drifted\">" : "<tr>")
                    .append("<td>").append(esc(d.name())).append("</td><td>")
                    .append(d.kind().name().toLowerCase(Locale.ROOT)).append("</td><td>").append(testName(d))
                    .append("</td><td>").append(number(d.statistic())).append("</td><td>").append(pValue(d.pValue()))
                    .append("</td><td>").append(d.test().hasPValue() ? "p &lt; " : "&ge; ").append(number(d.threshold()))
                    .append("</td><td>").append(d.drifted() ? "yes" : "no")
                    .append(String.format(Locale.ROOT, "</td><td>%,d</td><td>%,d</td><td>%.1f%% / %.1f%%</td></tr>%n",
                            d.referenceCount(), d.liveCount(), 100 * d.referenceMissingShare(),
                            100 * d.liveMissingShare()));
        }
        sb.append("</table>\n<h2>Distributions, reference against live</h2>\n<div class=\"charts\">\n");
        for (DriftResult d : all) {
            sb.append(Charts.driftHistogram(d)).append('\n');
        }
        sb.append("</div>\n</body></html>\n");
        return sb.toString();
    }

    private static void item(StringBuilder sb, String name, String value) {
        sb.append("<li>").append(esc(name)).append(": ").append(esc(value)).append("</li>\n");
    }

    private static String testName(DriftResult d) {
        return switch (d.test()) {
            case PSI -> "PSI";
            case KOLMOGOROV_SMIRNOV -> "Kolmogorov-Smirnov";
            case CHI_SQUARED -> "chi-squared";
            case JENSEN_SHANNON -> "Jensen-Shannon";
            case WASSERSTEIN -> "Wasserstein (sd)";
        };
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String pValue(double p) {
        if (Double.isNaN(p)) {
            return "-";
        }
        return p < 1e-4 ? "&lt; 0.0001" : String.format(Locale.ROOT, "%.4f", p);
    }

    private static String esc(String s) {
        return ReportWriter.escape(s).replace("'", "&#39;");
    }
}
