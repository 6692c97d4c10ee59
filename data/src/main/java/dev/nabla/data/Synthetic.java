package dev.nabla.data;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.List;
import java.util.Random;

/**
 * Small synthetic data sets for examples and tests, every one drawn from the given seeded
 * generator: logic-gate truth tables, the spiral of CS231n and DeZero, a noisy sine wave, two
 * moons and gaussian blobs. Samples are ordered by class; let a {@link DataLoader} shuffle them.
 * Stateless and thread-safe: every draw comes from the generator passed in.
 */
public final class Synthetic {
    private Synthetic() {
    }

    /**
     * A two-input logic gate.
     * Immutable and thread-safe (an enum).
     */
    public enum Gate {
        /** 1 iff both inputs are 1. */
        AND,
        /** 1 iff any input is 1. */
        OR,
        /** not AND. */
        NAND,
        /** not OR. */
        NOR,
        /** 1 iff the inputs differ: not linearly separable. */
        XOR,
        /** 1 iff the inputs are equal. */
        XNOR;

        /** The gate's output for inputs 0/1. */
        public int apply(int a, int b) {
            switch (this) {
                case AND:
                    return a & b;
                case OR:
                    return a | b;
                case NAND:
                    return 1 - (a & b);
                case NOR:
                    return 1 - (a | b);
                case XOR:
                    return a ^ b;
                default:
                    return 1 - (a ^ b);
            }
        }
    }

    /** The truth table of {@code gate}: inputs {@code (4, 2)} in the order 00, 01, 10, 11, labels 0/1. */
    public static ArrayDataset gate(Gate gate) {
        double[] x = {0, 0, 0, 1, 1, 0, 1, 1};
        int[] labels = new int[4];
        for (int i = 0; i < 4; i++) {
            labels[i] = gate.apply((int) x[2 * i], (int) x[2 * i + 1]);
        }
        return new ArrayDataset(x, 4, new int[] {2}, labels, null, null, List.of("0", "1"));
    }

    /**
     * Interleaved spirals, as in CS231n and DeZero's {@code get_spiral}: for class {@code j} and
     * {@code i < pointsPerClass}, with {@code r = i / pointsPerClass}, angle
     * {@code t = 4j + 4r + noise * N(0, 1)}, the point {@code (r sin t, r cos t)}. Inputs {@code (K*N, 2)}.
     */
    public static ArrayDataset spiral(Random rng, int pointsPerClass, int classes, double noise) {
        positive("spiral", "pointsPerClass", pointsPerClass);
        positive("spiral", "classes", classes);
        nonNegative("spiral", "noise", noise);
        int n = pointsPerClass * classes;
        double[] x = new double[2 * n];
        int[] labels = new int[n];
        for (int j = 0; j < classes; j++) {
            for (int i = 0; i < pointsPerClass; i++) {
                double r = (double) i / pointsPerClass;
                double t = j * 4.0 + 4.0 * r + noise * rng.nextGaussian();
                int k = j * pointsPerClass + i;
                x[2 * k] = r * Math.sin(t);
                x[2 * k + 1] = r * Math.cos(t);
                labels[k] = j;
            }
        }
        return new ArrayDataset(x, n, new int[] {2}, labels, null, null, null);
    }

    /** DeZero's default spiral: 100 points per class, 3 classes, noise 0.2. */
    public static ArrayDataset spiral(Random rng) {
        return spiral(rng, 100, 3, 0.2);
    }

    /**
     * Regression on a noisy sine: {@code x ~ U[0, 1)}, target {@code sin(2 pi x) + noise * N(0, 1)};
     * inputs and targets {@code (n, 1)}.
     */
    public static ArrayDataset sine(Random rng, int n, double noise) {
        positive("sine", "n", n);
        nonNegative("sine", "noise", noise);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextDouble();
            y[i] = Math.sin(2 * Math.PI * x[i]) + noise * rng.nextGaussian();
        }
        return new ArrayDataset(x, n, new int[] {1}, null, y, new int[] {1}, null);
    }

    /**
     * A noisy sine wave as a series (DeZero's {@code SinCurve}): {@code sin(2 pi cycles * t / (n-1))
     * + noise * N(0, 1)} for {@code t = 0..n-1}; window it with {@link TimeSeries#windows(double[], int, int)}.
     */
    public static double[] sineWave(Random rng, int n, double cycles, double noise) {
        positive("sineWave", "n", n);
        nonNegative("sineWave", "noise", noise);
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            double phase = n == 1 ? 0 : 2 * Math.PI * cycles * t / (n - 1);
            y[t] = Math.sin(phase) + noise * rng.nextGaussian();
        }
        return y;
    }

    /**
     * Two interleaving half circles (scikit-learn's {@code make_moons}): the upper moon
     * {@code (cos a, sin a)} (label 0) and the lower {@code (1 - cos a, 0.5 - sin a)} (label 1),
     * {@code a} evenly spaced over {@code [0, pi]}, plus {@code noise * N(0, 1)} per coordinate.
     * {@code n} points, {@code ceil(n/2)} in the first moon; inputs {@code (n, 2)}.
     */
    public static ArrayDataset twoMoons(Random rng, int n, double noise) {
        if (n < 2) {
            throw new IllegalArgumentException("Synthetic.twoMoons: need n >= 2 points but got " + n);
        }
        nonNegative("twoMoons", "noise", noise);
        int outer = (n + 1) / 2;
        int inner = n - outer;
        double[] x = new double[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            boolean first = i < outer;
            int m = first ? outer : inner;
            int k = first ? i : i - outer;
            double a = m == 1 ? 0 : Math.PI * k / (m - 1);
            double px = first ? Math.cos(a) : 1 - Math.cos(a);
            double py = first ? Math.sin(a) : 0.5 - Math.sin(a);
            x[2 * i] = px + noise * rng.nextGaussian();
            x[2 * i + 1] = py + noise * rng.nextGaussian();
            labels[i] = first ? 0 : 1;
        }
        return new ArrayDataset(x, n, new int[] {2}, labels, null, null, null);
    }

    /**
     * Isotropic gaussian blobs: {@code pointsPerCenter} points around each row of {@code centers}
     * {@code (K, D)} with standard deviation {@code std}; class {@code k} is the blob of center {@code k}.
     */
    public static ArrayDataset blobs(Random rng, int pointsPerCenter, NDArray centers, double std) {
        positive("blobs", "pointsPerCenter", pointsPerCenter);
        nonNegative("blobs", "std", std);
        if (centers.ndim() != 2 || centers.shape(0) == 0 || centers.shape(1) == 0) {
            throw new IllegalArgumentException("Synthetic.blobs: centers must be a non-empty (K, D) array but got shape "
                    + Shapes.str(centers.shape()));
        }
        int k = centers.shape(0);
        int d = centers.shape(1);
        int n = k * pointsPerCenter;
        double[] x = new double[n * d];
        int[] labels = new int[n];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < pointsPerCenter; i++) {
                int s = c * pointsPerCenter + i;
                for (int j = 0; j < d; j++) {
                    x[s * d + j] = centers.get(c, j) + std * rng.nextGaussian();
                }
                labels[s] = c;
            }
        }
        return new ArrayDataset(x, n, new int[] {d}, labels, null, null, null);
    }

    /** Blobs around {@code centers} random centers drawn uniformly from {@code [-10, 10]^dim} (as scikit-learn). */
    public static ArrayDataset blobs(Random rng, int pointsPerCenter, int centers, int dim, double std) {
        positive("blobs", "centers", centers);
        positive("blobs", "dim", dim);
        return blobs(rng, pointsPerCenter, NDArray.uniform(rng, -10, 10, centers, dim), std);
    }

    private static void positive(String op, String what, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException("Synthetic." + op + ": " + what + " must be > 0 but got " + v);
        }
    }

    private static void nonNegative(String op, String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("Synthetic." + op + ": " + what + " must be finite and >= 0 but got " + v);
        }
    }
}
