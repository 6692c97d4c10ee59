package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The specialised kernel paths (blocked transpose, row-broadcast arithmetic, leading-axis sums)
 * against their definitions element by element, bit for bit; the fast tanh against StrictMath.
 */
class FastKernelPathProperties {

    private static int[] shape(int batch, int rows, int cols) {
        return batch == 0 ? new int[] {rows, cols} : batch == 1 ? new int[] {2, rows, cols} : new int[] {2, 3, rows, cols};
    }

    @Property(tries = 20)
    void tanhIsWithinTwoUlpOfStrictMathAndOdd(@ForAll long seed) {
        Random r = new Random(seed);
        double[] xs = new double[3000];
        for (int i = 0; i < xs.length; i++) {
            switch (i % 3) {
                case 0: xs[i] = 2 * r.nextDouble() - 1; break;                 // both branches near 0.55
                case 1: xs[i] = 60 * r.nextDouble() - 30; break;               // up to and past 22
                default: xs[i] = Math.pow(10, -12 * r.nextDouble()) * (r.nextBoolean() ? 1 : -1); // tiny
            }
        }
        NDArray t = NDArray.of(xs).tanh();
        for (int i = 0; i < xs.length; i++) {
            double want = StrictMath.tanh(xs[i]);
            double got = t.getFlat(i);
            assertTrue(Math.abs(got - want) <= 2 * Math.ulp(want), "tanh(" + xs[i] + ") = " + got + ", StrictMath " + want);
            assertEquals(-got, Kernels.tanh(-xs[i]), 0.0, "tanh is odd at " + xs[i]);
        }
    }

    @Example
    void tanhSpecialValues() {
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Kernels.tanh(-0.0)));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(Kernels.tanh(0.0)));
        assertEquals(1.0, Kernels.tanh(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(-1.0, Kernels.tanh(Double.NEGATIVE_INFINITY), 0.0);
        assertTrue(Double.isNaN(Kernels.tanh(Double.NaN)));
        for (double x : new double[] {0.55, Math.nextDown(0.55), 22.0, Math.nextDown(22.0), 1e-300, Double.MIN_VALUE}) {
            double want = StrictMath.tanh(x);
            assertTrue(Math.abs(Kernels.tanh(x) - want) <= 2 * Math.ulp(want), "tanh(" + x + ")");
        }
    }

    @Property(tries = 40)
    void transposeOfTheLastTwoAxesMatchesTheDefinition(@ForAll @IntRange(min = 0, max = 2) int batch,
                                                        @ForAll @IntRange(min = 1, max = 70) int rows,
                                                        @ForAll @IntRange(min = 1, max = 70) int cols,
                                                        @ForAll long seed) {
        NDArray a = NDArray.randn(new Random(seed), shape(batch, rows, cols));
        NDArray t = a.transpose(-1, -2);
        int n = a.ndim();
        int[] expectedShape = a.shape();
        expectedShape[n - 2] = cols;
        expectedShape[n - 1] = rows;
        assertArrayEquals(expectedShape, t.shape());
        int plane = rows * cols;
        for (int b = 0; b < a.size() / plane; b++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    assertEquals(a.getFlat(b * plane + i * cols + j), t.getFlat(b * plane + j * rows + i), 0.0);
                }
            }
        }
    }

    @Property(tries = 40)
    void rowBroadcastArithmeticMatchesTheDefinition(@ForAll @IntRange(min = 0, max = 2) int batch,
                                                   @ForAll @IntRange(min = 1, max = 20) int rows,
                                                   @ForAll @IntRange(min = 1, max = 20) int cols,
                                                   @ForAll @IntRange(min = 0, max = 3) int op,
                                                   @ForAll boolean rowFirst, @ForAll long seed) {
        Random r = new Random(seed);
        NDArray x = NDArray.uniform(r, 0.5, 2.0, shape(batch, rows, cols));
        NDArray row = NDArray.uniform(r, 0.5, 2.0, cols);
        NDArray a = rowFirst ? row : x;
        NDArray b = rowFirst ? x : row;
        NDArray got = op == 0 ? a.add(b) : op == 1 ? a.sub(b) : op == 2 ? a.mul(b) : a.div(b);
        assertArrayEquals(x.shape(), got.shape());
        for (int i = 0; i < x.size(); i++) {
            double u = rowFirst ? row.getFlat(i % cols) : x.getFlat(i);
            double v = rowFirst ? x.getFlat(i) : row.getFlat(i % cols);
            double want = op == 0 ? u + v : op == 1 ? u - v : op == 2 ? u * v : u / v;
            assertEquals(want, got.getFlat(i), 0.0);
        }
    }

    @Property(tries = 40)
    void sumOverLeadingAxesAddsRowsInOrder(@ForAll @IntRange(min = 0, max = 2) int batch,
                                          @ForAll @IntRange(min = 1, max = 20) int rows,
                                          @ForAll @IntRange(min = 1, max = 20) int cols, @ForAll long seed) {
        NDArray x = NDArray.randn(new Random(seed), shape(batch, rows, cols));
        int lead = x.ndim() - 1;
        int[] axes = new int[lead];
        for (int i = 0; i < lead; i++) {
            axes[i] = i;
        }
        NDArray s = x.sum(axes, false);
        NDArray st = x.sumTo(cols);
        assertArrayEquals(new int[] {cols}, s.shape());
        for (int j = 0; j < cols; j++) {
            double want = 0;
            for (int r = 0; r < x.size() / cols; r++) {
                want += x.getFlat(r * cols + j);
            }
            assertEquals(want, s.getFlat(j), 0.0);
            assertEquals(want, st.getFlat(j), 0.0);
        }
    }
}
