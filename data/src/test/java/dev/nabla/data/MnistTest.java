package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The IDX reader on the shipped MNIST files: each split is parsed once for the whole class. */
class MnistTest {
    private static ArrayDataset train;
    private static ArrayDataset test;

    @BeforeAll
    static void load() {
        train = Mnist.load(Split.TRAIN);
        test = Mnist.load(Split.TEST);
    }

    @Test
    void sizesAndShapes() {
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertArrayEquals(new int[] {784}, train.sampleShape());
        assertArrayEquals(new int[] {60_000, 784}, train.features().shape());
        assertArrayEquals(new int[] {10_000, 784}, test.features().shape());
        assertEquals(10, train.numClasses());
        assertEquals("7", train.classNames().get(7));
    }

    @Test
    void firstLabelsAreTheWellKnownOnes() {
        assertEquals(5, train.labels()[0]);
        assertEquals(7, test.labels()[0]);
        assertEquals(5, train.get(0).label());
        // the first training digits are 5 0 4 1 9 2 1 3 1 4, the first test digits 7 2 1 0 4 1 4 9 5 9
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, java.util.Arrays.copyOf(train.labels(), 10));
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, java.util.Arrays.copyOf(test.labels(), 10));
    }

    @Test
    void classCountsMatchThePublishedDistribution() {
        int[] trainCounts = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
        int[] testCounts = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};
        assertArrayEquals(trainCounts, counts(train.labels()));
        assertArrayEquals(testCounts, counts(test.labels()));
    }

    @Test
    void pixelsAreScaledToUnitIntervalWithTheKnownStatistics() {
        NDArray x = train.features();
        int n = x.size();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double v = x.getFlat(i);
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sumSq += v * v;
            if (i < 784 * 50) {
                // every value is k/255 for an integer k
                assertEquals(Math.rint(v * 255), v * 255, 1e-9);
            }
        }
        assertEquals(0.0, min);
        assertEquals(1.0, max);
        // the normalization constants everyone uses: mean 0.1307, std 0.3081 over the training pixels
        double mean = sum / n;
        assertEquals(0.1307, mean, 5e-5);
        assertEquals(0.3081, Math.sqrt(sumSq / n - mean * mean), 5e-5);
        NDArray t = test.features();
        double testSum = 0;
        for (int i = 0; i < t.size(); i++) {
            testSum += t.getFlat(i);
        }
        assertEquals(0.1325, testSum / t.size(), 5e-5);
    }

    @Test
    void reshapeGivesImagesWithoutChangingPixels() {
        ArrayDataset images = test.reshape(1, 28, 28);
        assertArrayEquals(new int[] {1, 28, 28}, images.get(0).x().shape());
        assertEquals(test.features().get(3, 28 * 14 + 10), images.features().get(3, 0, 14, 10));
    }

    private static int[] counts(int[] labels) {
        int[] c = new int[10];
        for (int l : labels) {
            c[l]++;
        }
        return c;
    }
}
