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

    /**
     * A line chart of the given series (markers at each point), optionally with a logarithmic y axis,
     * the legend outside the plot area (right of it), so that it never hides a curve.
     */
    public static void lines(Path png, String title, String xLabel, String yLabel, List<Series> series, boolean logY)
            throws IOException {
        lines(png, title, xLabel, yLabel, series, logY, Styler.LegendPosition.OutsideE);
    }

    /**
     * The tick-label pattern for a linear axis over {@code [min, max]}: as many decimals as a tick
     * step of about a fifth of the range needs (ticks 0.90, 0.92, ... not 0.9, 0.92; 1200, 1400 not
     * 1,200.00), between 0 and 8; a constant or empty range is judged by its magnitude.
     */
    public static String decimalPattern(double min, double max) {
        double span = max - min;
        if (!(span > 0) || Double.isInfinite(span)) {
            span = Math.abs(max) > 0 && Double.isFinite(max) ? Math.abs(max) : 1;
        }
        int decimals = (int) Math.ceil(-Math.log10(span / 5) - 1e-9);
        decimals = Math.max(0, Math.min(8, decimals));
        return decimals == 0 ? "0" : "0." + "0".repeat(decimals);
    }

    /**
     * The tick-label pattern for a logarithmic axis whose smallest value is {@code min}: enough
     * optional decimals for the labels between decades of the smallest one (0.002, 0.005, 0.01, ... 1, 2).
     */
    public static String logPattern(double min) {
        int decimals = min > 0 && Double.isFinite(min) ? (int) Math.ceil(-Math.log10(min) + 1e-9) : 0;
        decimals = Math.max(0, Math.min(10, decimals + 1));
        return decimals == 0 ? "0" : "0." + "#".repeat(decimals);
    }

    /** The finite (and, for a log axis, positive) range of the y values of {@code series}: {min, max}, NaN when none. */
    private static double[] yRange(List<Series> series, boolean positive) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.y) {
                if (Double.isFinite(v) && (!positive || v > 0)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return lo <= hi ? new double[] {lo, hi} : new double[] {Double.NaN, Double.NaN};
    }

    private static void yTicks(org.knowm.xchart.style.AxesChartStyler st, List<Series> series, boolean logY) {
        double[] r = yRange(series, logY);
        if (Double.isNaN(r[0])) {
            return;
        }
        if (logY) {
            // labels between decades (0.2, 0.3, ... 0.9) when the data spans less than two decades, where
            // decade labels alone would leave one label or none; wider spans get a label per decade, since
            // nine labels per decade overlap (XChart's log axis takes no formatting function)
            st.setYAxisLogarithmicDecadeOnly(Math.log10(r[1] / r[0]) >= 2);
            st.setYAxisDecimalPattern(logPattern(r[0]));
        } else {
            st.setYAxisDecimalPattern(decimalPattern(r[0], r[1]));
        }
    }

    /** {@link #lines(Path, String, String, String, List, boolean)} with the legend at {@code legend}. */
    public static void lines(Path png, String title, String xLabel, String yLabel, List<Series> series, boolean logY,
                             Styler.LegendPosition legend) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(legend);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("0.##"); // no grouping: years read 1949, not 1,949
        yTicks(chart.getStyler(), series, logY);
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
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        yTicks(chart.getStyler(), series, false);
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
            c.getStyler().setYAxisDecimalPattern("0"); // counts
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
            c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
            c.getStyler().setMarkerSize(4);
            yTicks(c.getStyler(), panels.get(i), false);
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
