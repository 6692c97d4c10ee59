package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.conv.ConvGeometry;
import dev.nabla.nn.conv.Im2col;
import org.junit.jupiter.api.Test;

/** Shape products in nn (flatten, fans, convolution output and im2col columns) are checked, never wrapped (issue 12). */
class ShapeOverflowTest {

    @Test
    void flattenOfAnEmptyArrayWithHugeTrailingAxesIsRefused() {
        // (0, 65536, 65536) flattened from axis 1 used to become (0, 0): 65536² wrapped to 0
        Variable x = new Variable(NDArray.zeros(0, 65536, 65536));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Flatten().forward(x));
        assertTrue(e.getMessage().startsWith("Flatten: shape [65536, 65536] has 4294967296 elements"), e.getMessage());
        assertArrayEquals(new int[] {0, 12}, new Flatten().forward(new Variable(NDArray.zeros(0, 3, 4))).shape());
    }

    @Test
    void convolutionSizesDoNotWrap() {
        // padding 40000 on a 1x1 image: OH = OW = 80001, and the column matrix has 80001² = 6.4e9 columns
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Im2col.im2col(NDArray.zeros(1, 1, 1, 1), ConvGeometry.square("im2col", 1, 1, 40000, 1)));
        assertTrue(e.getMessage().startsWith("im2col: shape [80001, 80001] has 6400160001 elements"), e.getMessage());
        // a padding whose doubled value wraps around an int
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvGeometry.square("conv2d", 3, 1, Integer.MAX_VALUE / 2 + 10, 1).outputSize(new int[] {1, 1, 4, 4}));
        assertTrue(e.getMessage().startsWith("conv2d: output height OH = 2147483668")
                && e.getMessage().contains("more than a Nabla array holds"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.fans(new int[] {2, 3, 65536, 65536}));
        assertTrue(e.getMessage().startsWith("Init.fans: shape [65536, 65536] has 4294967296 elements"), e.getMessage());
    }
}
