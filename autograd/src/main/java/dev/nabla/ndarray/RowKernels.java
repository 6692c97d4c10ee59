package dev.nabla.ndarray;

/**
 * In-place row operations on a matrix that its caller has just created (a fused layer's output
 * before anyone else sees it): {@code y[i, :] += row} for every row, the bias of a linear layer
 * added into the product's own storage instead of into a new array. The sums are the ones
 * {@link NDArray#add} computes for the broadcast {@code y + row} in the same dtype (one addition
 * per element, float32 in float32), so the fused result is bitwise the unfused one.
 * Stateless and thread-safe; a call must not run concurrently with other users of {@code y}.
 */
public final class RowKernels {
    private RowKernels() {}

    /**
     * Whether {@link #addRowInPlace} applies: {@code y} is a 2-D float64 or float32 array and
     * {@code row} a 1-D array of y's dtype with one element per column.
     */
    public static boolean supports(NDArray y, NDArray row) {
        return y.ndim() == 2 && row.ndim() == 1 && row.shape(0) == y.shape(1) && y.dtype() == row.dtype()
                && (y.data != null && row.data != null || y.fdata != null && row.fdata != null);
    }

    /** {@code y[i, j] += row[j]} in place (one version bump); requires {@link #supports}. */
    public static void addRowInPlace(NDArray y, NDArray row) {
        if (!supports(y, row)) {
            throw new IllegalArgumentException("addRowInPlace: expected a 2-D float32/float64 matrix and a row of its dtype"
                    + " with one element per column, got " + Shapes.str(y.shape()) + " " + y.dtype() + " and "
                    + Shapes.str(row.shape()) + " " + row.dtype() + "; use NDArray.add for broadcasting in general");
        }
        int m = y.shape(0);
        int n = y.shape(1);
        if (y.fdata != null) {
            float[] d = y.fdata;
            float[] r = row.fdata;
            for (int i = 0, o = 0; i < m; i++, o += n) {
                for (int j = 0; j < n; j++) {
                    d[o + j] += r[j];
                }
            }
        } else {
            double[] d = y.data;
            double[] r = row.data;
            for (int i = 0, o = 0; i < m; i++, o += n) {
                for (int j = 0; j < n; j++) {
                    d[o + j] += r[j];
                }
            }
        }
        y.bumpVersion();
    }
}
