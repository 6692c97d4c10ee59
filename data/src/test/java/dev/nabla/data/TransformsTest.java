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

/** Standardizer, MinMaxScaler, one-hot and flatten: known answers, round trips and guards. */
class TransformsTest {

    @Test
    void standardizerFittedOnTrainHasZeroMeanUnitStdOnTrain() {
        ArrayDataset wine = Tabular.wine();
        IndexSplit s = Splits.stratifiedTrainValidation(wine.labels(), 0.25, 1);
        ArrayDataset train = s.train(wine);
        Standardizer st = Standardizer.fit(train);
        NDArray z = st.transform(train).features();
        NDArray mean = z.mean(new int[] {0}, false);
        NDArray std = z.var(new int[] {0}, false, 0).sqrt();
        for (int j = 0; j < 13; j++) {
            assertEquals(0.0, mean.getFlat(j), 1e-12);
            assertEquals(1.0, std.getFlat(j), 1e-12);
        }
        // the validation part is transformed with the training statistics, not its own
        ArrayDataset val = st.transform(s.validation(wine));
        double x = s.validation(wine).features().get(0, 12);
        assertEquals((x - st.mean().getFlat(12)) / st.std().getFlat(12), val.features().get(0, 12), 1e-12);
    }

    @Test
    void standardizerKnownAnswerAndConstantFeature() {
        NDArray x = NDArray.of(new double[][] {{1, 5}, {3, 5}, {5, 5}});
        Standardizer st = Standardizer.fit(x);
        assertArrayEquals(new double[] {3, 5}, st.mean().toArray());
        // population std of 1, 3, 5 is sqrt(8/3); the constant column divides by 1 instead of 0
        assertArrayEquals(new double[] {Math.sqrt(8.0 / 3), 1}, st.std().toArray(), 1e-15);
        NDArray z = st.transform(x);
        assertArrayEquals(new double[] {-Math.sqrt(1.5), 0, 0, 0, Math.sqrt(1.5), 0}, z.toArray(), 1e-12);
        assertArrayEquals(x.toArray(), st.inverseTransform(z).toArray(), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> st.transform(NDArray.zeros(4, 3)));
        assertTrue(e.getMessage().contains("expected samples of shape (N, 2)") && e.getMessage().contains("(4, 3)"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Standardizer.fit(NDArray.zeros(0, 2)));
    }

    @Property(tries = 30)
    void standardizerRoundTripsOnImages(@ForAll @IntRange(min = 2, max = 8) int n,
                                        @ForAll @IntRange(min = 1, max = 3) int c,
                                        @ForAll @IntRange(min = 0, max = 1000) int seed) {
        NDArray x = NDArray.randn(new Random(seed), n, c, 2, 2).mul(3).add(1);
        Standardizer st = Standardizer.fit(x);
        assertArrayEquals(new int[] {c, 2, 2}, st.mean().shape());
        NDArray z = st.transform(x);
        assertTrue(z.mean(new int[] {0}, false).abs().max(new int[] {0, 1, 2}, false).item() < 1e-12);
        assertTrue(x.allClose(st.inverseTransform(z), 0, 1e-12));
    }

    @Test
    void minMaxScaler() {
        NDArray x = NDArray.of(new double[][] {{0, 10, 7}, {5, 20, 7}, {10, 15, 7}});
        MinMaxScaler mm = MinMaxScaler.fit(x);
        assertArrayEquals(new double[] {0, 0, 0, 0.5, 1, 0, 1, 0.5, 0}, mm.transform(x).toArray(), 1e-15);
        MinMaxScaler sym = MinMaxScaler.fit(x, -1, 1);
        assertArrayEquals(new double[] {-1, -1, -1, 0, 1, -1, 1, 0, -1}, sym.transform(x).toArray(), 1e-15);
        assertArrayEquals(new double[] {1.5, 3.0, 6.0}, mm.transform(NDArray.of(new double[][] {{15, 40, 13}})).toArray(),
                1e-15);
        assertTrue(x.allClose(sym.inverseTransform(sym.transform(x)), 0, 1e-12));
        assertThrows(IllegalArgumentException.class, () -> MinMaxScaler.fit(x, 1, 1));
    }

    @Test
    void oneHotFlattenAndLabelColumn() {
        NDArray oh = Transforms.oneHot(new int[] {2, 0, 1}, 3);
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, oh.toArray());
        assertArrayEquals(new int[] {2, 0, 1}, Transforms.argmaxRows(oh));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Transforms.oneHot(new int[] {0, 3}, 3));
        assertTrue(e.getMessage().contains("label 3 at position 1 is out of range for numClasses=3"), e.getMessage());
        NDArray img = NDArray.arange(24).reshape(2, 3, 4);
        NDArray flat = Transforms.flatten(img);
        assertArrayEquals(new int[] {2, 12}, flat.shape());
        assertEquals(img.get(1, 2, 3), flat.get(1, 11));
        assertArrayEquals(new double[] {1, 0, 1}, Transforms.labelColumn(new int[] {1, 0, 1}).toArray());
        assertArrayEquals(new int[] {3, 1}, Transforms.labelColumn(new int[] {1, 0, 1}).shape());
    }
}
