package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Variable.registerHook: PyTorch's tensor gradient hooks (see, replace, order, removal). */
class GradHookTest {

    @Test
    void leafHookSeesTheWholeGradientAndMayReplaceItBeforeAccumulation() {
        Variable x = Variable.of(1, 2, 3);
        List<double[]> seen = new ArrayList<>();
        x.registerHook(g -> {
            seen.add(g.data().toArray());
            return g.mul(2.0);
        });
        // x is used twice: the hook runs once, on the sum 2x + 1
        x.mul(x).add(x).sum().backward();
        assertEquals(1, seen.size());
        assertArrayEquals(new double[] {3, 5, 7}, seen.get(0), 0);
        assertArrayEquals(new double[] {6, 10, 14}, x.grad().data().toArray(), 0);
    }

    @Test
    void hooksRunInRegistrationOrderAndRemovedOnesDoNot() {
        Variable x = Variable.of(1, 1);
        List<String> order = new ArrayList<>();
        RemovableHandle a = x.registerHook(g -> {
            order.add("a");
            return g.add(1.0);
        });
        x.registerHook(g -> {
            order.add("b:" + g.data().getFlat(0)); // sees a's result
            return null; // keep
        });
        x.mul(3.0).sum().backward();
        assertEquals(List.of("a", "b:4.0"), order);
        assertArrayEquals(new double[] {4, 4}, x.grad().data().toArray(), 0);
        a.remove();
        a.remove(); // harmless
        order.clear();
        x.clearGrad();
        x.mul(3.0).sum().backward();
        assertEquals(List.of("b:3.0"), order);
        assertArrayEquals(new double[] {3, 3}, x.grad().data().toArray(), 0);
    }

    @Test
    void intermediateHookChangesWhatFlowsToItsInputs() {
        Variable x = Variable.of(2, 3);
        Variable h = x.mul(x); // dh/dx = 2x
        h.registerHook(g -> g.mul(0.0).add(10.0)); // replace dL/dh by 10
        h.retainGrad();
        h.mul(5.0).sum().backward();
        assertArrayEquals(new double[] {10, 10}, h.grad().data().toArray(), 0); // retainGrad sees the hooked value
        assertArrayEquals(new double[] {40, 60}, x.grad().data().toArray(), 0);
        // Autograd.grad sees hooks too
        Variable y = Variable.of(1, 2);
        y.registerHook(g -> g.neg());
        Variable[] gs = Autograd.grad(y.mul(y).sum(), y);
        assertArrayEquals(new double[] {-2, -4}, gs[0].data().toArray(), 0);
    }

    @Test
    void badHooksAreRefusedWithAMessage() {
        Variable x = Variable.of(1, 2).named("x");
        x.registerHook(g -> Variable.constant(NDArray.zeros(3)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.sum().backward());
        assertTrue(e.getMessage().contains("hook registered on 'x' of shape (2,) has changed the size of value"), e.getMessage());
        IllegalStateException c = assertThrows(IllegalStateException.class,
                () -> Variable.constant(NDArray.zeros(2)).registerHook(g -> g));
        assertTrue(c.getMessage().contains("cannot register a hook on a variable that doesn't require gradient"), c.getMessage());
    }
}
