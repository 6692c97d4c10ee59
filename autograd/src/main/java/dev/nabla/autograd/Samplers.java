package dev.nabla.autograd;

import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Arrays;
import java.util.Random;

/**
 * Reusable random draws for gradient checking: shapes (ranks 0-4, size-1 axes included),
 * broadcast-compatible shape pairs, arrays from a {@link Domain}, arrays kept away from kinks
 * (distinct values for max, separated pairs for maximum/minimum), axis subsets, permutations and
 * NumPy-style indices. Every draw comes from the given {@link Random}, so a seed fixes the result.
 * Stateless and thread-safe: every draw comes from the generator passed in.
 */
public final class Samplers {
    private Samplers() {}

    /** Largest axis size the default draws use; keeps checks fast (at most 3^4 = 81 elements). */
    public static final int MAX_DIM = 3;

    /** Largest rank the default draws use. */
    public static final int MAX_RANK = 4;

    /** A uniform integer in {@code [lo, hi]}. */
    public static int between(Random rng, int lo, int hi) {
        return lo + rng.nextInt(hi - lo + 1);
    }

    /** One of {@code options}, uniformly. */
    @SafeVarargs
    public static <T> T pick(Random rng, T... options) {
        return options[rng.nextInt(options.length)];
    }

    /** A shape of rank {@code minRank..maxRank} with axis sizes {@code 1..maxDim} (size 1 drawn often). */
    public static int[] shape(Random rng, int minRank, int maxRank, int maxDim) {
        int rank = between(rng, minRank, maxRank);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = rng.nextInt(3) == 0 ? 1 : between(rng, 1, maxDim);
        }
        return s;
    }

    /** A shape of rank {@code 0..4} with axis sizes {@code 1..3}. */
    public static int[] shape(Random rng) {
        return shape(rng, 0, MAX_RANK, MAX_DIM);
    }

    /**
     * A shape that broadcasts to {@code target}: some leading axes dropped and some axes set to 1.
     * With {@code strict}, the result differs from {@code target} whenever that is possible.
     */
    public static int[] broadcastableTo(Random rng, int[] target, boolean strict) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int drop = rng.nextInt(target.length + 1);
            if (rng.nextBoolean()) {
                drop = 0;
            }
            int[] s = Arrays.copyOfRange(target, drop, target.length);
            for (int i = 0; i < s.length; i++) {
                if (rng.nextInt(3) == 0) {
                    s[i] = 1;
                }
            }
            if (!strict || target.length == 0 || !Arrays.equals(s, target)) {
                return s;
            }
        }
        return new int[0];
    }

    /**
     * Two shapes that broadcast together (NumPy rules): drawn from a common target of rank up to
     * {@code maxRank} by dropping leading axes and setting axes to 1 independently, so different
     * ranks and size-1 axes on either side occur often.
     */
    public static int[][] broadcastPair(Random rng, int maxRank, int maxDim) {
        int[] out = shape(rng, 0, maxRank, maxDim);
        int[] a = broadcastableTo(rng, out, false);
        int[] b = broadcastableTo(rng, out, false);
        if (rng.nextBoolean()) {
            return new int[][] {a, out.length == a.length && rng.nextBoolean() ? out.clone() : b};
        }
        return new int[][] {a, b};
    }

    /** Two broadcast-compatible shapes of rank up to 4 with axis sizes up to 3. */
    public static int[][] broadcastPair(Random rng) {
        return broadcastPair(rng, MAX_RANK, MAX_DIM);
    }

    /** An array of {@code shape} with values drawn independently from {@code domain}. */
    public static NDArray array(Random rng, Domain domain, int... shape) {
        int n = Shapes.size(shape);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = domain.sample(rng);
        }
        return NDArray.of(d, shape.clone());
    }

    /**
     * An array whose values are pairwise at least {@code 0.75 * step} apart (a shuffled grid plus
     * jitter), so that max/min reductions have no ties near the finite-difference step.
     */
    public static NDArray distinct(Random rng, int... shape) {
        int n = Shapes.size(shape);
        int[] perm = permutation(rng, n);
        double step = Math.min(0.5, 4.0 / Math.max(n, 1));
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = (perm[i] - (n - 1) / 2.0) * step + rng.nextDouble() * step / 4;
        }
        return NDArray.of(d, shape.clone());
    }

    /**
     * Two arrays for elementwise maximum/minimum whose values differ by at least 0.1 under any
     * broadcasting: {@code a} lies within 0.2 of the integers, {@code b} within 0.2 of the
     * half-integers, in [-2.7, 2.7].
     */
    public static NDArray[] separated(Random rng, int[] shapeA, int[] shapeB) {
        return new NDArray[] {grid(rng, 0.0, shapeA), grid(rng, 0.5, shapeB)};
    }

    private static NDArray grid(Random rng, double offset, int[] shape) {
        int n = Shapes.size(shape);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = between(rng, -2, 2) + offset + (rng.nextDouble() - 0.5) * 0.4;
        }
        return NDArray.of(d, shape.clone());
    }

    /**
     * Values uniform in {@code [lo, hi]} redrawn until every one is at least {@code margin} away
     * from each of {@code kinks} (for clamp bounds and similar).
     */
    public static NDArray awayFrom(Random rng, double lo, double hi, double[] kinks, double margin, int... shape) {
        int n = Shapes.size(shape);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            double v;
            boolean ok;
            int tries = 0;
            do {
                v = lo + (hi - lo) * rng.nextDouble();
                ok = true;
                for (double k : kinks) {
                    ok &= Math.abs(v - k) >= margin;
                }
                if (++tries > 10_000) {
                    throw new IllegalArgumentException("awayFrom: no value in [" + lo + ", " + hi + "] is " + margin
                            + " away from the kinks " + Arrays.toString(kinks));
                }
            } while (!ok);
            d[i] = v;
        }
        return NDArray.of(d, shape.clone());
    }

    /** A random BOOL condition mask (each element true with probability 1/2). */
    public static NDArray mask(Random rng, int... shape) {
        int n = Shapes.size(shape);
        boolean[] d = new boolean[n];
        for (int i = 0; i < n; i++) {
            d[i] = rng.nextBoolean();
        }
        return NDArray.of(d, shape.clone());
    }

    /** A uniformly random permutation of {@code 0..n-1}. */
    public static int[] permutation(Random rng, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * A random subset of the axes of an {@code ndim}-array, in random order, each written as a
     * negative axis half of the time. May be empty (which reductions read as "every axis").
     */
    public static int[] axes(Random rng, int ndim) {
        int[] perm = permutation(rng, ndim);
        int k = rng.nextInt(ndim + 1);
        int[] ax = Arrays.copyOf(perm, k);
        for (int i = 0; i < k; i++) {
            if (rng.nextBoolean()) {
                ax[i] -= ndim;
            }
        }
        return ax;
    }

    /** One axis of an {@code ndim}-array ({@code ndim >= 1}), negative half of the time. */
    public static int axis(Random rng, int ndim) {
        int a = rng.nextInt(ndim);
        return rng.nextBoolean() ? a - ndim : a;
    }

    /** {@code parts} positive sizes adding up to {@code total} ({@code total >= parts}). */
    public static int[] splitSizes(Random rng, int total, int parts) {
        int[] s = new int[parts];
        Arrays.fill(s, 1);
        for (int i = parts; i < total; i++) {
            s[rng.nextInt(parts)]++;
        }
        return s;
    }

    /** {@code n} class labels in {@code 0..classes-1}. */
    public static int[] labels(Random rng, int n, int classes) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(classes);
        }
        return t;
    }

    /**
     * A NumPy-style index for an array of {@code shape}: per axis (trailing axes may be left out)
     * all of it, one position, a strided range or an integer array with repeats; negative
     * positions occur. Integer arrays share one length, as NumPy requires. The result is never
     * empty.
     */
    public static Index[] index(Random rng, int[] shape) {
        int n = shape.length;
        int used = n == 0 ? 0 : between(rng, 1, n);
        Index[] ix = new Index[used];
        int arrayLen = between(rng, 1, 4);
        for (int ax = 0; ax < used; ax++) {
            int d = shape[ax];
            switch (rng.nextInt(4)) {
                case 0:
                    ix[ax] = Index.all();
                    break;
                case 1: {
                    int p = rng.nextInt(d);
                    ix[ax] = Index.at(rng.nextBoolean() ? p - d : p);
                    break;
                }
                case 2: {
                    int start = rng.nextInt(d);
                    int stop = between(rng, start + 1, d + 1);
                    int step = between(rng, 1, 2);
                    ix[ax] = Index.range(rng.nextBoolean() ? start - d : start, stop, step);
                    break;
                }
                default: {
                    int[] p = new int[arrayLen];
                    for (int i = 0; i < arrayLen; i++) {
                        int q = rng.nextInt(d);
                        p[i] = rng.nextInt(4) == 0 ? q - d : q;
                    }
                    ix[ax] = Index.of(p);
                }
            }
        }
        return ix;
    }
}
