package dev.nabla.nn.conv;

import dev.nabla.ndarray.Shapes;
import dev.nabla.ndarray.Gemm;

/**
 * The three convolution kernels on raw row-major arrays: the forward product, the
 * gradient with respect to the input and the gradient with respect to the weight. They unfold a
 * small group of images at a time into a column block of at most about 256 KiB, so im2col data
 * stays in the cache, run one {@link Gemm} product per group, and write results straight into the
 * (N, C, H, W) layouts: no batch-sized column matrix is built and nothing is permuted afterwards.
 * A column row holds one slot per image of the group.
 *
 * <p>Stride-1 convolutions (any padding and dilation) use <em>wide rows</em> when they cost at
 * most half again the plain columns: the image is zero-padded into a scratch plane of width
 * WP = W + 2P, and output position (y, x) is taken as column {@code y·WP + x} of a slot of length
 * {@code L = (OH-1)·WP + OW}. Then the slot of tap (c, i, j) is one contiguous slice of the padded
 * image, starting at {@code c·HP·WP + i·DH·WP + j·DW}, so im2col is one copy per tap and col2im
 * one vectorisable add per tap, instead of one short copy per tap and output row. The columns
 * {@code x ≥ OW} of a wide slot are wrap-around values that are never used: the forward result
 * ignores them, and the output gradient is zero there, so they add nothing to either gradient
 * (wide rows are not used when the other operand holds an infinity or NaN, since 0 times it is
 * NaN). Otherwise the classic columns of {@link Im2col#unfold} and {@link Im2col#fold} are used.
 *
 * <p>The arrays are all {@code double[]} (float64) or all {@code float[]} (float32), passed as
 * {@code Object}: the index logic here is written once and the innermost loops are
 * {@link Typed}'s. Float32 unfolds into float columns and runs the float GEMM, so it computes in
 * float throughout; float64 is computed exactly as before.
 *
 * <p>Every result is a sum in a fixed order (groups in increasing order for the weight
 * gradient), so equal inputs give bitwise equal outputs.
 */
final class ConvKernels {
    private ConvKernels() {}

    /**
     * {@code y[n] = W(OC, C·KH·KW) · cols(x[n]) + b} for x of shape {@code xs} (N, C, H, W) and
     * output size {@code o} {OH, OW}; {@code b} may be null. Returns y (N, OC, OH, OW) in the
     * operands' type.
     */
    static Object forward(Object x, int[] xs, Object w, int oc, Object b, ConvGeometry g, int[] o) {
        Layout s = new Layout(xs, g, o, true, x instanceof float[]);
        Object y = s.alloc(Shapes.product(g.op(), s.n, oc, s.oh, s.ow));
        Object cols = s.alloc(Shapes.product(g.op() + " (im2col columns)", s.taps, s.row));
        Object out = s.alloc(Shapes.product(g.op(), oc, s.row));
        Gemm gemm = Gemm.current();
        for (int i0 = 0; i0 < s.n; i0 += s.group) {
            int count = Math.min(s.group, s.n - i0);
            for (int t = 0; t < count; t++) {
                s.unfold(x, i0 + t, t, cols);
            }
            Typed.gemm(gemm, false, false, oc, s.row, s.taps, w, cols, false, out);
            for (int t = 0; t < count; t++) {
                for (int f = 0; f < oc; f++) {
                    int dst = ((i0 + t) * oc + f) * s.plane;
                    for (int yy = 0; yy < s.oh; yy++, dst += s.ow) {
                        Typed.copyPlusBias(out, f * s.row + t * s.used + yy * s.outStride, b, f, y, dst, s.ow);
                    }
                }
            }
        }
        return y;
    }

    /**
     * The gradient with respect to the input: {@code gx[n] = col2im(Wᵀ · gy[n])} for gy of shape
     * (N, OC, OH, OW) and an input of shape {@code xs} (N, C, H, W).
     */
    static Object inputGrad(Object gy, int[] xs, Object w, int oc, ConvGeometry g, int[] o) {
        Layout s = new Layout(xs, g, o, Typed.allFinite(w), gy instanceof float[]);
        Object gx = s.alloc(s.n * s.image);
        Object grad = s.alloc(Shapes.product(g.op(), oc, s.row));
        Object cols = s.alloc(Shapes.product(g.op() + " (im2col columns)", s.taps, s.row));
        Gemm gemm = Gemm.current();
        for (int i0 = 0; i0 < s.n; i0 += s.group) {
            int count = Math.min(s.group, s.n - i0);
            for (int t = 0; t < count; t++) {
                s.spread(gy, i0 + t, t, oc, grad);
            }
            Typed.gemm(gemm, true, false, s.taps, s.row, oc, w, grad, false, cols);
            for (int t = 0; t < count; t++) {
                s.fold(cols, t, gx, i0 + t);
            }
        }
        return gx;
    }

    /**
     * The gradient with respect to the weight: {@code gw = Σ_n gy[n] · cols(x[n])ᵀ}, an
     * (OC, C·KH·KW) matrix (the (OC, C, KH, KW) weight's layout), summed over groups of images in
     * order. A partial last group uses rows of exactly its positions, so no stale slot of an
     * earlier group enters the sum (an infinity there, times a zero gradient, would be NaN).
     */
    static Object weightGrad(Object x, int[] xs, Object gy, int oc, ConvGeometry g, int[] o) {
        Layout s = new Layout(xs, g, o, Typed.allFinite(x), x instanceof float[]);
        Object gw = s.alloc(Shapes.product(g.op(), oc, s.taps));
        // With many output channels gwᵀ = cols · gradᵀ is the cheaper product: the columns are
        // then packed as the left operand rather than transposed as the right one.
        boolean transposed = oc >= TRANSPOSED_WEIGHT_GRAD_FROM;
        Object gwT = transposed ? s.alloc(Shapes.product(g.op(), s.taps, oc)) : null;
        Object grad = s.alloc(Shapes.product(g.op(), oc, s.row));
        Object cols = s.alloc(Shapes.product(g.op() + " (im2col columns)", s.taps, s.row));
        Gemm gemm = Gemm.current();
        for (int i0 = 0; i0 < s.n; i0 += s.group) {
            int count = Math.min(s.group, s.n - i0);
            int k = count == s.group ? s.row : count * s.used; // the row length (positions) of this group
            if (count < s.group) { // shorter rows: clear the previous group's gradient (wide rows' unused columns)
                Typed.zero(grad, 0, oc * k);
            }
            for (int t = 0; t < count; t++) {
                s.unfold(x, i0 + t, t, cols, k);
                s.spread(gy, i0 + t, t, oc, grad, k);
            }
            if (transposed) {
                Typed.gemm(gemm, false, true, s.taps, oc, k, cols, grad, i0 != 0, gwT);
            } else {
                Typed.gemm(gemm, false, true, oc, s.taps, k, grad, cols, i0 != 0, gw);
            }
        }
        if (transposed) {
            for (int f = 0; f < oc; f++) {
                Typed.copyStrided(gwT, f, oc, gw, f * s.taps, s.taps);
            }
        }
        return gw;
    }

    /** Column blocks of at most about this many bytes (256 KiB) are unfolded at once. */
    private static final int BLOCK_BYTES = 1 << 18;

    /** Wide rows are used while they are at most this much longer than the output plane. */
    private static final double MAX_WIDE_OVERHEAD = 1.5;

    /** From this many output channels on, the weight gradient is computed transposed. */
    private static final int TRANSPOSED_WEIGHT_GRAD_FROM = 16;

    /**
     * How the columns of a group of images are laid out: a row of the column block holds
     * {@code group} slots of {@code used} columns, one per image, and has {@code row} columns in
     * all (the GEMM's n). Each slot holds wide rows (see the class comment) or the classic OH·OW
     * columns. Also holds the padded-image scratch of wide rows.
     */
    private static final class Layout {
        final ConvGeometry g;
        final boolean f32;
        final int n;
        final int c;
        final int h;
        final int w;
        final int oh;
        final int ow;
        final int image;
        final int taps;
        final int plane;
        /** Whether wide rows are used. */
        final boolean wide;
        /** Padded height and width of a wide image. */
        final int hp;
        final int wp;
        /** Columns per image slot, distance between output rows in a slot. */
        final int used;
        final int outStride;
        /** Images per GEMM and columns per row of the block. */
        final int group;
        final int row;
        /** The zero-padded image, or null when there is no padding or no wide rows. */
        final Object padded;

        /**
         * The layout for input shape {@code xs} and output size {@code o}; {@code wideAllowed}
         * false forces the classic columns (the wide rows' unused columns meet the other operand
         * there, and 0 times a non-finite value would be NaN). {@code f32}: float columns.
         */
        Layout(int[] xs, ConvGeometry g, int[] o, boolean wideAllowed, boolean f32) {
            this.g = g;
            this.f32 = f32;
            n = xs[0];
            c = xs[1];
            h = xs[2];
            w = xs[3];
            oh = o[0];
            ow = o[1];
            image = c * h * w;
            taps = Shapes.product(g.op(), c, g.kh(), g.kw());
            plane = Shapes.product(g.op(), oh, ow);
            long pwLong = w + 2L * g.pw();
            long wideUsedLong = (oh - 1) * pwLong + ow;
            // wide slots read whole padded rows, so every window must lie inside the padded image:
            // floor-mode windows always do (tiling the input or not), and at stride 1 ceil mode is floor mode
            wide = wideAllowed && g.sh() == 1 && g.sw() == 1 && wideUsedLong <= (long) MAX_WIDE_OVERHEAD * plane
                    && wideUsedLong <= Shapes.MAX_SIZE;
            int pw = (int) Math.min(pwLong, Shapes.MAX_SIZE);
            int wideUsed = (int) Math.min(wideUsedLong, Shapes.MAX_SIZE);
            hp = wide ? h + 2 * g.ph() : h;
            wp = wide ? pw : w;
            used = wide ? wideUsed : plane;
            outStride = wide ? wp : ow;
            padded = wide && (g.ph() > 0 || g.pw() > 0) ? alloc(Shapes.product(g.op(), c, hp, wp)) : null;
            int bytes = f32 ? Float.BYTES : Double.BYTES;
            group = (int) Math.max(1, Math.min(n, BLOCK_BYTES / bytes / Math.max(1L, (long) taps * used)));
            // rows a multiple of 256 bytes apart alias in the caches, and the GEMM then packs the
            // operand instead of reading it in place; the extra 64 bytes of columns are unused
            int cols = group * used;
            row = cols % (256 / bytes) == 0 ? cols + 64 / bytes : cols;
        }

        /** A new zeroed array of this layout's type. */
        Object alloc(int size) {
            return Typed.alloc(f32, size);
        }

        /** The columns of image {@code i} of {@code x} into slot {@code t} of {@code cols} (taps × row). */
        void unfold(Object x, int i, int t, Object cols) {
            unfold(x, i, t, cols, row);
        }

        /** As {@link #unfold(Object, int, int, Object)} into columns (taps × stride). */
        void unfold(Object x, int i, int t, Object cols, int stride) {
            if (!wide) {
                Im2col.unfold(x, i * image, c, h, w, g, oh, ow, cols, t * used, stride);
                return;
            }
            Object src = x;
            int base = i * image;
            if (padded != null) {
                for (int ci = 0; ci < c; ci++) {
                    for (int y = 0; y < h; y++) {
                        System.arraycopy(x, base + (ci * h + y) * w, padded, (ci * hp + y + g.ph()) * wp + g.pw(), w);
                    }
                }
                src = padded;
                base = 0;
            }
            int r = 0;
            for (int ci = 0; ci < c; ci++) {
                for (int ki = 0; ki < g.kh(); ki++) {
                    for (int kj = 0; kj < g.kw(); kj++, r++) {
                        System.arraycopy(src, base + (ci * hp + ki * g.dh()) * wp + kj * g.dw(), cols,
                                r * stride + t * used, used);
                    }
                }
            }
        }

        /** As {@link #spread(Object, int, int, int, Object, int)} with rows of {@code row} columns. */
        void spread(Object gy, int i, int t, int oc, Object grad) {
            spread(gy, i, t, oc, grad, row);
        }

        /**
         * The output gradient of image {@code i}, (OC, OH, OW) within {@code gy}, into slot
         * {@code t} of {@code grad} (OC rows of {@code stride} columns) at its output positions;
         * the unused columns of a wide slot are never written, so they keep the zeros they were
         * allocated or cleared with.
         */
        void spread(Object gy, int i, int t, int oc, Object grad, int stride) {
            int src = i * oc * plane;
            for (int f = 0; f < oc; f++) {
                int dst = f * stride + t * used;
                if (!wide) {
                    System.arraycopy(gy, src, grad, dst, plane);
                    src += plane;
                    continue;
                }
                for (int y = 0; y < oh; y++, src += ow, dst += outStride) {
                    System.arraycopy(gy, src, grad, dst, ow);
                }
            }
        }


        /** Adds slot {@code t} of the columns {@code cols} (taps × row) into image {@code i} of {@code gx}. */
        void fold(Object cols, int t, Object gx, int i) {
            if (!wide) {
                Im2col.fold(cols, t * used, row, c, h, w, g, oh, ow, gx, i * image);
                return;
            }
            Object dst = gx;
            int base = i * image;
            if (padded != null) {
                Typed.zero(padded, 0, c * hp * wp);
                dst = padded;
                base = 0;
            }
            int r = 0;
            for (int ci = 0; ci < c; ci++) {
                for (int ki = 0; ki < g.kh(); ki++) {
                    for (int kj = 0; kj < g.kw(); kj++, r++) {
                        int d = base + (ci * hp + ki * g.dh()) * wp + kj * g.dw();
                        Typed.addStrided(cols, r * row + t * used, dst, d, 1, used);
                    }
                }
            }
            if (padded != null) {
                for (int ci = 0; ci < c; ci++) {
                    for (int y = 0; y < h; y++) {
                        System.arraycopy(padded, (ci * hp + y + g.ph()) * wp + g.pw(), gx, i * image + (ci * h + y) * w, w);
                    }
                }
            }
        }
    }
}
