package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Shifts, crops, flips and noise: exact geometry, per-channel consistency and seeded reproducibility. */
class ImageAugmentTest {

    private static NDArray image(int c, int h, int w) {
        return NDArray.arange(c * h * w).add(1).reshape(c, h, w);
    }

    @Property(tries = 40)
    void shiftMovesEveryChannelByTheSameOffsetAndFillsZeros(@ForAll @IntRange(min = 0, max = 3) int maxShift,
                                                           @ForAll @IntRange(min = 0, max = 10_000) int seed) {
        NDArray x = image(2, 5, 6);
        NDArray y = ImageAugment.randomShift(maxShift).apply(x, new Random(seed));
        assertArrayEquals(x.shape(), y.shape());
        // find the offset from the first channel: the values are distinct, so it is unique
        int found = 0;
        for (int dy = -maxShift; dy <= maxShift; dy++) {
            for (int dx = -maxShift; dx <= maxShift; dx++) {
                if (isShift(x, y, dy, dx)) {
                    found++;
                }
            }
        }
        assertEquals(1, found);
        assertTrue(y.equals(ImageAugment.randomShift(maxShift).apply(x, new Random(seed))));
    }

    private static boolean isShift(NDArray x, NDArray y, int dy, int dx) {
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 6; j++) {
                    int si = i - dy;
                    int sj = j - dx;
                    double want = si >= 0 && si < 5 && sj >= 0 && sj < 6 ? x.get(c, si, sj) : 0;
                    if (y.get(c, i, j) != want) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Test
    void zeroPaddingCropIsIdentityAndCropSizesAreKept() {
        NDArray x = image(1, 4, 4).reshape(4, 4);
        assertTrue(x.equals(ImageAugment.randomCrop(0).apply(x, new Random(1))));
        NDArray c = ImageAugment.randomCrop(2, 3, 1).apply(x, new Random(2));
        assertArrayEquals(new int[] {2, 3}, c.shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageAugment.randomCrop(7, 2, 1).apply(x, new Random(0)));
        assertTrue(e.getMessage().contains("crop 7x2 is larger than the padded image 6x6"), e.getMessage());
    }

    @Test
    void horizontalFlip() {
        NDArray x = NDArray.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        NDArray f = ImageAugment.horizontalFlip(1.0).apply(x, new Random(0));
        assertArrayEquals(new double[] {3, 2, 1, 6, 5, 4}, f.toArray());
        assertTrue(x.equals(ImageAugment.horizontalFlip(1.0).apply(f, new Random(0))));
        assertTrue(x.equals(ImageAugment.horizontalFlip(0.0).apply(x, new Random(0))));
        int flipped = 0;
        Random rng = new Random(3);
        for (int i = 0; i < 2000; i++) {
            if (!ImageAugment.horizontalFlip(0.3).apply(x, rng).equals(x)) {
                flipped++;
            }
        }
        assertEquals(600, flipped, 70);
    }

    @Test
    void gaussianNoiseHasTheRequestedSpread() {
        NDArray x = NDArray.zeros(100, 100);
        NDArray y = ImageAugment.gaussianNoise(0.5).apply(x, new Random(11));
        assertEquals(0.0, y.mean().item(), 0.02);
        assertEquals(0.25, y.var(new int[] {0, 1}, false, 0).item(), 0.02);
        assertTrue(x.equals(NDArray.zeros(100, 100)));
    }

    @Test
    void flatRowsNeedReshapedAndComposeWithAndThen() {
        NDArray flat = NDArray.arange(16).add(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageAugment.horizontalFlip(1).apply(flat, new Random(0)));
        assertTrue(e.getMessage().contains("ImageAugment.reshaped"), e.getMessage());
        Augmentation flipTwice = ImageAugment.reshaped(new int[] {4, 4},
                ImageAugment.horizontalFlip(1).andThen(ImageAugment.horizontalFlip(1)));
        assertTrue(flat.equals(flipTwice.apply(flat, new Random(0))));
        NDArray once = ImageAugment.reshaped(new int[] {4, 4}, ImageAugment.horizontalFlip(1)).apply(flat, new Random(0));
        assertArrayEquals(new int[] {16}, once.shape());
        assertEquals(4.0, once.getFlat(0));
    }
}
