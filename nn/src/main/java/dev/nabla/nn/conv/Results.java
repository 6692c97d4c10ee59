package dev.nabla.nn.conv;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;

/**
 * The dtype rule of the convolution and pooling kernels, which compute in double: a result has
 * the promoted dtype of the operands (float32 only when all are float32, as PyTorch), and a
 * float32 result is the double result rounded once.
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
        if (dtype == DType.FLOAT64) {
            return NDArray.of(values, shape);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return NDArray.of(f, shape);
    }
}
