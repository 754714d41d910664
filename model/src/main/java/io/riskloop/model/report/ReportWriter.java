package io.riskloop.model.report;

import io.riskloop.model.evaluate.Evaluation;
import io.riskloop.model.evaluate.ModelResult;
import io.riskloop.model.evaluate.Protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Writes an evaluation as {@code report.md} and a self-contained {@code report.html} (charts inline as SVG):
 * the results table with the handbook's published row beside each model, ROC and precision-recall curves,
 * the score distribution per class, and threshold figures.
 */
public final class ReportWriter {

    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser MARKDOWN_PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final HtmlRenderer MARKDOWN_TO_HTML = HtmlRenderer.builder().extensions(EXTENSIONS).build();

    private ReportWriter() {
    }

    public static void write(Evaluation e, String title, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKDOWN), markdown(e, title));
        Files.writeString(dir.resolve(HTML), html(e, title));
    }

    /** The results table as plain text for a terminal. */
    public static String table(Evaluation e) {
        StringBuilder sb = new StringBuilder();
        boolean pq = e.protocol() == Protocol.PREQUENTIAL;
        sb.append(String.format(Locale.ROOT, "%-22s %-17s %-17s %-17s  %s%n", "model", "ROC AUC", "avg precision",
                "card prec@100", "book (AUC / AP / CP@100)"));
        for (ModelResult r : e.models()) {
            sb.append(String.format(Locale.ROOT, "%-22s %-17s %-17s %-17s  %s%n", r.name(), fig(r.aucRoc(), pq),
                    fig(r.ap(), pq), fig(r.cp100(), pq), book(r)));
        }
        return sb.toString();
    }

    static String markdown(Evaluation e, String title) {
        boolean pq = e.protocol() == Protocol.PREQUENTIAL;
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title).append("\n\n");
        sb.append("- protocol: ").append(e.protocol().cliName());
        if (pq) {
            sb.append(" (").append(e.folds()).append(" folds, mean ± std over test folds)");
        }
        sb.append("\n- split: ").append(e.split().describe()).append('\n');
        sb.append("- data: ").append(e.dataset()).append("\n\n");
        sb.append("| model | parameters | ROC AUC | average precision | Card Precision@100 | book AUC | book AP | book CP@100 |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (ModelResult r : e.models()) {
            sb.append("| ").append(r.name()).append(" | ").append(r.params().describe()).append(" | ")
                    .append(fig(r.aucRoc(), pq)).append(" | ").append(fig(r.ap(), pq)).append(" | ")
                    .append(fig(r.cp100(), pq)).append(" | ");
            if (r.book() != null) {
                sb.append(String.format(Locale.ROOT, "%.3f | %.3f | %.3f |", r.book().aucRoc(),
                        r.book().averagePrecision(), r.book().cardPrecisionAt100()));
            } else {
                sb.append("- | - | - |");
            }
            sb.append('\n');
        }
        sb.append("\n## Thresholds (first test fold)\n\n");
        sb.append("| model | precision @0.5 | recall @0.5 | F1 @0.5 | cheapest threshold | its cost |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (ModelResult r : e.models()) {
            var m = r.first();
            sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.4f | %,.0f |%n", r.name(),
                    m.atHalf().precision(), m.atHalf().recall(), m.atHalf().f1(), m.cheapest().threshold(),
                    m.cheapest().cost()));
        }
        sb.append("\nThe cheapest threshold minimises missed fraud amounts plus ")
                .append(String.format(Locale.ROOT, "%.2f", e.models().getFirst().first().cheapest().reviewCost()))
                .append(" per flagged transaction (an analyst's review).\n");
        if (pq) {
            sb.append("\n## Model selection\n\n");
            for (ModelResult r : e.models()) {
                sb.append("- ").append(r.name()).append(": ").append(r.params().describe()).append(", ")
                        .append(r.selection()).append('\n');
            }
        }
        sb.append("\nCharts (ROC, precision-recall, score distributions) are in ").append(HTML).append(".\n");
        return sb.toString();
    }

    static String html(Evaluation e, String title) {
        String md = markdown(e, title);
        StringBuilder sb = new StringBuilder();
        sb.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1200px;color:#222}")
                .append("table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:4px 8px;")
                .append("text-align:right}td:first-child,th:first-child,td:nth-child(2){text-align:left}")
                .append(".charts{display:flex;flex-wrap:wrap;gap:1rem}</style></head><body>\n");
        sb.append(MARKDOWN_TO_HTML.render(MARKDOWN_PARSER.parse(md.substring(0, md.indexOf("\nCharts (")))));
        sb.append("<h2>Curves (first test fold)</h2>\n<div class=\"charts\">")
                .append(Charts.roc(e.models())).append(Charts.precisionRecall(e.models())).append("</div>\n");
        sb.append("<h2>Score distribution per class</h2>\n<div class=\"charts\">");
        for (ModelResult r : e.models()) {
            sb.append(Charts.scoreDistribution(r));
        }
        sb.append("</div>\n</body></html>\n");
        return sb.toString();
    }

    private static String fig(double[] v, boolean withStd) {
        double mean = ModelResult.mean(v);
        return withStd ? String.format(Locale.ROOT, "%.3f ± %.3f", mean, ModelResult.std(v))
                : String.format(Locale.ROOT, "%.3f", mean);
    }

    private static String book(ModelResult r) {
        return r.book() == null ? "-" : String.format(Locale.ROOT, "%.3f / %.3f / %.3f", r.book().aucRoc(),
                r.book().averagePrecision(), r.book().cardPrecisionAt100());
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
