package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plots people can read: tick labels with the digits the range needs, and a titled filter grid with visible gaps. */
class PlotsTest {

    @Test
    void theTickPatternHasTheDigitsTheRangeNeeds() {
        assertEquals("0.0", Plots.decimalPattern(0, 1));          // ticks 0.2 apart
        assertEquals("0.00", Plots.decimalPattern(0.9, 0.98));    // XChart's nice ticks 0.02 apart: 0.90, 0.92, ...
        assertEquals("0", Plots.decimalPattern(100, 5000));
        assertEquals("0.0000", Plots.decimalPattern(0.0012, 0.0019));
        assertEquals("0.0", Plots.decimalPattern(0.5, 0.5));       // constant: by magnitude
        assertEquals("0.0", Plots.decimalPattern(Double.NaN, Double.NaN));
        // the labels of ticks a fifth of the range apart are all different
        double lo = 0.9412;
        double hi = 0.9876;
        DecimalFormat f = new DecimalFormat(Plots.decimalPattern(lo, hi));
        java.util.Set<String> labels = new java.util.HashSet<>();
        for (int k = 0; k <= 5; k++) {
            labels.add(f.format(lo + k * (hi - lo) / 5));
        }
        assertEquals(6, labels.size(), labels.toString());
        assertEquals("0.##", Plots.logPattern(0.5));
        assertEquals("0.####", Plots.logPattern(0.002));
        assertEquals("0", Plots.logPattern(20));
    }

    @Test
    void lineChartsAreWrittenAsPngs(@TempDir Path tmp) throws IOException {
        double[] x = {1, 2, 3, 4, 5};
        Path png = tmp.resolve("loss.png");
        Plots.lines(png, "test: loss", "epoch", "loss", List.of(new Plots.Series("train", x, new double[] {0.9, 0.5, 0.3, 0.2, 0.15}),
                new Plots.Series("validation", x, new double[] {0.95, 0.6, 0.4, 0.35, 0.34})), true);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(800, img.getWidth());
        assertEquals(500, img.getHeight());
    }

    @Test
    void theTitledFilterGridSeparatesTilesWithColouredGaps() {
        NDArray w = new dev.nabla.nn.Conv2d(1, 6, 5, new Random(0)).weight().data();
        BufferedImage img = FilterGrid.titled(w, 4, 2, "lenet: first-layer filters");
        // 3 x 2 tiles of 20 px, gaps of 2 px, a 24 px title band
        assertEquals(3 * 20 + 4 * 2, Math.min(img.getWidth(), 3 * 20 + 4 * 2));
        assertEquals(FilterGrid.TITLE_HEIGHT + 2 * 20 + 3 * 2, img.getHeight());
        int x0 = (img.getWidth() - (3 * 20 + 4 * 2)) / 2;
        int gap = FilterGrid.GAP_COLOR.getRGB();
        assertEquals(gap, img.getRGB(x0, FilterGrid.TITLE_HEIGHT), "top-left corner of the grid is a gap");
        assertEquals(gap, img.getRGB(x0 + 2 + 20, FilterGrid.TITLE_HEIGHT + 10), "between the first two tiles");
        int tile = img.getRGB(x0 + 2 + 10, FilterGrid.TITLE_HEIGHT + 2 + 10);
        int r = (tile >> 16) & 0xff;
        assertEquals(r, (tile >> 8) & 0xff, "tiles stay grey");
        assertEquals(r, tile & 0xff, "tiles stay grey");
        boolean ink = false;
        for (int y = 0; y < FilterGrid.TITLE_HEIGHT && !ink; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                ink |= (img.getRGB(x, y) & 0xffffff) != 0xffffff;
            }
        }
        assertTrue(ink, "the title is drawn");
    }
}
