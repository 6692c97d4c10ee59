package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The one-pass backward kernels of ReLU, sigmoid and tanh (used by LeakyReluGradNode,
 * SigmoidGradNode and TanhGradNode) against the multi-array forms they replace, bit for bit, in
 * both dtypes, with zeros of both signs, infinities and NaN among the values.
 */
class FusedBackwardKernelsProperties {

    private static NDArray values(Random r, int n, DType dt) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(10)) {
                case 0: x[i] = 0.0; break;
                case 1: x[i] = -0.0; break;
                case 2: x[i] = r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NaN; break;
                default: x[i] = r.nextGaussian() * 3;
            }
        }
        return NDArray.of(x, n).astype(dt);
    }

    private static void assertSameBits(NDArray want, NDArray got, String what) {
        assertEquals(want.dtype(), got.dtype(), what);
        double[] w = want.astype(DType.FLOAT64).toArray();
        double[] g = got.astype(DType.FLOAT64).toArray();
        for (int i = 0; i < w.length; i++) {
            assertEquals(Double.doubleToRawLongBits(w[i]), Double.doubleToRawLongBits(g[i]), what + " at " + i);
        }
    }

    @Property(tries = 40)
    void oneBackwardPassEqualsTheUnfusedArrays(@ForAll @IntRange(min = 0, max = 300) int n, @ForAll long seed,
                                               @ForAll boolean float32) {
        DType dt = float32 ? DType.FLOAT32 : DType.FLOAT64;
        Random r = new Random(seed);
        NDArray x = values(r, n, dt);
        NDArray g = values(r, n, dt);
        NDArray y = x.sigmoid();
        NDArray one = NDArray.scalar(dt, 1.0);
        assertSameBits(g.mul(y.mul(one.sub(y))), y.sigmoidBackward(g), "sigmoid backward");
        NDArray t = x.tanh();
        assertSameBits(g.mul(one.sub(t.mul(t))), t.tanhBackward(g), "tanh backward");
        for (double slope : new double[] {0, 0.01, -0.5}) {
            assertSameBits(g.mul(x.leakyReluDerivative(slope)), x.leakyReluBackward(g, slope), "leaky ReLU " + slope);
        }
    }
}
