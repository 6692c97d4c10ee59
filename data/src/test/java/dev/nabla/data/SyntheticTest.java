package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The synthetic sets: truth tables, geometry of spiral and moons, blob statistics, reproducibility. */
class SyntheticTest {

    @Test
    void gateTruthTables() {
        assertArrayEquals(new double[] {0, 0, 0, 1, 1, 0, 1, 1}, Synthetic.gate(Synthetic.Gate.AND).features().toArray());
        assertArrayEquals(new int[] {0, 0, 0, 1}, Synthetic.gate(Synthetic.Gate.AND).labels());
        assertArrayEquals(new int[] {0, 1, 1, 1}, Synthetic.gate(Synthetic.Gate.OR).labels());
        assertArrayEquals(new int[] {1, 1, 1, 0}, Synthetic.gate(Synthetic.Gate.NAND).labels());
        assertArrayEquals(new int[] {1, 0, 0, 0}, Synthetic.gate(Synthetic.Gate.NOR).labels());
        assertArrayEquals(new int[] {0, 1, 1, 0}, Synthetic.gate(Synthetic.Gate.XOR).labels());
        assertArrayEquals(new int[] {1, 0, 0, 1}, Synthetic.gate(Synthetic.Gate.XNOR).labels());
    }

    @Test
    void spiralRadiiAndClassesFollowTheConstruction() {
        ArrayDataset s = Synthetic.spiral(new Random(1), 50, 4, 0.2);
        assertArrayEquals(new int[] {200, 2}, s.features().shape());
        for (int k = 0; k < 200; k++) {
            NDArray p = s.get(k).x();
            double r = Math.hypot(p.getFlat(0), p.getFlat(1));
            // the radius is i / N whatever the angular noise
            assertEquals((k % 50) / 50.0, r, 1e-12);
            assertEquals(k / 50, s.get(k).label());
        }
        // without noise the angle is 4j + 4r exactly
        ArrayDataset clean = Synthetic.spiral(new Random(1), 10, 3, 0.0);
        NDArray p = clean.get(2 * 10 + 5).x();
        assertEquals(0.5 * Math.sin(8 + 2), p.getFlat(0), 1e-15);
        assertEquals(0.5 * Math.cos(8 + 2), p.getFlat(1), 1e-15);
        assertTrue(Synthetic.spiral(new Random(9)).features().equals(Synthetic.spiral(new Random(9)).features()));
        assertEquals(300, Synthetic.spiral(new Random(9)).size());
    }

    @Test
    void sineRegressionAndWave() {
        ArrayDataset d = Synthetic.sine(new Random(2), 1000, 0.1);
        assertArrayEquals(new int[] {1000, 1}, d.targets().shape());
        double sq = 0;
        for (int i = 0; i < 1000; i++) {
            double r = d.targets().getFlat(i) - Math.sin(2 * Math.PI * d.features().getFlat(i));
            sq += r * r;
        }
        assertEquals(0.01, sq / 1000, 0.002);
        double[] w = Synthetic.sineWave(new Random(0), 5, 1, 0);
        assertArrayEquals(new double[] {0, 1, 0, -1, 0}, w, 1e-12);
    }

    @Test
    void twoMoonsLieOnTheirHalfCircles() {
        ArrayDataset m = Synthetic.twoMoons(new Random(3), 101, 0);
        assertEquals(101, m.size());
        int upper = 0;
        for (int i = 0; i < 101; i++) {
            double x = m.get(i).x().getFlat(0);
            double y = m.get(i).x().getFlat(1);
            if (m.get(i).label() == 0) {
                upper++;
                assertEquals(1.0, Math.hypot(x, y), 1e-12);
                assertTrue(y >= -1e-12);
            } else {
                assertEquals(1.0, Math.hypot(x - 1, y - 0.5), 1e-12);
                assertTrue(y <= 0.5 + 1e-12);
            }
        }
        assertEquals(51, upper);
    }

    @Test
    void blobsCenterOnTheirCenters() {
        NDArray centers = NDArray.of(new double[][] {{0, 0}, {10, -5}});
        ArrayDataset b = Synthetic.blobs(new Random(4), 2000, centers, 0.5);
        NDArray x = b.features();
        NDArray m1 = x.slice(0, 2000, 4000).mean(new int[] {0}, false);
        assertArrayEquals(new double[] {10, -5}, m1.toArray(), 0.05);
        NDArray v0 = x.slice(0, 0, 2000).var(new int[] {0}, false, 0);
        assertArrayEquals(new double[] {0.25, 0.25}, v0.toArray(), 0.03);
        assertEquals(1, b.labels()[2000]);
        ArrayDataset r = Synthetic.blobs(new Random(5), 3, 4, 3, 1.0);
        assertArrayEquals(new int[] {12, 3}, r.features().shape());
        assertEquals(4, r.numClasses());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Synthetic.blobs(new Random(0), 3, NDArray.zeros(3), 1));
        assertTrue(e.getMessage().contains("(K, D)"), e.getMessage());
    }
}
