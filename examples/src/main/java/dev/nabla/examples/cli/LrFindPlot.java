package dev.nabla.examples.cli;

import dev.nabla.ndarray.io.AtomicFiles;
import dev.nabla.optim.LrRangeFinder;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG of {@code nabla lr-find}: the smoothed loss against the learning rate on a logarithmic x
 * axis (cut at 1.5 times the starting loss, so that the divergence does not squash the curve), with the
 * suggested rate as a vertical line. (The training plots' {@code Plots} has no log x axis.)
 * Stateless: each call draws its own chart and writes it atomically.
 */
final class LrFindPlot {
    private LrFindPlot() {}

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Draws {@code points} (finite losses only) and a vertical line at {@code suggested} into {@code png}. */
    static void write(Path png, String model, List<LrRangeFinder.Point> points, double suggested) throws IOException {
        int n = 0;
        for (LrRangeFinder.Point p : points) {
            n += Double.isFinite(p.loss()) ? 1 : 0;
        }
        double[] x = new double[Math.max(n, 1)];
        double[] y = new double[Math.max(n, 1)];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int k = 0;
        for (LrRangeFinder.Point p : points) {
            if (Double.isFinite(p.loss())) {
                x[k] = p.lr();
                y[k++] = p.loss();
                lo = Math.min(lo, p.loss());
                hi = Math.max(hi, p.loss());
            }
        }
        if (n == 0) {
            x[0] = points.get(0).lr(); // every loss diverged: an empty chart with the axis in place
        }
        XYChart chart = new XYChartBuilder().width(800).height(500).title("learning-rate range test: " + model)
                .xAxisTitle("learning rate (log scale)").yAxisTitle("training loss (smoothed)").build();
        XYStyler st = chart.getStyler();
        st.setXAxisLogarithmic(true);
        st.setChartBackgroundColor(Color.WHITE);
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setXAxisDecimalPattern("0.#E0");
        if (n > 1 && hi > 1.5 * y[0] && 1.5 * y[0] > lo) {
            // the diverging tail would squash the curve: cut the axis at 1.5 times the starting loss
            hi = 1.5 * y[0];
            st.setYAxisMax(hi);
            st.setYAxisMin(lo - 0.05 * (hi - lo));
        }
        XYSeries loss = chart.addSeries("smoothed loss", x, y);
        loss.setMarker(SeriesMarkers.NONE);
        if (n > 0) { // the suggestion as a vertical line across the curve's range
            XYSeries s = chart.addSeries("suggested lr " + LrFindCommand.fmt(suggested), new double[] {suggested, suggested},
                    new double[] {lo, hi});
            s.setMarker(SeriesMarkers.NONE);
            s.setMarkerColor(Color.RED);
            s.setLineColor(Color.RED);
        }
        AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
