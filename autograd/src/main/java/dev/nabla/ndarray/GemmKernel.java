package dev.nabla.ndarray;

/**
 * A register-blocked GEMM micro-kernel for {@link BlockedGemm}: multiplies a packed
 * {@code MR x kc} sliver of A by a packed {@code kc x NR} sliver of B and stores the tile into C.
 *
 * <p>Every implementation computes each output element the same way, so that they agree bitwise:
 * {@code acc = 0; for p in 0..kc-1: acc = fma(a[p], b[p], acc)}, then
 * {@code t = alpha * acc} and {@code c = t} (beta 0), {@code c + t} (beta 1) or {@code beta * c + t}.
 */
interface GemmKernel {

    /** Rows of the register tile (the interleave of packed A). */
    int mr();

    /** Columns of the register tile (the interleave of packed B). */
    int nr();

    /** A short name for reports, e.g. {@code scalar-4x8} or {@code vector-6x16}. */
    String name();

    /**
     * Computes one tile. Packed A holds {@code kc} groups of {@code mr()} values from {@code ao};
     * B holds {@code kc} rows of {@code nr()} values, row p at {@code bo + p * ldb} (packed B has
     * {@code ldb == nr()}; a row-major B can be read in place with {@code ldb} its row length).
     * Only the top-left {@code rows x cols} part is stored to C (row stride {@code ldc});
     * {@code scratch} has at least {@code mr() * nr()} elements.
     */
    void tile(int kc, double[] ap, int ao, double[] bp, int bo, int ldb, double[] c, int co, int ldc,
              int rows, int cols, double alpha, double beta, double[] scratch);

    /** Stores one element: the shared rounding of every kernel and of the direct path. */
    static void store(double[] c, int i, double acc, double alpha, double beta) {
        double t = alpha * acc;
        if (beta == 0.0) {
            c[i] = t;
        } else if (beta == 1.0) {
            c[i] = c[i] + t;
        } else {
            c[i] = beta * c[i] + t;
        }
    }

    /** Stores the top-left {@code rows x cols} of a dense {@code mr x nr} accumulator tile. */
    static void storePartial(double[] acc, int nr, double[] c, int co, int ldc, int rows, int cols,
                             double alpha, double beta) {
        for (int i = 0; i < rows; i++) {
            int r = co + i * ldc;
            int s = i * nr;
            for (int j = 0; j < cols; j++) {
                store(c, r + j, acc[s + j], alpha, beta);
            }
        }
    }
}
