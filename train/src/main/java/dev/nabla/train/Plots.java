package dev.nabla.train;

import dev.nabla.ndarray.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts for training runs and studies, drawn with XChart off screen (headless) and written
 * atomically: line charts of a metric per epoch, scatter plots and decision regions, grids of
 * histograms and grids of small line charts. (Learned convolution filters are drawn by
 * {@link FilterGrid}.)
 * Stateless: each call draws its own chart and writes it atomically, so calls may run on several
 * threads.
 */
public final class Plots {
    private Plots() {}

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * One named curve or point set.
     * Effectively immutable once returned (final fields; treat its arrays as read-only), so safe to
     * share after publication.
     */
    public static final class Series {
        final String name;
        final double[] x;
        final double[] y;

        /** A series of points {@code (x[i], y[i])}. */
        public Series(String name, double[] x, double[] y) {
            if (x.length != y.length) {
                throw new IllegalArgumentException("Series " + name + ": " + x.length + " x values but " + y.length + " y values");
            }
            this.name = name;
            this.x = x;
            this.y = y;
        }
    }

    /** A line chart of the given series (markers at each point), optionally with a logarithmic y axis. */
    public static void lines(Path png, String title, String xLabel, String yLabel, List<Series> series, boolean logY)
            throws IOException {
        lines(png, title, xLabel, yLabel, series, logY, Styler.LegendPosition.InsideNE);
    }

    /** {@link #lines(Path, String, String, String, List, boolean)} with the legend at {@code legend}. */
    public static void lines(Path png, String title, String xLabel, String yLabel, List<Series> series, boolean logY,
                             Styler.LegendPosition legend) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(legend);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("0.##"); // no grouping: years read 1949, not 1,949
        boolean any = false;
        for (Series s : series) {
            double[][] xy = finite(s.x, s.y, logY);
            if (xy[0].length == 0) {
                continue;
            }
            XYSeries xs = chart.addSeries(s.name, xy[0], xy[1]);
            xs.setMarker(xy[0].length > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            any = true;
        }
        if (!any) {
            chart.addSeries("(no data)", new double[] {0}, new double[] {logY ? 1 : 0});
        }
        AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    /** A scatter chart, one colour per series. */
    public static void scatter(Path png, String title, String xLabel, String yLabel, List<Series> series) throws IOException {
        XYChart chart = new XYChartBuilder().width(700).height(700).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (Series s : series) {
            chart.addSeries(s.name, s.x, s.y);
        }
        AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    /**
     * Decision regions: the first {@code regions} series are dense grids of points drawn as small
     * pale squares (one colour per class), the rest are data points drawn on top in the matching
     * strong colours.
     */
    public static void regions(Path png, String title, List<Series> series, int regions) throws IOException {
        XYChart chart = new XYChartBuilder().width(700).height(700).title(title).xAxisTitle("x1").yAxisTitle("x2").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        java.awt.Color[] strong = {new java.awt.Color(200, 30, 30), new java.awt.Color(30, 120, 30),
            new java.awt.Color(30, 30, 200), new java.awt.Color(200, 140, 0), new java.awt.Color(130, 0, 160)};
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            if (s.x.length == 0) {
                continue;
            }
            XYSeries xs = chart.addSeries(s.name, s.x, s.y);
            java.awt.Color c = strong[(i < regions ? i : i - regions) % strong.length];
            if (i < regions) {
                xs.setMarker(SeriesMarkers.SQUARE);
                xs.setMarkerColor(new java.awt.Color(c.getRed(), c.getGreen(), c.getBlue(), 45));
            } else {
                xs.setMarker(SeriesMarkers.CIRCLE);
                xs.setMarkerColor(c);
            }
        }
        AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    /**
     * A grid of histograms, one per named sample ({@code titles[i]} over {@code samples[i]}), each
     * with {@code bins} bins over {@code [lo[i], hi[i]]} (values outside are left out, as NumPy's
     * {@code hist(range=...)} does), {@code cols} charts per row.
     */
    public static void histograms(Path png, String[] titles, double[][] samples, int bins, double[] lo, double[] hi, int cols)
            throws IOException {
        List<CategoryChart> charts = new ArrayList<>();
        for (int i = 0; i < samples.length; i++) {
            List<Double> values = new ArrayList<>(samples[i].length);
            for (double v : samples[i]) {
                if (v >= lo[i] && v <= hi[i]) {
                    values.add(v);
                }
            }
            Histogram h = new Histogram(values, bins, lo[i], hi[i]);
            CategoryChart c = new CategoryChartBuilder().width(300).height(240).title(titles[i]).build();
            c.getStyler().setLegendVisible(false);
            c.getStyler().setAvailableSpaceFill(0.99);
            c.getStyler().setOverlapped(true);
            c.getStyler().setXAxisDecimalPattern("0.###");
            c.getStyler().setXAxisMaxLabelCount(4);
            c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
            c.getStyler().setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 11));
            c.addSeries(titles[i], h.getxAxisData(), h.getyAxisData());
            charts.add(c);
        }
        int rows = (charts.size() + cols - 1) / cols;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(charts, rows, cols, out, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, out.toByteArray());
    }

    /** A grid of small line charts ({@code titles[i]} over {@code panels.get(i)}), {@code cols} per row. */
    public static void lineGrid(Path png, String[] titles, List<List<Series>> panels, String xLabel, String yLabel, int cols)
            throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (int i = 0; i < panels.size(); i++) {
            XYChart c = new XYChartBuilder().width(400).height(300).title(titles[i]).xAxisTitle(xLabel).yAxisTitle(yLabel)
                    .build();
            c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
            c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
            c.getStyler().setMarkerSize(4);
            for (Series s : panels.get(i)) {
                double[][] xy = finite(s.x, s.y, false);
                if (xy[0].length > 0) {
                    c.addSeries(s.name, xy[0], xy[1]);
                }
            }
            charts.add(c);
        }
        int rows = (charts.size() + cols - 1) / cols;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(charts, rows, cols, out, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, out.toByteArray());
    }

    private static double[][] finite(double[] x, double[] y, boolean positive) {
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!positive || y[i] > 0)) {
                n++;
            }
        }
        double[][] out = new double[2][n];
        int k = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!positive || y[i] > 0)) {
                out[0][k] = x[i];
                out[1][k++] = y[i];
            }
        }
        return out;
    }
}
