package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.ndarray.NDArray;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filter-grid PNG: a readable PNG of the expected size, each tile normalised on its own. */
class FilterGridTest {

    @TempDir
    Path dir;

    @Test
    void writesAValidPngOfTheExpectedSize() throws IOException {
        NDArray w = new dev.nabla.nn.Conv2d(1, 6, 5, new Random(0)).weight().data(); // LeNet's first layer
        Path png = dir.resolve("sub/filters.png");
        FilterGrid.write(w, png, 4, 1);
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, Arrays.copyOf(bytes, 8));
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "ImageIO could not decode the file");
        // 6 filters: 3 columns x 2 rows of 20x20 tiles with 1-pixel gaps
        assertEquals(3 * 20 + 4, img.getWidth());
        assertEquals(2 * 20 + 3, img.getHeight());
        try (var files = Files.list(png.getParent())) {
            assertEquals(1, files.count(), "the temporary file was left behind");
        }
    }

    @Test
    void eachTileSpansBlackToWhiteAtItsFiltersExtremes() {
        // filter 0: 0..3 ascending; filter 1: tiny values with their max at (0, 0); filter 2: constant
        NDArray w = NDArray.of(new double[] {
            0, 1, 2, 3,
            0.002, -0.001, 0.0, 0.001,
            5, 5, 5, 5}, 3, 1, 2, 2);
        BufferedImage img = FilterGrid.render(w, 2, 1);
        assertEquals(2 * 4 + 3, img.getWidth());
        assertEquals(2 * 4 + 3, img.getHeight());
        var r = img.getRaster();
        // tile 0 at (1,1): tap (0,0) black, tap (1,1) white, tap (0,1) = 255/3 rounded
        assertEquals(0, r.getSample(1, 1, 0));
        assertEquals(0, r.getSample(2, 2, 0));
        assertEquals(85, r.getSample(3, 1, 0));
        assertEquals(255, r.getSample(3, 3, 0));
        // tile 1 at (6,1): max at tap (0,0) is white, min at tap (0,1) black
        assertEquals(255, r.getSample(6, 1, 0));
        assertEquals(0, r.getSample(8, 1, 0));
        // tile 2 (second row, first column) at (1,6): constant filter is mid-grey; gaps are background
        assertEquals(FilterGrid.BACKGROUND, r.getSample(1, 6, 0));
        assertEquals(FilterGrid.BACKGROUND, r.getSample(0, 0, 0));
        assertEquals(FilterGrid.BACKGROUND, r.getSample(5, 2, 0));
    }

    @Test
    void multiChannelFiltersShowTheChannelMean() {
        // one filter, two channels whose mean is 0, 1, 2, 3
        NDArray w = NDArray.of(new double[] {0, 2, 4, 6, 0, 0, 0, 0}, 1, 2, 2, 2);
        BufferedImage img = FilterGrid.render(w, 1, 0);
        assertEquals(2, img.getWidth());
        assertEquals(0, img.getRaster().getSample(0, 0, 0));
        assertEquals(170, img.getRaster().getSample(0, 1, 0));
    }

    @Test
    void rejectsWhatIsNotAConvolutionWeight() {
        assertThrows(IllegalArgumentException.class, () -> FilterGrid.render(NDArray.zeros(6, 25), 4, 1));
        assertThrows(IllegalArgumentException.class, () -> FilterGrid.render(NDArray.zeros(6, 1, 5, 5), 0, 1));
    }
}
