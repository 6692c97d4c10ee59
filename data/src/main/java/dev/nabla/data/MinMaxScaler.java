package dev.nabla.data;

import dev.nabla.ndarray.NDArray;
import java.util.Arrays;

/**
 * Min-max scaling per feature to {@code [low, high]} (default {@code [0, 1]}), fitted on a
 * training split: {@code low + (x - min) / (max - min) * (high - low)}. A constant feature
 * (max = min) maps to {@code low} instead of dividing by zero. Values outside the fitted range
 * map outside {@code [low, high]}; nothing is clipped.
 * Immutable and thread-safe once fitted.
 */
public final class MinMaxScaler {
    private final NDArray min;
    private final NDArray range;
    private final double low;
    private final double high;

    private MinMaxScaler(NDArray min, NDArray range, double low, double high) {
        this.min = min;
        this.range = range;
        this.low = low;
        this.high = high;
    }

    /** Fits to {@code [0, 1]} on {@code x} of shape {@code (N, ...)}. */
    public static MinMaxScaler fit(NDArray x) {
        return fit(x, 0, 1);
    }

    /** Fits to {@code [low, high]} on {@code x} of shape {@code (N, ...)}. */
    public static MinMaxScaler fit(NDArray x, double low, double high) {
        if (!(low < high)) {
            throw new IllegalArgumentException("MinMaxScaler.fit: need low < high but got [" + low + ", " + high + "]");
        }
        Standardizer.checkSamples("MinMaxScaler.fit", x);
        int n = x.shape(0);
        int k = x.size() / n;
        double[] mn = new double[k];
        double[] mx = new double[k];
        Arrays.fill(mn, Double.POSITIVE_INFINITY);
        Arrays.fill(mx, Double.NEGATIVE_INFINITY);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < k; j++) {
                double v = x.getFlat(r * k + j);
                mn[j] = Math.min(mn[j], v);
                mx[j] = Math.max(mx[j], v);
            }
        }
        double[] range = new double[k];
        for (int j = 0; j < k; j++) {
            double d = mx[j] - mn[j];
            range[j] = d > 0 ? d : 1.0;
        }
        int[] featureShape = Arrays.copyOfRange(x.shape(), 1, x.ndim());
        return new MinMaxScaler(NDArray.of(mn, featureShape), NDArray.of(range, featureShape), low, high);
    }

    /** Scales {@code x} of shape {@code (M, ...)} with the fitted feature shape. */
    public NDArray transform(NDArray x) {
        Standardizer.checkFeatures("MinMaxScaler.transform", x, min.shape());
        return x.sub(min).div(range).mul(high - low).add(low);
    }

    /** The dataset with scaled inputs. */
    public ArrayDataset transform(ArrayDataset data) {
        return data.mapFeatures(this::transform);
    }

    /** Undoes {@link #transform(NDArray)}. */
    public NDArray inverseTransform(NDArray y) {
        Standardizer.checkFeatures("MinMaxScaler.inverseTransform", y, min.shape());
        return y.sub(low).div(high - low).mul(range).add(min);
    }

    /** The fitted per-feature minimum. */
    public NDArray dataMin() {
        return min.copy();
    }

    /** The fitted per-feature {@code max - min} (1 for a constant feature). */
    public NDArray dataRange() {
        return range.copy();
    }
}
