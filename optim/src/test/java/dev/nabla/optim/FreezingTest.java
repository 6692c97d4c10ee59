package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Frozen parameters (requiresGrad(false)) get no gradient and no optimizer touches them. */
class FreezingTest {

    private static Parameter param(String name, double... v) {
        return new Parameter(NDArray.of(v, new int[] {2, 2}), name);
    }

    /** loss = sum(tanh(x W1) W2): W1 trainable and first, W2 frozen and downstream of it. */
    private static Variable loss(Parameter w1, Parameter w2) {
        Variable x = Variable.constant(NDArray.of(new double[] {0.5, -1, 2, 0.25}, new int[] {2, 2}));
        return x.matmul(w1).tanh().matmul(w2).sum();
    }

    @Test
    void frozenParameterGetsNoGradAndEveryOptimizerLeavesItBitwiseUnchanged() {
        List<Function<List<Parameter>, Optimizer>> makers = List.of(
                ps -> SGD.builder(ps).lr(0.1).momentum(0.9).weightDecay(0.5).build(),
                ps -> new Momentum(ps, 0.1, 0.9, 0.5),
                ps -> Adam.builder(ps).lr(0.1).weightDecay(0.5).build(),
                ps -> new AdamW(ps, 0.1),
                ps -> RMSprop.builder(ps).lr(0.1).weightDecay(0.5).build(),
                ps -> new AdaGrad(ps, 0.1));
        for (Function<List<Parameter>, Optimizer> make : makers) {
            Parameter w1 = param("w1", 1, 2, 3, 4);
            Parameter w2 = param("w2", 0.5, -0.5, 0.25, 1);
            double[] before = w2.data().toArray();
            Optimizer opt = make.apply(List.of(w1, w2));
            // a stale gradient from before freezing must not be applied either
            loss(w1, w2).backward();
            assertNotNull(w2.grad());
            w2.requiresGrad(false);
            double[] w1Before = w1.data().toArray();
            for (int i = 0; i < 3; i++) {
                opt.step();
                w1.clearGrad();
                loss(w1, w2).backward();
                assertNotNull(w1.grad(), opt.name());
            }
            assertArrayEquals(before, w2.data().toArray(), 0, opt.name() + ": frozen weights moved");
            assertFalse(java.util.Arrays.equals(w1Before, w1.data().toArray()), opt.name() + ": trainable weights stuck");
            assertTrue(opt.stateDict().keySet().stream().noneMatch(k -> k.startsWith("state.1.")),
                    opt.name() + " created state for a frozen parameter: " + opt.stateDict().keySet());
        }
    }

    @Test
    void backwardGivesAFrozenParameterNoGradAndUnfreezingRestoresIt() {
        Parameter w1 = param("w1", 1, 2, 3, 4);
        Parameter w2 = param("w2", 0.5, -0.5, 0.25, 1).requiresGrad(false);
        assertFalse(w2.requiresGrad());
        loss(w1, w2).backward();
        assertNull(w2.grad());
        assertNotNull(w1.grad());
        w1.clearGrad();
        w2.requiresGrad(true);
        loss(w1, w2).backward();
        assertNotNull(w2.grad());
        // d/dW2 sum(h W2) = hᵀ 1: each row of the gradient is the column sum of h = tanh(x W1)
        double[] h = Variable.constant(NDArray.of(new double[] {0.5, -1, 2, 0.25}, new int[] {2, 2}))
                .matmul(Variable.constant(w1.data())).tanh().data().toArray();
        assertArrayEquals(new double[] {h[0] + h[2], h[0] + h[2], h[1] + h[3], h[1] + h[3]}, w2.grad().data().toArray(), 1e-15);
    }

    @Test
    void aGraphOfOnlyFrozenParametersRecordsNothing() {
        Parameter w = param("w", 1, 2, 3, 4).requiresGrad(false);
        Variable y = Variable.constant(NDArray.of(new double[] {1, 1, 1, 1}, new int[] {2, 2})).matmul(w).sum();
        assertFalse(y.requiresGrad());
        assertNull(y.creator());
    }
}
