package dev.nabla.ndarray;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The reference {@link Gemm}: EJML's row-major products, wrapping the backing arrays without
 * copies whenever an operand starts at offset 0 (a batched operand at another offset is copied).
 */
public final class EjmlGemm implements Gemm {

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     double[] a, int aOffset, double[] b, int bOffset, double beta, double[] c, int cOffset) {
        if (m == 0 || n == 0) {
            return;
        }
        DMatrixRMaj ma = wrap(transA ? k : m, transA ? m : k, a, aOffset);
        DMatrixRMaj mb = wrap(transB ? n : k, transB ? k : n, b, bOffset);
        DMatrixRMaj mc = wrap(m, n, c, cOffset);
        if (k == 0) {
            scale(mc, beta);
        } else if (beta == 0.0) {
            mult(transA, transB, alpha, ma, mb, mc);
        } else {
            if (beta != 1.0) {
                scale(mc, beta);
            }
            multAdd(transA, transB, alpha, ma, mb, mc);
        }
        if (mc.data != c) {
            System.arraycopy(mc.data, 0, c, cOffset, m * n);
        }
    }

    private static void scale(DMatrixRMaj mc, double beta) {
        if (beta == 0.0) {
            java.util.Arrays.fill(mc.data, 0, mc.numRows * mc.numCols, 0.0);
        } else {
            CommonOps_DDRM.scale(beta, mc);
        }
    }

    private static DMatrixRMaj wrap(int rows, int cols, double[] data, int offset) {
        if (offset == 0) {
            return DMatrixRMaj.wrap(rows, cols, data);
        }
        double[] copy = new double[rows * cols];
        System.arraycopy(data, offset, copy, 0, copy.length);
        return DMatrixRMaj.wrap(rows, cols, copy);
    }

    private static void mult(boolean ta, boolean tb, double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        if (ta && tb) {
            CommonOps_DDRM.multTransAB(alpha, a, b, c);
        } else if (ta) {
            CommonOps_DDRM.multTransA(alpha, a, b, c);
        } else if (tb) {
            CommonOps_DDRM.multTransB(alpha, a, b, c);
        } else {
            CommonOps_DDRM.mult(alpha, a, b, c);
        }
    }

    private static void multAdd(boolean ta, boolean tb, double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        if (ta && tb) {
            CommonOps_DDRM.multAddTransAB(alpha, a, b, c);
        } else if (ta) {
            CommonOps_DDRM.multAddTransA(alpha, a, b, c);
        } else if (tb) {
            CommonOps_DDRM.multAddTransB(alpha, a, b, c);
        } else {
            CommonOps_DDRM.multAdd(alpha, a, b, c);
        }
    }
}
