package dev.nabla.nn.conv;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;

/**
 * The dtype rule of the convolution and pooling kernels: a result has the promoted dtype of the
 * operands (float32 only when all are float32, as PyTorch). The kernels compute float32 in float
 * on {@code float[]} copies ({@link #values}, {@link #wrap}); the few that compute in double
 * round a float32 result once ({@link #of}).
 */
final class Results {
    private Results() {}

    /** The dtype of an operation on {@code operands} (null entries are skipped). */
    static DType dtype(NDArray... operands) {
        DType d = null;
        for (NDArray a : operands) {
            if (a != null) {
                d = d == null ? a.dtype() : DType.promote(d, a.dtype());
            }
        }
        return d == null ? DType.FLOAT64 : d;
    }

    /** {@code values} as an array of {@code shape} in {@code dtype}: wrapped when float64, rounded when float32. */
    static NDArray of(DType dtype, double[] values, int... shape) {
        return NDArray.of(values, shape).astype(dtype); // astype returns the same array for float64
    }

    /** A copy of {@code a}'s values as {@code float[]} when {@code f32}, else as {@code double[]}. */
    static Object values(NDArray a, boolean f32) {
        return f32 ? a.toFloatArray() : a.toArray();
    }

    /** Wraps a {@code float[]} (float32) or {@code double[]} (float64) as an array of {@code shape}. */
    static NDArray wrap(Object values, int... shape) {
        return values instanceof float[] f ? NDArray.of(f, shape) : NDArray.of((double[]) values, shape);
    }
}
