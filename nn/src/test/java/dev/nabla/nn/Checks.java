package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.GradGradCheck;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/** Shared test helpers: random arrays kept away from kinks, first/second-order checks, module parameter checks. */
final class Checks {
    private Checks() {}

    /** Standard normal values. */
    static NDArray randn(Random r, int... shape) {
        return NDArray.randn(r, shape);
    }

    /** Normal values pushed at least {@code margin} away from every point in {@code kinks}. */
    static NDArray awayFrom(Random r, double margin, double[] kinks, int... shape) {
        NDArray a = NDArray.randn(r, shape);
        double[] d = a.toArray();
        for (int i = 0; i < d.length; i++) {
            boolean ok;
            do {
                ok = true;
                for (double k : kinks) {
                    if (Math.abs(d[i] - k) < margin) {
                        ok = false;
                    }
                }
                if (!ok) {
                    d[i] = r.nextGaussian() * 2;
                }
            } while (!ok);
        }
        return NDArray.of(d, shape);
    }

    /** Values in [lo, hi). */
    static NDArray uniform(Random r, double lo, double hi, int... shape) {
        return NDArray.uniform(r, lo, hi, shape);
    }

    /** GradCheck then GradGradCheck (float64, PyTorch tolerances), failing with the report. */
    static void firstAndSecondOrder(Function<Variable[], Variable> f, NDArray... inputs) {
        GradCheck.check(f, inputs).orThrow();
        GradGradCheck.check(f, inputs).orThrow();
    }

    /** GradCheck only (for functions that are not twice differentiable). */
    static void firstOrder(Function<Variable[], Variable> f, NDArray... inputs) {
        GradCheck.check(f, inputs).orThrow();
    }

    /**
     * Checks the gradients that {@code backward} leaves on every parameter of {@code m} against
     * central differences of {@code vᵀ m(x)} obtained by perturbing the parameter data in place.
     */
    static void moduleParameterGradients(Module m, NDArray x, long seed) {
        Variable out = m.forward(new Variable(x));
        NDArray v = NDArray.randn(new Random(seed), out.shape());
        m.zeroGrad();
        out.backward(new Variable(v));
        double eps = 1e-6;
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            assertNotNull(p.grad(), e.getKey() + " got no gradient");
            NDArray data = p.data();
            for (int j = 0; j < data.size(); j++) {
                double orig = data.getFlat(j);
                double plus;
                double minus;
                try (Autograd.Scope s = Autograd.noGrad()) {
                    data.setFlat(j, orig + eps);
                    plus = dot(v, m.forward(new Variable(x)).data());
                    data.setFlat(j, orig - eps);
                    minus = dot(v, m.forward(new Variable(x)).data());
                    data.setFlat(j, orig);
                }
                double numeric = (plus - minus) / (2 * eps);
                double analytic = p.grad().data().getFlat(j);
                assertTrue(Math.abs(numeric - analytic) <= 1e-5 + 1e-3 * Math.abs(numeric),
                        e.getKey() + "[" + j + "]: analytical " + analytic + " vs numerical " + numeric);
            }
        }
    }

    static double dot(NDArray a, NDArray b) {
        assertEquals(a.size(), b.size());
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.getFlat(i) * b.getFlat(i);
        }
        return s;
    }

    /** Asserts elementwise closeness with a message showing both arrays. */
    static void assertClose(NDArray expected, NDArray actual, double tol) {
        assertTrue(java.util.Arrays.equals(expected.shape(), actual.shape()),
                "shape " + java.util.Arrays.toString(actual.shape()) + " != expected " + java.util.Arrays.toString(expected.shape()));
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.getFlat(i), actual.getFlat(i), tol, "element " + i + ": expected " + expected + " got " + actual);
        }
    }
}
