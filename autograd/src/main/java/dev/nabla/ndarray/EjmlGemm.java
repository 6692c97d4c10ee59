package dev.nabla.ndarray;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * The reference {@link Gemm}: EJML's row-major products (ejml-ddense for float64, ejml-fdense for
 * float32), wrapping the backing arrays without copies whenever an operand starts at offset 0
 * (a batched operand at another offset is copied).
 * Stateless and thread-safe: each product wraps its own operands.
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

    // ------------------------------------------------------------------ float32

    /**
     * The float32 product through EJML's {@code CommonOps_FDRM}. ejml-fdense is an optional
     * dependency of nabla-autograd (it shares packages with ejml-ddense, which a module path
     * refuses); without it on the class path this throws an {@link IllegalStateException} saying
     * so, and {@link BlockedGemm} is the product to use.
     */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOffset, float[] b, int bOffset, float beta, float[] c, int cOffset) {
        try {
            FloatProducts.gemm(transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("EjmlGemm: the float32 product needs org.ejml:ejml-fdense on the class "
                    + "path (an optional dependency of nabla-autograd); add it, or use BlockedGemm", e);
        }
    }

    /** EJML's float kernels, in their own class so that float64 use never loads ejml-fdense. */
    private static final class FloatProducts {
        private FloatProducts() {
        }

        static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int aOffset, float[] b, int bOffset, float beta, float[] c, int cOffset) {
            if (m == 0 || n == 0) {
                return;
            }
            FMatrixRMaj ma = wrap(transA ? k : m, transA ? m : k, a, aOffset);
            FMatrixRMaj mb = wrap(transB ? n : k, transB ? k : n, b, bOffset);
            FMatrixRMaj mc = wrap(m, n, c, cOffset);
            if (k == 0) {
                scale(mc, beta);
            } else if (beta == 0f) {
                mult(transA, transB, alpha, ma, mb, mc);
            } else {
                if (beta != 1f) {
                    scale(mc, beta);
                }
                multAdd(transA, transB, alpha, ma, mb, mc);
            }
            if (mc.data != c) {
                System.arraycopy(mc.data, 0, c, cOffset, m * n);
            }
        }

        private static void scale(FMatrixRMaj mc, float beta) {
            if (beta == 0f) {
                java.util.Arrays.fill(mc.data, 0, mc.numRows * mc.numCols, 0f);
            } else {
                CommonOps_FDRM.scale(beta, mc);
            }
        }

        private static FMatrixRMaj wrap(int rows, int cols, float[] data, int offset) {
            if (offset == 0) {
                return FMatrixRMaj.wrap(rows, cols, data);
            }
            float[] copy = new float[rows * cols];
            System.arraycopy(data, offset, copy, 0, copy.length);
            return FMatrixRMaj.wrap(rows, cols, copy);
        }

        private static void mult(boolean ta, boolean tb, float alpha, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            if (ta && tb) {
                CommonOps_FDRM.multTransAB(alpha, a, b, c);
            } else if (ta) {
                CommonOps_FDRM.multTransA(alpha, a, b, c);
            } else if (tb) {
                CommonOps_FDRM.multTransB(alpha, a, b, c);
            } else {
                CommonOps_FDRM.mult(alpha, a, b, c);
            }
        }

        private static void multAdd(boolean ta, boolean tb, float alpha, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            if (ta && tb) {
                CommonOps_FDRM.multAddTransAB(alpha, a, b, c);
            } else if (ta) {
                CommonOps_FDRM.multAddTransA(alpha, a, b, c);
            } else if (tb) {
                CommonOps_FDRM.multAddTransB(alpha, a, b, c);
            } else {
                CommonOps_FDRM.multAdd(alpha, a, b, c);
            }
        }
    }
}
