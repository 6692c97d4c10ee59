package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Train/validation splits and K-fold: sizes, partition, stratification, determinism, errors. */
class SplitsTest {

    /** Checks that the two parts are disjoint, sorted and together hold every position once. */
    static void assertPartition(int n, IndexSplit s) {
        int[] seen = new int[n];
        for (int[] part : new int[][] {s.train(), s.validation()}) {
            for (int i = 0; i < part.length; i++) {
                seen[part[i]]++;
                if (i > 0) {
                    assertTrue(part[i - 1] < part[i]);
                }
            }
        }
        for (int c : seen) {
            assertEquals(1, c);
        }
    }

    static int[] labels(int... classSizes) {
        int n = 0;
        for (int c : classSizes) {
            n += c;
        }
        int[] out = new int[n];
        int k = 0;
        // interleave classes so that positions do not give the class away
        int[] left = classSizes.clone();
        while (k < n) {
            for (int c = 0; c < left.length; c++) {
                if (left[c] > 0) {
                    out[k++] = c;
                    left[c]--;
                }
            }
        }
        return out;
    }

    @Test
    void trainValidationSizesAndDeterminism() {
        IndexSplit s = Splits.trainValidation(100, 0.2, 42);
        assertEquals(80, s.train().length);
        assertEquals(20, s.validation().length);
        assertPartition(100, s);
        assertEquals(s, Splits.trainValidation(100, 0.2, 42));
        assertNotEquals(s, Splits.trainValidation(100, 0.2, 43));
        assertEquals(3, Splits.trainValidation(10, 0.25, 1).validation().length); // round(2.5) = 3
    }

    @Test
    void stratifiedSplitKeepsClassProportions() {
        int[] y = labels(60, 30, 10);
        IndexSplit s = Splits.stratifiedTrainValidation(y, 0.2, 7);
        assertPartition(100, s);
        int[] val = new int[3];
        for (int i : s.validation()) {
            val[y[i]]++;
        }
        assertArrayEquals(new int[] {12, 6, 2}, val);
        assertEquals(s, Splits.stratifiedTrainValidation(y, 0.2, 7));
    }

    @Property(tries = 50)
    void stratifiedSplitIsWithinOnePerClassOfTheExactProportion(@ForAll @IntRange(min = 1, max = 40) int a,
                                                                @ForAll @IntRange(min = 1, max = 40) int b,
                                                                @ForAll @IntRange(min = 1, max = 40) int c,
                                                                @ForAll @IntRange(min = 1, max = 9) int tenths) {
        int[] y = labels(a, b, c);
        double f = tenths / 10.0;
        int n = y.length;
        long v = Math.round(n * f);
        if (v == 0 || v == n) {
            return;
        }
        IndexSplit s = Splits.stratifiedTrainValidation(y, f, a * 1000L + b);
        assertPartition(n, s);
        assertEquals(v, s.validation().length);
        int[] sizes = {a, b, c};
        int[] val = new int[3];
        for (int i : s.validation()) {
            val[y[i]]++;
        }
        for (int k = 0; k < 3; k++) {
            assertTrue(Math.abs(val[k] - sizes[k] * f) < 1.0 + 1e-9, "class " + k + ": " + val[k] + " vs " + sizes[k] * f);
        }
    }

    @Property(tries = 50)
    void kFoldValidatesEveryIndexExactlyOnce(@ForAll @IntRange(min = 2, max = 80) int n,
                                             @ForAll @IntRange(min = 2, max = 10) int k) {
        if (k > n) {
            return;
        }
        List<IndexSplit> folds = Splits.kFold(n, k, n * 17L + k);
        assertEquals(k, folds.size());
        int[] validated = new int[n];
        for (IndexSplit f : folds) {
            assertPartition(n, f);
            int size = f.validation().length;
            assertTrue(size == n / k || size == n / k + 1);
            for (int i : f.validation()) {
                validated[i]++;
            }
        }
        for (int c : validated) {
            assertEquals(1, c);
        }
    }

    @Test
    void stratifiedKFoldBalancesClassesAndCoversEveryIndexOnce() {
        int[] y = labels(50, 25, 12);
        List<IndexSplit> folds = Splits.stratifiedKFold(y, 5, 3);
        int[] validated = new int[y.length];
        for (IndexSplit f : folds) {
            assertPartition(y.length, f);
            int[] perClass = new int[3];
            for (int i : f.validation()) {
                validated[i]++;
                perClass[y[i]]++;
            }
            assertEquals(10, perClass[0]);
            assertEquals(5, perClass[1]);
            assertTrue(perClass[2] == 2 || perClass[2] == 3);
            assertTrue(f.validation().length == 17 || f.validation().length == 18);
        }
        for (int c : validated) {
            assertEquals(1, c);
        }
        assertEquals(folds, Splits.stratifiedKFold(y, 5, 3));
    }

    @Test
    void splitsApplyToDatasets() {
        ArrayDataset iris = Tabular.iris();
        IndexSplit s = Splits.stratifiedTrainValidation(iris.labels(), 0.2, 0);
        ArrayDataset train = s.train(iris);
        ArrayDataset val = s.validation(iris);
        assertEquals(120, train.size());
        assertEquals(30, val.size());
        int v0 = s.validation()[0];
        assertArrayEquals(iris.get(v0).x().toArray(), val.get(0).x().toArray());
        assertEquals(iris.classNames(), val.classNames());
        ArrayDataset head = iris.range(10, 13);
        assertEquals(3, head.size());
        assertArrayEquals(iris.get(12).x().toArray(), head.get(2).x().toArray());
        assertThrows(IndexOutOfBoundsException.class, () -> iris.range(140, 151));
    }

    @Test
    void errors() {
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> Splits.trainValidation(10, 1.5, 0));
        assertTrue(f.getMessage().contains("validationFraction must be in (0, 1) but got 1.5"), f.getMessage());
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
                () -> Splits.trainValidation(3, 0.1, 0));
        assertTrue(tiny.getMessage().contains("leaves no validation samples"), tiny.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> Splits.kFold(3, 4, 0));
        assertTrue(k.getMessage().contains("2 <= k <= n") && k.getMessage().contains("k=4 with n=3"), k.getMessage());
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
                () -> Splits.stratifiedKFold(new int[] {0, 1, -1}, 2, 0));
        assertTrue(neg.getMessage().contains("label -1 at position 2"), neg.getMessage());
    }
}
