package dev.nabla.ndarray;

/**
 * The one narrow interface every matrix product goes through:
 * {@code C = alpha * op(A) * op(B) + beta * C} over row-major {@code double[]} or {@code float[]} storage with offsets.
 * Keeping products behind it lets faster back ends (blocked kernels, SIMD, threads) replace the
 * EJML reference without touching any operation.
 * Implementations must be thread-safe: products run on whichever thread calls them, several at
 * once. The process-wide default is held in a volatile field, so changing it is safe but affects
 * every thread.
 */
public interface Gemm {

    /**
     * Computes {@code C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C}, where
     * {@code op(A)} is A or its transpose. A is stored row-major as {@code m x k} (or {@code k x m}
     * when {@code transA}); likewise B.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
              double[] a, int aOffset, double[] b, int bOffset, double beta, double[] c, int cOffset);

    /**
     * The float32 product {@code C[m x n] = alpha * op(A) * op(B) + beta * C}, with the same layout
     * rules as the float64 one. This default is a plain triple loop accumulating in float
     * (correct, slow); implementations override it with a fast kernel.
     */
    default void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOffset, float[] b, int bOffset, float beta, float[] c, int cOffset) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOffset + p * m + i] : a[aOffset + i * k + p];
                    float bv = transB ? b[bOffset + j * k + p] : b[bOffset + p * n + j];
                    acc = Math.fma(av, bv, acc);
                }
                int ci = cOffset + i * n + j;
                c[ci] = beta == 0f ? alpha * acc : alpha * acc + beta * c[ci];
            }
        }
    }

    /** The implementation used by {@link NDArray#matmul}: {@link BlockedGemm} unless replaced ({@link EjmlGemm} is the reference). */
    static Gemm current() {
        return GemmHolder.current;
    }

    /** Replaces the implementation used by every matrix product (for benchmarks and new back ends). */
    static void use(Gemm gemm) {
        if (gemm == null) {
            throw new IllegalArgumentException("Gemm.use: implementation must not be null");
        }
        GemmHolder.current = gemm;
    }
}

/** Holds the process-wide GEMM implementation. */
final class GemmHolder {
    static volatile Gemm current = new BlockedGemm();

    private GemmHolder() {}
}
