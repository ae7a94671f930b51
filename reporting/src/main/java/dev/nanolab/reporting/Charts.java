package dev.nanolab.reporting;

import dev.nanolab.api.probe.Histogram;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts with XChart, rendered headless. */
public final class Charts {
    static {
        // XChart draws with AWT; no display is needed or wanted.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /** A distinct colour per index (Tableau 10, then darker shades). */
    public static Color color(int i) {
        int[] rgb = {0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F, 0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC};
        Color c = new Color(rgb[i % rgb.length]);
        for (int k = 0; k < i / rgb.length; k++) c = c.darker();
        return c;
    }

    /** One line of an XY chart; {@code markers} draws each point (evaluations, which are few and far apart). */
    public record Line(String name, double[] x, double[] y, Color color, boolean dashed, boolean legend, boolean markers) {
        public Line(String name, double[] x, double[] y, Color color, boolean dashed, boolean legend) {
            this(name, x, y, color, dashed, legend, false);
        }

        public Line(String name, double[][] xy) {
            this(name, xy[0], xy[1], null, false, true, false);
        }

        /** The same line with a point marker at every value. */
        public Line withMarkers() {
            return new Line(name, x, y, color, dashed, legend, true);
        }
    }

    /** Series beyond which one chart stops being readable: {@link #topK} keeps this many. */
    public static final int MAX_SERIES = 8;

    /**
     * The {@code k} lines whose last value is largest in magnitude (the outliers a reader looks for), in their original
     * order, and how many there were: a chart of 27 layers becomes a chart of the 8 that matter, titled as such.
     */
    public static List<Line> topK(List<Line> lines, int k) {
        if (lines.size() <= k) return lines;
        List<Line> sorted = new ArrayList<>(lines);
        sorted.sort(java.util.Comparator.comparingDouble((Line l) -> l.y().length == 0 ? 0 : -Math.abs(l.y()[l.y().length - 1])));
        java.util.Set<Line> keep = new java.util.HashSet<>(sorted.subList(0, k));
        return lines.stream().filter(keep::contains).toList();
    }

    /**
     * An exponential moving average with TensorBoard's debiasing: s_t = a·s_{t−1} + (1 − a)·y_t, reported as
     * s_t / (1 − a^t), so the curve starts at the first value instead of near zero.
     */
    public static double[] ema(double[] y, double a) {
        double[] out = new double[y.length];
        double s = 0;
        int n = 0;
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) {
                out[i] = Double.NaN;
                continue;
            }
            s = a * s + (1 - a) * y[i];
            n++;
            out[i] = s / (1 - Math.pow(a, n));
        }
        return out;
    }

    /** Tick labels for values of this size: scientific below 0.01 (learning rates), else a few significant decimals. */
    static String decimalPattern(double maxAbs) {
        if (maxAbs > 0 && maxAbs < 1e-2) return "0.0##E0";
        if (maxAbs >= 1e5) return "#,##0";
        return "#,##0.####";
    }

    private Charts() {}

    /**
     * Writes an XY line chart; points with a non-finite coordinate are dropped, and lines left empty are skipped.
     *
     * @return whether a chart was written (false when no line had a point)
     */
    public static boolean lines(Path png, String title, String xTitle, String yTitle, List<Line> lines) {
        List<Line> kept = new ArrayList<>();
        for (Line l : lines) {
            List<double[]> pts = new ArrayList<>();
            for (int i = 0; i < Math.min(l.x().length, l.y().length); i++)
                if (Double.isFinite(l.x()[i]) && Double.isFinite(l.y()[i])) pts.add(new double[] {l.x()[i], l.y()[i]});
            if (pts.isEmpty()) continue;
            double[][] c = RunMetrics.columns(pts);
            kept.add(new Line(l.name(), c[0], c[1], l.color(), l.dashed(), l.legend(), l.markers()));
        }
        if (kept.isEmpty()) return false;
        int total = kept.size();
        kept = new ArrayList<>(topK(kept, MAX_SERIES));
        if (kept.size() < total) title = title + " (the " + kept.size() + " of " + total + " largest at the end)";
        // XChart's tick spacing breaks down on tiny ranges (a tick at every learning-rate value): plot such series
        // scaled to units of 10^-k and say so in the axis title.
        double maxAbs = kept.stream().flatMapToDouble(l -> java.util.Arrays.stream(l.y())).map(Math::abs).max().orElse(1);
        if (maxAbs > 0 && maxAbs < 1e-2) {
            int k = (int) Math.ceil(-Math.log10(maxAbs));
            double scale = Math.pow(10, k);
            List<Line> scaled = new ArrayList<>();
            for (Line l : kept) scaled.add(new Line(l.name(), l.x(), java.util.Arrays.stream(l.y()).map(v -> v * scale).toArray(),
                    l.color(), l.dashed(), l.legend(), l.markers()));
            kept = scaled;
            yTitle = yTitle + " (×1e-" + k + ")";
            maxAbs *= scale;
        }
        long legendEntries = kept.stream().filter(Line::legend).count();
        XYChart chart = new XYChartBuilder().width(860).height((int) Math.max(420, 60 + 18 * legendEntries))
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setLegendVisible(legendEntries > 0);
        chart.getStyler().setYAxisDecimalPattern(decimalPattern(maxAbs));
        double maxX = kept.stream().flatMapToDouble(l -> java.util.Arrays.stream(l.x())).map(Math::abs).max().orElse(1);
        chart.getStyler().setXAxisDecimalPattern(maxX >= 100 ? "#,##0" : "#,##0.##");
        // A tick every ~70 px: XChart's default packs 30 labels onto a learning-rate axis.
        chart.getStyler().setYAxisTickMarkSpacingHint(70);
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        Map<String, Integer> names = new LinkedHashMap<>();
        int i = 0;
        for (Line l : kept) {
            String name = l.name();
            int dup = names.merge(name, 1, Integer::sum);
            if (dup > 1) name = name + " (" + dup + ")";
            XYSeries s = chart.addSeries(name, l.x(), l.y());
            s.setMarker(l.markers() || l.x().length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            s.setLineColor(l.color() != null ? l.color() : color(i));
            s.setMarkerColor(l.color() != null ? l.color() : color(i));
            s.setLineStyle(l.dashed() ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(1.5f));
            s.setShowInLegend(l.legend());
            i++;
        }
        write(png, chart);
        return true;
    }

    /** Histograms drawn as steps over their bin edges, one line each (counts normalised to fractions when asked). */
    public static boolean histograms(Path png, String title, String xTitle, Map<String, Histogram> hists, boolean fractions) {
        List<Line> lines = new ArrayList<>();
        for (var e : hists.entrySet()) {
            Histogram h = e.getValue();
            double[] edges = h.edges();
            long[] counts = h.counts();
            double total = Math.max(1, h.total());
            // A step line: for each bin its left and right edge at the bin's height.
            double[] x = new double[2 * counts.length], y = new double[2 * counts.length];
            for (int b = 0; b < counts.length; b++) {
                x[2 * b] = edges[b];
                x[2 * b + 1] = edges[b + 1];
                y[2 * b] = y[2 * b + 1] = fractions ? counts[b] / total : counts[b];
            }
            lines.add(new Line(e.getKey(), x, y, null, false, true, false));
        }
        return lines(png, title, xTitle, fractions ? "fraction of values" : "count", lines);
    }

    /** A grouped bar chart: categories on x, one bar series per group. */
    public static boolean bars(Path png, String title, String yTitle, List<String> categories, Map<String, double[]> groups) {
        if (categories.isEmpty() || groups.isEmpty()) return false;
        CategoryChart chart = new CategoryChartBuilder().width(860).height(460).title(title).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        int chars = categories.stream().mapToInt(String::length).sum();
        chart.getStyler().setXAxisLabelRotation(categories.size() > 6 || chars > 60 ? 45 : 0);
        chart.getStyler().setOverlapped(false);
        int i = 0;
        for (var g : groups.entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (double v : g.getValue()) ys.add(Double.isFinite(v) ? v : 0.0);
            chart.addSeries(g.getKey(), categories, ys).setFillColor(color(i++));
        }
        write(png, chart);
        return true;
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.WHITE);
        s.setAntiAlias(true);
        s.setChartTitleBoxVisible(false);
        s.setPlotBorderVisible(false);
    }

    private static void write(Path png, org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(png)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }
}
