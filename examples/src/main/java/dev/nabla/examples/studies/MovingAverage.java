package dev.nabla.examples.studies;

/** Trailing moving averages, to draw noisy per-iteration losses as readable curves. Stateless and thread-safe. */
public final class MovingAverage {
    private MovingAverage() {}

    /** {@code out[i]} is the mean of {@code v[max(0, i-window+1) .. i]}. */
    public static double[] trailing(double[] v, int window) {
        double[] out = new double[v.length];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            sum += v[i];
            if (i >= window) {
                sum -= v[i - window];
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }
}
