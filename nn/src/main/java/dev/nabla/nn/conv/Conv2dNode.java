package dev.nabla.nn.conv;

import dev.nabla.autograd.Batch;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * 2-D convolution (cross-correlation) as one graph node: inputs x (N, C, H, W), weight
 * (OC, C, KH, KW) and optionally bias (OC); output (N, OC, OH, OW). The forward pass unfolds one
 * image at a time and multiplies it by the weight ({@link ConvKernels}), writing NCHW directly.
 * Backward is built from the node's two companions, {@link Conv2dInputGradNode} for the input and
 * {@link Conv2dWeightGradNode} for the weight, plus a sum over (N, OH, OW) for the bias. The three
 * nodes' backward passes are built from one another, so derivatives of every order work.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@code apply} is refused); once recorded, several threads may backpropagate through it at
 * once with retainGraph, since its backward only reads what its forward saved.
 */
public final class Conv2dNode extends Node {
    private final ConvGeometry geometry;

    /** A convolution with {@code geometry} (kernel size, stride, padding, dilation; its op names errors). */
    public Conv2dNode(ConvGeometry geometry) {
        this.geometry = geometry;
    }

    @Override
    protected NDArray forward(NDArray... in) {
        NDArray x = in[0];
        NDArray w = in[1];
        NDArray b = in.length > 2 ? in[2] : null;
        int[] xs = x.shape();
        int[] ws = w.shape();
        check(geometry, xs, ws, b == null ? null : b.shape());
        int[] o = geometry.outputSize(xs);
        boolean f32 = Results.dtype(x, w, b) == DType.FLOAT32;
        Object y = ConvKernels.forward(Results.values(x, f32), xs, Results.values(w, f32), ws[0],
                b == null ? null : Results.values(b, f32), geometry, o);
        return Results.wrap(y, xs[0], ws[0], o[0], o[1]);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        Variable x = input(0);
        Variable w = input(1);
        Variable b = arity() > 2 ? input(2) : null;
        Variable gx = x.requiresGrad() ? new Conv2dInputGradNode(geometry, x.shape()).apply(gy, w) : null;
        Variable gw = w.requiresGrad() ? new Conv2dWeightGradNode(geometry, w.shape()).apply(x, gy) : null;
        Variable gb = null;
        if (b != null && b.requiresGrad()) {
            // summing each contiguous output plane first is faster than one strided sum over (N, OH, OW)
            int[] s = gy.shape();
            gb = gy.reshape(s[0], s[1], s[2] * s[3]).sum(new int[] {2}, false).sum(new int[] {0}, false);
        }
        return b == null ? new Variable[] {gx, gw} : new Variable[] {gx, gw, gb};
    }

    /** The forward-mode rule, beside backward. */
    @Override
    protected Variable tangent(Variable[] t) {
        // bilinear in (x, w), plus the bias broadcast over (N, OH, OW)
        Variable y = null;
        if (t[0] != null) {
            y = new Conv2dNode(geometry).apply(t[0], input(1));
        }
        if (t[1] != null) {
            Variable d = new Conv2dNode(geometry).apply(input(0), t[1]);
            y = y == null ? d : y.add(d);
        }
        if (t.length > 2 && t[2] != null) {
            Variable d = t[2].reshape(1, t[2].shape(0), 1, 1).broadcastTo(output().shape());
            y = y == null ? d : y.add(d);
        }
        return y;
    }

    /**
     * Checks an input of shape {@code xs}, a weight of shape {@code ws} and a bias of shape
     * {@code bs} (null for none) against each other and against {@code g}; the errors name the
     * operation, the shapes and the fix.
     */
    static void check(ConvGeometry g, int[] xs, int[] ws, int[] bs) {
        String op = g.op();
        if (ws.length != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D weight (out_channels, in_channels, kH, kW), but got "
                    + "a weight of shape " + Shapes.str(ws));
        }
        ConvGeometry.requireNchw(op, xs);
        if (xs[1] != ws[1]) {
            throw new IllegalArgumentException(op + ": weight of size " + Shapes.str(ws) + " expected input[N, " + ws[1]
                    + ", H, W] to have " + ws[1] + " channels, but got " + xs[1] + " channels instead (input of shape "
                    + Shapes.str(xs) + "); the layer's in_channels must equal the size of the input's axis 1");
        }
        if (ws[2] != g.kh() || ws[3] != g.kw()) {
            throw new IllegalArgumentException(op + ": a weight of shape " + Shapes.str(ws) + " does not match the kernel"
                    + " size (" + g.kh() + ", " + g.kw() + ") of " + g);
        }
        if (bs != null && !(bs.length == 1 && bs[0] == ws[0])) {
            throw new IllegalArgumentException(op + ": expected a bias of shape " + Shapes.str(new int[] {ws[0]})
                    + " for " + ws[0] + " output channels, but got " + Shapes.str(bs));
        }
    }

    @Override
    protected Variable batch(Batch b) {
        boolean shared = !b.isBatched(1) && (b.arity() < 3 || !b.isBatched(2));
        if (shared) { // one weight for every example: the batch joins N
            Variable[] in = new Variable[b.arity()];
            in[0] = b.folded(0);
            for (int i = 1; i < in.length; i++) {
                in[i] = b.physical(i);
            }
            return b.unfolded(new Conv2dNode(geometry).apply(in));
        }
        // per-example weights: y = W · columns(x), example by example in one batched matmul
        int[] xs = b.shape(0);
        int[] ws = b.shape(1);
        check(geometry, xs, ws, b.arity() > 2 ? b.shape(2) : null);
        int[] o = geometry.outputSize(xs);
        Variable w = b.expanded(1).reshape(b.size(), ws[0], ws[1] * ws[2] * ws[3]);
        Variable y = ConvBatching.batchFirst(w.matmul(ConvBatching.columns(b, 0, geometry)), xs[0], o[0], o[1]);
        if (b.arity() > 2) {
            y = y.add(b.expanded(2).reshape(b.size(), 1, ws[0], 1, 1));
        }
        return y;
    }
}
