package io.riskloop.model.report;

import io.riskloop.core.metrics.Metrics;
import io.riskloop.model.evaluate.ModelResult;
import io.riskloop.core.drift.DriftResult;
import io.riskloop.core.drift.Histogram;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Color;
import java.awt.Rectangle;
import java.util.List;

/** The report's charts, drawn by JFreeChart into inline SVG so the HTML page needs no other file. */
final class Charts {

    private static final int WIDTH = 560;
    private static final int HEIGHT = 400;
    private static final int MAX_POINTS = 600;

    private Charts() {
    }

    static String roc(List<ModelResult> models) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (ModelResult m : models) {
            data.addSeries(series(m.name(), Metrics.rocCurve(m.scores(), labels(m)), true));
        }
        XYSeries chance = new XYSeries("chance");
        chance.add(0, 0);
        chance.add(1, 1);
        data.addSeries(chance);
        JFreeChart chart = ChartFactory.createXYLineChart("ROC curve", "false-positive rate", "true-positive rate",
                data, PlotOrientation.VERTICAL, true, false, false);
        return svg(chart);
    }

    static String precisionRecall(List<ModelResult> models) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (ModelResult m : models) {
            data.addSeries(series(m.name(), Metrics.precisionRecallCurve(m.scores(), labels(m)), false));
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Precision-recall curve", "recall", "precision", data,
                PlotOrientation.VERTICAL, true, false, false);
        return svg(chart);
    }

    static String scoreDistribution(ModelResult m) {
        boolean[] fraud = labels(m);
        int frauds = 0;
        for (boolean f : fraud) {
            frauds += f ? 1 : 0;
        }
        double[] fraudScores = new double[frauds];
        double[] genuineScores = new double[fraud.length - frauds];
        int a = 0;
        int b = 0;
        for (int i = 0; i < fraud.length; i++) {
            if (fraud[i]) {
                fraudScores[a++] = m.scores()[i];
            } else {
                genuineScores[b++] = m.scores()[i];
            }
        }
        HistogramDataset data = new HistogramDataset();
        data.setType(HistogramType.RELATIVE_FREQUENCY);
        if (genuineScores.length > 0) {
            data.addSeries("genuine", genuineScores, 50, 0.0, 1.0);
        }
        if (fraudScores.length > 0) {
            data.addSeries("fraud", fraudScores, 50, 0.0, 1.0);
        }
        JFreeChart chart = ChartFactory.createHistogram("Scores by class: " + m.name(), "score",
                "share of the class", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYBarRenderer r = (XYBarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, new Color(70, 130, 180, 160));
        r.setSeriesPaint(1, new Color(200, 50, 50, 160));
        return svg(chart);
    }

    /** A column's reference and live shares side by side over the drift test's bins. */
    static String driftHistogram(DriftResult r) {
        Histogram h = r.histogram();
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int i = 0; i < h.bins().size(); i++) {
            data.addValue(h.reference().get(i), "reference", h.bins().get(i));
            data.addValue(h.live().get(i), "live", h.bins().get(i));
        }
        JFreeChart chart = ChartFactory.createBarChart(r.name() + (r.drifted() ? " (drifted)" : ""),
                r.kind().counted() ? "value" : "bin (reference deciles)", "share", data, PlotOrientation.VERTICAL,
                true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        BarRenderer bars = (BarRenderer) plot.getRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setItemMargin(0.02);
        bars.setSeriesPaint(0, new Color(120, 120, 120, 200));
        bars.setSeriesPaint(1, r.drifted() ? PALETTE[1] : PALETTE[0]);
        return svg(chart);
    }

    private static XYSeries series(String name, double[][] xy, boolean autoSort) {
        XYSeries s = new XYSeries(name, autoSort, true);
        int n = xy[0].length;
        int step = Math.max(1, n / MAX_POINTS);
        for (int i = 0; i < n; i += step) {
            s.add(xy[0][i], xy[1][i]);
        }
        if (n > 0 && (n - 1) % step != 0) {
            s.add(xy[0][n - 1], xy[1][n - 1]);
        }
        return s;
    }

    private static boolean[] labels(ModelResult m) {
        boolean[] f = new boolean[m.test().rows()];
        for (int i = 0; i < f.length; i++) {
            f[i] = m.test().fraud(i);
        }
        return f;
    }

    /** A palette readable on white (Okabe-Ito), the chance line last in grey. */
    private static final Color[] PALETTE = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
        new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233), new Color(120, 120, 120)};

    private static String svg(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        if (chart.getPlot() instanceof XYPlot plot) {
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(new Color(220, 220, 220));
            plot.setRangeGridlinePaint(new Color(220, 220, 220));
            if (!(plot.getRenderer() instanceof XYBarRenderer)) {
                int n = plot.getDataset().getSeriesCount();
                for (int i = 0; i < n; i++) {
                    boolean chance = "chance".equals(plot.getDataset().getSeriesKey(i));
                    plot.getRenderer().setSeriesPaint(i, chance ? PALETTE[PALETTE.length - 1] : PALETTE[i % (PALETTE.length - 1)]);
                    plot.getRenderer().setSeriesStroke(i, new java.awt.BasicStroke(chance ? 1f : 2f));
                }
            }
        }
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
        return g.getSVGElement();
    }
}
