package dev.nabla.nn.conv;

import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;

/**
 * 2-D max pooling over (N, C, H, W): each output is the largest input in its window (padding
 * counts as minus infinity, so it never wins). Forward records, for every output, the flat input
 * position of its maximum (the first one on ties). Backward routes each gradient to that position
 * with {@link PoolScatterNode}; that scatter is linear and its backward is the gather
 * {@link PoolGatherNode}, so second derivatives work too.
 */
public final class MaxPool2dNode extends Node {
    private final ConvGeometry geometry;
    private int[] argmax;
    private int[] inputShape;

    /** Max pooling with {@code geometry}. */
    public MaxPool2dNode(ConvGeometry geometry) {
        this.geometry = geometry;
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... xs) {
        NDArray x = xs[0];
        int[] s = x.shape();
        int[] o = geometry.outputSize(s);
        inputShape = s;
        int planes = s[0] * s[1];
        int h = s[2];
        int w = s[3];
        int oh = o[0];
        int ow = o[1];
        int kh = geometry.kh();
        int kw = geometry.kw();
        int sh = geometry.sh();
        int sw = geometry.sw();
        int ph = geometry.ph();
        int pw = geometry.pw();
        int dh = geometry.dh();
        int dw = geometry.dw();
        double[] in = x.toArray();
        double[] out = new double[planes * oh * ow];
        int[] arg = new int[out.length];
        int k = 0;
        for (int p = 0; p < planes; p++) {
            int base = p * h * w;
            for (int y = 0; y < oh; y++) {
                int y0 = y * sh - ph;
                for (int xo = 0; xo < ow; xo++) {
                    int x0 = xo * sw - pw;
                    double best = Double.NEGATIVE_INFINITY;
                    int bestAt = -1;
                    for (int i = 0; i < kh; i++) {
                        int iy = y0 + i * dh;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int row = base + iy * w;
                        for (int j = 0; j < kw; j++) {
                            int ix = x0 + j * dw;
                            if (ix < 0 || ix >= w) {
                                continue;
                            }
                            double v = in[row + ix];
                            // NaN propagates (PyTorch's behaviour): once the best is NaN it stays.
                            if (bestAt < 0 || v > best || Double.isNaN(v) && !Double.isNaN(best)) {
                                best = v;
                                bestAt = row + ix;
                            }
                        }
                    }
                    out[k] = best;
                    arg[k] = bestAt;
                    k++;
                }
            }
        }
        argmax = arg;
        return NDArray.of(out, s[0], s[1], oh, ow);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {new PoolScatterNode(argmax, inputShape).apply(gy)};
    }
}
