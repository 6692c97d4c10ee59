package dev.nabla.nn.conv;

import dev.nabla.ndarray.Shapes;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;

/**
 * 2-D average pooling over (N, C, H, W): each output is the sum of its window divided by the
 * window size KH·KW, padding counting as zeros (PyTorch's {@code count_include_pad=True}).
 * Linear, so its backward is the adjoint {@link AvgPool2dAdjointNode} (each gradient spread evenly
 * over its window), whose backward is this node again.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@code apply} is refused); once recorded, several threads may backpropagate through it at
 * once with retainGraph, since its backward only reads what its forward saved.
 */
public final class AvgPool2dNode extends Node {
    private final ConvGeometry geometry;
    private int[] inputShape;

    /** Average pooling with {@code geometry}. */
    public AvgPool2dNode(ConvGeometry geometry) {
        this.geometry = geometry;
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
        apply(geometry, s, o, in, out, false);
        return Results.of(xs[0].dtype(), out, s[0], s[1], o[0], o[1]);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {new AvgPool2dAdjointNode(geometry, inputShape).apply(gy)};
    }

    /**
     * The shared window loop: forward ({@code adjoint} false) reads {@code image} windows into
     * {@code pooled}; the adjoint spreads {@code pooled} back into {@code image}.
     */
    static void apply(ConvGeometry g, int[] s, int[] o, double[] image, double[] pooled, boolean adjoint) {
        int planes = s[0] * s[1];
        int h = s[2];
        int w = s[3];
        int oh = o[0];
        int ow = o[1];
        int kh = g.kh();
        int kw = g.kw();
        double scale = 1.0 / (kh * kw);
        int k = 0;
        for (int p = 0; p < planes; p++) {
            int base = p * h * w;
            for (int y = 0; y < oh; y++) {
                int y0 = y * g.sh() - g.ph();
                for (int xo = 0; xo < ow; xo++) {
                    int x0 = xo * g.sw() - g.pw();
                    double acc = 0;
                    double share = adjoint ? pooled[k] * scale : 0;
                    for (int i = 0; i < kh; i++) {
                        int iy = y0 + i * g.dh();
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int row = base + iy * w;
                        for (int j = 0; j < kw; j++) {
                            int ix = x0 + j * g.dw();
                            if (ix < 0 || ix >= w) {
                                continue;
                            }
                            if (adjoint) {
                                image[row + ix] += share;
                            } else {
                                acc += image[row + ix];
                            }
                        }
                    }
                    if (!adjoint) {
                        pooled[k] = acc * scale;
                    }
                    k++;
                }
            }
        }
    }
}
