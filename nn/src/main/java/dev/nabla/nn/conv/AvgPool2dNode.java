package dev.nabla.nn.conv;

import dev.nabla.ndarray.Shapes;
import dev.nabla.autograd.Batch;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;

/**
 * 2-D average pooling over (N, C, H, W): each output is the sum of the real inputs in its window
 * (padding counts as zeros) divided by a divisor, computed as PyTorch does: the divisor override
 * if one is set; else, with {@code countIncludePad} (the default), the window's size clipped to
 * the padded input (KH·KW, except for a ceilMode window that runs past the padded input); else the
 * number of real input cells in the window. Input rows and columns that no window reaches get no
 * gradient. Linear, so its backward is the adjoint {@link AvgPool2dAdjointNode} (each gradient,
 * divided by its window's divisor, added to every real cell of the window), whose backward is
 * this node again.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@code apply} is refused); once recorded, several threads may backpropagate through it at
 * once with retainGraph, since its backward only reads what its forward saved.
 */
public final class AvgPool2dNode extends Node {
    private final ConvGeometry geometry;
    private final boolean countIncludePad;
    private final int divisorOverride;
    private int[] inputShape;

    /** Average pooling with {@code geometry}, padding counted in the divisor (PyTorch's default). */
    public AvgPool2dNode(ConvGeometry geometry) {
        this(geometry, true, 0);
    }

    /**
     * Average pooling with {@code geometry} (dilation 1); {@code countIncludePad} as PyTorch's
     * {@code count_include_pad}; {@code divisorOverride} the fixed divisor, or 0 for none.
     */
    public AvgPool2dNode(ConvGeometry geometry, boolean countIncludePad, int divisorOverride) {
        requireNoDilation(geometry);
        this.geometry = geometry;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... xs) {
        int[] s = xs[0].shape();
        int[] o = geometry.outputSize(s);
        inputShape = s;
        double[] in = xs[0].toArray();
        double[] out = new double[Shapes.product(geometry.op(), s[0], s[1], o[0], o[1])];
        apply(geometry, countIncludePad, divisorOverride, s, o, in, out, false);
        return Results.of(xs[0].dtype(), out, s[0], s[1], o[0], o[1]);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {
            new AvgPool2dAdjointNode(geometry, countIncludePad, divisorOverride, inputShape).apply(gy)
        };
    }

    /** The forward-mode rule, beside backward. */
    @Override
    protected Variable tangent(Variable[] t) {
        return t[0] == null ? null : new AvgPool2dNode(geometry, countIncludePad, divisorOverride).apply(t[0]); // linear
    }

    /** Refuses a dilated geometry: PyTorch's average pooling has no dilation. */
    static void requireNoDilation(ConvGeometry g) {
        if (g.dh() != 1 || g.dw() != 1) {
            throw new IllegalArgumentException(g.op() + ": dilation is not supported (PyTorch's AvgPool2d has none), but"
                    + " got dilation (" + g.dh() + ", " + g.dw() + "); leave it at 1");
        }
    }

    /**
     * The shared window loop: forward ({@code adjoint} false) reads {@code image} windows into
     * {@code pooled}; the adjoint spreads {@code pooled} back into {@code image}. Both use the same
     * divisors, so the two are exact transposes.
     */
    static void apply(ConvGeometry g, boolean countIncludePad, int divisorOverride, int[] s, int[] o, double[] image,
                      double[] pooled, boolean adjoint) {
        int planes = s[0] * s[1];
        int h = s[2];
        int w = s[3];
        int oh = o[0];
        int ow = o[1];
        int k = 0;
        for (int p = 0; p < planes; p++) {
            int base = p * h * w;
            for (int y = 0; y < oh; y++) {
                // PyTorch's order: the window is first clipped to the padded input (its size then is
                // the count_include_pad divisor), then to the input itself
                int y0 = y * g.sh() - g.ph();
                int y1 = Math.min(y0 + g.kh(), h + g.ph());
                int rows = y1 - y0;
                y0 = Math.max(y0, 0);
                y1 = Math.min(y1, h);
                for (int xo = 0; xo < ow; xo++, k++) {
                    int x0 = xo * g.sw() - g.pw();
                    int x1 = Math.min(x0 + g.kw(), w + g.pw());
                    int cols = x1 - x0;
                    x0 = Math.max(x0, 0);
                    x1 = Math.min(x1, w);
                    if (y0 >= y1 || x0 >= x1) { // no real input (ruled out by the padding rule): 0, as PyTorch
                        if (!adjoint) {
                            pooled[k] = 0;
                        }
                        continue;
                    }
                    double divisor = divisorOverride != 0 ? divisorOverride
                            : countIncludePad ? (double) rows * cols : (double) (y1 - y0) * (x1 - x0);
                    if (adjoint) {
                        double share = pooled[k] / divisor;
                        for (int iy = y0; iy < y1; iy++) {
                            int row = base + iy * w;
                            for (int ix = x0; ix < x1; ix++) {
                                image[row + ix] += share;
                            }
                        }
                    } else {
                        double acc = 0;
                        for (int iy = y0; iy < y1; iy++) {
                            int row = base + iy * w;
                            for (int ix = x0; ix < x1; ix++) {
                                acc += image[row + ix];
                            }
                        }
                        pooled[k] = acc / divisor;
                    }
                }
            }
        }
    }

    @Override
    protected Variable batch(Batch b) {
        inputShape = b.shape(0); // what backward reads, as forward sets it
        return b.unfolded(new AvgPool2dNode(geometry, countIncludePad, divisorOverride).apply(b.folded(0)));
    }
}
