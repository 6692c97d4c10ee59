package dev.nabla.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Histogram buckets (NumPy's rule, PyTorch's trimming), TensorFlow's default edges, and NumPy's pairwise sum. */
class HistogramsTest {
    @Test
    void defaultEdgesArePyTorchs() throws IOException {
        double[] e = Histograms.defaultEdges();
        assertEquals(1549, e.length); // len(SummaryWriter._get_default_bins()) in PyTorch
        assertEquals(0.0, e[774], 0.0);
        assertEquals(1e-12, e[775], 0.0);
        assertEquals(-1e-12, e[773], 0.0);
        assertTrue(e[1548] < 1e20 && e[1548] * 1.1 >= 1e20);
        for (int i = 0; i < 774; i++) {
            assertEquals(-e[1548 - i], e[i], 0.0, "symmetric");
        }
        // the reference file's bucket limits are a contiguous run of these edges, bit for bit
        double[] limits = null;
        for (Event ev : EventReader.readAll(ReferenceFileTest.reference())) {
            if (ev.value("weights/layer0").isPresent()) {
                limits = ev.value("weights/layer0").get().histogram().orElseThrow().bucketLimits();
            }
        }
        int at = Arrays.binarySearch(e, limits[0]);
        assertTrue(at >= 0, "first limit is a default edge");
        assertArrayEquals(Arrays.copyOfRange(e, at, at + limits.length), limits, 0.0);
    }

    @Test
    void numpyRuleAndPyTorchTrimming() {
        // np.histogram([0.5, 1.5, 1.5, 3], bins=[0, 1, 2, 3]) = [1, 2, 1] (the last bin holds its right edge);
        // the first bin is non-empty, so PyTorch prepends an empty bucket: counts [0, 1, 2, 1], limits [0, 1, 2, 3]
        Payload.Histogram h = Histograms.of("t", "x", new double[] {0.5, 1.5, 1.5, 3}, new double[] {0, 1, 2, 3});
        assertArrayEquals(new double[] {0, 1, 2, 3}, h.bucketLimits(), 0.0);
        assertArrayEquals(new double[] {0, 1, 2, 1}, h.bucketCounts(), 0.0);
        assertEquals(4, h.num(), 0.0);
        assertEquals(6.5, h.sum(), 0.0);
        assertEquals(0.25 + 2.25 + 2.25 + 9, h.sumSquares(), 0.0);
        // one value in the last bin: counts[1:3] = [0, 1], limits edges[2:4] = [2, 3]
        h = Histograms.of("t", "x", new double[] {2.5}, new double[] {0, 1, 2, 3});
        assertArrayEquals(new double[] {2, 3}, h.bucketLimits(), 0.0);
        assertArrayEquals(new double[] {0, 1}, h.bucketCounts(), 0.0);
        // a value outside the edges counts in num, min and sum but in no bucket (NumPy drops it)
        h = Histograms.of("t", "x", new double[] {-5, 0.5}, new double[] {0, 1});
        assertEquals(2, h.num(), 0.0);
        assertEquals(-5, h.min(), 0.0);
        assertArrayEquals(new double[] {0, 1}, h.bucketCounts(), 0.0);
        // left-closed bins: 1.0 is in [1, 2), not [0, 1)
        h = Histograms.of("t", "x", new double[] {1.0}, new double[] {0, 1, 2, 3});
        assertArrayEquals(new double[] {1, 2}, h.bucketLimits(), 0.0);
        assertArrayEquals(new double[] {0, 1}, h.bucketCounts(), 0.0);
    }

    @Test
    void pairwiseSumIsNumpys() {
        // np.sum of these arrays (NumPy 2.4), which differ from a left-to-right sum in the last bits
        double[] a = new double[1000];
        for (int i = 0; i < a.length; i++) {
            a[i] = 1.0 / (i + 1);
        }
        assertEquals(7.485470860550345, 0.0 + Histograms.pairwiseSum(a, 0, a.length), 0.0);
        double naive = 0;
        for (double v : a) {
            naive += v;
        }
        assertEquals(7.485470860550343, naive, 0.0);
        double[] b = new double[300];
        for (int i = 0; i < b.length; i++) {
            b[i] = (i % 2 == 0 ? 1.0 : -1.0) / (i + 3);
        }
        assertEquals(0.19149429251369193, 0.0 + Histograms.pairwiseSum(b, 0, b.length), 0.0);
    }

    @Property(tries = 200)
    void countsAddUpAndLimitsAreDefaultEdges(@ForAll @Size(min = 1, max = 200) double[] raw,
            @ForAll @IntRange(min = -9, max = 9) int exponent) {
        double scale = Math.pow(10, exponent);
        double[] v = new double[raw.length];
        for (int i = 0; i < v.length; i++) {
            double x = Double.isFinite(raw[i]) ? raw[i] : 1.0;
            v[i] = Math.max(-1e19, Math.min(1e19, x * scale)); // inside the default edges
        }
        Payload.Histogram h = Histograms.of("t", "x", v);
        double total = 0;
        for (double c : h.bucketCounts()) {
            total += c;
        }
        assertEquals(v.length, total, 0.0);
        assertEquals(0.0, h.bucketCounts()[0], 0.0, "the first bucket is the empty one before the data");
        assertTrue(h.bucketCounts()[h.bucketCount() - 1] > 0, "the last bucket is non-empty");
        double[] edges = Histograms.defaultEdges();
        int at = Arrays.binarySearch(edges, h.bucketLimits()[0]);
        assertTrue(at >= 0);
        assertArrayEquals(Arrays.copyOfRange(edges, at, at + h.bucketCount()), h.bucketLimits(), 0.0);
        // the first limit is the left edge of the first non-empty bin, the last the right edge of the last one
        assertTrue(h.min() >= h.bucketLimits()[0], h.min() + " vs " + h.bucketLimits()[0]);
        assertTrue(h.max() <= h.bucketLimits()[h.bucketCount() - 1]);
    }
}
