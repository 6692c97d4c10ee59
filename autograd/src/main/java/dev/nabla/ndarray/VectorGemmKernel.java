package dev.nabla.ndarray;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD micro-kernel, through the JDK's incubating Vector API: a 6 x (2 vectors) tile of
 * doubles (6 x 16 with AVX-512, 6 x 8 with AVX2/NEON) in 12 vector accumulators, updated with
 * fused multiply-adds. Loaded only when the {@code jdk.incubator.vector} module is in the boot
 * layer ({@code --add-modules jdk.incubator.vector}); it rounds exactly like
 * {@link ScalarGemmKernel}.
 */
final class VectorGemmKernel implements GemmKernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 6;
    static final int NR = 2 * L;

    private VectorGemmKernel() {}

    /** The kernel, or null when the preferred vector holds fewer than 2 doubles. */
    static GemmKernel create() {
        return L >= 2 ? new VectorGemmKernel() : null;
    }

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public String name() {
        return "vector-" + MR + "x" + NR;
    }

    @Override
    public void tile(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc,
                     int rows, int cols, double alpha, double beta, double[] scratch) {
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        DoubleVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        int a = ao;
        int b = bo;
        for (int p = 0; p < kc; p++, a += MR, b += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, b);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, b + L);
            DoubleVector t = DoubleVector.broadcast(S, ap[a]);
            c00 = t.fma(b0, c00);
            c01 = t.fma(b1, c01);
            t = DoubleVector.broadcast(S, ap[a + 1]);
            c10 = t.fma(b0, c10);
            c11 = t.fma(b1, c11);
            t = DoubleVector.broadcast(S, ap[a + 2]);
            c20 = t.fma(b0, c20);
            c21 = t.fma(b1, c21);
            t = DoubleVector.broadcast(S, ap[a + 3]);
            c30 = t.fma(b0, c30);
            c31 = t.fma(b1, c31);
            t = DoubleVector.broadcast(S, ap[a + 4]);
            c40 = t.fma(b0, c40);
            c41 = t.fma(b1, c41);
            t = DoubleVector.broadcast(S, ap[a + 5]);
            c50 = t.fma(b0, c50);
            c51 = t.fma(b1, c51);
        }
        if (rows == MR && cols == NR) {
            int r = co;
            store(c, r, c00, alpha, beta);
            store(c, r + L, c01, alpha, beta);
            r += ldc;
            store(c, r, c10, alpha, beta);
            store(c, r + L, c11, alpha, beta);
            r += ldc;
            store(c, r, c20, alpha, beta);
            store(c, r + L, c21, alpha, beta);
            r += ldc;
            store(c, r, c30, alpha, beta);
            store(c, r + L, c31, alpha, beta);
            r += ldc;
            store(c, r, c40, alpha, beta);
            store(c, r + L, c41, alpha, beta);
            r += ldc;
            store(c, r, c50, alpha, beta);
            store(c, r + L, c51, alpha, beta);
            return;
        }
        c00.intoArray(scratch, 0);
        c01.intoArray(scratch, L);
        c10.intoArray(scratch, NR);
        c11.intoArray(scratch, NR + L);
        c20.intoArray(scratch, 2 * NR);
        c21.intoArray(scratch, 2 * NR + L);
        c30.intoArray(scratch, 3 * NR);
        c31.intoArray(scratch, 3 * NR + L);
        c40.intoArray(scratch, 4 * NR);
        c41.intoArray(scratch, 4 * NR + L);
        c50.intoArray(scratch, 5 * NR);
        c51.intoArray(scratch, 5 * NR + L);
        GemmKernel.storePartial(scratch, NR, c, co, ldc, rows, cols, alpha, beta);
    }

    /** The vector form of {@link GemmKernel#store}: the same operations in the same order. */
    private static void store(double[] c, int i, DoubleVector acc, double alpha, double beta) {
        DoubleVector t = acc.mul(alpha);
        if (beta == 0.0) {
            t.intoArray(c, i);
        } else if (beta == 1.0) {
            DoubleVector.fromArray(S, c, i).add(t).intoArray(c, i);
        } else {
            DoubleVector.fromArray(S, c, i).mul(beta).add(t).intoArray(c, i);
        }
    }
}
