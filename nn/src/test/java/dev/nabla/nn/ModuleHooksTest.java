package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.autograd.RemovableHandle;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Forward and forward-pre hooks as PyTorch's register_forward_hook / register_forward_pre_hook. */
class ModuleHooksTest {

    @Test
    void preHooksReplaceTheInputAndForwardHooksTheOutputInOrder() {
        Sequential s = new Sequential(new ReLU(), new Tanh());
        Module relu = s.get(0);
        List<String> order = new ArrayList<>();
        relu.registerForwardPreHook((m, x) -> {
            order.add("pre1");
            return x.neg(); // relu(-x)
        });
        relu.registerForwardPreHook((m, x) -> {
            order.add("pre2:" + x.data().getFlat(0));
            return null;
        });
        RemovableHandle post = relu.registerForwardHook((m, in, out) -> {
            order.add("post:" + in.data().getFlat(0) + "->" + out.data().getFlat(0));
            return out.mul(2.0);
        });
        Variable y = s.call(Variable.constant(NDArray.of(-1, 3)));
        assertEquals(List.of("pre1", "pre2:1.0", "post:1.0->1.0"), order);
        assertArrayEquals(new double[] {Math.tanh(2), Math.tanh(0)}, y.data().toArray(), 1e-15);
        post.remove();
        order.clear();
        y = s.call(Variable.constant(NDArray.of(-1, 3)));
        assertEquals(List.of("pre1", "pre2:1.0"), order);
        assertArrayEquals(new double[] {Math.tanh(1), 0}, y.data().toArray(), 1e-15);
    }

    @Test
    void aHookMayRemoveItselfAndForwardBypassesHooks() {
        ReLU r = new ReLU();
        int[] calls = {0};
        RemovableHandle[] h = new RemovableHandle[1];
        h[0] = r.registerForwardHook((m, in, out) -> {
            calls[0]++;
            h[0].remove();
            return null;
        });
        r.call(Variable.constant(1));
        r.call(Variable.constant(1));
        r.forward(Variable.constant(1));
        assertEquals(1, calls[0]);
    }
}
