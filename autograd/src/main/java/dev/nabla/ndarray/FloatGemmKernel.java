package dev.nabla.ndarray;

/**
 * The float32 counterpart of {@link GemmKernel}: multiplies a packed {@code MR x kc} sliver of A
 * by a packed {@code kc x NR} sliver of B and stores the tile into C, accumulating in float.
 *
 * <p>Every implementation computes each output element the same way, so that they agree bitwise:
 * {@code acc = 0f; for p in 0..kc-1: acc = fma(a[p], b[p], acc)} (float fma, one rounding), then
 * {@code t = alpha * acc} and {@code c = t} (beta 0), {@code c + t} (beta 1) or {@code beta * c + t}.
 */
interface FloatGemmKernel {

    /** Rows of the register tile (the interleave of packed A). */
    int mr();

    /** Columns of the register tile (the interleave of packed B). */
    int nr();

    /** A short name for reports, e.g. {@code scalar-f32-4x8} or {@code vector-f32-8x32}. */
    String name();

    /**
     * Computes one tile; the layout rules are those of {@link GemmKernel#tile}: packed A holds
     * {@code kc} groups of {@code mr()} values from {@code ao}; B row p starts at
     * {@code bo + p * ldb}; only the top-left {@code rows x cols} part is stored to C (row stride
     * {@code ldc}); {@code scratch} has at least {@code mr() * nr()} elements.
     */
    void tile(int kc, float[] ap, int ao, float[] bp, int bo, int ldb, float[] c, int co, int ldc,
              int rows, int cols, float alpha, float beta, float[] scratch);

    /** Stores one element: the shared rounding of every float kernel and of the direct path. */
    static void store(float[] c, int i, float acc, float alpha, float beta) {
        float t = alpha * acc;
        if (beta == 0f) {
            c[i] = t;
        } else if (beta == 1f) {
            c[i] = c[i] + t;
        } else {
            c[i] = beta * c[i] + t;
        }
    }

    /** Stores the top-left {@code rows x cols} of a dense {@code mr x nr} accumulator tile. */
    static void storePartial(float[] acc, int nr, float[] c, int co, int ldc, int rows, int cols,
                             float alpha, float beta) {
        for (int i = 0; i < rows; i++) {
            int r = co + i * ldc;
            int s = i * nr;
            for (int j = 0; j < cols; j++) {
                store(c, r + j, acc[s + j], alpha, beta);
            }
        }
    }
}
