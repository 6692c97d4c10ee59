package dev.nabla.data;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * Stateless conversions between label and array forms: one-hot encoding, flattening, label columns.
 * Stateless and thread-safe.
 */
public final class Transforms {
    private Transforms() {
    }

    /** One-hot rows {@code (N, numClasses)}: row {@code i} has a 1 at column {@code labels[i]}. */
    public static NDArray oneHot(int[] labels, int numClasses) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("oneHot: numClasses must be > 0 but got " + numClasses);
        }
        double[] out = new double[labels.length * numClasses];
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l < 0 || l >= numClasses) {
                throw new IllegalArgumentException("oneHot: label " + l + " at position " + i
                        + " is out of range for numClasses=" + numClasses + " (labels must be in [0, " + numClasses + "))");
            }
            out[i * numClasses + l] = 1.0;
        }
        return NDArray.of(out, labels.length, numClasses);
    }

    /** The labels of one-hot (or score) rows: the argmax of each row of an {@code (N, K)} array. */
    public static int[] argmaxRows(NDArray rows) {
        if (rows.ndim() != 2) {
            throw new IllegalArgumentException("argmaxRows: expected an (N, K) array but got shape " + Shapes.str(rows.shape()));
        }
        int n = rows.shape(0);
        int k = rows.shape(1);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (rows.getFlat(i * k + j) > rows.getFlat(i * k + best)) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Flattens every sample: {@code (N, d1, d2, ...)} to {@code (N, d1*d2*...)} (a view, no copy). */
    public static NDArray flatten(NDArray x) {
        if (x.ndim() == 0) {
            throw new IllegalArgumentException("flatten: expected samples (N, ...) but got a scalar");
        }
        int n = x.shape(0);
        return x.reshape(n, n == 0 ? 0 : x.size() / n);
    }

    /** Integer labels as an {@code (N, 1)} column of doubles, e.g. 0/1 targets for binary cross-entropy. */
    public static NDArray labelColumn(int[] labels) {
        double[] out = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = labels[i];
        }
        return NDArray.of(out, labels.length, 1);
    }
}
