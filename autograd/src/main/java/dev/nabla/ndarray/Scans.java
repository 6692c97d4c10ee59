package dev.nabla.ndarray;

/**
 * Forward kernels of the cumulative sum and the product reduction: computed in float64 and
 * rounded once to the result dtype (floating inputs keep their dtype; integer and bool inputs give
 * INT64, as PyTorch's {@code cumsum} and {@code prod}). Stateless and thread-safe.
 */
final class Scans {
    private Scans() {}

    private static DType resultType(DType t) {
        return t.isFloatingPoint() ? t : DType.INT64;
    }

    /** Inclusive cumulative sum along {@code axis}; {@code reverse} sums from the end. */
    static NDArray cumsum(NDArray x, int axis, boolean reverse) {
        int[] shape = x.shape();
        int a = Shapes.axis("cumsum", axis, shape.length);
        double[] v = x.astype(DType.FLOAT64).toArray();
        if (shape.length == 0) {
            return NDArray.of(v).reshape().astype(resultType(x.dtype()));
        }
        int d = shape[a];
        int inner = 1;
        for (int k = a + 1; k < shape.length; k++) {
            inner *= shape[k];
        }
        int outer = d * inner == 0 ? 0 : v.length / (d * inner);
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * d * inner + in;
                double acc = 0;
                for (int i = 0; i < d; i++) {
                    int p = base + (reverse ? d - 1 - i : i) * inner;
                    acc += v[p];
                    v[p] = acc;
                }
            }
        }
        return NDArray.of(v, shape).astype(resultType(x.dtype()));
    }

    /** Product over {@code axes} (null or empty: all); the empty product is 1. */
    static NDArray prod(NDArray x, int[] axes, boolean keepDims) {
        int[] shape = x.shape();
        int[] ax = Shapes.axes("prod", axes, shape.length);
        boolean[] red = new boolean[shape.length];
        for (int a : ax) {
            red[a] = true;
        }
        int[] perm = new int[shape.length];
        int k = 0;
        int m = 1;
        int n = 1;
        for (int a = 0; a < shape.length; a++) {
            if (!red[a]) {
                perm[k++] = a;
                m *= shape[a];
            }
        }
        for (int a : ax) {
            perm[k++] = a;
            n *= shape[a];
        }
        double[] v = x.astype(DType.FLOAT64).permute(perm).copy().toArray();
        double[] out = new double[m];
        for (int i = 0; i < m; i++) {
            double p = 1;
            for (int j = 0; j < n; j++) {
                p *= v[i * n + j];
            }
            out[i] = p;
        }
        int[] rs = new int[keepDims ? shape.length : shape.length - ax.length];
        for (int a = 0, r = 0; a < shape.length; a++) {
            if (!red[a]) {
                rs[r++] = shape[a];
            } else if (keepDims) {
                rs[r++] = 1;
            }
        }
        return NDArray.of(out, rs).astype(resultType(x.dtype()));
    }
}
