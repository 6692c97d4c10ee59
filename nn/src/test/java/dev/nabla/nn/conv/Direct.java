package dev.nabla.nn.conv;

import dev.nabla.ndarray.NDArray;

/**
 * Independent test oracles: convolution and pooling written as direct nested loops over
 * coordinates with {@link NDArray#get(int...)}, sharing no code with the im2col kernels.
 */
final class Direct {
    private Direct() {}

    /** Cross-correlation by the textbook seven loops (n, oc, oh, ow, c, i, j); {@code b} may be null. */
    static NDArray conv2d(NDArray x, NDArray wt, NDArray b, int sh, int sw, int ph, int pw, int dh, int dw) {
        int n = x.shape(0);
        int c = x.shape(1);
        int h = x.shape(2);
        int w = x.shape(3);
        int oc = wt.shape(0);
        int kh = wt.shape(2);
        int kw = wt.shape(3);
        int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        int ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        NDArray y = NDArray.zeros(n, oc, oh, ow);
        for (int a = 0; a < n; a++) {
            for (int o = 0; o < oc; o++) {
                for (int y0 = 0; y0 < oh; y0++) {
                    for (int x0 = 0; x0 < ow; x0++) {
                        double s = b == null ? 0 : b.get(o);
                        for (int ci = 0; ci < c; ci++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int iy = y0 * sh - ph + i * dh;
                                    int ix = x0 * sw - pw + j * dw;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        s += x.get(a, ci, iy, ix) * wt.get(o, ci, i, j);
                                    }
                                }
                            }
                        }
                        y.set(s, a, o, y0, x0);
                    }
                }
            }
        }
        return y;
    }

    /**
     * The input gradient of {@link #conv2d} by the same seven loops: every output gradient
     * {@code gy[a][o][y0][x0]} times {@code w[o][ci][i][j]} is added to the input position that
     * tap read.
     */
    static NDArray conv2dInputGrad(NDArray gy, NDArray wt, int[] xShape, int sh, int sw, int ph, int pw, int dh, int dw) {
        int c = xShape[1];
        int h = xShape[2];
        int w = xShape[3];
        int kh = wt.shape(2);
        int kw = wt.shape(3);
        NDArray gx = NDArray.zeros(xShape);
        for (int a = 0; a < gy.shape(0); a++) {
            for (int o = 0; o < gy.shape(1); o++) {
                for (int y0 = 0; y0 < gy.shape(2); y0++) {
                    for (int x0 = 0; x0 < gy.shape(3); x0++) {
                        for (int ci = 0; ci < c; ci++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int iy = y0 * sh - ph + i * dh;
                                    int ix = x0 * sw - pw + j * dw;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        gx.set(gx.get(a, ci, iy, ix) + gy.get(a, o, y0, x0) * wt.get(o, ci, i, j), a, ci, iy, ix);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return gx;
    }

    /**
     * The weight gradient of {@link #conv2d} by the same seven loops: every output gradient
     * {@code gy[a][o][y0][x0]} times the input value tap (ci, i, j) read is added to
     * {@code gw[o][ci][i][j]}; padding taps add nothing.
     */
    static NDArray conv2dWeightGrad(NDArray x, NDArray gy, int[] wShape, int sh, int sw, int ph, int pw, int dh, int dw) {
        int h = x.shape(2);
        int w = x.shape(3);
        NDArray gw = NDArray.zeros(wShape);
        for (int a = 0; a < x.shape(0); a++) {
            for (int o = 0; o < wShape[0]; o++) {
                for (int y0 = 0; y0 < gy.shape(2); y0++) {
                    for (int x0 = 0; x0 < gy.shape(3); x0++) {
                        for (int ci = 0; ci < wShape[1]; ci++) {
                            for (int i = 0; i < wShape[2]; i++) {
                                for (int j = 0; j < wShape[3]; j++) {
                                    int iy = y0 * sh - ph + i * dh;
                                    int ix = x0 * sw - pw + j * dw;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        gw.set(gw.get(o, ci, i, j) + gy.get(a, o, y0, x0) * x.get(a, ci, iy, ix), o, ci, i, j);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return gw;
    }

    /**
     * Max (max true) or average pooling of case {@code k} by direct loops over every output and
     * every tap of its window (dilated), with the output size of {@link ConvCase#oh()}. A tap is
     * "real" inside the input and "padded" inside the padded input; a ceilMode window may also
     * have taps past the padded input, which count for nothing. Max: the largest real tap (minus
     * infinity if none). Average: the sum of the real taps divided by the divisor override, else
     * (countIncludePad) the number of real and padded taps, else the number of real taps.
     */
    static NDArray pool(ConvCase k, NDArray x, boolean max) {
        int oh = k.oh();
        int ow = k.ow();
        NDArray y = NDArray.zeros(k.n, k.c, oh, ow);
        for (int a = 0; a < k.n; a++) {
            for (int ci = 0; ci < k.c; ci++) {
                for (int y0 = 0; y0 < oh; y0++) {
                    for (int x0 = 0; x0 < ow; x0++) {
                        double s = max ? Double.NEGATIVE_INFINITY : 0;
                        int inPadded = 0;
                        int real = 0;
                        for (int i = 0; i < k.kh; i++) {
                            for (int j = 0; j < k.kw; j++) {
                                int iy = y0 * k.sh - k.ph + i * k.dh;
                                int ix = x0 * k.sw - k.pw + j * k.dw;
                                if (iy < k.h + k.ph && ix < k.w + k.pw) { // iy, ix >= -P always
                                    inPadded++;
                                }
                                if (iy >= 0 && iy < k.h && ix >= 0 && ix < k.w) {
                                    real++;
                                    double v = x.get(a, ci, iy, ix);
                                    s = max ? Math.max(s, v) : s + v;
                                }
                            }
                        }
                        double divisor = k.divisor != 0 ? k.divisor : k.countIncludePad ? inPadded : real;
                        y.set(max ? s : s / divisor, a, ci, y0, x0);
                    }
                }
            }
        }
        return y;
    }

    /** Sum of elementwise products. */
    static double dot(NDArray a, NDArray b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.getFlat(i) * b.getFlat(i);
        }
        return s;
    }
}
