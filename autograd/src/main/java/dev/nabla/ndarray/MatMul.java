package dev.nabla.ndarray;

/**
 * Matrix products of 1-D, 2-D and batched operands (broadcast batch axes), through {@link Gemm}:
 * its double product for float64, its float product for float32; mixed dtypes promote to float64.
 */
final class MatMul {
    private MatMul() {}

    static NDArray matmul(NDArray a, NDArray b) {
        return matmul(a, b, false, false);
    }

    /**
     * {@code op(a) @ op(b)} where {@code op} swaps the last two axes when its flag is set; the
     * transposition happens inside the GEMM (no copy). A transposed operand needs at least 2 axes.
     */
    static NDArray matmul(NDArray a, NDArray b, boolean transA, boolean transB) {
        if ((transA && a.ndim() < 2) || (transB && b.ndim() < 2)) {
            throw new IllegalArgumentException("matmul: a transposed operand needs at least 2 dimensions, but got shapes "
                    + Shapes.str(a.shape) + (transA ? "ᵀ" : "") + " and " + Shapes.str(b.shape) + (transB ? "ᵀ" : "")
                    + "; reshape the 1-D operand to (1, n) or (n, 1) first");
        }
        if (a.ndim() == 0 || b.ndim() == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, but got shapes "
                    + Shapes.str(a.shape) + " and " + Shapes.str(b.shape));
        }
        if (a.xdata != null || b.xdata != null) {
            DType t = DType.promote(a.dtype(), b.dtype());
            if (!t.isFloatingPoint()) {
                throw new IllegalArgumentException("matmul: integer and bool operands are not supported (got "
                        + a.dtype().numpyName() + " " + Shapes.str(a.shape) + " and " + b.dtype().numpyName() + " "
                        + Shapes.str(b.shape) + "); convert them with astype(DType.FLOAT64) first");
            }
            DType c = t.computeType();
            return matmul(a.astype(c), b.astype(c), transA, transB).astype(t);
        }
        boolean vecA = a.ndim() == 1;
        boolean vecB = b.ndim() == 1;
        int[] as = vecA ? new int[] {1, a.shape[0]} : a.shape;
        int[] bs = vecB ? new int[] {b.shape[0], 1} : b.shape;
        int m = as[as.length - (transA ? 1 : 2)];
        int k = as[as.length - (transA ? 2 : 1)];
        int k2 = bs[bs.length - (transB ? 1 : 2)];
        int n = bs[bs.length - (transB ? 2 : 1)];
        if (k != k2) {
            if (transA || transB) {
                throw new IllegalArgumentException("matmul: shapes " + Shapes.str(a.shape) + (transA ? "ᵀ" : "")
                        + " and " + Shapes.str(b.shape) + (transB ? "ᵀ" : "") + " cannot be multiplied (" + m + "x" + k
                        + " and " + k2 + "x" + n + " after transposing the last two axes)");
            }
            if (a.ndim() <= 2 && b.ndim() <= 2) {
                throw new IllegalArgumentException("matmul: mat1 and mat2 shapes cannot be multiplied ("
                        + m + "x" + k + " and " + k2 + "x" + n + ")");
            }
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(a.shape) + " and " + Shapes.str(b.shape)
                    + " cannot be multiplied: the last dimension of the first (" + k
                    + ") must equal the second-to-last dimension of the second (" + k2 + ")");
        }
        int[] batchA = java.util.Arrays.copyOf(as, as.length - 2);
        int[] batchB = java.util.Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Shapes.broadcast("matmul (batch dimensions)", batchA, batchB);
        int nb = Shapes.size(batch);
        if (a.data == null || b.data == null) {
            if (a.data != null || b.data != null) {
                // mixed dtypes promote to float64 (a 0-d operand cannot reach here)
                return matmul(a.astype(DType.FLOAT64), b.astype(DType.FLOAT64), transA, transB);
            }
            return new NDArray(outShape(vecA, vecB, batch, m, n),
                    floatProduct(a.fdata, b.fdata, transA, transB, batch, batchA, batchB, m, n, k));
        }
        double[] c = new double[outputSize(batch, m, n)];
        Gemm gemm = Gemm.current();
        int[][] off = batchOffsets(batch, batchA, batchB);
        for (int i = 0; i < nb; i++) {
            gemm.gemm(transA, transB, m, n, k, 1.0, a.data, off[0][i] * m * k, b.data, off[1][i] * k * n, 0.0, c, i * m * n);
        }
        return new NDArray(outShape(vecA, vecB, batch, m, n), c);
    }

    /** The element count of the (batch, m, n) result, or the shape error naming matmul. */
    private static int outputSize(int[] batch, int m, int n) {
        return Shapes.size("matmul", append(append(batch, m), n));
    }

    private static int[] outShape(boolean vecA, boolean vecB, int[] batch, int m, int n) {
        if (vecA && vecB) {
            return new int[0];
        } else if (vecA) {
            return append(batch, n);
        } else if (vecB) {
            return append(batch, m);
        }
        return append(append(batch, m), n);
    }

    /** The float32 products, one {@link Gemm} float call per (broadcast) batch entry. */
    private static float[] floatProduct(float[] a, float[] b, boolean transA, boolean transB, int[] batch,
                                        int[] batchA, int[] batchB, int m, int n, int k) {
        int nb = Shapes.size(batch);
        float[] c = new float[outputSize(batch, m, n)];
        Gemm gemm = Gemm.current();
        int[][] off = batchOffsets(batch, batchA, batchB);
        for (int i = 0; i < nb; i++) {
            gemm.gemm(transA, transB, m, n, k, 1f, a, off[0][i] * m * k, b, off[1][i] * k * n, 0f, c, i * m * n);
        }
        return c;
    }

    /**
     * For every entry of the broadcast batch (row-major), the batch index it reads in A and in B
     * ({@code [0]} and {@code [1]}); a batch axis of size 1 repeats its one matrix.
     */
    private static int[][] batchOffsets(int[] batch, int[] batchA, int[] batchB) {
        int nb = Shapes.size(batch);
        int[][] off = new int[2][nb];
        int[] sa = Kernels.broadcastStrides(batchA, batch);
        int[] sb = Kernels.broadcastStrides(batchB, batch);
        int[] idx = new int[batch.length];
        for (int i = 0; i < nb; i++) {
            for (int d = 0; d < batch.length; d++) {
                off[0][i] += idx[d] * sa[d];
                off[1][i] += idx[d] * sb[d];
            }
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++idx[d] < batch[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return off;
    }

    private static int[] append(int[] s, int v) {
        int[] r = java.util.Arrays.copyOf(s, s.length + 1);
        r[s.length] = v;
        return r;
    }
}
