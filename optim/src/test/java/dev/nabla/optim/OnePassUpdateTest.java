package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass in-place updates of SGD and Adam/AdamW ({@code UpdateKernels}) give bitwise the
 * element-by-element formulas of PyTorch's rules, written out here as direct loops in float64 (a
 * float32 parameter rounded once per step), for both dtypes and every option that changes the loop.
 */
class OnePassUpdateTest {
    private static final int N = 37;

    /** Gradients of a few steps, drawn once. */
    private static double[][] grads(int steps) {
        Random r = new Random(5);
        double[][] g = new double[steps][N];
        for (double[] row : g) {
            for (int i = 0; i < N; i++) {
                row[i] = r.nextGaussian() * (i % 5 == 0 ? 1e-4 : 1);
            }
        }
        return g;
    }

    private static Parameter param(DType dt) {
        return new Parameter(NDArray.randn(new Random(3), N).astype(dt), "w");
    }

    /** Runs {@code opt} over {@code p} with the given gradients (in p's dtype); returns p's values after each step. */
    private static double[][] run(Optimizer opt, Parameter p, double[][] g) {
        double[][] out = new double[g.length][];
        for (int s = 0; s < g.length; s++) {
            opt.zeroGrad();
            p.setGrad(new Variable(NDArray.of(g[s], N).astype(p.dtype())));
            opt.step();
            out[s] = p.data().astype(DType.FLOAT64).toArray();
        }
        return out;
    }

    private static double round(double x, DType dt) {
        return dt == DType.FLOAT32 ? (float) x : x;
    }

    @Test
    void adamAndAdamWMatchTheDirectLoopBitwise() {
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        for (DType dt : List.of(DType.FLOAT64, DType.FLOAT32)) {
            for (boolean decoupled : new boolean[] {false, true}) {
                for (boolean ams : new boolean[] {false, true}) {
                    for (double wd : new double[] {0, 0.05}) {
                        Parameter p = param(dt);
                        double[] w = p.data().astype(DType.FLOAT64).toArray();
                        List<Parameter> ps = List.of(p);
                        Optimizer opt = decoupled ? AdamW.builder(ps).lr(lr).weightDecay(wd).amsgrad(ams).build()
                                : Adam.builder(ps).lr(lr).weightDecay(wd).amsgrad(ams).build();
                        double[][] g = grads(6);
                        double[][] got = run(opt, p, g);
                        double[] m = new double[N], v = new double[N], vmax = new double[N];
                        for (int t = 1; t <= g.length; t++) {
                            double stepSize = lr / (1 - Math.pow(b1, t));
                            double sqrtBc2 = Math.sqrt(1 - Math.pow(b2, t));
                            for (int i = 0; i < N; i++) {
                                double gi = round(g[t - 1][i], dt);
                                double wi = w[i];
                                if (!decoupled) {
                                    gi += wd * wi;
                                } else {
                                    wi *= 1 - lr * wd;
                                }
                                m[i] = b1 * m[i] + (1 - b1) * gi;
                                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                                double vi = v[i];
                                if (ams) {
                                    vmax[i] = Math.max(vmax[i], vi);
                                    vi = vmax[i];
                                }
                                w[i] = round(wi - stepSize * m[i] / (Math.sqrt(vi) / sqrtBc2 + eps), dt);
                                assertEquals(w[i], got[t - 1][i], 0.0, opt.name() + " " + dt + " wd " + wd + " amsgrad "
                                        + ams + " step " + t + " element " + i);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void sgdWithAndWithoutMomentumMatchesTheDirectLoopBitwise() {
        double lr = 0.1;
        for (DType dt : List.of(DType.FLOAT64, DType.FLOAT32)) {
            for (double mu : new double[] {0, 0.9}) {
                for (boolean nesterov : new boolean[] {false, true}) {
                    if (nesterov && mu == 0) {
                        continue;
                    }
                    for (double damp : nesterov ? new double[] {0} : new double[] {0, 0.25}) {
                        for (double wd : new double[] {0, 0.01}) {
                            Parameter p = param(dt);
                            double[] w = p.data().astype(DType.FLOAT64).toArray();
                            Optimizer opt = SGD.builder(List.of(p)).lr(lr).momentum(mu).dampening(damp).nesterov(nesterov)
                                    .weightDecay(wd).build();
                            double[][] g = grads(5);
                            double[][] got = run(opt, p, g);
                            double[] b = new double[N];
                            for (int t = 1; t <= g.length; t++) {
                                for (int i = 0; i < N; i++) {
                                    double gi = round(g[t - 1][i], dt) + wd * w[i];
                                    if (wd == 0) {
                                        gi = round(g[t - 1][i], dt);
                                    }
                                    if (mu != 0) {
                                        b[i] = t == 1 ? gi : mu * b[i] + (1 - damp) * gi;
                                        gi = nesterov ? gi + mu * b[i] : b[i];
                                    }
                                    w[i] = round(w[i] - lr * gi, dt);
                                    assertEquals(w[i], got[t - 1][i], 0.0, "SGD " + dt + " momentum " + mu + " nesterov "
                                            + nesterov + " dampening " + damp + " wd " + wd + " step " + t + " element " + i);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void anUpdateBumpsTheParameterVersionSoThatASavedGraphNoticesIt() {
        Parameter p = param(DType.FLOAT32);
        Variable y = p.mul(p).sum(); // MulNode saves p
        Optimizer opt = new Adam(List.of(p), 0.1);
        p.setGrad(new Variable(NDArray.onesLike(p.data())));
        opt.step();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, y::backward);
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("inplace operation"),
                e.getMessage());
    }
}
