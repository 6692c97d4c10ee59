package dev.nabla.data;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Arrays;

/**
 * Standardization {@code (x - mean) / std} per feature, with the statistics fitted on a training
 * split and then applied unchanged to validation and test data (fitting on all data would leak
 * information about the held-out part). The standard deviation is the population one
 * ({@code ddof = 0}, as scikit-learn's {@code StandardScaler}); a constant feature (std below
 * {@code 1e-12}) is only centred, never divided by zero.
 * Immutable and thread-safe once fitted.
 */
public final class Standardizer {
    private static final double MIN_STD = 1e-12;

    private final NDArray mean;
    private final NDArray std;

    private Standardizer(NDArray mean, NDArray std) {
        this.mean = mean;
        this.std = std;
    }

    /** Fits per-feature mean and std over the samples of {@code x}, shape {@code (N, ...)} with {@code N >= 1}. */
    public static Standardizer fit(NDArray x) {
        checkSamples("Standardizer.fit", x);
        int n = x.shape(0);
        int k = x.size() / n;
        int[] featureShape = Arrays.copyOfRange(x.shape(), 1, x.ndim());
        // two passes (mean, then squared deviations): accurate even when |mean| >> std
        double[] mean = new double[k];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < k; j++) {
                mean[j] += x.getFlat(r * k + j);
            }
        }
        for (int j = 0; j < k; j++) {
            mean[j] /= n;
        }
        double[] std = new double[k];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < k; j++) {
                double d = x.getFlat(r * k + j) - mean[j];
                std[j] += d * d;
            }
        }
        for (int j = 0; j < k; j++) {
            double sd = Math.sqrt(std[j] / n);
            std[j] = sd < MIN_STD ? 1.0 : sd;
        }
        return new Standardizer(NDArray.of(mean, featureShape), NDArray.of(std, featureShape));
    }

    /** Fits on the inputs of a training dataset. */
    public static Standardizer fit(ArrayDataset train) {
        return fit(train.features());
    }

    /** {@code (x - mean) / std} for {@code x} of shape {@code (M, ...)} with the fitted feature shape. */
    public NDArray transform(NDArray x) {
        checkFeatures("Standardizer.transform", x, mean.shape());
        return x.sub(mean).div(std);
    }

    /** The dataset with standardized inputs. */
    public ArrayDataset transform(ArrayDataset data) {
        return data.mapFeatures(this::transform);
    }

    /** {@code z * std + mean}: undoes {@link #transform(NDArray)}. */
    public NDArray inverseTransform(NDArray z) {
        checkFeatures("Standardizer.inverseTransform", z, mean.shape());
        return z.mul(std).add(mean);
    }

    /** The fitted per-feature mean (feature shape). */
    public NDArray mean() {
        return mean.copy();
    }

    /** The per-feature divisor: the fitted std, or 1 for a constant feature (feature shape). */
    public NDArray std() {
        return std.copy();
    }

    static void checkSamples(String op, NDArray x) {
        if (x.ndim() == 0 || x.shape(0) == 0) {
            throw new IllegalArgumentException(op + ": need an array of samples (N, ...) with N >= 1 but got shape "
                    + Shapes.str(x.shape()));
        }
    }

    static void checkFeatures(String op, NDArray x, int[] featureShape) {
        int[] s = x.shape();
        if (s.length != featureShape.length + 1 || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), featureShape)) {
            throw new IllegalArgumentException(op + ": expected samples of shape (N" + (featureShape.length == 0 ? "" : ", ")
                    + inner(featureShape) + ") as in the fitted data but got shape " + Shapes.str(s));
        }
    }

    private static String inner(int[] featureShape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < featureShape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(featureShape[i]);
        }
        return sb.toString();
    }
}
