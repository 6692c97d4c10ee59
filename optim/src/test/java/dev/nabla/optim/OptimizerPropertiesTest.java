package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

/**
 * Properties over random hyper-parameters and gradients: the fused array updates agree with the
 * published scalar formulas element by element, and clipping yields exactly the promised norm.
 */
class OptimizerPropertiesTest {

    /** Random gradients for {@code steps} steps of an {@code n}-element parameter. */
    static double[][] grads(long seed, int steps, int n) {
        Random rng = new Random(seed);
        double[][] g = new double[steps][n];
        for (double[] row : g) {
            for (int i = 0; i < n; i++) {
                row[i] = rng.nextGaussian() * Math.exp(3 * rng.nextGaussian());
            }
        }
        return g;
    }

    static double[] run(Optimizer opt, Parameter p, double[][] g, int n) {
        for (double[] row : g) {
            p.setGrad(new Variable(NDArray.of(row.clone())));
            opt.step();
        }
        return p.data().toArray();
    }

    static void assertAllClose(double[] want, double[] got) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-10 * Math.max(1, Math.abs(want[i])), "element " + i);
        }
    }

    @Property(tries = 30)
    void adamAndAdamWFollowAlgorithm1(@ForAll long seed, @ForAll @Scale(6) @DoubleRange(min = 1e-4, max = 0.5) double lr,
            @ForAll @Scale(6) @DoubleRange(min = 0, max = 0.99) double beta1, @ForAll @Scale(6) @DoubleRange(min = 0.5, max = 0.9999) double beta2,
            @ForAll @Scale(6) @DoubleRange(min = 0, max = 0.1) double wd, @ForAll boolean amsgrad, @ForAll boolean decoupled,
            @ForAll @IntRange(min = 1, max = 12) int steps) {
        int n = 5;
        double[][] g = grads(seed, steps, n);
        double[] w0 = grads(seed + 1, 1, n)[0];
        Parameter p = new Parameter(NDArray.of(w0.clone()));
        Optimizer opt = decoupled
                ? AdamW.builder(List.of(p)).lr(lr).betas(beta1, beta2).weightDecay(wd).amsgrad(amsgrad).build()
                : Adam.builder(List.of(p)).lr(lr).betas(beta1, beta2).weightDecay(wd).amsgrad(amsgrad).build();
        double[] got = run(opt, p, g, n);
        double[] want = new double[n];
        for (int i = 0; i < n; i++) {
            double w = w0[i];
            double m = 0;
            double v = 0;
            double vmax = 0;
            for (int t = 1; t <= steps; t++) {
                double gi = g[t - 1][i];
                if (decoupled) {
                    w -= lr * wd * w;
                } else {
                    gi += wd * w;
                }
                m = beta1 * m + (1 - beta1) * gi;
                v = beta2 * v + (1 - beta2) * gi * gi;
                vmax = Math.max(vmax, v);
                double mHat = m / (1 - Math.pow(beta1, t));
                double vHat = (amsgrad ? vmax : v) / (1 - Math.pow(beta2, t));
                w -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
            }
            want[i] = w;
        }
        assertAllClose(want, got);
    }

    @Property(tries = 30)
    void sgdFollowsPyTorchsFormula(@ForAll long seed, @ForAll @Scale(6) @DoubleRange(min = 1e-4, max = 0.5) double lr,
            @ForAll @Scale(6) @DoubleRange(min = 0, max = 0.99) double momentum, @ForAll @Scale(6) @DoubleRange(min = 0, max = 0.5) double damp,
            @ForAll boolean nesterov, @ForAll @Scale(6) @DoubleRange(min = 0, max = 0.1) double wd, @ForAll @IntRange(min = 1, max = 12) int steps) {
        boolean nest = nesterov && momentum > 0;
        double dampening = nest ? 0 : damp;
        int n = 4;
        double[][] g = grads(seed, steps, n);
        double[] w0 = grads(seed + 1, 1, n)[0];
        Parameter p = new Parameter(NDArray.of(w0.clone()));
        Optimizer opt = SGD.builder(List.of(p)).lr(lr).momentum(momentum).dampening(dampening).nesterov(nest).weightDecay(wd).build();
        double[] got = run(opt, p, g, n);
        double[] want = new double[n];
        for (int i = 0; i < n; i++) {
            double w = w0[i];
            double b = 0;
            for (int t = 0; t < steps; t++) {
                double gi = g[t][i] + wd * w;
                if (momentum != 0) {
                    b = t == 0 ? gi : momentum * b + (1 - dampening) * gi;
                    gi = nest ? gi + momentum * b : b;
                }
                w -= lr * gi;
            }
            want[i] = w;
        }
        assertAllClose(want, got);
    }

    @Property(tries = 50)
    void clippingGivesTheRequestedNormAndKeepsDirections(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int count,
            @ForAll @Scale(6) @DoubleRange(min = 1e-3, max = 1e3) double maxNorm) {
        Random rng = new Random(seed);
        List<Parameter> ps = new ArrayList<>();
        List<NDArray> before = new ArrayList<>();
        double sq = 0;
        for (int k = 0; k < count; k++) {
            int n = 1 + rng.nextInt(6);
            double scale = Math.exp(4 * rng.nextGaussian());
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = rng.nextGaussian() * scale;
                sq += g[i] * g[i];
            }
            Parameter p = new Parameter(NDArray.zeros(n));
            p.setGrad(new Variable(NDArray.of(g)));
            ps.add(p);
            before.add(NDArray.of(g));
        }
        double norm = Math.sqrt(sq);
        double returned = GradClip.clipGradNorm(ps, maxNorm);
        assertEquals(norm, returned, 1e-12 * norm);
        double after = GradClip.gradNorm(ps, 2);
        assertEquals(Math.min(norm, maxNorm), after, 1e-12 * Math.max(after, 1e-300));
        double coef = Math.min(1, maxNorm / norm);
        for (int k = 0; k < count; k++) {
            NDArray g = ps.get(k).grad().data();
            for (int i = 0; i < g.size(); i++) {
                double want = before.get(k).getFlat(i) * coef;
                assertEquals(want, g.getFlat(i), 1e-12 * Math.abs(want) + 1e-300);
                assertTrue(Math.signum(want) == Math.signum(g.getFlat(i)));
            }
        }
    }
}
