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

    /** Max (max true) or average over each window (average divides by kh·kw, padding counted as 0). */
    static NDArray pool(NDArray x, boolean max, int kh, int kw, int sh, int sw, int ph, int pw) {
        int n = x.shape(0);
        int c = x.shape(1);
        int h = x.shape(2);
        int w = x.shape(3);
        int oh = (h + 2 * ph - kh) / sh + 1;
        int ow = (w + 2 * pw - kw) / sw + 1;
        NDArray y = NDArray.zeros(n, c, oh, ow);
        for (int a = 0; a < n; a++) {
            for (int ci = 0; ci < c; ci++) {
                for (int y0 = 0; y0 < oh; y0++) {
                    for (int x0 = 0; x0 < ow; x0++) {
                        double s = max ? Double.NEGATIVE_INFINITY : 0;
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int iy = y0 * sh - ph + i;
                                int ix = x0 * sw - pw + j;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    double v = x.get(a, ci, iy, ix);
                                    s = max ? Math.max(s, v) : s + v;
                                }
                            }
                        }
                        y.set(max ? s : s / (kh * kw), a, ci, y0, x0);
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
