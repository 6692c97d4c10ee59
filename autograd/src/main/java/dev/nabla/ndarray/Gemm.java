package dev.nabla.ndarray;

/**
 * The one narrow interface every matrix product goes through:
 * {@code C = alpha * op(A) * op(B) + beta * C} over row-major {@code double[]} storage with offsets.
 * Keeping products behind it lets faster back ends (blocked kernels, SIMD, threads) replace the
 * EJML reference without touching any operation.
 */
public interface Gemm {

    /**
     * Computes {@code C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C}, where
     * {@code op(A)} is A or its transpose. A is stored row-major as {@code m x k} (or {@code k x m}
     * when {@code transA}); likewise B.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
              double[] a, int aOffset, double[] b, int bOffset, double beta, double[] c, int cOffset);

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
