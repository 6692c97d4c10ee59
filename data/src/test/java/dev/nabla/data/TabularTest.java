package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped tables, checked against the figures of their published descriptions. */
class TabularTest {
    @TempDir
    Path dir;

    private static int[] counts(int[] labels, int k) {
        int[] c = new int[k];
        for (int l : labels) {
            c[l]++;
        }
        return c;
    }

    @Test
    void iris() {
        ArrayDataset d = Tabular.iris();
        assertArrayEquals(new int[] {150, 4}, d.features().shape());
        assertEquals(3, d.numClasses());
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
        assertArrayEquals(new int[] {50, 50, 50}, counts(d.labels(), 3));
        assertArrayEquals(new double[] {5.1, 3.5, 1.4, 0.2}, d.get(0).x().toArray());
        // summary statistics of the description: min/max/mean per attribute
        NDArray x = d.features();
        assertArrayEquals(new double[] {4.3, 2.0, 1.0, 0.1}, x.min(new int[] {0}, false).toArray(), 1e-12);
        assertArrayEquals(new double[] {7.9, 4.4, 6.9, 2.5}, x.max(new int[] {0}, false).toArray(), 1e-12);
        assertArrayEquals(new double[] {5.84, 3.05, 3.76, 1.20}, x.mean(new int[] {0}, false).toArray(), 0.01);
    }

    @Test
    void wineBreastCancerDigits() {
        ArrayDataset wine = Tabular.wine();
        assertArrayEquals(new int[] {178, 13}, wine.features().shape());
        assertArrayEquals(new int[] {59, 71, 48}, counts(wine.labels(), 3));
        ArrayDataset bc = Tabular.breastCancer();
        assertArrayEquals(new int[] {569, 30}, bc.features().shape());
        assertEquals(List.of("malignant", "benign"), bc.classNames());
        assertArrayEquals(new int[] {212, 357}, counts(bc.labels(), 2));
        ArrayDataset digits = Tabular.digits();
        assertArrayEquals(new int[] {1797, 64}, digits.features().shape());
        assertEquals(10, digits.numClasses());
        assertEquals(16.0, digits.features().max(new int[] {0, 1}, false).item());
        assertEquals(0.0, digits.features().min(new int[] {0, 1}, false).item());
        assertEquals(0, digits.labels()[0]);
        assertEquals(178, Tabular.load("WINE").size());
        assertEquals(569, Tabular.load("breast-cancer").size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tabular.load("titanic"));
        assertTrue(e.getMessage().contains("[iris, wine, breast_cancer, digits]"), e.getMessage());
    }

    @Test
    void sklearnHeaderCountsAreChecked() throws IOException {
        Path ok = Files.writeString(dir.resolve("ok.csv"), "2,2,a,b\n1,2,0\n3,4,1\n");
        ArrayDataset d = Tabular.readSklearnCsv(ok);
        assertEquals(List.of("a", "b"), d.classNames());
        Path bad = Files.writeString(dir.resolve("bad.csv"), "3,2,a,b\n1,2,0\n3,4,1\n");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Tabular.readSklearnCsv(bad));
        assertTrue(e.getMessage().contains("declares 3 samples of 2 features") && e.getMessage().contains("2 rows of 3"),
                e.getMessage());
        Path cell = Files.writeString(dir.resolve("cell.csv"), "2,2,a,b\n1,2,0\n3,?,1\n");
        MalformedDataException c = assertThrows(MalformedDataException.class, () -> Tabular.readSklearnCsv(cell));
        assertEquals(3, c.line());
        assertEquals(2, c.column());
    }

    /** Found by CsvFuzzTest: both used to escape as raw JDK/IllegalArgument exceptions. */
    @Test
    void sklearnHeaderOverflowAndLabelsWithoutNamesAreMalformed() throws IOException {
        // 99999999999 matches \d+ but overflowed Integer.parseInt: a NumberFormatException
        Path big = Files.writeString(dir.resolve("big.csv"), "99999999999,2,a,b\n1,2,0\n");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Tabular.readSklearnCsv(big));
        assertEquals(big + ", line 1, column 1: the header line declares 99999999999 samples, more than an int can count;"
                + " the header line is damaged", e.getMessage());
        // label 2 with two class names: was IllegalArgumentException from withClassNames, without file or line
        Path names = Files.writeString(dir.resolve("names.csv"), "2,2,a,b\n1,2,0\n3,4,2\n");
        MalformedDataException n = assertThrows(MalformedDataException.class, () -> Tabular.readSklearnCsv(names));
        assertEquals(names + ", line 3, column 3: label 2 has no class name: the header line names 2 classes [a, b]"
                + " (labels 0..1)", n.getMessage());
    }
}
