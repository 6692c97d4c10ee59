package dev.nabla.nn.detection;

import dev.nabla.ndarray.NDArray;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Random box sets for the properties: corners on a small integer grid (so equal coordinates,
 * touching boxes, nested boxes and exact IoU thresholds occur), sides at least 1 (non-degenerate),
 * scores from a few values (so ties occur) and categories 0-2.
 */
final class BoxSets {
    private BoxSets() {}

    /** One drawn problem: {@code (N, 4)} boxes, {@code (N,)} scores and int64 categories. */
    record Drawn(NDArray boxes, NDArray scores, NDArray classes, long seed) {
        double[] b() {
            return boxes.toArray();
        }

        double[] s() {
            return scores.toArray();
        }

        int n() {
            return boxes.shape(0);
        }

        @Override
        public String toString() {
            return "seed " + seed + ": boxes " + boxes + " scores " + scores + " classes " + classes;
        }
    }

    static Drawn draw(long seed, int maxBoxes) {
        Random r = new Random(seed);
        int n = r.nextInt(maxBoxes + 1);
        double[] b = new double[4 * n];
        double[] s = new double[n];
        long[] c = new long[n];
        for (int i = 0; i < n; i++) {
            b[4 * i] = r.nextInt(8);
            b[4 * i + 1] = r.nextInt(8);
            b[4 * i + 2] = b[4 * i] + 1 + r.nextInt(5);
            b[4 * i + 3] = b[4 * i + 1] + 1 + r.nextInt(5);
            s[i] = (1 + r.nextInt(6)) / 8.0;
            c[i] = r.nextInt(3);
        }
        return new Drawn(NDArray.of(b, n, 4), NDArray.of(s, n), NDArray.of(c, n), seed);
    }

    static Arbitrary<Drawn> sets(int maxBoxes) {
        return Arbitraries.longs().map(seed -> draw(seed, maxBoxes));
    }
}
