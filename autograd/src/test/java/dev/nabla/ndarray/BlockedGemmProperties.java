package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * BlockedGemm against an independent triple loop and against EJML (the reference), over random
 * sizes including the tile edges, all transpose combinations, alpha/beta and offsets; plus the
 * bitwise guarantees: the same bits whatever the thread count, kernel (SIMD or plain) or path.
 */
class BlockedGemmProperties {
    private static final double[] ALPHAS = {1.0, -0.5, 2.5, 0.0};
    private static final double[] BETAS = {0.0, 1.0, -1.5, 0.3};

    /** Sizes 1..150, biased toward the edges of the 4x8, 6x8 and 6x16 tiles and the 96-row block. */
    @Provide
    Arbitrary<Integer> dim() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 150),
                Arbitraries.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 64, 95, 96, 97, 128, 150));
    }

    /** Row counts on both sides of the in-place-B limit (2 * MC rows) as well as the small sizes. */
    @Provide
    Arbitrary<Integer> rows() {
        return Arbitraries.oneOf(dim(), Arbitraries.integers().between(180, 300),
                Arbitraries.of(BlockedGemm.IN_PLACE_B_MAX_ROWS, BlockedGemm.IN_PLACE_B_MAX_ROWS + 1));
    }

    /** One product's operands: A, B and C with random offsets into larger arrays. */
    private static final class Case {
        final boolean ta;
        final boolean tb;
        final int m;
        final int n;
        final int k;
        final double alpha;
        final double beta;
        final double[] a;
        final double[] b;
        final double[] c;
        final int ao;
        final int bo;
        final int co;

        Case(long seed, boolean ta, boolean tb, int m, int n, int k, double alpha, double beta) {
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

        private static double[] values(Random r, int len) {
            double[] v = new double[len];
            for (int i = 0; i < len; i++) {
                v[i] = 2 * r.nextDouble() - 1;
            }
            return v;
        }

        double av(int i, int p) {
            return ta ? a[ao + p * m + i] : a[ao + i * k + p];
        }

        double bv(int p, int j) {
            return tb ? b[bo + j * k + p] : b[bo + p * n + j];
        }

        double[] run(Gemm g) {
            double[] out = c.clone();
            g.gemm(ta, tb, m, n, k, alpha, a, ao, b, bo, beta, out, co);
            return out;
        }

        /** The textbook definition, summed in plain double; also returns a magnitude bound per element. */
        double[][] naive() {
            double[] out = c.clone();
            double[] bound = new double[out.length];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    double abs = 0;
                    for (int p = 0; p < k; p++) {
                        s += av(i, p) * bv(p, j);
                        abs += Math.abs(av(i, p) * bv(p, j));
                    }
                    int idx = co + i * n + j;
                    bound[idx] = Math.abs(alpha) * abs + Math.abs(beta * c[idx]);
                    out[idx] = alpha * s + (beta == 0 ? 0 : beta * c[idx]);
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

    /** |x - ref| <= 1e-12 * (|alpha| sum|a||b| + |beta c|) on C, and the padding around C untouched. */
    private static void assertClose(Case cs, double[] expected, double[] bound, double[] actual, String what) {
        for (int i = 0; i < actual.length; i++) {
            boolean inside = i >= cs.co && i < cs.co + cs.m * cs.n;
            if (!inside) {
                assertEquals(cs.c[i], actual[i], 0.0, what + ": wrote outside C at " + i);
                continue;
            }
            double tol = 1e-12 * bound[i] + 1e-300;
            if (Math.abs(expected[i] - actual[i]) > tol) {
                throw new AssertionError(what + " differs at " + (i - cs.co) + " for " + describe(cs) + ": expected "
                        + expected[i] + " got " + actual[i] + " (tolerance " + tol + ")");
            }
        }
    }

    private static String describe(Case cs) {
        return "m=" + cs.m + " n=" + cs.n + " k=" + cs.k + " transA=" + cs.ta + " transB=" + cs.tb + " alpha="
                + cs.alpha + " beta=" + cs.beta + " offsets=" + cs.ao + "," + cs.bo + "," + cs.co;
    }

    @Property(tries = 60)
    void agreesWithNaiveLoopAndEjml(@ForAll("dim") int m, @ForAll("dim") int n, @ForAll("dim") int k,
                                    @ForAll boolean ta, @ForAll boolean tb,
                                    @ForAll @IntRange(min = 0, max = 3) int ai, @ForAll @IntRange(min = 0, max = 3) int bi,
                                    @ForAll long seed) {
        Case cs = new Case(seed, ta, tb, m, n, k, ALPHAS[ai], BETAS[bi]);
        double[][] naive = cs.naive();
        double[] ejml = cs.run(new EjmlGemm());
        assertClose(cs, naive[0], naive[1], ejml, "EJML vs naive (sanity of the reference)");
        for (Gemm g : candidates(1)) {
            double[] got = cs.run(g);
            assertClose(cs, naive[0], naive[1], got, g + " vs naive");
            assertClose(cs, ejml, naive[1], got, g + " vs EJML");
        }
    }

    @Property(tries = 30)
    void deepProductsSpanSeveralKSlices(@ForAll @IntRange(min = 1, max = 40) int m, @ForAll @IntRange(min = 1, max = 40) int n,
                                        @ForAll @IntRange(min = 500, max = 1300) int k, @ForAll boolean ta, @ForAll boolean tb,
                                        @ForAll @IntRange(min = 0, max = 3) int bi, @ForAll long seed) {
        Case cs = new Case(seed, ta, tb, m, n, k, 1.5, BETAS[bi]);
        double[][] naive = cs.naive();
        double[] ejml = cs.run(new EjmlGemm());
        for (Gemm g : candidates(1)) {
            double[] got = cs.run(g);
            assertClose(cs, naive[0], naive[1], got, g + " vs naive");
            assertClose(cs, ejml, naive[1], got, g + " vs EJML");
        }
    }

    /** Every kernel, path and thread count gives bitwise the same C: only who computes changes. */
    @Property(tries = 40)
    void bitwiseIdenticalAcrossThreadsKernelsAndPaths(@ForAll("rows") int m, @ForAll("dim") int n,
                                                      @ForAll @IntRange(min = 1, max = 1100) int k,
                                                      @ForAll boolean ta, @ForAll boolean tb,
                                                      @ForAll @IntRange(min = 0, max = 3) int ai,
                                                      @ForAll @IntRange(min = 0, max = 3) int bi, @ForAll long seed) {
        Case cs = new Case(seed, ta, tb, m, n, k, ALPHAS[ai], BETAS[bi]);
        List<GemmKernel> kernels = new ArrayList<>();
        kernels.add(BlockedGemm.scalarKernel());
        if (BlockedGemm.vectorKernel() != null) {
            kernels.add(BlockedGemm.vectorKernel());
        }
        double[] reference = cs.run(new BlockedGemm(kernels.get(0), 1, BlockedGemm.BLOCKED, Long.MAX_VALUE));
        for (GemmKernel kern : kernels) {
            for (int threads = 1; threads <= 3; threads++) {
                // parallelFrom 0 forces the split even for small products
                double[] got = cs.run(new BlockedGemm(kern, threads, BlockedGemm.BLOCKED, 0));
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
        double[] reference = cs.run(new BlockedGemm(BlockedGemm.scalarKernel(), 1, BlockedGemm.BLOCKED, Long.MAX_VALUE));
        assertArrayEquals(reference, cs.run(new BlockedGemm(BlockedGemm.scalarKernel(), 1, BlockedGemm.DIRECT, 0)),
                "direct path, " + describe(cs));
        assertArrayEquals(reference, cs.run(new BlockedGemm()), "default instance, " + describe(cs));
    }

    @Property(tries = 5)
    void largeProductsAreThreadCountIndependent(@ForAll @IntRange(min = 150, max = 260) int m,
                                                @ForAll @IntRange(min = 150, max = 260) int n,
                                                @ForAll boolean ta, @ForAll boolean tb, @ForAll long seed) {
        Case cs = new Case(seed, ta, tb, m, n, 700, 1.0, 0.0);
        double[] one = cs.run(new BlockedGemm(BlockedGemm.scalarKernel(), 1, BlockedGemm.AUTO, BlockedGemm.PARALLEL_FROM));
        for (Gemm g : candidates(2)) {
            assertArrayEquals(one, cs.run(g), g + " (2 threads), " + describe(cs));
        }
    }

    /** Products wider than one B panel (NC columns): the steps of the parallel split cross panels. */
    @Property(tries = 4)
    void severalColumnPanelsAgreeAcrossThreadsAndWithEjml(@ForAll @IntRange(min = 1, max = 24) int m,
                                                          @ForAll @IntRange(min = 2049, max = 4300) int n,
                                                          @ForAll @IntRange(min = 1, max = 1100) int k,
                                                          @ForAll boolean ta, @ForAll boolean tb, @ForAll long seed) {
        Case cs = new Case(seed, ta, tb, m, n, k, -0.5, 0.3);
        double[] one = cs.run(new BlockedGemm(BlockedGemm.scalarKernel(), 1, BlockedGemm.BLOCKED, Long.MAX_VALUE));
        double[][] naive = cs.naive();
        assertClose(cs, naive[0], naive[1], one, "1 thread vs naive");
        for (int threads = 2; threads <= 3; threads++) {
            assertArrayEquals(one, cs.run(new BlockedGemm(BlockedGemm.scalarKernel(), threads, BlockedGemm.BLOCKED, 0)),
                    threads + " threads, " + describe(cs));
            BlockedGemm v = BlockedGemm.vector(threads);
            if (v != null) {
                assertArrayEquals(one, cs.run(v), "vector, " + threads + " threads, " + describe(cs));
            }
        }
    }

    /** Several threads calling at once share the worker pool; each still gets the single-thread bits. */
    @Example
    void concurrentCallersGetTheSingleThreadBits() throws Exception {
        int callers = 4;
        List<Case> cases = new ArrayList<>();
        Random r = new Random(42);
        for (int i = 0; i < callers * 6; i++) {
            cases.add(new Case(r.nextLong(), r.nextBoolean(), r.nextBoolean(), 1 + r.nextInt(300), 1 + r.nextInt(300),
                    1 + r.nextInt(1100), 1.0, BETAS[r.nextInt(4)]));
        }
        List<double[]> expected = new ArrayList<>();
        for (Case cs : cases) {
            expected.add(cs.run(new BlockedGemm(BlockedGemm.scalarKernel(), 1, BlockedGemm.BLOCKED, Long.MAX_VALUE)));
        }
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newFixedThreadPool(callers);
        try {
            List<java.util.concurrent.Future<double[]>> got = new ArrayList<>();
            for (Case cs : cases) {
                got.add(ex.submit(() -> cs.run(new BlockedGemm((GemmKernel) null, 2, BlockedGemm.BLOCKED, 0))));
            }
            for (int i = 0; i < cases.size(); i++) {
                assertArrayEquals(expected.get(i), got.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS),
                        describe(cases.get(i)));
            }
        } finally {
            ex.shutdown();
        }
    }

    /** A kernel failing on a worker thread fails the product on the calling thread; the pool keeps working. */
    @Example
    void workerFailureReachesTheCaller() {
        GemmKernel plain = BlockedGemm.scalarKernel();
        GemmKernel failing = new GemmKernel() {
            @Override
            public int mr() {
                return plain.mr();
            }

            @Override
            public int nr() {
                return plain.nr();
            }

            @Override
            public String name() {
                return "failing";
            }

            @Override
            public void tile(int kc, double[] ap, int ao, double[] bp, int bo, int ldb, double[] c, int co, int ldc,
                             int rows, int cols, double alpha, double beta, double[] scratch) {
                if (Thread.currentThread().getName().startsWith("nabla-gemm-")) {
                    throw new IllegalStateException("test failure on a worker");
                }
                // leave time for the worker to claim a task
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                plain.tile(kc, ap, ao, bp, bo, ldb, c, co, ldc, rows, cols, alpha, beta, scratch);
            }
        };
        Case cs = new Case(7, false, false, 400, 300, 600, 1.0, 0.0);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> cs.run(new BlockedGemm(failing, 2, BlockedGemm.BLOCKED, 0)));
        assertEquals("test failure on a worker", e.getMessage());
        double[] one = cs.run(new BlockedGemm(plain, 1, BlockedGemm.BLOCKED, Long.MAX_VALUE));
        assertArrayEquals(one, cs.run(new BlockedGemm(plain, 2, BlockedGemm.BLOCKED, 0)), "after a failure");
    }

    @Example
    void knownAnswer() {
        // [[1,2,3],[4,5,6]] . [[7,8],[9,10],[11,12]] = [[58,64],[139,154]]
        double[] a = {1, 2, 3, 4, 5, 6};
        double[] b = {7, 8, 9, 10, 11, 12};
        for (Gemm g : candidates(1)) {
            double[] c = new double[4];
            g.gemm(false, false, 2, 2, 3, 1.0, a, 0, b, 0, 0.0, c, 0);
            assertArrayEquals(new double[] {58, 64, 139, 154}, c, 0.0);
            // A^T stored 3x2 and B^T stored 2x3 give the same product
            double[] at = {1, 4, 2, 5, 3, 6};
            double[] bt = {7, 9, 11, 8, 10, 12};
            double[] c2 = {1, 1, 1, 1};
            g.gemm(true, true, 2, 2, 3, 2.0, at, 0, bt, 0, -1.0, c2, 0);
            assertArrayEquals(new double[] {115, 127, 277, 307}, c2, 0.0);
        }
    }

    @Example
    void betaZeroOverwritesNaNAndEmptyKScalesC() {
        for (Gemm g : candidates(1)) {
            double[] a = {1, 2};
            double[] b = {3, 4};
            double[] c = {Double.NaN};
            g.gemm(false, false, 1, 1, 2, 1.0, a, 0, b, 0, 0.0, c, 0);
            assertEquals(11.0, c[0], 0.0);
            double[] d = {2, 4};
            g.gemm(false, false, 1, 2, 0, 1.0, new double[0], 0, new double[0], 0, 0.5, d, 0);
            assertArrayEquals(new double[] {1, 2}, d, 0.0);
            double[] e = {5};
            g.gemm(false, false, 0, 1, 3, 1.0, new double[0], 0, new double[3], 0, 0.0, e, 0);
            assertArrayEquals(new double[] {5}, e, 0.0);
        }
    }

    @Example
    void tooShortOperandNamesTheOperand() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BlockedGemm()
                .gemm(false, false, 2, 2, 2, 1.0, new double[4], 1, new double[4], 0, 0.0, new double[4], 0));
        assertTrue(e.getMessage().contains("operand A needs 4 values from offset 1"), e.getMessage());
    }

    @Example
    void vectorKernelIsUsedWhenTheModuleIsPresent() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(module, BlockedGemm.isVectorized(), "kernel " + BlockedGemm.kernelName());
        assertEquals(module, BlockedGemm.vectorKernel() != null);
    }

    @Example
    void threadSettingValidatesAndIsTheDefault() {
        assertThrows(IllegalArgumentException.class, () -> BlockedGemm.setThreads(0));
        assertTrue(BlockedGemm.threads() >= 1);
        assertNotNull(BlockedGemm.kernelName());
        assertTrue(Gemm.current() instanceof BlockedGemm, "BlockedGemm is the default Gemm");
    }
}
