package dev.nabla.nn.conv;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * The im2col kernel and its adjoint col2im: plain loops over {@code double[]} or, for float32
 * arrays, {@code float[]} (the innermost loops are {@link Typed}'s).
 *
 * <p>{@code im2col} turns an input of shape (N, C, H, W) into a column matrix of shape
 * (C·KH·KW, N·OH·OW): row {@code (c·KH + i)·KW + j} holds kernel tap (i, j) of channel c, and
 * column {@code (n·OH + oh)·OW + ow} is the output position. Taps that fall into the zero padding
 * are 0. With that layout a convolution is one 2-D product {@code W(OC, C·KH·KW) · cols} — one
 * large GEMM for the whole batch. {@code col2im} is the exact adjoint (the transpose of the same
 * linear map): it adds every column entry back into the input position it was read from.
 *
 * <p>The package-private raw forms {@link #unfold} and {@link #fold} work on one image at a time
 * with an explicit column offset and row stride, so that the same loops serve the whole-batch
 * matrix above and the small column blocks of {@link ConvKernels}. Rows of a horizontal stride of
 * 1 are contiguous runs copied with {@link System#arraycopy}.
 * Stateless and thread-safe.
 */
public final class Im2col {
    private Im2col() {}

    /** The (C·KH·KW, N·OH·OW) column matrix of {@code x} (N, C, H, W) under geometry {@code g}. */
    public static NDArray im2col(NDArray x, ConvGeometry g) {
        int[] s = x.shape();
        int[] o = g.outputSize(s);
        int n = s[0];
        int plane = Shapes.product(g.op(), o[0], o[1]);
        int cols = Shapes.product(g.op(), n, plane);
        int imageSize = s[1] * s[2] * s[3];
        boolean f32 = Results.dtype(x) == DType.FLOAT32;
        Object in = Results.values(x, f32);
        int rows = Shapes.product(g.op(), s[1], g.kh(), g.kw());
        Object out = Typed.alloc(f32, Shapes.product(g.op() + " (im2col columns)", rows, cols));
        for (int b = 0; b < n; b++) {
            unfold(in, b * imageSize, s[1], s[2], s[3], g, o[0], o[1], out, b * plane, cols);
        }
        return Results.wrap(out, s[1] * g.kh() * g.kw(), cols);
    }

    /**
     * The adjoint of {@link #im2col}: scatters-adds a (C·KH·KW, N·OH·OW) column matrix into a new
     * array of {@code inputShape} (N, C, H, W).
     */
    public static NDArray col2im(NDArray columns, int[] inputShape, ConvGeometry g) {
        int[] o = g.outputSize(inputShape);
        int n = inputShape[0];
        int c = inputShape[1];
        int plane = o[0] * o[1];
        int cols = n * plane;
        if (!columns.hasShape(c * g.kh() * g.kw(), cols)) {
            throw new IllegalArgumentException(g.op() + ": col2im expected columns of shape "
                    + Shapes.str(new int[] {c * g.kh() * g.kw(), cols}) + " for input shape " + Shapes.str(inputShape)
                    + " and " + g + ", but got " + Shapes.str(columns.shape()));
        }
        int imageSize = c * inputShape[2] * inputShape[3];
        boolean f32 = Results.dtype(columns) == DType.FLOAT32;
        Object in = Results.values(columns, f32);
        Object out = Typed.alloc(f32, n * imageSize);
        for (int b = 0; b < n; b++) {
            fold(in, b * plane, cols, c, inputShape[2], inputShape[3], g, o[0], o[1], out, b * imageSize);
        }
        return Results.wrap(out, inputShape.clone());
    }

    /**
     * Unfolds one image (C, H, W) stored at {@code x[xOff..]} into columns: tap row r
     * ({@code (c·KH + i)·KW + j}) of output position q ({@code oh·OW + ow}) goes to
     * {@code cols[colOff + r·rowStride + q]}. Padding taps are written as 0, so {@code cols} may
     * hold stale values.
     */
    static void unfold(Object x, int xOff, int c, int h, int w, ConvGeometry g, int oh, int ow,
                       Object cols, int colOff, int rowStride) {
        int kh = g.kh();
        int kw = g.kw();
        int sh = g.sh();
        int sw = g.sw();
        int plane = h * w;
        for (int ci = 0; ci < c; ci++) {
            int inBase = xOff + ci * plane;
            for (int i = 0; i < kh; i++) {
                int rowOff = i * g.dh() - g.ph();
                for (int j = 0; j < kw; j++) {
                    int colOffset = j * g.dw() - g.pw();
                    int lo = lo(colOffset, sw, ow);
                    int hi = hi(colOffset, sw, w, ow);
                    int dstRow = colOff + ((ci * kh + i) * kw + j) * rowStride;
                    for (int y = 0; y < oh; y++) {
                        int iy = y * sh + rowOff;
                        int dst = dstRow + y * ow;
                        if (iy < 0 || iy >= h || hi <= lo) {
                            Typed.zero(cols, dst, dst + ow);
                            continue;
                        }
                        int src = inBase + iy * w + colOffset;
                        if (lo > 0) {
                            Typed.zero(cols, dst, dst + lo);
                        }
                        if (sw == 1) {
                            System.arraycopy(x, src + lo, cols, dst + lo, hi - lo);
                        } else {
                            Typed.copyStrided(x, src + lo * sw, sw, cols, dst + lo, hi - lo);
                        }
                        if (hi < ow) {
                            Typed.zero(cols, dst + hi, dst + ow);
                        }
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #unfold}: adds every column entry {@code cols[colOff + r·rowStride + q]}
     * into the input position of image {@code x[xOff..]} (C, H, W) it was read from (padding taps
     * are dropped).
     */
    static void fold(Object cols, int colOff, int rowStride, int c, int h, int w, ConvGeometry g, int oh, int ow,
                     Object x, int xOff) {
        int kh = g.kh();
        int kw = g.kw();
        int sh = g.sh();
        int sw = g.sw();
        int plane = h * w;
        for (int ci = 0; ci < c; ci++) {
            int outBase = xOff + ci * plane;
            for (int i = 0; i < kh; i++) {
                int rowOff = i * g.dh() - g.ph();
                for (int j = 0; j < kw; j++) {
                    int colOffset = j * g.dw() - g.pw();
                    int lo = lo(colOffset, sw, ow);
                    int hi = hi(colOffset, sw, w, ow);
                    int srcRow = colOff + ((ci * kh + i) * kw + j) * rowStride;
                    for (int y = 0; y < oh; y++) {
                        int iy = y * sh + rowOff;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int dst = outBase + iy * w + colOffset;
                        int src = srcRow + y * ow;
                        if (hi > lo) {
                            Typed.addStrided(cols, src + lo, x, dst + lo * sw, sw, hi - lo);
                        }
                    }
                }
            }
        }
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
