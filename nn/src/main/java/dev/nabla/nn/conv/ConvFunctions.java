package dev.nabla.nn.conv;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Shapes;

/**
 * Functional 2-D convolution on (N, C, H, W) variables, built from differentiable pieces
 * ({@link Im2colNode}, matrix product, reshape, permute, broadcast add), so first and higher
 * derivatives with respect to the input, the weight and the bias all come from those nodes'
 * backward passes: {@code y = W(OC, C·KH·KW) · im2col(x) + b}, then (OC, N, OH·OW) to
 * (N, OC, OH, OW). This is cross-correlation, as in every deep-learning library.
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
     * single value for both axes. Returns (N, OC, OH, OW).
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
        int[] xs = x.shape();
        ConvGeometry.requireNchw(op, xs);
        int oc = ws[0];
        if (xs[1] != ws[1]) {
            throw new IllegalArgumentException(op + ": weight of size " + Shapes.str(ws) + " expected input[N, " + ws[1]
                    + ", H, W] to have " + ws[1] + " channels, but got " + xs[1] + " channels instead (input of shape "
                    + Shapes.str(xs) + "); the layer's in_channels must equal the size of the input's axis 1");
        }
        if (b != null && !b.data().hasShape(oc)) {
            throw new IllegalArgumentException(op + ": expected a bias of shape " + Shapes.str(new int[] {oc})
                    + " for " + oc + " output channels, but got " + Shapes.str(b.shape()));
        }
        ConvGeometry g = ConvGeometry.of(op, new int[] {ws[2], ws[3]}, stride, padding, dilation);
        int[] o = g.outputSize(xs);
        int n = xs[0];
        Variable cols = new Im2colNode(g).apply(x);
        Variable y = w.reshape(oc, -1).matmul(cols);
        if (b != null) {
            y = y.add(b.reshape(oc, 1));
        }
        // (OC, N·OH·OW) to (N, OC, OH, OW): swapping the two leading axes of (OC, N, OH·OW) moves
        // whole output planes, so the copy runs over OH·OW contiguous values at a time.
        return y.reshape(oc, n, o[0] * o[1]).permute(1, 0, 2).reshape(n, oc, o[0], o[1]);
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
