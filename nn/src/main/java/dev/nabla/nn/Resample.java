package dev.nabla.nn;

import dev.nabla.autograd.F;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Arrays;

/**
 * Resampling of the spatial axes behind {@link Functional#interpolate} and the adaptive pools,
 * all with PyTorch's index formulas and built from differentiable primitives (gathers along one
 * axis, products with constant weights, matrix products with constant averaging matrices), so
 * derivatives of every order work: interpolation is separable and runs axis by axis; adaptive
 * average pooling is {@code A_h · x · A_wᵀ}; adaptive max pooling gathers each window's first
 * maximum.
 * Stateless and thread-safe.
 */
final class Resample {
    private Resample() {}

    /** {@code F.interpolate} (see {@link Functional#interpolate}). */
    static Variable interpolate(Variable x, int[] size, double[] scaleFactor, String mode, Boolean alignCorners) {
        String op = "interpolate";
        int nd = x.ndim();
        if (nd != 3 && nd != 4) {
            throw new IllegalArgumentException(op + ": expected a 3-D (N, C, L) or 4-D (N, C, H, W) input, but got a "
                    + nd + "-D input of shape " + Shapes.str(x.shape()));
        }
        checkSettings(op, size, scaleFactor, mode, alignCorners);
        boolean nearest = "nearest".equals(mode);
        if ("linear".equals(mode) && nd != 3) {
            throw new IllegalArgumentException(op + ": Got " + nd + "D input, but linear mode needs 3D input (shape "
                    + Shapes.str(x.shape()) + "); use mode 'bilinear' for (N, C, H, W)");
        }
        if ("bilinear".equals(mode) && nd != 4) {
            throw new IllegalArgumentException(op + ": Got " + nd + "D input, but bilinear mode needs 4D input (shape "
                    + Shapes.str(x.shape()) + "); use mode 'linear' for (N, C, L)");
        }
        int sp = nd - 2;
        int[] in = Arrays.copyOfRange(x.shape(), 2, nd);
        int[] out = new int[sp];
        double[] scales = new double[sp]; // 0: none given, use in/out
        for (int a = 0; a < sp; a++) {
            if (size != null) {
                out[a] = perAxis(op, "size", size.length, sp, in) == 1 ? size[0] : size[a];
            } else {
                double s = perAxis(op, "scale_factor", scaleFactor.length, sp, in) == 1 ? scaleFactor[0] : scaleFactor[a];
                if (!(s > 0) || Double.isInfinite(s)) {
                    throw new IllegalArgumentException(op + ": scale_factor must be positive and finite, but got "
                            + Arrays.toString(scaleFactor));
                }
                scales[a] = s;
                double o = Math.floor(in[a] * s);
                out[a] = o > Shapes.MAX_SIZE ? -1 : (int) o;
            }
        }
        for (int a = 0; a < sp; a++) {
            if (out[a] < 1 || in[a] < 1) {
                throw new IllegalArgumentException(op + ": Input and output sizes should be greater than 0, but got input "
                        + Shapes.str(in) + " output " + Shapes.str(out) + " (input of shape " + Shapes.str(x.shape())
                        + "); use a larger size or scale_factor");
            }
        }
        Variable y = x;
        for (int a = 0; a < sp; a++) {
            y = nearest ? nearest1d(y, 2 + a, in[a], out[a], scales[a])
                    : linear1d(y, 2 + a, in[a], out[a], scales[a], alignCorners != null && alignCorners);
        }
        return y;
    }

    /** The checks that need no input: a known mode, align corners only when interpolating, exactly one of size and scale. */
    static void checkSettings(String op, int[] size, double[] scaleFactor, String mode, Boolean alignCorners) {
        boolean nearest = "nearest".equals(mode);
        if (!nearest && !"linear".equals(mode) && !"bilinear".equals(mode)) {
            throw new IllegalArgumentException(op + ": mode '" + mode + "' is not supported; expected one of 'nearest', "
                    + "'linear' (3-D input), 'bilinear' (4-D input)");
        }
        if (nearest && alignCorners != null) {
            throw new IllegalArgumentException(op + ": align_corners option can only be set with the interpolating modes:"
                    + " linear | bilinear | bicubic | trilinear; leave it null for mode 'nearest'");
        }
        if ((size == null) == (scaleFactor == null)) {
            throw new IllegalArgumentException(op + ": " + (size == null ? "either size or scale_factor should be defined"
                    : "only one of size or scale_factor should be defined") + " (the other one null)");
        }
    }

    /** The number of values a size or scale list must have: 1 (all axes) or one per spatial axis. */
    private static int perAxis(String op, String what, int given, int sp, int[] in) {
        if (given != 1 && given != sp) {
            throw new IllegalArgumentException(op + ": Input and output must have the same number of spatial dimensions, "
                    + "but got input with spatial dimensions of " + Arrays.toString(in) + " and " + what + " with "
                    + given + " values; give 1 or " + sp + " values");
        }
        return given;
    }

    /**
     * PyTorch's nearest source index (UpSample.h {@code nearest_idx}), in float as PyTorch computes
     * it: identity for equal sizes, {@code dst >> 1} for doubling, else
     * {@code min(floor(dst·scale), in-1)} with {@code scale = 1/scale_factor} when one was given,
     * else {@code in/out}.
     */
    static int nearestIndex(int dst, int in, int out, double scaleFactor) {
        if (out == in) {
            return dst;
        }
        if (out == 2 * in) {
            return dst >> 1;
        }
        float scale = scaleFactor > 0 ? (float) (1.0 / scaleFactor) : (float) in / out;
        return Math.min((int) Math.floor((float) dst * scale), in - 1);
    }

    private static Variable nearest1d(Variable x, int axis, int in, int out, double scale) {
        int[] idx = new int[out];
        for (int o = 0; o < out; o++) {
            idx[o] = nearestIndex(o, in, out, scale);
        }
        return gather(x, axis, idx);
    }

    /** {@code x} at positions {@code idx} along {@code axis} (a gather; its backward scatter-adds). */
    private static Variable gather(Variable x, int axis, int[] idx) {
        Index[] ix = new Index[axis + 1];
        Arrays.fill(ix, Index.all());
        ix[axis] = Index.of(idx);
        return x.getItem(ix);
    }

    /**
     * Linear interpolation along one axis with PyTorch's source coordinate
     * ({@code area_pixel_compute_source_index}): {@code scale·dst} with align corners
     * ({@code scale = (in-1)/(out-1)}, 0 for one output), else the half-pixel
     * {@code max(scale·(dst + ½) - ½, 0)} with {@code scale = 1/scale_factor} or {@code in/out};
     * then {@code i0 = floor(src)}, {@code i1 = min(i0 + 1, in - 1)}, {@code λ = src - i0}.
     */
    private static Variable linear1d(Variable x, int axis, int in, int out, double scaleFactor, boolean alignCorners) {
        double scale = alignCorners ? (out > 1 ? (in - 1.0) / (out - 1.0) : 0.0)
                : scaleFactor > 0 ? 1.0 / scaleFactor : (double) in / out;
        int[] i0 = new int[out];
        int[] i1 = new int[out];
        double[] l0 = new double[out];
        double[] l1 = new double[out];
        for (int o = 0; o < out; o++) {
            double src = alignCorners ? scale * o : Math.max(scale * (o + 0.5) - 0.5, 0.0);
            int lo = Math.min((int) Math.floor(src), in - 1);
            double lambda = Math.min(Math.max(src - lo, 0.0), 1.0);
            i0[o] = lo;
            i1[o] = lo < in - 1 ? lo + 1 : lo;
            l1[o] = lambda;
            l0[o] = 1.0 - lambda;
        }
        int[] ws = new int[x.ndim()];
        Arrays.fill(ws, 1);
        ws[axis] = out;
        Variable w0 = Variable.constant(NDArray.of(l0, ws).astype(x.dtype()));
        Variable w1 = Variable.constant(NDArray.of(l1, ws).astype(x.dtype()));
        return gather(x, axis, i0).mul(w0).add(gather(x, axis, i1).mul(w1));
    }

    /** PyTorch's adaptive window start {@code floor(i·in/out)}. */
    static int start(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    /** PyTorch's adaptive window end {@code ceil((i+1)·in/out)} (exclusive). */
    static int end(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }

    /** The (OH, OW) of an adaptive pool from one or two values, checked against the input (N, C, H, W). */
    static int[] adaptiveSize(String op, int[] xs, int[] outputSize) {
        dev.nabla.nn.conv.ConvGeometry.requireNchw(op, xs);
        int[] o = ConvSupport.pair(op, "output_size", outputSize);
        if (o[0] < 1 || o[1] < 1) {
            throw new IllegalArgumentException(op + ": output_size must be positive on both axes, but got "
                    + Arrays.toString(outputSize));
        }
        if (xs[2] < 1 || xs[3] < 1) {
            throw new IllegalArgumentException(op + ": expected an input with non-zero H and W, but got shape "
                    + Shapes.str(xs));
        }
        return o;
    }

    /** The (out, in) matrix averaging each adaptive window of one axis. */
    private static NDArray averaging(int in, int out) {
        double[] a = new double[out * in];
        for (int i = 0; i < out; i++) {
            int s = start(i, in, out);
            int e = end(i, in, out);
            for (int j = s; j < e; j++) {
                a[i * in + j] = 1.0 / (e - s);
            }
        }
        return NDArray.of(a, out, in);
    }

    /** {@code F.adaptive_avg_pool2d}: {@code A_h · x · A_wᵀ} with the averaging matrices of each axis. */
    static Variable adaptiveAvgPool2d(Variable x, int[] outputSize) {
        int[] xs = x.shape();
        int[] o = adaptiveSize("adaptiveAvgPool2d", xs, outputSize);
        Variable ah = Variable.constant(averaging(xs[2], o[0]).astype(x.dtype()));
        Variable aw = Variable.constant(averaging(xs[3], o[1]).astype(x.dtype()));
        return ah.matmul(x.matmul(aw, false, true));
    }

    /**
     * {@code F.adaptive_max_pool2d}: each window's first maximum (a NaN wins, as in PyTorch),
     * gathered from the flattened input so the gradient flows to exactly that element.
     */
    static Variable adaptiveMaxPool2d(Variable x, int[] outputSize) {
        int[] xs = x.shape();
        int[] o = adaptiveSize("adaptiveMaxPool2d", xs, outputSize);
        // the window maxima's positions (per example under vmap), and the input taken at them
        Variable at = dev.nabla.autograd.Vmap.constant(k -> a -> {
                int[] p = a[0].shape();
                int lead = 1;
                for (int i = 0; i < k; i++) {
                    lead *= p[i];
                }
                int[] arg = argmaxes(a[0].toArray(), lead * xs[0] * xs[1], xs[2], xs[3], o);
                int size = Shapes.size(xs);
                long[] local = new long[arg.length];
                for (int i = 0; i < arg.length; i++) {
                    local[i] = arg[i] % size;
                }
                int[] out = new int[k + 4];
                System.arraycopy(p, 0, out, 0, k);
                out[k] = xs[0];
                out[k + 1] = xs[1];
                out[k + 2] = o[0];
                out[k + 3] = o[1];
                return NDArray.of(local, out);
            }, x);
        return F.take(x, at);
    }

    /** Each window's first maximum (a NaN wins) as a flat position in {@code v} of {@code planes} (h, w) planes. */
    private static int[] argmaxes(double[] v, int planes, int h, int w, int[] o) {
        int[] arg = new int[Shapes.product("adaptiveMaxPool2d", planes, o[0], o[1])];
        int k = 0;
        for (int p = 0; p < planes; p++) {
            int base = p * h * w;
            for (int i = 0; i < o[0]; i++) {
                int y0 = start(i, h, o[0]);
                int y1 = end(i, h, o[0]);
                for (int j = 0; j < o[1]; j++) {
                    int x0 = start(j, w, o[1]);
                    int x1 = end(j, w, o[1]);
                    int best = base + y0 * w + x0;
                    double max = v[best];
                    for (int yy = y0; yy < y1 && !Double.isNaN(max); yy++) {
                        for (int xx = x0; xx < x1; xx++) {
                            double c = v[base + yy * w + xx];
                            if (c > max || Double.isNaN(c)) {
                                max = c;
                                best = base + yy * w + xx;
                                if (Double.isNaN(c)) {
                                    break;
                                }
                            }
                        }
                    }
                    arg[k++] = best;
                }
            }
        }
        return arg;
    }
}
