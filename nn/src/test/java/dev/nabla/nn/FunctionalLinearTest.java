package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Functional#linear} in PyTorch's layout: {@code W} is {@code (out, in)} and {@code y = x Wᵀ + b},
 * with hand-computed answers for the value and all three gradients, and the graph showing that
 * neither the forward nor the backward materializes a transpose (flagged MatMul nodes only).
 * The first- and second-order properties against central differences run from the op registry
 * ({@code Ops}: entry "linear").
 */
class FunctionalLinearTest {
    // W (out=3, in=2): rows are output units
    private static final double[][] W = {{1, 2}, {3, 4}, {5, 6}};
    private static final double[][] X = {{1, -1}, {0.5, 2}};

    @Test
    void valueIsXTimesWTransposedPlusBias() {
        Variable y = Functional.linear(new Variable(NDArray.of(X)), new Variable(NDArray.of(W)), Variable.of(0.5, -1, 0));
        // row 0: (1·1 + -1·2, 1·3 + -1·4, 1·5 + -1·6) + b = (-1, -1, -1) + (0.5, -1, 0)
        // row 1: (0.5 + 4, 1.5 + 8, 2.5 + 12) + b
        assertArrayEquals(new double[] {-0.5, -2, -1, 5, 8.5, 14.5}, y.data().toArray(), 1e-15);
        assertArrayEquals(new int[] {2, 3}, y.shape());
    }

    @Test
    void gradientsAreDyW_DyTransposedX_AndSumDy() {
        Variable x = new Variable(NDArray.of(X), true);
        Variable w = new Variable(NDArray.of(W), true);
        Variable b = new Variable(NDArray.of(0.0, 0.0, 0.0), true);
        NDArray gy = NDArray.of(new double[][] {{1, 0, -1}, {2, 1, 0}});
        Functional.linear(x, w, b).backward(new Variable(gy));
        // dx = gy W: row 0 = (1 - 5, 2 - 6), row 1 = (2 + 3, 4 + 4)
        assertArrayEquals(new double[] {-4, -4, 5, 8}, x.grad().data().toArray(), 1e-15);
        // dW = gyᵀ x: (out, in), row j = Σ_n gy[n][j] x[n]
        assertArrayEquals(new double[] {2, 3, 0.5, 2, -1, 1}, w.grad().data().toArray(), 1e-15);
        assertArrayEquals(new int[] {3, 2}, w.grad().shape());
        assertArrayEquals(new double[] {3, 1, -1}, b.grad().data().toArray(), 1e-15);
    }

    @Test
    void forwardAndBackwardUseFlaggedProductsAndNoTranspose() {
        Variable x = new Variable(NDArray.of(X), true);
        Variable w = new Variable(NDArray.of(W), true);
        Variable y = Functional.linear(x, w, null);
        assertEquals("MatMul[Bᵀ]", y.creator().name());
        Variable[] g = Autograd.grad(new Variable[] {y}, new Variable[] {x, w},
                new Variable[] {new Variable(NDArray.ones(2, 3))}, true);
        List<String> names = new ArrayList<>();
        names.addAll(nodeNames(g[0]));
        names.addAll(nodeNames(g[1]));
        assertTrue(names.contains("MatMul"), names.toString()); // dx = dy W
        assertTrue(names.contains("MatMul[Aᵀ]"), names.toString()); // dW = dyᵀ x
        for (String n : names) {
            assertFalse(n.contains("Transpose") || n.contains("Permute"), "a copied transpose in the backward: " + names);
        }
    }

    @Test
    void leadingAxesAreKeptAndOneDimensionalInputWorks() {
        Variable w = new Variable(NDArray.of(W));
        NDArray x3 = NDArray.of(new double[] {1, -1, 0.5, 2, 1, -1, 0.5, 2}, 2, 2, 2);
        Variable y = Functional.linear(new Variable(x3), w, null);
        assertArrayEquals(new int[] {2, 2, 3}, y.shape());
        assertArrayEquals(new double[] {-1, -1, -1, 4.5, 9.5, 14.5, -1, -1, -1, 4.5, 9.5, 14.5}, y.data().toArray(), 1e-15);
        Variable y1 = Functional.linear(Variable.of(1, -1), w, null);
        assertArrayEquals(new int[] {3}, y1.shape());
        assertArrayEquals(new double[] {-1, -1, -1}, y1.data().toArray(), 1e-15);
    }

    @Test
    void anInputSizedLikeTheOldInOutLayoutIsRefusedWithTheLayoutNamed() {
        Variable w = new Variable(NDArray.of(W)); // (3, 2): in_features = 2
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.linear(new Variable(NDArray.ones(4, 3)), w, null));
        assertEquals("linear: expected input of shape (..., 2) to match the weight (3, 2) (out_features=3, "
                + "in_features=2), got (4, 3); the last dimension of the input must equal in_features", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Functional.linear(Variable.of(1, 2), Variable.of(1, 2), null));
        assertEquals("linear: weight must have shape (out_features, in_features), got (2,)", e.getMessage());
    }

    /** The names of the nodes behind {@code root}, read from its DOT export (public API). */
    private static List<String> nodeNames(Variable root) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("label=\"([^\"]*)\", color=lightblue")
                .matcher(dev.nabla.autograd.Dot.toDot(root, false));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

}
