package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The Vector API bodies of the one-pass optimizer updates ({@link VectorUpdateKernels}, used by
 * {@link UpdateKernels} when the JVM has the module, as this module's tests do) against the
 * element-by-element formulas written out here, bit for bit: both dtypes, every option of Adam/AdamW
 * (coupled and decoupled decay, AMSGrad) and SGD (weight decay, momentum, dampening, Nesterov),
 * sizes with and without a scalar tail, and values that include zeros of both signs, huge and tiny
 * magnitudes, infinities and NaN.
 */
class VectorUpdateKernelsProperties {

    private static double value(Random r) {
        switch (r.nextInt(12)) {
            case 0: return 0.0;
            case 1: return -0.0;
            case 2: return r.nextGaussian() * 1e30;
            case 3: return r.nextGaussian() * 1e-30;
            case 4: return r.nextInt(20) == 0 ? Double.NaN : r.nextBoolean() ? Double.POSITIVE_INFINITY : 1.5;
            default: return r.nextGaussian();
        }
    }

    private static double[] values(Random r, int n, boolean nonNegative) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = nonNegative ? Math.abs(value(r)) : value(r);
        }
        return x;
    }

    private static NDArray array(double[] x, DType dt) {
        return NDArray.of(x.clone(), x.length).astype(dt);
    }

    private static double round(double x, DType dt) {
        return dt == DType.FLOAT32 ? (float) x : x;
    }

    private static void assertSameBits(double[] want, double[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]),
                    what + " at " + i + ": want " + want[i] + ", got " + got[i]);
        }
    }

    @Property(tries = 60)
    void adamMatchesTheElementwiseFormulaBitwise(@ForAll @IntRange(min = 0, max = 70) int n, @ForAll long seed,
                                                 @ForAll boolean float32, @ForAll boolean decoupled,
                                                 @ForAll boolean ams, @ForAll boolean decay) {
        assertTrue(UpdateKernels.vectorized(), "these tests run with --add-modules jdk.incubator.vector");
        DType dt = float32 ? DType.FLOAT32 : DType.FLOAT64;
        Random r = new Random(seed);
        double[] w0 = values(r, n, false);
        double[] g0 = values(r, n, false);
        double[] m = values(r, n, false);
        double[] v = values(r, n, true);
        double[] vmax = ams ? values(r, n, true) : null;
        double stepSize = 1e-3 * (1 + r.nextDouble());
        double sqrtBc2 = 0.1 + r.nextDouble();
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double wd = decay ? 0.01 : 0;
        double coupled = decoupled ? 0 : wd;
        double shrink = decoupled ? 1 - 1e-3 * wd : 1;
        NDArray p = array(w0, dt);
        NDArray g = array(g0, dt);
        double[] mGot = m.clone();
        double[] vGot = v.clone();
        double[] vmaxGot = vmax == null ? null : vmax.clone();
        UpdateKernels.adam(p, g, mGot, vGot, vmaxGot, stepSize, sqrtBc2, shrink, coupled, decoupled && decay, b1, b2,
                eps);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double wi = round(w0[i], dt);
            double gi = round(g0[i], dt);
            if (coupled != 0) {
                gi += coupled * wi;
            }
            if (decoupled && decay) {
                wi *= shrink;
            }
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            double vi = v[i];
            if (vmax != null) {
                vi = Math.max(vmax[i], vi);
                vmax[i] = vi;
            }
            w[i] = round(wi - stepSize * m[i] / (Math.sqrt(vi) / sqrtBc2 + eps), dt);
        }
        assertSameBits(w, p.astype(DType.FLOAT64).toArray(), "Adam parameter");
        assertSameBits(m, mGot, "Adam m");
        assertSameBits(v, vGot, "Adam v");
        if (vmax != null) {
            assertSameBits(vmax, vmaxGot, "AMSGrad vmax");
        }
    }

    @Property(tries = 60)
    void sgdMatchesTheElementwiseFormulaBitwise(@ForAll @IntRange(min = 0, max = 70) int n, @ForAll long seed,
                                                @ForAll boolean float32, @ForAll @IntRange(min = 0, max = 3) int mode,
                                                @ForAll boolean first, @ForAll boolean decay) {
        DType dt = float32 ? DType.FLOAT32 : DType.FLOAT64;
        Random r = new Random(seed);
        double[] w0 = values(r, n, false);
        double[] g0 = values(r, n, false);
        double[] b = mode == 0 ? null : values(r, n, false);
        double lr = 0.01 * (1 + r.nextDouble());
        double wd = decay ? 1e-3 : 0;
        double mu = 0.9;
        double keep = mode == 2 ? 0.5 : 1; // dampening 0.5 in mode 2
        boolean nesterov = mode == 3;
        NDArray p = array(w0, dt);
        double[] bGot = b == null ? null : b.clone();
        UpdateKernels.sgd(p, array(g0, dt), bGot, first, lr, wd, mu, keep, nesterov);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double wi = round(w0[i], dt);
            double gi = round(g0[i], dt);
            if (wd != 0) {
                gi += wd * wi;
            }
            if (b == null) {
                w[i] = round(wi - lr * gi, dt);
            } else {
                double bi = first ? gi : mu * b[i] + keep * gi;
                b[i] = bi;
                w[i] = round(wi - lr * (nesterov ? gi + mu * bi : bi), dt);
            }
        }
        assertSameBits(w, p.astype(DType.FLOAT64).toArray(), "SGD parameter");
        if (b != null) {
            assertArrayEquals(b, bGot, 0.0, "momentum buffer");
            assertSameBits(b, bGot, "momentum buffer");
        }
    }
}
