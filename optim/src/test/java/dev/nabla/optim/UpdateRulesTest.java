package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each update rule against values computed by hand from the published formulas: literal numbers
 * for the first steps, and an independent scalar re-implementation of the formula for longer runs.
 */
class UpdateRulesTest {
    /** Three gradients applied in turn to a two-element parameter starting at W0. */
    static final double[] W0 = {1.0, -2.0};
    static final double[][] GRADS = {{0.5, -1.0}, {0.3, 2.0}, {-0.2, 0.1}, {4.0, -0.01}, {0.02, 0.5}};
    static final double TOL = 1e-12;

    /** Runs {@code opt} over {@code p} with the gradients {@link #GRADS}[0..steps) and returns W after each step. */
    static double[][] trajectory(Optimizer opt, Parameter p, int steps) {
        double[][] out = new double[steps][];
        for (int t = 0; t < steps; t++) {
            p.setGrad(new Variable(NDArray.of(GRADS[t].clone())));
            opt.step();
            out[t] = p.data().toArray();
        }
        return out;
    }

    static Parameter param() {
        return new Parameter(NDArray.of(W0.clone()));
    }

    static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, TOL * Math.max(1, Math.abs(expected)), what);
    }

    static void assertTrajectory(double[][] expected, double[][] actual) {
        for (int t = 0; t < expected.length; t++) {
            for (int i = 0; i < expected[t].length; i++) {
                assertClose(expected[t][i], actual[t][i], "step " + (t + 1) + " element " + i);
            }
        }
    }

    // ------------------------------------------------------------------ SGD

    @Test
    void plainSgdHandValues() {
        Parameter p = param();
        double[][] w = trajectory(new SGD(List.of(p), 0.1), p, 2);
        // W1 = W0 - 0.1 g1 = [1 - 0.05, -2 + 0.1]
        assertClose(0.95, w[0][0], "w1[0]");
        assertClose(-1.9, w[0][1], "w1[1]");
        // W2 = W1 - 0.1 g2 = [0.95 - 0.03, -1.9 - 0.2]
        assertClose(0.92, w[1][0], "w2[0]");
        assertClose(-2.1, w[1][1], "w2[1]");
    }

    @Test
    void sgdMomentumHandValuesPyTorchForm() {
        Parameter p = param();
        double[][] w = trajectory(SGD.builder(List.of(p)).lr(0.1).momentum(0.9).build(), p, 2);
        // step 1: b = g1 = [0.5, -1]; W = [0.95, -1.9]
        assertClose(0.95, w[0][0], "w1[0]");
        assertClose(-1.9, w[0][1], "w1[1]");
        // step 2: b = 0.9 b + g2 = [0.75, 1.1]; W = [0.95 - 0.075, -1.9 - 0.11]
        assertClose(0.875, w[1][0], "w2[0]");
        assertClose(-2.01, w[1][1], "w2[1]");
    }

    @Test
    void sgdNesterovDampeningAndWeightDecayAgainstTheFormula() {
        double lr = 0.05;
        double mu = 0.8;
        double wd = 0.1;
        for (String variant : new String[] {"nesterov", "dampening"}) {
            boolean nesterov = variant.equals("nesterov");
            double damp = nesterov ? 0 : 0.3;
            Parameter p = param();
            Optimizer opt = SGD.builder(List.of(p)).lr(lr).momentum(mu).dampening(damp).nesterov(nesterov)
                    .weightDecay(wd).build();
            double[][] got = trajectory(opt, p, GRADS.length);
            double[][] want = new double[GRADS.length][2];
            for (int i = 0; i < 2; i++) {
                double w = W0[i];
                double b = 0;
                for (int t = 0; t < GRADS.length; t++) {
                    double g = GRADS[t][i] + wd * w;
                    b = t == 0 ? g : mu * b + (1 - damp) * g;
                    double d = nesterov ? g + mu * b : b;
                    w = w - lr * d;
                    want[t][i] = w;
                }
            }
            assertTrajectory(want, got);
        }
        // Nesterov, first step by hand: g = [0.5 + 0.1, -1 - 0.2] = [0.6, -1.2]; b = g; d = g + 0.8 g = 1.8 g
        Parameter p = param();
        double[][] w = trajectory(SGD.builder(List.of(p)).lr(lr).momentum(mu).nesterov(true).weightDecay(wd).build(), p, 1);
        assertClose(1 - 0.05 * 1.8 * 0.6, w[0][0], "nesterov w1[0]");
        assertClose(-2 + 0.05 * 1.8 * 1.2, w[0][1], "nesterov w1[1]");
    }

    @Test
    void classicMomentumHandValuesAndItsDifferenceFromPyTorchFormWhenLrChanges() {
        Parameter p = param();
        Momentum m = new Momentum(List.of(p), 0.1, 0.9);
        double[][] w = trajectory(m, p, 2);
        // v1 = -0.1 g1 = [-0.05, 0.1]; W1 = [0.95, -1.9]
        assertClose(0.95, w[0][0], "w1[0]");
        assertClose(-1.9, w[0][1], "w1[1]");
        // v2 = 0.9 v1 - 0.1 g2 = [-0.045 - 0.03, 0.09 - 0.2] = [-0.075, -0.11]
        assertClose(0.875, w[1][0], "w2[0]");
        assertClose(-2.01, w[1][1], "w2[1]");

        // With a constant lr the two forms agree (v = -η b); after an lr change they differ as the formulas say.
        Parameter a = param();
        Parameter b = param();
        Momentum classic = new Momentum(List.of(a), 0.1, 0.9);
        SGD torch = SGD.builder(List.of(b)).lr(0.1).momentum(0.9).build();
        for (int t = 0; t < 3; t++) {
            if (t == 2) {
                classic.setLr(0.2);
                torch.setLr(0.2);
            }
            a.setGrad(new Variable(NDArray.of(GRADS[t].clone())));
            b.setGrad(new Variable(NDArray.of(GRADS[t].clone())));
            classic.step();
            torch.step();
        }
        // element 0 after step 2 is 0.875 for both; step 3, g = -0.2:
        // classic: v = 0.9(-0.075) - 0.2(-0.2) = -0.0275 -> 0.8475
        // torch:   b = 0.9(0.75) - 0.2 = 0.475; W = 0.875 - 0.2(0.475) = 0.78
        assertClose(0.8475, a.data().getFlat(0), "classic after lr change");
        assertClose(0.78, b.data().getFlat(0), "PyTorch form after lr change");
    }

    // ------------------------------------------------------------------ AdaGrad

    @Test
    void adaGradHandValues() {
        Parameter p = param();
        double[][] w = trajectory(AdaGrad.builder(List.of(p)).lr(0.1).eps(0).build(), p, 2);
        // h1 = g1² = [0.25, 1]; W1 = W0 - 0.1 g1/√h1 = [1 - 0.1, -2 + 0.1]
        assertClose(0.9, w[0][0], "w1[0]");
        assertClose(-1.9, w[0][1], "w1[1]");
        // h2 = [0.25 + 0.09, 1 + 4]; W2 = W1 - 0.1 g2/√h2
        assertClose(0.9 - 0.1 * 0.3 / Math.sqrt(0.34), w[1][0], "w2[0]");
        assertClose(-1.9 - 0.1 * 2.0 / Math.sqrt(5.0), w[1][1], "w2[1]");
    }

    @Test
    void adaGradWithAllOptionsAgainstTheFormula() {
        double lr = 0.3;
        double lrDecay = 0.1;
        double wd = 0.05;
        double h0 = 0.2;
        double eps = 1e-7;
        Parameter p = param();
        Optimizer opt = AdaGrad.builder(List.of(p)).lr(lr).lrDecay(lrDecay).weightDecay(wd)
                .initialAccumulatorValue(h0).eps(eps).build();
        double[][] got = trajectory(opt, p, GRADS.length);
        double[][] want = new double[GRADS.length][2];
        for (int i = 0; i < 2; i++) {
            double w = W0[i];
            double h = h0;
            for (int t = 1; t <= GRADS.length; t++) {
                double g = GRADS[t - 1][i] + wd * w;
                h += g * g;
                w -= lr / (1 + (t - 1) * lrDecay) * g / (Math.sqrt(h) + eps);
                want[t - 1][i] = w;
            }
        }
        assertTrajectory(want, got);
    }

    // ------------------------------------------------------------------ RMSprop

    @Test
    void rmspropHandValues() {
        Parameter p = param();
        double[][] w = trajectory(RMSprop.builder(List.of(p)).lr(0.1).alpha(0.99).eps(0).build(), p, 2);
        // s1 = 0.01 g1²; g/√s1 = sign(g)/0.1 = ±10; W1 = W0 - 0.1·(±10) = [0, -1]
        assertClose(0.0, w[0][0], "w1[0]");
        assertClose(-1.0, w[0][1], "w1[1]");
        // s2 = 0.99·0.0025 + 0.01·0.09 = 0.003375; W2 = 0 - 0.1·0.3/√0.003375
        assertClose(-0.1 * 0.3 / Math.sqrt(0.003375), w[1][0], "w2[0]");
    }

    @Test
    void rmspropCenteredWithMomentumAndDecayAgainstTheFormula() {
        double lr = 0.01;
        double alpha = 0.9;
        double eps = 1e-6;
        double mu = 0.5;
        double wd = 0.02;
        for (boolean centered : new boolean[] {false, true}) {
            Parameter p = param();
            Optimizer opt = RMSprop.builder(List.of(p)).lr(lr).alpha(alpha).eps(eps).momentum(mu).centered(centered)
                    .weightDecay(wd).build();
            double[][] got = trajectory(opt, p, GRADS.length);
            double[][] want = new double[GRADS.length][2];
            for (int i = 0; i < 2; i++) {
                double w = W0[i];
                double s = 0;
                double a = 0;
                double b = 0;
                for (int t = 0; t < GRADS.length; t++) {
                    double g = GRADS[t][i] + wd * w;
                    s = alpha * s + (1 - alpha) * g * g;
                    a = alpha * a + (1 - alpha) * g;
                    double var = centered ? s - a * a : s;
                    b = mu * b + g / (Math.sqrt(var) + eps);
                    w -= lr * b;
                    want[t][i] = w;
                }
            }
            assertTrajectory(want, got);
        }
    }

    // ------------------------------------------------------------------ Adam / AdamW

    /** Kingma & Ba, Algorithm 1, written out per coordinate (with the optional AMSGrad max and decay forms). */
    static double[][] adamReference(double lr, double b1, double b2, double eps, double wd, boolean decoupled,
            boolean amsgrad, int steps) {
        double[][] want = new double[steps][2];
        for (int i = 0; i < 2; i++) {
            double w = W0[i];
            double m = 0;
            double v = 0;
            double vmax = 0;
            for (int t = 1; t <= steps; t++) {
                double g = GRADS[t - 1][i];
                if (decoupled) {
                    w = w - lr * wd * w;
                } else {
                    g = g + wd * w;
                }
                m = b1 * m + (1 - b1) * g;
                v = b2 * v + (1 - b2) * g * g;
                vmax = Math.max(vmax, v);
                double mHat = m / (1 - Math.pow(b1, t));
                double vHat = (amsgrad ? vmax : v) / (1 - Math.pow(b2, t));
                w = w - lr * mHat / (Math.sqrt(vHat) + eps);
                want[t - 1][i] = w;
            }
        }
        return want;
    }

    @Test
    void adamFirstStepMovesEachCoordinateByLr() {
        Parameter p = param();
        double[][] w = trajectory(Adam.builder(List.of(p)).lr(0.1).eps(0).build(), p, 1);
        // m̂1 = g1, v̂1 = g1², so the step is lr·sign(g1)
        assertClose(0.9, w[0][0], "w1[0]");
        assertClose(-1.9, w[0][1], "w1[1]");
    }

    @Test
    void adamSecondStepByHand() {
        Parameter p = param();
        double[][] w = trajectory(Adam.builder(List.of(p)).lr(0.1).betas(0.9, 0.999).eps(0).build(), p, 2);
        // element 0: m2 = 0.9·0.05 + 0.1·0.3 = 0.075; v2 = 0.999·0.00025 + 0.001·0.09 = 0.00033975
        double mHat = 0.075 / (1 - 0.81);
        double vHat = 0.00033975 / (1 - 0.998001);
        assertClose(0.9 - 0.1 * mHat / Math.sqrt(vHat), w[1][0], "w2[0]");
    }

    @Test
    void adamVariantsAgainstTheFormula() {
        int n = GRADS.length;
        for (boolean amsgrad : new boolean[] {false, true}) {
            Parameter p = param();
            Optimizer adam = Adam.builder(List.of(p)).lr(0.01).betas(0.8, 0.95).eps(1e-6).weightDecay(0.1).amsgrad(amsgrad).build();
            assertTrajectory(adamReference(0.01, 0.8, 0.95, 1e-6, 0.1, false, amsgrad, n), trajectory(adam, p, n));

            Parameter q = param();
            Optimizer adamW = AdamW.builder(List.of(q)).lr(0.01).betas(0.8, 0.95).eps(1e-6).weightDecay(0.1).amsgrad(amsgrad).build();
            assertTrajectory(adamReference(0.01, 0.8, 0.95, 1e-6, 0.1, true, amsgrad, n), trajectory(adamW, q, n));
        }
    }

    @Test
    void amsgradMattersWhenTheSecondMomentFalls() {
        // GRADS[3] = 4.0 then GRADS[4] = 0.02: v falls at step 5, so AMSGrad's max changes the step.
        Parameter a = param();
        Parameter b = param();
        trajectory(Adam.builder(List.of(a)).lr(0.01).betas(0.9, 0.5).build(), a, 5);
        trajectory(Adam.builder(List.of(b)).lr(0.01).betas(0.9, 0.5).amsgrad(true).build(), b, 5);
        assertNotEquals(a.data().getFlat(0), b.data().getFlat(0));
    }

    @Test
    void adamWWithoutDecayIsBitwiseAdamAndDecayIsDecoupled() {
        Parameter a = param();
        Parameter b = param();
        trajectory(Adam.builder(List.of(a)).lr(0.01).build(), a, 5);
        trajectory(AdamW.builder(List.of(b)).lr(0.01).weightDecay(0).build(), b, 5);
        assertEquals(a.data(), b.data());

        // AdamW's first step with decay: W(1 - ηλ) - η·sign(g)
        Parameter c = param();
        double[][] w = trajectory(AdamW.builder(List.of(c)).lr(0.1).weightDecay(0.5).eps(0).build(), c, 1);
        assertClose(1 * (1 - 0.05) - 0.1, w[0][0], "w1[0]");
        assertClose(-2 * (1 - 0.05) + 0.1, w[0][1], "w1[1]");
    }

    // ------------------------------------------------------------------ common behaviour

    @Test
    void updatesInPlaceAndSkipsParametersWithoutGradient() {
        Parameter used = param();
        Parameter unused = new Parameter(NDArray.of(3.0, 4.0));
        NDArray data = used.data();
        int version = data.version();
        List<Optimizer> all = List.of(new SGD(List.of(used, unused), 0.1), new Momentum(List.of(used, unused), 0.1, 0.9),
                new AdaGrad(List.of(used, unused), 0.1), new RMSprop(List.of(used, unused), 0.1),
                new Adam(List.of(used, unused), 0.1), new AdamW(List.of(used, unused), 0.1));
        for (Optimizer opt : all) {
            used.setGrad(new Variable(NDArray.of(1.0, 1.0)));
            unused.clearGrad();
            double before = used.data().getFlat(0);
            opt.step();
            assertSame(data, used.data(), opt.name());
            assertTrue(used.data().getFlat(0) < before, opt.name() + " moved against the gradient");
            assertTrue(data.version() > version, opt.name() + " bumps the version counter");
            version = data.version();
            assertEquals(NDArray.of(3.0, 4.0), unused.data(), opt.name() + " left the unused parameter alone");
            assertTrue(opt.stateDict().keySet().stream().noneMatch(k -> k.startsWith("state.1.")), opt.name());
            assertTrue(opt.stateDict().containsKey("state.0.step"), opt.name());
            opt.zeroGrad();
            assertEquals(null, used.grad(), opt.name() + ".zeroGrad clears");
        }
    }

    @Test
    void aParameterFirstUpdatedLaterStartsItsOwnStepCount() {
        // Bias correction uses the per-parameter step, as in PyTorch: b gets a gradient only from step 3.
        Parameter a = param();
        Parameter b = param();
        Adam adam = Adam.builder(List.of(a, b)).lr(0.1).eps(0).build();
        for (int t = 0; t < 3; t++) {
            a.setGrad(new Variable(NDArray.of(1.0, 1.0)));
            if (t == 2) {
                b.setGrad(new Variable(NDArray.of(0.5, -1.0)));
            }
            adam.step();
        }
        // b's first update is a bias-corrected first step: lr·sign(g)
        assertClose(0.9, b.data().getFlat(0), "b[0]");
        assertClose(-1.9, b.data().getFlat(1), "b[1]");
        assertEquals(3.0, adam.stateDict().get("state.0.step").item());
        assertEquals(1.0, adam.stateDict().get("state.1.step").item());
        assertEquals(3, adam.stepCount());
    }
}
