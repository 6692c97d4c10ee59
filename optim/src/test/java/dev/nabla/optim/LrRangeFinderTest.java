package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The LR range test on a linear regression y = 3x + 1 + noise, fitted by full-batch gradient descent. */
class LrRangeFinderTest {
    final Parameter w = new Parameter(NDArray.of(0.0), "w");
    final Parameter b = new Parameter(NDArray.of(0.0), "b");
    final Variable x;
    final Variable y;

    LrRangeFinderTest() {
        Random rng = new Random(42);
        NDArray xs = NDArray.uniform(rng, -1, 1, 64);
        x = new Variable(xs);
        y = new Variable(xs.mul(3.0).add(1.0).add(NDArray.randn(rng, 64).mul(0.1)));
    }

    Supplier<Variable> mse() {
        return () -> x.mul(w).add(b).sub(y).square().mean();
    }

    @Test
    void lossFallsThenDivergesAndTheSweepStops() {
        SGD sgd = new SGD(List.of(w, b), 0.123);
        LrRangeFinder finder = new LrRangeFinder(1e-4, 100, 100);
        LrRangeFinder.Result r = finder.run(sgd, mse());
        List<LrRangeFinder.Point> pts = r.points();

        assertTrue(r.diverged(), "the sweep should diverge before lr 100");
        assertTrue(pts.size() < 100, "stopped early after " + pts.size() + " steps");
        double first = pts.get(0).loss();
        double min = pts.stream().mapToDouble(LrRangeFinder.Point::loss).min().orElseThrow();
        double last = pts.get(pts.size() - 1).loss();
        assertTrue(min < 0.05 * first, "loss fell from " + first + " to " + min);
        assertTrue(last > 4 * min || !Double.isFinite(last), "stopped on divergence: last " + last + ", best " + min);
        // every step before the last stayed within the divergence bound
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i + 1 < pts.size(); i++) {
            best = Math.min(best, pts.get(i).loss());
            assertTrue(pts.get(i).loss() <= 4 * best);
        }
        // exponential spacing: constant ratio (100/1e-4)^(1/99)
        double ratio = Math.pow(1e6, 1.0 / 99);
        for (int i = 0; i + 1 < pts.size(); i++) {
            assertEquals(ratio, pts.get(i + 1).lr() / pts.get(i).lr(), 1e-12);
        }
        assertEquals(1e-4, pts.get(0).lr(), 1e-18);
        // Full-batch GD on this quadratic loss decreases monotonically while lr < 2/λmax, λmax the largest
        // eigenvalue of the Hessian 2·[[E x², E x], [E x, 1]]; so it cannot diverge below that rate.
        double ex = x.data().mean().item();
        double ex2 = x.data().square().mean().item();
        double tr = 2 * (ex2 + 1);
        double det = 4 * (ex2 - ex * ex);
        double lambdaMax = (tr + Math.sqrt(tr * tr - 4 * det)) / 2;
        double stable = 2 / lambdaMax;
        for (int i = 1; i < pts.size(); i++) {
            if (pts.get(i - 1).lr() < stable) {
                assertTrue(pts.get(i).loss() <= pts.get(i - 1).loss(), "monotone below lr " + stable + " at step " + i);
            }
        }
        assertTrue(pts.get(pts.size() - 1).lr() > stable, "diverged at lr " + pts.get(pts.size() - 1).lr() + " > " + stable);
        assertTrue(r.lrAtSteepestDescent() < r.lrAtMinLoss());

        // parameters, lr and optimizer state are restored
        assertEquals(0.0, w.data().item());
        assertEquals(0.0, b.data().item());
        assertEquals(0.123, sgd.lr());
        assertEquals(0, sgd.stepCount());
        assertEquals(null, w.grad());
    }

    @Test
    void aShortRangeRunsAllStepsWithoutDiverging() {
        Adam adam = new Adam(List.of(w, b), 1e-3);
        LrRangeFinder.Result r = new LrRangeFinder(1e-3, 1e-2, 20).smoothing(0.5).restore(false).run(adam, mse());
        assertFalse(r.diverged());
        assertEquals(20, r.points().size());
        assertEquals(1e-2, r.points().get(19).lr(), 1e-15);
        assertEquals(20, adam.stepCount());
        assertTrue(w.data().item() > 0, "not restored: training moved w towards 3");
        // smoothing with bias correction: the first recorded value is the raw first loss, mean(y²) at w = b = 0
        assertEquals(y.data().square().mean().item(), r.points().get(0).loss(), 1e-12);
    }

    @Test
    void steepestDescentCanSkipTheNoisyStartAndTheDivergingEnd() {
        // losses 5, 1 (a noisy first drop of 4), then 3, 2.5, 1.5 (drop 1), 1.2, 9 (diverged): equal log-lr spacing
        double[] loss = {5, 1, 3, 2.5, 1.5, 1.2, 9};
        List<LrRangeFinder.Point> pts = new java.util.ArrayList<>();
        for (int i = 0; i < loss.length; i++) {
            pts.add(new LrRangeFinder.Point(Math.pow(10, i - 3), loss[i]));
        }
        LrRangeFinder.Result r = new LrRangeFinder.Result(pts, true);
        assertEquals(1e-3, r.lrAtSteepestDescent(), 1e-18);
        assertEquals(1e-3, r.lrAtSteepestDescent(0, 1), 1e-18);
        assertEquals(1.0, r.lrAtSteepestDescent(2, 1), 1e-18, "the drop 2.5 -> 1.5 starts at lr 1");
        assertEquals(1.0, r.lrAtSteepestDescent(2, 0), 1e-18, "the rise to 9 is never the steepest descent");
        assertEquals(1e-3, r.lrAtSteepestDescent(5, 5), 1e-18, "too few points left: all of them are used");
        assertThrows(IllegalArgumentException.class, () -> r.lrAtSteepestDescent(-1, 0));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LrRangeFinder(0, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new LrRangeFinder(1, 0.5, 10));
        assertThrows(IllegalArgumentException.class, () -> new LrRangeFinder(1e-3, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LrRangeFinder(1e-3, 1, 10).divergenceFactor(1));
        SGD sgd = new SGD(List.of(w), 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LrRangeFinder(1e-3, 1, 10).run(sgd, () -> w.mul(2.0).add(x)));
        assertTrue(e.getMessage().contains("must return a scalar"), e.getMessage());
        assertEquals(0.0, w.data().item(), "restored after the failure");
    }
}
