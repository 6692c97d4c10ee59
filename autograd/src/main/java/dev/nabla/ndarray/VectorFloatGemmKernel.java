package dev.nabla.ndarray;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 SIMD micro-kernel, through the JDK's incubating Vector API: an MR x (2 vectors) tile
 * of floats (8 x 32 with AVX-512 in 16 vector accumulators, 6 x 16 with AVX2/NEON in 12, see {@link #MR}), updated with
 * fused multiply-adds. Loaded only when the {@code jdk.incubator.vector} module is in the boot
 * layer; it rounds exactly like {@link ScalarFloatGemmKernel}. On Zen 5 (AVX-512) the 8 x 32 tile
 * measured about 200 GFLOP/s per core (CPU time) at n = 1024, against 180 to 195 for 6 x 32 and
 * within noise of 12 x 32, 8 x 48 and 6 x 64, and clearly ahead of 6 x 32 when B is read in place.
 */
final class VectorFloatGemmKernel implements FloatGemmKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Rows of the tile: 8 where the machine has 32 vector registers (AVX-512: 16 accumulators plus
     * two B vectors and a broadcast fit), 6 with 16 registers (AVX2/NEON: 8 rows would need 19
     * registers and spill every iteration; 6 x 16 is the tile BLIS uses on Haswell/Zen).
     */
    static final int MR = L >= 16 ? 8 : 6;
    static final int NR = 2 * L;

    private VectorFloatGemmKernel() {}

    /** The kernel, or null when the preferred vector holds fewer than 4 floats. */
    static FloatGemmKernel create() {
        return L >= 4 ? new VectorFloatGemmKernel() : null;
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
        return "vector-f32-" + MR + "x" + NR;
    }

    @Override
    public void tile(int kc, float[] ap, int ao, float[] bp, int bo, int ldb, float[] c, int co, int ldc,
                     int rows, int cols, float alpha, float beta, float[] scratch) {
        if (MR == 6) {
            tile6(kc, ap, ao, bp, bo, ldb, scratch);
        } else {
            tile8(kc, ap, ao, bp, bo, ldb, scratch);
        }
        if (rows == MR && cols == NR) {
            storeFull(scratch, c, co, ldc, alpha, beta);
        } else {
            FloatGemmKernel.storePartial(scratch, NR, c, co, ldc, rows, cols, alpha, beta);
        }
    }

    /** The 6-row tile's k loop (12 accumulators), leaving the sums in {@code scratch} (row-major, NR wide). */
    private static void tile6(int kc, float[] ap, int ao, float[] bp, int bo, int ldb, float[] scratch) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        int a = ao;
        int b = bo;
        for (int p = 0; p < kc; p++, a += 6, b += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, bp, b);
            FloatVector b1 = FloatVector.fromArray(S, bp, b + L);
            FloatVector t = FloatVector.broadcast(S, ap[a]);
            c00 = t.fma(b0, c00);
            c01 = t.fma(b1, c01);
            t = FloatVector.broadcast(S, ap[a + 1]);
            c10 = t.fma(b0, c10);
            c11 = t.fma(b1, c11);
            t = FloatVector.broadcast(S, ap[a + 2]);
            c20 = t.fma(b0, c20);
            c21 = t.fma(b1, c21);
            t = FloatVector.broadcast(S, ap[a + 3]);
            c30 = t.fma(b0, c30);
            c31 = t.fma(b1, c31);
            t = FloatVector.broadcast(S, ap[a + 4]);
            c40 = t.fma(b0, c40);
            c41 = t.fma(b1, c41);
            t = FloatVector.broadcast(S, ap[a + 5]);
            c50 = t.fma(b0, c50);
            c51 = t.fma(b1, c51);
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
    }

    /** The 8-row tile's k loop (16 accumulators), leaving the sums in {@code scratch} (row-major, NR wide). */
    private static void tile8(int kc, float[] ap, int ao, float[] bp, int bo, int ldb, float[] scratch) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        int a = ao;
        int b = bo;
        for (int p = 0; p < kc; p++, a += 8, b += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, bp, b);
            FloatVector b1 = FloatVector.fromArray(S, bp, b + L);
            FloatVector t = FloatVector.broadcast(S, ap[a]);
            c00 = t.fma(b0, c00);
            c01 = t.fma(b1, c01);
            t = FloatVector.broadcast(S, ap[a + 1]);
            c10 = t.fma(b0, c10);
            c11 = t.fma(b1, c11);
            t = FloatVector.broadcast(S, ap[a + 2]);
            c20 = t.fma(b0, c20);
            c21 = t.fma(b1, c21);
            t = FloatVector.broadcast(S, ap[a + 3]);
            c30 = t.fma(b0, c30);
            c31 = t.fma(b1, c31);
            t = FloatVector.broadcast(S, ap[a + 4]);
            c40 = t.fma(b0, c40);
            c41 = t.fma(b1, c41);
            t = FloatVector.broadcast(S, ap[a + 5]);
            c50 = t.fma(b0, c50);
            c51 = t.fma(b1, c51);
            t = FloatVector.broadcast(S, ap[a + 6]);
            c60 = t.fma(b0, c60);
            c61 = t.fma(b1, c61);
            t = FloatVector.broadcast(S, ap[a + 7]);
            c70 = t.fma(b0, c70);
            c71 = t.fma(b1, c71);
        }
        // Spilled to scratch and stored by a separate method, as in VectorGemmKernel (keeps this
        // method small enough for C2 to inline the vector operations instead of boxing them).
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
        c60.intoArray(scratch, 6 * NR);
        c61.intoArray(scratch, 6 * NR + L);
        c70.intoArray(scratch, 7 * NR);
        c71.intoArray(scratch, 7 * NR + L);
    }

    /** Stores a full tile from the scratch accumulators: the vector form of {@link FloatGemmKernel#store}. */
    private static void storeFull(float[] acc, float[] c, int co, int ldc, float alpha, float beta) {
        for (int i = 0, r = co; i < MR; i++, r += ldc) {
            for (int h = 0; h < NR; h += L) {
                FloatVector t = FloatVector.fromArray(S, acc, i * NR + h).mul(alpha);
                if (beta == 0f) {
                    t.intoArray(c, r + h);
                } else if (beta == 1f) {
                    FloatVector.fromArray(S, c, r + h).add(t).intoArray(c, r + h);
                } else {
                    FloatVector.fromArray(S, c, r + h).mul(beta).add(t).intoArray(c, r + h);
                }
            }
        }
    }
}
