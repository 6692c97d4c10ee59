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
    public void tile(int kc, double[] ap, int ao, double[] bp, int bo, int ldb, double[] c, int co, int ldc,
                     int rows, int cols, double alpha, double beta, double[] scratch) {
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        DoubleVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        int a = ao;
        int b = bo;
        for (int p = 0; p < kc; p++, a += MR, b += ldb) {
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
        // Spill the accumulators to the scratch tile and store from there in a separate method:
        // storing straight from the 12 accumulators makes the compiled method so large that C2
        // stops inlining (NodeCountInliningCutoff) and boxes vectors on every call.
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
        if (rows == MR && cols == NR) {
            storeFull(scratch, c, co, ldc, alpha, beta);
        } else {
            GemmKernel.storePartial(scratch, NR, c, co, ldc, rows, cols, alpha, beta);
        }
    }

    /** Stores a full tile from the scratch accumulators: the vector form of {@link GemmKernel#store}. */
    private static void storeFull(double[] acc, double[] c, int co, int ldc, double alpha, double beta) {
        if (beta == 0.0) {
            for (int i = 0, r = co; i < MR; i++, r += ldc) {
                DoubleVector.fromArray(S, acc, i * NR).mul(alpha).intoArray(c, r);
                DoubleVector.fromArray(S, acc, i * NR + L).mul(alpha).intoArray(c, r + L);
            }
        } else if (beta == 1.0) {
            for (int i = 0, r = co; i < MR; i++, r += ldc) {
                DoubleVector t0 = DoubleVector.fromArray(S, acc, i * NR).mul(alpha);
                DoubleVector t1 = DoubleVector.fromArray(S, acc, i * NR + L).mul(alpha);
                DoubleVector.fromArray(S, c, r).add(t0).intoArray(c, r);
                DoubleVector.fromArray(S, c, r + L).add(t1).intoArray(c, r + L);
            }
        } else {
            for (int i = 0, r = co; i < MR; i++, r += ldc) {
                DoubleVector t0 = DoubleVector.fromArray(S, acc, i * NR).mul(alpha);
                DoubleVector t1 = DoubleVector.fromArray(S, acc, i * NR + L).mul(alpha);
                DoubleVector.fromArray(S, c, r).mul(beta).add(t0).intoArray(c, r);
                DoubleVector.fromArray(S, c, r + L).mul(beta).add(t1).intoArray(c, r + L);
            }
        }
    }
}
