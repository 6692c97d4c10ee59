package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;
import java.util.Map;
import java.util.Random;

/**
 * {@link GradCheck#checkParameters}: the whole-model gradient check passes for a correct network
 * (Linear, tanh, BatchNorm in eval mode, LayerNorm, cross-entropy), names the parameter when a
 * layer's backward is wrong, leaves every parameter bit for bit and .grad untouched, and skips
 * frozen parameters.
 */
class ModelGradCheckTest {
    private static final NDArray X = NDArray.randn(new Random(3), 5, 4);
    private static final int[] LABELS = {0, 2, 1, 1, 0};

    private static Sequential net(Random r) {
        return new Sequential(new Linear(4, 6, r), new Tanh(), new LayerNorm(6), new Linear(6, 3, r));
    }

    @Test
    void aCorrectNetworkPassesAndIsLeftExactlyAsItWas() {
        Sequential model = net(new Random(0));
        model.eval();
        Map<String, NDArray> before = model.stateDict();
        Map<String, NDArray> copies = new java.util.LinkedHashMap<>();
        before.forEach((k, v) -> copies.put(k, v.copy()));
        GradCheck.Result r = GradCheck.checkParameters(
                () -> Functional.crossEntropy(model.call(new Variable(X)), LABELS), model.namedParameters());
        r.orThrow();
        assertTrue(r.maxError() < 1e-7, r.toString());
        model.stateDict().forEach((k, v) -> assertArrayEquals(copies.get(k).toArray(), v.toArray(), k));
        for (Parameter p : model.parameters()) {
            assertNull(p.grad(), "checkParameters leaves .grad untouched");
        }
    }

    /** y = x·w with a backward that forgets a factor 2 in the weight gradient. */
    private static final class BrokenScale extends Module {
        final Parameter w = registerParameter("w", new Parameter(NDArray.of(1.5)));

        @Override
        public Variable forward(Variable x) {
            return new Node() {
                @Override
                protected NDArray forward(NDArray... in) {
                    return in[0].mul(in[1]);
                }

                @Override
                protected Variable[] backward(Variable gy) {
                    return new Variable[] {gy.mul(input(1)), gy.mul(input(0)).sum().mul(2.0).reshape(1)};
                }
            }.apply(x, w);
        }
    }

    @Test
    void aWrongBackwardIsFoundAndNamed() {
        Sequential model = new Sequential(new Linear(4, 3, new Random(1)), new BrokenScale());
        GradCheck.Result r = GradCheck.checkParameters(
                () -> model.call(new Variable(X)).square().mean(), model.namedParameters());
        assertFalse(r.passed());
        assertTrue(r.failures().get(0).startsWith("parameter '1.w' (1,)"), r.failures().toString());
        assertThrows(AssertionError.class, r::orThrow);
    }

    @Test
    void frozenParametersAreSkippedAndFloat32IsRefused() {
        Sequential model = new Sequential(new Linear(4, 3, new Random(1)), new BrokenScale());
        model.namedParameters().get("1.w").requiresGrad(false);
        GradCheck.checkParameters(() -> model.call(new Variable(X)).square().mean(), model.namedParameters()).orThrow();
        Sequential f32 = net(new Random(0));
        f32.to(DType.FLOAT32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.checkParameters(() -> f32.call(new Variable(X.astype(DType.FLOAT32))).sum(),
                        f32.namedParameters()));
        assertTrue(e.getMessage().contains("parameter '0.weight' is float32"), e.getMessage());
    }
}
