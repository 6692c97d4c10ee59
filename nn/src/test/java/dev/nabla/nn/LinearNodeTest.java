package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused linear node gives bitwise the values and gradients of the unfused product plus
 * broadcast bias, in both dtypes and for 2-D and 3-D inputs (K above the GEMM's 512-deep slice
 * too), and computes no gradient for an input that does not require one.
 */
class LinearNodeTest {
    private static double[] bits(Variable v) {
        return v.data().astype(DType.FLOAT64).toArray();
    }

    @Test
    void fusedEqualsUnfusedBitwiseForwardAndBackward() {
        int[][] shapes = {{7, 5, 3}, {33, 600, 20}, {2, 3, 4, 6}};
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (int[] s : shapes) {
                Random r = new Random(s.length * 31 + s[1]);
                int in = s[s.length - 2];
                int out = s[s.length - 1];
                int[] xs = java.util.Arrays.copyOf(s, s.length - 1);
                NDArray x0 = NDArray.randn(r, xs).astype(dt);
                NDArray w0 = NDArray.randn(r, out, in).astype(dt);
                NDArray b0 = NDArray.randn(r, out).astype(dt);
                int[] ys = xs.clone();
                ys[ys.length - 1] = out;
                NDArray seed = NDArray.randn(r, ys).astype(dt);
                Variable[] fused = {new Variable(x0, true), new Variable(w0, true), new Variable(b0, true)};
                Variable[] plain = {new Variable(x0, true), new Variable(w0, true), new Variable(b0, true)};
                Variable yf = Functional.linear(fused[0], fused[1], fused[2]);
                Variable x2 = plain[0].reshape(-1, in);
                Variable yp = x2.matmul(plain[1], false, true).add(plain[2]).reshape(ys);
                assertEquals(dt, yf.dtype());
                assertArrayEquals(ys, yf.shape());
                assertArrayEquals(bits(yp), bits(yf), 0.0, "forward " + dt + " " + java.util.Arrays.toString(s));
                yf.backward(new Variable(seed));
                yp.backward(new Variable(seed));
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(bits(plain[i].grad()), bits(fused[i].grad()), 0.0,
                            "gradient " + i + " " + dt + " " + java.util.Arrays.toString(s));
                }
            }
        }
    }

    @Test
    void aDataBatchThatNeedsNoGradientGetsNone() {
        Random r = new Random(2);
        Variable x = new Variable(NDArray.randn(r, 4, 3));
        Variable w = new Variable(NDArray.randn(r, 2, 3), true);
        Variable b = new Variable(NDArray.randn(r, 2), true);
        Functional.linear(x, w, b).sum().backward();
        assertNull(x.grad());
        // dW = 1ᵀ x: every row of dW is the column sums of x; db = the number of rows
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < 3; i++) {
                double s = 0;
                for (int n = 0; n < 4; n++) {
                    s += x.data().getFlat(n * 3 + i);
                }
                assertEquals(s, w.grad().data().getFlat(o * 3 + i), 1e-12);
            }
            assertEquals(4.0, b.grad().data().getFlat(o), 0.0);
        }
    }
}
