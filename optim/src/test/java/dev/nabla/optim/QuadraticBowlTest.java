package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every optimizer minimises the elongated bowl f(x, y) = x²/20 + y² of <i>Deep Learning from
 * Scratch</i> §6.1 from (−7, 2), with gradients from autograd. Each runs 200 steps with the learning
 * rate named in its test and must end within 1e-3 of the minimum (0, 0) in both coordinates.
 */
class QuadraticBowlTest {
    static final int STEPS = 200;
    static final double TOL = 1e-3;

    /** Runs {@code STEPS} steps from (−7, 2) and returns the final (x, y). */
    static double[] minimise(Function<List<Parameter>, Optimizer> make) {
        Parameter x = new Parameter(NDArray.scalar(-7.0), "x");
        Parameter y = new Parameter(NDArray.scalar(2.0), "y");
        Optimizer opt = make.apply(List.of(x, y));
        for (int i = 0; i < STEPS; i++) {
            opt.zeroGrad();
            Variable f = x.square().div(20.0).add(y.square());
            f.backward();
            opt.step();
        }
        return new double[] {x.data().item(), y.data().item()};
    }

    static void assertNearOrigin(String name, double[] xy) {
        assertTrue(Math.abs(xy[0]) < TOL && Math.abs(xy[1]) < TOL,
                name + " ended at (" + xy[0] + ", " + xy[1] + "), not within " + TOL + " of (0, 0)");
    }

    @Test
    void sgdFollowsTheClosedFormTrajectory() {
        // With lr 0.95, x ← x − 0.95·x/10 and y ← y − 0.95·2y: x_t = −7·0.905^t, y_t = 2·(−0.9)^t.
        double[] xy = minimise(ps -> new SGD(ps, 0.95));
        assertEquals(-7 * Math.pow(0.905, STEPS), xy[0], 1e-15);
        assertEquals(2 * Math.pow(-0.9, STEPS), xy[1], 1e-15);
        assertNearOrigin("SGD lr=0.95", xy);
    }

    @Test
    void sgdWithMomentum() {
        assertNearOrigin("SGD lr=0.1 momentum=0.9", minimise(ps -> SGD.builder(ps).lr(0.1).momentum(0.9).build()));
    }

    @Test
    void sgdWithNesterovMomentum() {
        assertNearOrigin("SGD lr=0.1 nesterov momentum=0.9",
                minimise(ps -> SGD.builder(ps).lr(0.1).momentum(0.9).nesterov(true).build()));
    }

    @Test
    void classicMomentum() {
        assertNearOrigin("Momentum lr=0.1 γ=0.9", minimise(ps -> new Momentum(ps, 0.1, 0.9)));
    }

    @Test
    void adaGrad() {
        assertNearOrigin("AdaGrad lr=1.5", minimise(ps -> new AdaGrad(ps, 1.5)));
    }

    @Test
    void rmsprop() {
        assertNearOrigin("RMSprop lr=0.1", minimise(ps -> new RMSprop(ps, 0.1)));
    }

    @Test
    void rmspropCenteredWithMomentum() {
        assertNearOrigin("RMSprop lr=0.01 centered momentum=0.9",
                minimise(ps -> RMSprop.builder(ps).lr(0.01).centered(true).momentum(0.9).build()));
    }

    @Test
    void adam() {
        assertNearOrigin("Adam lr=0.3", minimise(ps -> new Adam(ps, 0.3)));
    }

    @Test
    void adamAmsgrad() {
        assertNearOrigin("Adam lr=0.3 amsgrad", minimise(ps -> Adam.builder(ps).lr(0.3).amsgrad(true).build()));
    }

    @Test
    void adamW() {
        assertNearOrigin("AdamW lr=0.3 weight_decay=0.01", minimise(ps -> AdamW.builder(ps).lr(0.3).weightDecay(0.01).build()));
    }

    @Test
    void weightDecayPullsTowardsZeroToo() {
        // The minimum of f + (λ/2)‖W‖² is still (0, 0): coupled decay must not stop convergence.
        assertNearOrigin("SGD lr=0.5 weight_decay=0.1", minimise(ps -> SGD.builder(ps).lr(0.5).weightDecay(0.1).build()));
        assertNearOrigin("Adam lr=0.3 weight_decay=0.1", minimise(ps -> Adam.builder(ps).lr(0.3).weightDecay(0.1).build()));
    }
}
