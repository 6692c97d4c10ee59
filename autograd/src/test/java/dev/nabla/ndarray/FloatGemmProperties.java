package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The float32 products of BlockedGemm against the float64 product of the same values and against
 * EJML's float reference, within the worst-case rounding bound of a k-term float sum, over sizes
 * crossing the tile and block edges, all transpose combinations, alpha/beta and offsets; plus the
 * bitwise guarantees: the same bits whatever the thread count, kernel (SIMD or plain) or path.
 */
class FloatGemmProperties {
    private static final float[] ALPHAS = {1f, -0.5f, 2.5f, 0f};
    private static final float[] BETAS = {0f, 1f, -1.5f, 0.3f};
    /** The unit roundoff of float32. */
    private static final double U = 0x1p-24;

    /** Sizes 1..150, biased toward the edges of the 4x8 and 8x32 tiles and the 96-row block. */
    @Provide
    Arbitrary<Integer> dim() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 150),
                Arbitraries.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 17, 31, 32, 33, 63, 64, 65, 95, 96, 97, 128, 150));
    }

    /** Row counts on both sides of the in-place-B limit (2 * MC rows) as well as the small sizes. */
    @Provide
    Arbitrary<Integer> rows() {
        return Arbitraries.oneOf(dim(), Arbitraries.integers().between(180, 300),
                Arbitraries.of(BlockedGemm.IN_PLACE_B_MAX_ROWS, BlockedGemm.IN_PLACE_B_MAX_ROWS + 1));
    }

    /** Column counts including multiples of 64 floats (B rows 256 bytes apart are packed, not read in place). */
    @Provide
    Arbitrary<Integer> cols() {
        return Arbitraries.oneOf(dim(), Arbitraries.of(64, 128, 192, 256));
    }

    /** One float32 product's operands: A, B and C with random offsets into larger arrays. */
    private static final class Case {
        final boolean ta;
        final boolean tb;
        final int m;
        final int n;
        final int k;
        final float alpha;
        final float beta;
        final float[] a;
        final float[] b;
        final float[] c;
        final int ao;
        final int bo;
        final int co;

        Case(long seed, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta) {
            Random r = new Random(seed);
            this.ta = ta;
            this.tb = tb;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.beta = beta;
            ao = r.nextInt(8);
            bo = r.nextInt(8);
            co = r.nextInt(8);
            a = values(r, ao + m * k + r.nextInt(4));
            b = values(r, bo + k * n + r.nextInt(4));
            c = values(r, co + m * n + r.nextInt(4));
        }

        private static float[] values(Random r, int len) {
            float[] v = new float[len];
            for (int i = 0; i < len; i++) {
                v[i] = 2 * r.nextFloat() - 1;
            }
            return v;
        }

        float av(int i, int p) {
            return ta ? a[ao + p * m + i] : a[ao + i * k + p];
        }

        float bv(int p, int j) {
            return tb ? b[bo + j * k + p] : b[bo + p * n + j];
        }

        float[] run(Gemm g) {
            float[] out = c.clone();
            g.gemm(ta, tb, m, n, k, alpha, a, ao, b, bo, beta, out, co);
            return out;
        }

        /**
         * The product of the same float values in float64 (each a*b exact, the sum off by about
         * k * 2^-53), and per element the magnitude {@code |alpha| sum|a||b| + |beta c|} that
         * bounds the float32 rounding error.
         */
        double[][] float64() {
            double[] out = new double[c.length];
            double[] bound = new double[c.length];
            for (int i = 0; i < c.length; i++) {
                out[i] = c[i];
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    double abs = 0;
                    for (int p = 0; p < k; p++) {
                        double prod = (double) av(i, p) * bv(p, j);
                        s += prod;
                        abs += Math.abs(prod);
                    }
                    int idx = co + i * n + j;
                    bound[idx] = Math.abs(alpha) * abs + Math.abs((double) beta * c[idx]);
                    out[idx] = (double) alpha * s + (beta == 0 ? 0 : (double) beta * c[idx]);
                }
            }
            return new double[][] {out, bound};
        }
    }

    private static List<Gemm> candidates(int threads) {
        List<Gemm> gs = new ArrayList<>();
        gs.add(new BlockedGemm());
        gs.add(BlockedGemm.scalar(threads));
        BlockedGemm v = BlockedGemm.vector(threads);
        if (v != null) {
            gs.add(v);
        }
        return gs;
    }

    /**
     * |x - ref| <= (k + 3) u (|alpha| sum|a||b| + |beta c|) * scale on C: the worst-case error of a
     * k-term float sum in any order plus the roundings of alpha, beta and the final add; the
     * padding around C must be untouched.
     */
    private static void assertClose(Case cs, double[] expected, double[] bound, float[] actual, double scale, String what) {
        for (int i = 0; i < actual.length; i++) {
            boolean inside = i >= cs.co && i < cs.co + cs.m * cs.n;
            if (!inside) {
                assertEquals(cs.c[i], actual[i], 0f, what + ": wrote outside C at " + i);
                continue;
            }
            double tol = scale * (cs.k + 3) * U * bound[i] + 1e-40;
            if (Math.abs(expected[i] - actual[i]) > tol) {
                throw new AssertionError(what + " differs at " + (i - cs.co) + " for " + describe(cs) + ": expected "
                        + expected[i] + " got " + actual[i] + " (tolerance " + tol + ")");
            }
        }
    }

    private static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    private static String describe(Case cs) {
        return "m=" + cs.m + " n=" + cs.n + " k=" + cs.k + " transA=" + cs.ta + " transB=" + cs.tb + " alpha="
                + cs.alpha + " beta=" + cs.beta + " offsets=" + cs.ao + "," + cs.bo + "," + cs.co;
    }

    /** Checks every candidate against the float64 product and EJML's float product. */
    private static void checkAll(Case cs, List<Gemm> gemms) {
        double[][] exact = cs.float64();
        float[] ejml = cs.run(new EjmlGemm());
        assertClose(cs, exact[0], exact[1], ejml, 1.0, "EJML float vs float64 (sanity of the reference)");
        for (Gemm g : gemms) {
            float[] got = cs.run(g);
            assertClose(cs, exact[0], exact[1], got, 1.0, g + " vs float64");
            assertClose(cs, widen(ejml), exact[1], got, 2.0, g + " vs EJML float");
        }
    }

    @Property(tries = 60)
    void agreesWithFloat64ProductAndEjml(@ForAll("rows") int m, @ForAll("cols") int n, @ForAll("dim") int k,
                                         @ForAll boolean ta, @ForAll boolean tb,
                                         @ForAll @IntRange(min = 0, max = 3) int ai, @ForAll @IntRange(min = 0, max = 3) int bi,
                                         @ForAll long seed) {
        checkAll(new Case(seed, ta, tb, m, n, k, ALPHAS[ai], BETAS[bi]), candidates(1));
    }

    @Property(tries = 25)
    void deepProductsSpanSeveralKSlices(@ForAll @IntRange(min = 1, max = 40) int m, @ForAll("cols") int n,
                                        @ForAll @IntRange(min = 500, max = 1300) int k, @ForAll boolean ta, @ForAll boolean tb,
                                        @ForAll @IntRange(min = 0, max = 3) int bi, @ForAll long seed) {
        checkAll(new Case(seed, ta, tb, m, n, k, 1.5f, BETAS[bi]), candidates(1));
    }

    /**
     * The plain default of {@link Gemm} sums all of k at once: the same bits as ours while k fits
     * one slice (alpha 0 excluded: ours then only scales C, as BLAS does, and cannot produce -0).
     */
    @Property(tries = 30)
    void interfaceDefaultMatchesWithinOneSlice(@ForAll("dim") int m, @ForAll("dim") int n, @ForAll("dim") int k,
                                               @ForAll boolean ta, @ForAll boolean tb,
                                               @ForAll @IntRange(min = 0, max = 2) int ai,
                                               @ForAll @IntRange(min = 0, max = 3) int bi, @ForAll long seed) {
        Case cs = new Case(seed, ta, tb, m, n, k, ALPHAS[ai], BETAS[bi]);
        Gemm plain = new Gemm() {
            @Override
            public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOffset,
                             double[] b, int bOffset, double beta, double[] c, int cOffset) {
                throw new UnsupportedOperationException("float64 is not under test");
            }
        };
        assertArrayEquals(cs.run(new BlockedGemm()), cs.run(plain), describe(cs));
    }

    /** Every kernel, path and thread count gives bitwise the same C: only who computes changes. */
    @Property(tries = 40)
    void bitwiseIdenticalAcrossThreadsKernelsAndPaths(@ForAll("rows") int m, @ForAll("cols") int n,
                                                      @ForAll @IntRange(min = 1, max = 1100) int k,
                                                      @ForAll boolean ta, @ForAll boolean tb,
                                                      @ForAll @IntRange(min = 0, max = 3) int ai,
                                                      @ForAll @IntRange(min = 0, max = 3) int bi, @ForAll long seed) {
        Case cs = new Case(seed, ta, tb, m, n, k, ALPHAS[ai], BETAS[bi]);
        List<FloatGemmKernel> kernels = new ArrayList<>();
        kernels.add(BlockedGemm.scalarFloatKernel());
        if (BlockedGemm.vectorFloatKernel() != null) {
            kernels.add(BlockedGemm.vectorFloatKernel());
        }
        float[] reference = cs.run(new BlockedGemm(kernels.get(0), 1, BlockedGemm.BLOCKED, Long.MAX_VALUE));
        for (FloatGemmKernel kern : kernels) {
            for (int threads = 1; threads <= 3; threads++) {
                // parallelFrom 0 forces the split even for small products
                float[] got = cs.run(new BlockedGemm(kern, threads, BlockedGemm.BLOCKED, 0));
                assertArrayEquals(reference, got, kern.name() + " with " + threads + " threads, " + describe(cs));
            }
        }
        assertArrayEquals(reference, cs.run(new BlockedGemm(kernels.get(0), 1, BlockedGemm.DIRECT, 0)),
                "direct path, " + describe(cs));
        assertArrayEquals(reference, cs.run(new BlockedGemm()), "default instance, " + describe(cs));
    }

    /**
     * A vector times a matrix (one row or one column of C) and C narrower than four columns take the
     * direct path's side-by-side dot products (four columns, or four rows, at a time): bitwise the
     * blocked path, for both transposes and depths spanning several k slices.
     */
    @Property(tries = 60)
    void vectorShapesOnTheDirectPathEqualTheBlockedPath(@ForAll @IntRange(min = 1, max = 9) int small,
                                                         @ForAll("dim") int other, @ForAll boolean rowVector,
                                                         @ForAll @IntRange(min = 1, max = 1100) int k,
                                                         @ForAll boolean ta, @ForAll boolean tb,
                                                         @ForAll @IntRange(min = 0, max = 3) int ai,
                                                         @ForAll @IntRange(min = 0, max = 3) int bi, @ForAll long seed) {
        int m = rowVector ? small : other;
        int n = rowVector ? other : small;
        Case cs = new Case(seed, ta, tb, m, n, k, ALPHAS[ai], BETAS[bi]);
        float[] reference = cs.run(new BlockedGemm(BlockedGemm.scalarFloatKernel(), 1, BlockedGemm.BLOCKED, Long.MAX_VALUE));
        assertArrayEquals(reference, cs.run(new BlockedGemm(BlockedGemm.scalarFloatKernel(), 1, BlockedGemm.DIRECT, 0)),
                "direct path, " + describe(cs));
        assertArrayEquals(reference, cs.run(new BlockedGemm()), "default instance, " + describe(cs));
    }

    @Property(tries = 5)
    void largeProductsAreThreadCountIndependent(@ForAll @IntRange(min = 150, max = 300) int m,
                                                @ForAll @IntRange(min = 150, max = 300) int n,
                                                @ForAll boolean ta, @ForAll boolean tb, @ForAll long seed) {
        Case cs = new Case(seed, ta, tb, m, n, 800, 1f, 0f); // at least 18M multiply-adds: split across threads
        float[] one = cs.run(new BlockedGemm(BlockedGemm.scalarFloatKernel(), 1, BlockedGemm.AUTO, BlockedGemm.PARALLEL_FROM));
        for (Gemm g : candidates(2)) {
            assertArrayEquals(one, cs.run(g), g + " (2 threads), " + describe(cs));
        }
    }

    /** Products wider than one B panel (NC columns): the steps of the parallel split cross panels. */
    @Property(tries = 4)
    void severalColumnPanelsAgreeAcrossThreadsAndWithFloat64(@ForAll @IntRange(min = 1, max = 24) int m,
                                                             @ForAll @IntRange(min = 2049, max = 4300) int n,
                                                             @ForAll @IntRange(min = 1, max = 1100) int k,
                                                             @ForAll boolean ta, @ForAll boolean tb, @ForAll long seed) {
        Case cs = new Case(seed, ta, tb, m, n, k, -0.5f, 0.3f);
        float[] one = cs.run(new BlockedGemm(BlockedGemm.scalarFloatKernel(), 1, BlockedGemm.BLOCKED, Long.MAX_VALUE));
        double[][] exact = cs.float64();
        assertClose(cs, exact[0], exact[1], one, 1.0, "1 thread vs float64");
        for (int threads = 2; threads <= 3; threads++) {
            assertArrayEquals(one, cs.run(new BlockedGemm(BlockedGemm.scalarFloatKernel(), threads, BlockedGemm.BLOCKED, 0)),
                    threads + " threads, " + describe(cs));
            BlockedGemm v = BlockedGemm.vector(threads);
            if (v != null) {
                assertArrayEquals(one, cs.run(v), "vector, " + threads + " threads, " + describe(cs));
            }
        }
    }

    @Example
    void knownAnswer() {
        // [[1,2,3],[4,5,6]] . [[7,8],[9,10],[11,12]] = [[58,64],[139,154]]
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = {7, 8, 9, 10, 11, 12};
        List<Gemm> gs = candidates(1);
        gs.add(new EjmlGemm());
        for (Gemm g : gs) {
            float[] c = new float[4];
            g.gemm(false, false, 2, 2, 3, 1f, a, 0, b, 0, 0f, c, 0);
            assertArrayEquals(new float[] {58, 64, 139, 154}, c, 0f, g.toString());
            // A^T stored 3x2 and B^T stored 2x3 give the same product
            float[] at = {1, 4, 2, 5, 3, 6};
            float[] bt = {7, 9, 11, 8, 10, 12};
            float[] c2 = {1, 1, 1, 1};
            g.gemm(true, true, 2, 2, 3, 2f, at, 0, bt, 0, -1f, c2, 0);
            assertArrayEquals(new float[] {115, 127, 277, 307}, c2, 0f, g.toString());
        }
    }

    /** A float sum rounds in float: 2^24 + 1 + 1 is 2^24 in float arithmetic (not 2^24 + 2 as in double). */
    @Example
    void accumulatesInFloat() {
        float[] a = {1 << 24, 1, 1};
        float[] b = {1, 1, 1};
        for (Gemm g : candidates(1)) {
            float[] c = new float[1];
            g.gemm(false, false, 1, 1, 3, 1f, a, 0, b, 0, 0f, c, 0);
            assertEquals((float) (1 << 24), c[0], 0f, g.toString());
        }
    }

    @Example
    void betaZeroOverwritesNaNAndEmptyKScalesC() {
        List<Gemm> gs = candidates(1);
        gs.add(new EjmlGemm());
        for (Gemm g : gs) {
            float[] c = {Float.NaN};
            g.gemm(false, false, 1, 1, 2, 1f, new float[] {1, 2}, 0, new float[] {3, 4}, 0, 0f, c, 0);
            assertEquals(11f, c[0], 0f, g.toString());
            float[] d = {2, 4};
            g.gemm(false, false, 1, 2, 0, 1f, new float[0], 0, new float[0], 0, 0.5f, d, 0);
            assertArrayEquals(new float[] {1, 2}, d, 0f, g.toString());
            float[] e = {5};
            g.gemm(false, false, 0, 1, 3, 1f, new float[0], 0, new float[3], 0, 0f, e, 0);
            assertArrayEquals(new float[] {5}, e, 0f, g.toString());
        }
    }

    @Example
    void badShapesAndShortOperandsNameTheProblem() {
        BlockedGemm g = new BlockedGemm();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.gemm(false, false, 2, 2, 2, 1f, new float[4], 1, new float[4], 0, 0f, new float[4], 0));
        assertTrue(e.getMessage().contains("operand A needs 4 values from offset 1 but its array has length 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> g.gemm(false, false, 2, 3, 2, 1f, new float[4], 0, new float[6], 0, 0f, new float[5], 0));
        assertTrue(e.getMessage().contains("operand C needs 6 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> g.gemm(false, false, 2, -1, 2, 1f, new float[4], 0, new float[4], 0, 0f, new float[4], 0));
        assertTrue(e.getMessage().contains("dimensions must be non-negative, got m=2, n=-1, k=2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> g.gemm(false, false, 2, 2, 2, 1f, new float[4], 0, new float[4], -1, 0f, new float[4], 0));
        assertTrue(e.getMessage().contains("operand B needs 4 values from offset -1"), e.getMessage());
    }

    @Example
    void vectorKernelIsAvailableWithTheModule() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(module, BlockedGemm.vectorFloatKernel() != null);
        assertTrue(BlockedGemm.floatKernelName().contains("f32"), BlockedGemm.floatKernelName());
    }
}
