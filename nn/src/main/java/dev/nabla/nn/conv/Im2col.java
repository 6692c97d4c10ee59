package dev.nabla.nn.conv;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * The im2col kernel and its adjoint col2im: plain loops over {@code double[]}.
 *
 * <p>{@code im2col} turns an input of shape (N, C, H, W) into a column matrix of shape
 * (C·KH·KW, N·OH·OW): row {@code (c·KH + i)·KW + j} holds kernel tap (i, j) of channel c, and
 * column {@code (n·OH + oh)·OW + ow} is the output position. Taps that fall into the zero padding
 * are 0. With that layout a convolution is one 2-D product {@code W(OC, C·KH·KW) · cols} — one
 * large GEMM for the whole batch. {@code col2im} is the exact adjoint (the transpose of the same
 * linear map): it adds every column entry back into the input position it was read from.
 *
 * <p>Raw access: inputs are read with {@link NDArray#toArray()} (the image, small next to the
 * columns) or {@link NDArray#getFlat(int)} (the columns, to avoid copying the large array), and
 * outputs are wrapped with {@link NDArray#of(double[], int...)} without copying.
 */
public final class Im2col {
    private Im2col() {}

    /** The (C·KH·KW, N·OH·OW) column matrix of {@code x} (N, C, H, W) under geometry {@code g}. */
    public static NDArray im2col(NDArray x, ConvGeometry g) {
        int[] s = x.shape();
        int[] o = g.outputSize(s);
        int n = s[0];
        int c = s[1];
        int h = s[2];
        int w = s[3];
        int oh = o[0];
        int ow = o[1];
        int kh = g.kh();
        int kw = g.kw();
        int plane = oh * ow;
        int cols = n * plane;
        double[] in = x.toArray();
        double[] out = new double[c * kh * kw * cols];
        int sw = g.sw();
        int[] owLo = new int[kw];
        int[] owHi = new int[kw];
        for (int j = 0; j < kw; j++) {
            int off = j * g.dw() - g.pw();
            owLo[j] = lo(off, sw, ow);
            owHi[j] = hi(off, sw, w, ow);
        }
        for (int ci = 0; ci < c; ci++) {
            for (int i = 0; i < kh; i++) {
                int rowOff = i * g.dh() - g.ph();
                for (int j = 0; j < kw; j++) {
                    int colOff = j * g.dw() - g.pw();
                    int lo = owLo[j];
                    int hi = owHi[j];
                    int rowBase = ((ci * kh + i) * kw + j) * cols;
                    for (int b = 0; b < n; b++) {
                        int inBase = (b * c + ci) * h * w;
                        int outBase = rowBase + b * plane;
                        for (int y = 0; y < oh; y++) {
                            int iy = y * g.sh() + rowOff;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            int src = inBase + iy * w + colOff;
                            int dst = outBase + y * ow;
                            if (sw == 1) {
                                if (hi > lo) { // no tap of this kernel column is inside when hi <= lo
                                    System.arraycopy(in, src + lo, out, dst + lo, hi - lo);
                                }
                            } else {
                                for (int xo = lo; xo < hi; xo++) {
                                    out[dst + xo] = in[src + xo * sw];
                                }
                            }
                        }
                    }
                }
            }
        }
        return NDArray.of(out, c * kh * kw, cols);
    }

    /**
     * The adjoint of {@link #im2col}: scatters-adds a (C·KH·KW, N·OH·OW) column matrix into a new
     * array of {@code inputShape} (N, C, H, W).
     */
    public static NDArray col2im(NDArray columns, int[] inputShape, ConvGeometry g) {
        int[] o = g.outputSize(inputShape);
        int n = inputShape[0];
        int c = inputShape[1];
        int h = inputShape[2];
        int w = inputShape[3];
        int oh = o[0];
        int ow = o[1];
        int kh = g.kh();
        int kw = g.kw();
        int plane = oh * ow;
        int cols = n * plane;
        if (!columns.hasShape(c * kh * kw, cols)) {
            throw new IllegalArgumentException(g.op() + ": col2im expected columns of shape "
                    + Shapes.str(new int[] {c * kh * kw, cols}) + " for input shape " + Shapes.str(inputShape)
                    + " and " + g + ", but got " + Shapes.str(columns.shape()));
        }
        double[] out = new double[n * c * h * w];
        int sw = g.sw();
        for (int ci = 0; ci < c; ci++) {
            for (int i = 0; i < kh; i++) {
                int rowOff = i * g.dh() - g.ph();
                for (int j = 0; j < kw; j++) {
                    int colOff = j * g.dw() - g.pw();
                    int lo = lo(colOff, sw, ow);
                    int hi = hi(colOff, sw, w, ow);
                    int rowBase = ((ci * kh + i) * kw + j) * cols;
                    for (int b = 0; b < n; b++) {
                        int outBase = (b * c + ci) * h * w;
                        int inBase = rowBase + b * plane;
                        for (int y = 0; y < oh; y++) {
                            int iy = y * g.sh() + rowOff;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            int dst = outBase + iy * w + colOff;
                            int src = inBase + y * ow;
                            if (sw == 1) {
                                for (int xo = lo; xo < hi; xo++) {
                                    out[dst + xo] += columns.getFlat(src + xo);
                                }
                            } else {
                                for (int xo = lo; xo < hi; xo++) {
                                    out[dst + xo * sw] += columns.getFlat(src + xo);
                                }
                            }
                        }
                    }
                }
            }
        }
        return NDArray.of(out, inputShape.clone());
    }

    /** First output column whose tap {@code xo·s + off} is at least 0. */
    private static int lo(int off, int s, int ow) {
        return off >= 0 ? 0 : Math.min(ow, (-off + s - 1) / s);
    }

    /** One past the last output column whose tap {@code xo·s + off} is below {@code w}. */
    private static int hi(int off, int s, int w, int ow) {
        int last = w - 1 - off;
        return last < 0 ? 0 : Math.min(ow, last / s + 1);
    }
}
