package dev.nabla.nn.conv;

import dev.nabla.autograd.Batch;
import dev.nabla.autograd.F;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.autograd.Vmap;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * 2-D max pooling over (N, C, H, W): each output is the largest input in its window (padding, and
 * the part of a ceilMode window past the padded input, count as minus infinity, so they never
 * win; input rows and columns that no window reaches get no gradient). Dilation spaces the taps.
 * Forward records, for every output, the flat input position of its maximum (the first one on
 * ties), or -1 for a window with no real input (possible only with dilation: its output is minus
 * infinity, as in PyTorch, and it passes no gradient). Backward routes each gradient to that
 * position with {@link PoolScatterNode}; that scatter is linear and its backward is the gather
 * {@link PoolGatherNode}, so second derivatives work too.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@code apply} is refused); once recorded, several threads may backpropagate through it at
 * once with retainGraph, since its backward only reads what its forward saved.
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
        // every tap of every window is inside the input: no padding, and no ceilMode window runs past it
        boolean inside = ph == 0 && pw == 0 && !geometry.overrunsPadding(h, w, o);
        if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && dh == 1 && dw == 1 && inside) {
            return pool2x2(x, s, oh, ow);
        }
        double[] in = x.toArray();
        double[] out = new double[Shapes.product(geometry.op(), planes, oh, ow)];
        int[] arg = reuse(out.length);
        int k = 0;
        for (int p = 0; p < planes; p++) {
            int base = p * h * w;
            for (int y = 0; y < oh; y++) {
                int y0 = y * sh - ph;
                for (int xo = 0; xo < ow; xo++) {
                    int x0 = xo * sw - pw;
                    int bestAt = inside ? windowMax(in, base + y0 * w + x0, w, kh, kw, dh, dw)
                            : windowMaxClipped(in, base, y0, x0, h, w, kh, kw, dh, dw);
                    out[k] = bestAt < 0 ? Double.NEGATIVE_INFINITY : in[bestAt];
                    arg[k] = bestAt;
                    k++;
                }
            }
        }
        argmax = arg;
        return Results.of(x.dtype(), out, s[0], s[1], oh, ow);
    }

    /**
     * The argmax array to fill: a new one on the first forward; on a compiled step's replay, which
     * re-runs this forward, the one already filled, since the backward nodes recorded from it hold it.
     */
    private int[] reuse(int n) {
        return argmax != null && argmax.length == n ? argmax : new int[n];
    }

    /**
     * The common 2×2 window with stride 2 and no padding, read in place: each output compares its
     * four taps in row-major order with the same rule as {@link #windowMax} (NaN wins and stays,
     * ties keep the first).
     */
    private NDArray pool2x2(NDArray x, int[] s, int oh, int ow) {
        int planes = s[0] * s[1];
        int w = s[3];
        int plane = s[2] * w;
        int size = planes * oh * ow;
        // float32 is read from one float copy and pooled in float (the same taps as in double)
        float[] in = x.dtype() == DType.FLOAT32 ? x.toFloatArray() : null;
        float[] outF = in != null ? new float[size] : null;
        double[] out = in == null ? new double[size] : null;
        int[] arg = reuse(size);
        int k = 0;
        for (int p = 0; p < planes; p++) {
            int base = p * plane;
            for (int y = 0; y < oh; y++, k += ow) {
                int r0 = base + 2 * y * w;
                if (in != null) {
                    row2x2(in, r0, w, ow, outF, arg, k);
                } else {
                    row2x2(x, r0, w, ow, out, arg, k);
                }
            }
        }
        argmax = arg;
        return outF != null ? NDArray.of(outF, s[0], s[1], oh, ow) : NDArray.of(out, s[0], s[1], oh, ow);
    }

    /**
     * One row of 2×2 windows whose top-left taps start at {@code r0}, into {@code out[k..]} and
     * {@code arg[k..]}: the maximum, then the first tap (row-major) equal to it, or the first NaN
     * when it is NaN: the same tap as the scan of windowMax, found without branches (random data
     * would mispredict them half the time).
     */
    private static void row2x2(NDArray x, int r0, int w, int ow, double[] out, int[] arg, int k) {
        for (int xo = 0, r1 = r0 + w; xo < ow; xo++, r0 += 2, r1 += 2, k++) {
            double a = x.getFlat(r0);
            double b = x.getFlat(r0 + 1);
            double c = x.getFlat(r1);
            double d = x.getFlat(r1 + 1);
            double m = Math.max(Math.max(a, b), Math.max(c, d));
            int hits = hit(a, m) | hit(b, m) << 1 | hit(c, m) << 2 | hit(d, m) << 3;
            int first = Integer.numberOfTrailingZeros(hits);
            int bestAt = r0 + (first & 1) + (first >> 1) * w;
            out[k] = x.getFlat(bestAt);
            arg[k] = bestAt;
        }
    }

    /** {@link #row2x2(NDArray, int, int, int, double[], int[], int)} on float32 values. */
    private static void row2x2(float[] x, int r0, int w, int ow, float[] out, int[] arg, int k) {
        for (int xo = 0, r1 = r0 + w; xo < ow; xo++, r0 += 2, r1 += 2, k++) {
            float a = x[r0];
            float b = x[r0 + 1];
            float c = x[r1];
            float d = x[r1 + 1];
            float m = Math.max(Math.max(a, b), Math.max(c, d));
            int hits = hit(a, m) | hit(b, m) << 1 | hit(c, m) << 2 | hit(d, m) << 3;
            int first = Integer.numberOfTrailingZeros(hits);
            int bestAt = r0 + (first & 1) + (first >> 1) * w;
            out[k] = x[bestAt];
            arg[k] = bestAt;
        }
    }

    /** 1 when tap value {@code v} is the window maximum {@code m} or is NaN, else 0. */
    private static int hit(float v, float m) {
        return (v == m) | (v != v) ? 1 : 0;
    }

    /** 1 when tap value {@code v} is the window maximum {@code m} or is NaN, else 0. */
    private static int hit(double v, double m) {
        return (v == m) | (v != v) ? 1 : 0; // non-short-circuit: compiles without a branch
    }

    /**
     * Flat position of the maximum of the window whose top-left tap is {@code at}, all of whose
     * taps are inside the input. NaN propagates (PyTorch's behaviour): a NaN replaces a number
     * ({@code !(v <= best)} holds for v &gt; best and for a NaN v), and once the best is NaN it
     * stays; ties keep the first maximum in row-major order.
     */
    private static int windowMax(double[] in, int at, int w, int kh, int kw, int dh, int dw) {
        int bestAt = at;
        double best = in[at];
        for (int i = 0; i < kh; i++) {
            int row = at + i * dh * w;
            for (int j = 0; j < kw; j++) {
                double v = in[row + j * dw];
                if (!(v <= best) && best == best) {
                    best = v;
                    bestAt = row + j * dw;
                }
            }
        }
        return bestAt;
    }

    /**
     * As {@link #windowMax} for a window at (y0, x0) of the plane at {@code base} that may reach into
     * the padding or past the input; those taps are skipped (they never win). Returns -1 when no
     * tap is real: the padding rule of {@link ConvGeometry#pooling(String, int[], PoolOptions)} and the ceilMode rule of
     * {@link ConvGeometry} rule that out without dilation, but dilated taps can step over the input.
     */
    private static int windowMaxClipped(double[] in, int base, int y0, int x0, int h, int w, int kh, int kw,
                                        int dh, int dw) {
        double best = Double.NaN;
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
                if (bestAt < 0 || !(v <= best) && best == best) {
                    best = v;
                    bestAt = row + ix;
                }
            }
        }
        return bestAt;
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {new PoolScatterNode(argmax, inputShape).apply(gy)};
    }

    /** The forward-mode rule, beside backward. */
    @Override
    protected Variable tangent(Variable[] t) {
        // locally linear: the tangent of each window's (first) maximum, gathered at the saved argmax
        return t[0] == null ? null : new PoolGatherNode(argmax, output().shape()).apply(t[0]);
    }

    @Override
    protected Variable batch(Batch b) {
        // the window maxima are per-example positions: take the input at them (a decomposition, so the
        // gradient scatters to each example's own argmax)
        int[] s = b.shape(0);
        Variable at = Vmap.constant(k -> a -> {
            int[] p = a[0].shape();
            int lead = 1;
            for (int i = 0; i < k; i++) {
                lead *= p[i];
            }
            MaxPool2dNode m = new MaxPool2dNode(geometry);
            NDArray y = m.forward(a[0].reshape(lead * s[0], s[1], s[2], s[3]));
            int size = Shapes.size(s);
            long[] local = new long[m.argmax.length];
            for (int i = 0; i < local.length; i++) {
                if (m.argmax[i] < 0) {
                    throw new IllegalStateException(geometry.op() + ": under vmap every pooling window must hold an "
                            + "input element (padding at most half the kernel, as PyTorch requires)");
                }
                local[i] = m.argmax[i] % size;
            }
            int[] out = new int[k + 4];
            System.arraycopy(p, 0, out, 0, k);
            System.arraycopy(y.shape(), 1, out, k + 1, 3);
            out[k] = s[0];
            return NDArray.of(local, out);
        }, b.logical(0));
        return b.decomposed(F.take(b.logical(0), at));
    }
}
