package dev.nabla.nn.conv;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Shapes;

/**
 * Functional 2-D convolution on (N, C, H, W) variables: {@code y[n] = W(OC, C·KH·KW) · im2col(x[n]) + b}
 * as one {@link Conv2dNode}, whose backward uses {@link Conv2dInputGradNode} and
 * {@link Conv2dWeightGradNode}, so first and higher derivatives with respect to the input, the
 * weight and the bias all work. This is cross-correlation, as in every deep-learning library. The
 * im2col unfolding and its adjoint are available as differentiable ops too.
 * Stateless and thread-safe.
 */
public final class ConvFunctions {
    private ConvFunctions() {}

    /** Convolution with a square stride and padding and no dilation; {@code b} may be null. */
    public static Variable conv2d(Variable x, Variable w, Variable b, int stride, int padding) {
        return conv2d(x, w, b, new int[] {stride}, new int[] {padding}, new int[] {1});
    }

    /**
     * Convolution of {@code x} (N, C, H, W) with weight {@code w} (OC, C, KH, KW) and optional bias
     * {@code b} (OC) (null for none); stride, padding and dilation are {height, width} pairs or a
     * single value for both axes. Returns (N, OC, OH, OW) with PyTorch's
     * {@code OH = floor((H + 2P - D(K-1) - 1)/S) + 1}: input rows and columns that no window reaches
     * are ignored (see {@link ConvGeometry}).
     */
    public static Variable conv2d(Variable x, Variable w, Variable b, int[] stride, int[] padding, int[] dilation) {
        return conv2d("Conv2d", x, w, b, stride, padding, dilation);
    }

    /** As {@link #conv2d(Variable, Variable, Variable, int[], int[], int[])}, naming {@code op} in errors. */
    public static Variable conv2d(String op, Variable x, Variable w, Variable b, int[] stride, int[] padding,
                                  int[] dilation) {
        int[] ws = w.shape();
        if (ws.length != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D weight (out_channels, in_channels, kH, kW), but got "
                    + "a weight of shape " + Shapes.str(ws));
        }
        ConvGeometry g = ConvGeometry.of(op, new int[] {ws[2], ws[3]}, stride, padding, dilation);
        Conv2dNode node = new Conv2dNode(g);
        return b == null ? node.apply(x, w) : node.apply(x, w, b);
    }

    /**
     * The im2col unfolding of {@code x} (N, C, H, W) as a differentiable op: (C·KH·KW, N·OH·OW)
     * columns, see {@link Im2col}.
     */
    public static Variable im2col(Variable x, ConvGeometry g) {
        return new Im2colNode(g).apply(x);
    }

    /** The differentiable adjoint of {@link #im2col}: folds columns back into {@code imageShape} (N, C, H, W). */
    public static Variable col2im(Variable columns, int[] imageShape, ConvGeometry g) {
        return new Col2imNode(g, imageShape).apply(columns);
    }
}
