package dev.nabla.train.tensorboard;

import java.util.Arrays;

/**
 * Builds TensorBoard histograms the way PyTorch's {@code SummaryWriter.add_histogram} does with its
 * default {@code bins="tensorflow"}: the values are counted into TensorFlow's exponential bucket
 * edges ({@link #defaultEdges()}) with NumPy's {@code np.histogram} rule (bin {@code j} holds
 * {@code edges[j] <= v < edges[j+1]}, the last bin also {@code v == edges[last]}; values outside
 * the edges are counted in {@code num} but in no bucket), then trimmed as PyTorch's
 * {@code make_histogram} trims: from one empty bucket before the first non-empty one to the last
 * non-empty one, each bucket labelled by its right edge. {@code sum} is NumPy's pairwise sum (so
 * it is bitwise PyTorch's); {@code sum_squares} is the pairwise sum of the squares, where PyTorch
 * takes a BLAS dot product, so the two can differ in the last bits. Stateless and thread-safe.
 */
final class Histograms {
    private static final double[] DEFAULT_EDGES = defaultEdgesOnce();

    private Histograms() {}

    /**
     * PyTorch's (and TensorFlow's) default edges: {@code v = 1e-12}, multiplied by 1.1 while
     * {@code v < 1e20}; the negatives of those in reverse, 0, then those: 1549 edges, 1548 bins.
     */
    static double[] defaultEdges() {
        return DEFAULT_EDGES.clone();
    }

    private static double[] defaultEdgesOnce() {
        double[] pos = new double[1024];
        int n = 0;
        for (double v = 1e-12; v < 1e20; v *= 1.1) {
            pos[n++] = v;
        }
        double[] edges = new double[2 * n + 1];
        for (int i = 0; i < n; i++) {
            edges[n - 1 - i] = -pos[i];
            edges[n + 1 + i] = pos[i];
        }
        edges[n] = 0;
        return edges;
    }

    /** The histogram of {@code values} over the default edges; {@code tag} names it in errors. */
    static Payload.Histogram of(String op, String tag, double[] values) {
        return of(op, tag, values, DEFAULT_EDGES);
    }

    /**
     * The histogram of {@code values} over {@code edges} (strictly increasing, at least two, finite),
     * trimmed as PyTorch trims. Fails, naming {@code op} and {@code tag}, on no values, a non-finite
     * value (as TensorFlow's histogram op does) or values that all fall outside the edges.
     */
    static Payload.Histogram of(String op, String tag, double[] values, double[] edges) {
        checkEdges(op, tag, edges);
        if (values.length == 0) {
            throw new IllegalArgumentException(op + "('" + tag + "'): no values; a histogram needs at least one");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int nonFinite = 0;
        int firstBad = -1;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (!Double.isFinite(v)) {
                nonFinite++;
                if (firstBad < 0) {
                    firstBad = i;
                }
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (nonFinite > 0) {
            throw new IllegalArgumentException(op + "('" + tag + "'): " + nonFinite + " of " + values.length
                    + " values are not finite (the first, at flat index " + firstBad + ", is " + values[firstBad]
                    + "); TensorBoard histograms need finite values: check the model for divergence, or filter the values");
        }
        int bins = edges.length - 1;
        long[] counts = new long[bins];
        double last = edges[bins];
        for (double v : values) {
            if (v < edges[0] || v > last) {
                continue;
            }
            int j = v == last ? bins - 1 : upperBound(edges, v) - 1;
            counts[j]++;
        }
        int start = -1;
        int end = -1;
        for (int j = 0; j < bins; j++) {
            if (counts[j] > 0) {
                if (start < 0) {
                    start = j;
                }
                end = j;
            }
        }
        if (start < 0) {
            throw new IllegalArgumentException(op + "('" + tag + "'): all " + values.length + " values (min " + min + ", max "
                    + max + ") lie outside the bucket edges [" + edges[0] + ", " + last + "]; pass explicit edges that cover them");
        }
        // PyTorch: counts[start-1 : end+1] (or a 0 then counts[0 : end+1]), limits = edges[start : end+2]
        int k = end - start + 2;
        double[] limits = Arrays.copyOfRange(edges, start, start + k);
        double[] bucket = new double[k];
        for (int i = 0; i < k; i++) {
            int j = start - 1 + i;
            bucket[i] = j < 0 ? 0 : counts[j];
        }
        double[] squares = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            squares[i] = values[i] * values[i];
        }
        return new Payload.Histogram(min, max, values.length, 0.0 + pairwiseSum(values, 0, values.length),
                0.0 + pairwiseSum(squares, 0, squares.length), limits, bucket);
    }

    private static void checkEdges(String op, String tag, double[] edges) {
        if (edges.length < 2) {
            throw new IllegalArgumentException(op + "('" + tag + "'): " + edges.length
                    + " bucket edges; a histogram needs at least two (one bucket)");
        }
        for (int i = 0; i < edges.length; i++) {
            if (!Double.isFinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) {
                throw new IllegalArgumentException(op + "('" + tag + "'): bucket edges must be finite and strictly increasing, but edge "
                        + i + " is " + edges[i] + (i > 0 ? " after " + edges[i - 1] : ""));
            }
        }
    }

    /** The first index {@code i} with {@code edges[i] > v} (NumPy's {@code searchsorted(side="right")}). */
    private static int upperBound(double[] edges, double v) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (edges[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * NumPy's pairwise summation of {@code n} doubles from {@code off} ({@code pairwise_sum_DOUBLE}):
     * plain below 8, eight interleaved accumulators up to 128, halves (rounded to a multiple of 8)
     * above. {@code np.sum} of a contiguous float64 array is {@code 0.0 + } this.
     */
    static double pairwiseSum(double[] a, int off, int n) {
        if (n < 8) {
            double res = -0.0;
            for (int i = 0; i < n; i++) {
                res += a[off + i];
            }
            return res;
        }
        if (n <= 128) {
            double[] r = new double[8];
            System.arraycopy(a, off, r, 0, 8);
            int i = 8;
            for (; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[off + i + j];
                }
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[off + i];
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwiseSum(a, off, n2) + pairwiseSum(a, off + n2, n - n2);
    }
}
