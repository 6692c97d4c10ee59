package dev.nabla.nn.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Functional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import java.util.Random;

/** The im2col/col2im kernels: adjointness, agreement with a direct convolution, known answers, errors. */
class Im2colTest {

    @Provide
    Arbitrary<ConvCase> cases() {
        return ConvCase.conv();
    }

    /** {@code <im2col(x), y> == <x, col2im(y)>} for random x and y: col2im is the exact transpose. */
    @Property(tries = 40)
    void col2imIsTheAdjointOfIm2col(@ForAll("cases") ConvCase k) {
        ConvGeometry g = k.geometry("im2col");
        NDArray x = k.input();
        NDArray cols = Im2col.im2col(x, g);
        assertArrayEquals(new int[] {k.c * k.kh * k.kw, k.n * k.oh() * k.ow()}, cols.shape());
        NDArray y = NDArray.randn(new Random(k.seed + 7), cols.shape());
        double lhs = Direct.dot(cols, y);
        double rhs = Direct.dot(x, Im2col.col2im(y, x.shape(), g));
        assertEquals(lhs, rhs, 1e-12 * (1 + Math.abs(lhs)), k.toString());
    }

    /** im2col + GEMM convolution equals the seven-loop direct convolution. */
    @Property(tries = 40)
    void im2colConvolutionMatchesDirectLoops(@ForAll("cases") ConvCase k) {
        NDArray x = k.input();
        NDArray w = k.weight();
        NDArray b = k.bias();
        NDArray expected = Direct.conv2d(x, w, b, k.sh, k.sw, k.ph, k.pw, k.dh, k.dw);
        NDArray got = Functional.conv2d(new Variable(x), new Variable(w), new Variable(b),
                new int[] {k.sh, k.sw}, new int[] {k.ph, k.pw}, new int[] {k.dh, k.dw}).data();
        assertArrayEquals(new int[] {k.n, k.oc, k.oh(), k.ow()}, got.shape());
        assertTrue(got.allClose(expected, 1e-12, 1e-12), k + "\nexpected " + expected + "\ngot " + got);
        NDArray noBias = Functional.conv2d(new Variable(x), new Variable(w), null,
                new int[] {k.sh, k.sw}, new int[] {k.ph, k.pw}, new int[] {k.dh, k.dw}).data();
        assertTrue(noBias.allClose(Direct.conv2d(x, w, null, k.sh, k.sw, k.ph, k.pw, k.dh, k.dw), 1e-12, 1e-12));
    }

    private static NDArray grid3x3() {
        return NDArray.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
    }

    @Test
    void columnsOfA3x3ImageWithA2x2KernelByHand() {
        NDArray cols = Im2col.im2col(grid3x3(), ConvGeometry.square("im2col", 2, 1, 0, 1));
        // rows: taps (0,0), (0,1), (1,0), (1,1); columns: output positions (0,0), (0,1), (1,0), (1,1)
        assertArrayEquals(new double[] {
            1, 2, 4, 5,
            2, 3, 5, 6,
            4, 5, 7, 8,
            5, 6, 8, 9}, cols.toArray());
        assertArrayEquals(new int[] {4, 4}, cols.shape());
    }

    @Test
    void convolutionOfA3x3ImageWithA2x2KernelByHand() {
        // out[0][0] = 1*1 + 2*2 + 4*3 + 5*4 = 37, then 47, 67, 77; plus bias 1
        NDArray w = NDArray.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Variable y = Functional.conv2d(new Variable(grid3x3()), new Variable(w), new Variable(NDArray.of(1.0)), 1, 0);
        assertArrayEquals(new int[] {1, 1, 2, 2}, y.shape());
        assertArrayEquals(new double[] {38, 48, 68, 78}, y.data().toArray());
    }

    @Test
    void paddingByHand() {
        // [[1,2],[3,4]] padded by one zero on each side, 2x2 kernel of ones: every 2x2 window sum
        NDArray x = NDArray.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Variable y = Functional.conv2d(new Variable(x), new Variable(NDArray.ones(1, 1, 2, 2)), null, 1, 1);
        assertArrayEquals(new double[] {1, 3, 2, 4, 10, 6, 3, 7, 4}, y.data().toArray());
    }

    @Test
    void strideAndDilationByHand() {
        // x[r][c] = 5r + c; 2x2 kernel of ones with dilation 2 taps (r,c),(r,c+2),(r+2,c),(r+2,c+2); stride 2
        NDArray x = NDArray.arange(25).reshape(1, 1, 5, 5);
        Variable y = Functional.conv2d(new Variable(x), new Variable(NDArray.ones(1, 1, 2, 2)), null,
                new int[] {2}, new int[] {0}, new int[] {2});
        assertArrayEquals(new double[] {24, 32, 64, 72}, y.data().toArray());
    }

    @Test
    void twoChannelsAndTwoFiltersByHand() {
        // channel 0 = 1..4, channel 1 = 10..40 (1x2x2x2); 1x1 kernels: filter 0 = (1, 0), filter 1 = (1, 1)
        NDArray x = NDArray.of(new double[] {1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 2, 2);
        NDArray w = NDArray.of(new double[] {1, 0, 1, 1}, 2, 2, 1, 1);
        Variable y = Functional.conv2d(new Variable(x), new Variable(w), null, 1, 0);
        assertArrayEquals(new double[] {1, 2, 3, 4, 11, 22, 33, 44}, y.data().toArray());
    }

    /**
     * A kernel and stride that do not tile the input are not an error (PyTorch floors): 28x28,
     * kernel 3, stride 2, padding 1 gives floor(27/2) + 1 = 14 per axis, the last padded column and
     * row read by no window.
     */
    @Test
    void nonTilingOutputSizeFloorsAsPyTorch() {
        NDArray x = NDArray.zeros(1, 1, 28, 28);
        assertArrayEquals(new int[] {9, 14 * 14}, Im2col.im2col(x, ConvGeometry.square("Conv2d", 3, 2, 1, 1)).shape());
        assertArrayEquals(new int[] {1, 1}, ConvGeometry.square("Conv2d", 3, 2, 0, 1).outputSize(new int[] {1, 1, 4, 3}));
    }

    /**
     * x[r][c] = 5r + c on 5x5, a 2x2 kernel of ones, stride 2: floor(3/2) + 1 = 2 windows per axis
     * (rows and columns 0-1 and 2-3): sums 0+1+5+6 = 12, 20, 52, 60. Row 4 and column 4 are read by
     * no window: their input gradient is 0; the weight gradient of sum(y) is, per tap, the sum of
     * the four values it read: 0+2+10+12 = 24, 28, 44, 48.
     */
    @Test
    void nonTilingConvolutionByHand() {
        Variable x = new Variable(NDArray.arange(25).reshape(1, 1, 5, 5), true);
        Variable w = new Variable(NDArray.ones(1, 1, 2, 2), true);
        Variable y = Functional.conv2d(x, w, null, 2, 0);
        assertArrayEquals(new double[] {12, 20, 52, 60}, y.data().toArray());
        y.sum().backward();
        assertArrayEquals(new double[] {
            1, 1, 1, 1, 0,
            1, 1, 1, 1, 0,
            1, 1, 1, 1, 0,
            1, 1, 1, 1, 0,
            0, 0, 0, 0, 0}, x.grad().data().toArray());
        assertArrayEquals(new double[] {24, 28, 44, 48}, w.grad().data().toArray());
    }

    @Test
    void kernelLargerThanPaddedInput() {
        NDArray x = NDArray.zeros(1, 1, 3, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Im2col.im2col(x, ConvGeometry.square("Conv2d", 5, 1, 0, 1)));
        assertTrue(e.getMessage().startsWith("Conv2d: calculated padded input size per channel: (3 x 3). Kernel size:"
                + " (5 x 5). Kernel size can't be greater than the padded input size"), e.getMessage());
        // the same kernel fits once padded by 1
        assertArrayEquals(new int[] {25, 1}, Im2col.im2col(x, ConvGeometry.square("Conv2d", 5, 1, 1, 1)).shape());
    }

    @Test
    void threeDimensionalInputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Im2col.im2col(NDArray.zeros(1, 28, 28), ConvGeometry.square("Conv2d", 5, 1, 0, 1)));
        assertEquals("Conv2d: expected a 4-D input (N, C, H, W), but got a 3-D input of shape (1, 28, 28); for a single"
                + " image add a batch axis with x.unsqueeze(0)", e.getMessage());
    }

    @Test
    void invalidGeometryIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvGeometry.square("Conv2d", 3, 0, 0, 1));
        assertEquals("Conv2d: stride must be at least 1 on both axes, but got (0, 0)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvGeometry.square("Conv2d", 3, 1, -1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> ConvGeometry.of("Conv2d", new int[] {3, 3, 3}, new int[] {1}, new int[] {0}, new int[] {1}));
    }

    @Test
    void col2imRejectsColumnsOfTheWrongShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Im2col.col2im(NDArray.zeros(4, 5), new int[] {1, 1, 3, 3}, ConvGeometry.square("im2col", 2, 1, 0, 1)));
        assertTrue(e.getMessage().contains("expected columns of shape (4, 4)"), e.getMessage());
    }
}
