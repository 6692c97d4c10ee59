package dev.nabla.nn;

import dev.nabla.autograd.F;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.IndexMaps;
import dev.nabla.ndarray.Shapes;
import dev.nabla.nn.conv.Conv2dInputGradNode;
import dev.nabla.nn.conv.Conv2dNode;
import dev.nabla.nn.conv.ConvGeometry;
import java.util.Arrays;
import java.util.List;

/**
 * The convolution variants behind {@link Functional}'s grouped, "same"-padded, transposed and
 * 1-D convolutions and {@code pad}, each reduced to the fused {@link Conv2dNode} and its adjoint
 * {@link Conv2dInputGradNode} (whose backward passes are each other, so derivatives of every
 * order work): groups split the channels and concatenate the per-group results, as the
 * definition reads; non-zero padding modes are a differentiable pad followed by an unpadded
 * convolution, as PyTorch's layers do; a 1-D convolution is a 2-D one over an (N, C, 1, L) view.
 * Stateless and thread-safe.
 */
final class ConvSupport {
    private ConvSupport() {}

    /** PyTorch's {@code padding_mode} values of the convolution layers. */
    static final List<String> PADDING_MODES = List.of("zeros", "reflect", "replicate", "circular");

    /** A {height, width} pair from one or two values (checked by {@link ConvGeometry#of}). */
    static int[] pair(String op, String what, int[] v) {
        if (v == null || v.length < 1 || v.length > 2) {
            throw new IllegalArgumentException(op + ": " + what + " must have 1 or 2 values (height, width), but got "
                    + (v == null ? "null" : Arrays.toString(v)));
        }
        return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    }

    /** Refuses a padding mode PyTorch's layers do not know. */
    static String checkPaddingMode(String op, String mode) {
        if (!PADDING_MODES.contains(mode)) {
            throw new IllegalArgumentException(op + ": padding_mode must be one of ['zeros', 'reflect', 'replicate', "
                    + "'circular'], but got padding_mode='" + mode + "'");
        }
        return mode;
    }

    /** Refuses a padding string other than PyTorch's "valid" and "same". */
    static String checkPaddingString(String op, String padding) {
        if (!"valid".equals(padding) && !"same".equals(padding)) {
            throw new IllegalArgumentException(op + ": Invalid padding string '" + padding
                    + "', should be one of {'valid', 'same'}; or give the padding as numbers");
        }
        return padding;
    }

    /** Refuses "same" padding with a stride other than 1 (PyTorch's rule). */
    static void requireUnitStrideForSame(String op, int[] stride) {
        for (int s : stride) {
            if (s != 1) {
                throw new IllegalArgumentException(op + ": padding='same' is not supported for strided convolutions, but"
                        + " got stride " + Arrays.toString(stride) + "; use stride 1, or padding='valid' or numbers");
            }
        }
    }

    /**
     * The (left, right) zero padding of "same" for a kernel of {@code k} taps with dilation
     * {@code d}: the total {@code d·(k-1)} split as PyTorch does, the odd extra on the right.
     */
    static int[] samePadding(int k, int d) {
        int total = d * (k - 1);
        return new int[] {total / 2, total - total / 2};
    }

    /** {@code F.pad} with PyTorch's mode names ("constant", "reflect", "replicate", "circular"). */
    static Variable pad(Variable x, int[] pad, String mode, double value) {
        IndexMaps.PadMode m;
        switch (mode == null ? "" : mode) {
            case "constant":
                m = IndexMaps.PadMode.CONSTANT;
                break;
            case "reflect":
                m = IndexMaps.PadMode.REFLECT;
                break;
            case "replicate":
                m = IndexMaps.PadMode.REPLICATE;
                break;
            case "circular":
                m = IndexMaps.PadMode.CIRCULAR;
                break;
            default:
                throw new IllegalArgumentException("pad: Unrecognised padding mode '" + mode + "'; expected one of "
                        + "'constant', 'reflect', 'replicate', 'circular'");
        }
        if (m != IndexMaps.PadMode.CONSTANT && value != 0.0) {
            throw new IllegalArgumentException("pad: Padding mode \"" + mode + "\" doesn't take in value argument, but got"
                    + " value=" + value + "; leave it at 0 or use mode \"constant\"");
        }
        return x.pad(pad, m, value);
    }

    /** Grouped 2-D convolution with numeric zero padding: the per-group convolutions concatenated along the channels. */
    static Variable conv2d(String op, Variable x, Variable w, Variable b, int[] stride, int[] padding, int[] dilation,
                           int groups) {
        int[] ws = w.shape();
        if (ws.length != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D weight (out_channels, in_channels/groups, kH, kW), "
                    + "but got a weight of shape " + Shapes.str(ws));
        }
        ConvGeometry g = ConvGeometry.of(op, new int[] {ws[2], ws[3]}, stride, padding, dilation);
        if (groups == 1) {
            Conv2dNode node = new Conv2dNode(g);
            return b == null ? node.apply(x, w) : node.apply(x, w, b);
        }
        ConvGeometry.requireNchw(op, x.shape());
        checkGroups(op, x.shape(), ws, groups, false);
        if (b != null && !java.util.Arrays.equals(b.shape(), new int[] {ws[0]})) {
            throw new IllegalArgumentException(op + ": expected a bias of shape (" + ws[0] + ",) for " + ws[0]
                    + " output channels, but got " + Shapes.str(b.shape()));
        }
        Variable[] xg = F.split(x, 1, equal(x.shape(1), groups));
        Variable[] wg = F.split(w, 0, equal(ws[0], groups));
        Variable[] bg = b == null ? null : F.split(b, 0, equal(ws[0], groups));
        Variable[] yg = new Variable[groups];
        for (int i = 0; i < groups; i++) {
            Conv2dNode node = new Conv2dNode(g);
            yg[i] = b == null ? node.apply(xg[i], wg[i]) : node.apply(xg[i], wg[i], bg[i]);
        }
        return F.concat(1, yg);
    }

    /** Grouped 2-D convolution with PyTorch's string padding "valid" (none) or "same" (stride 1, output size = input size). */
    static Variable conv2d(String op, Variable x, Variable w, Variable b, int[] stride, String padding, int[] dilation,
                           int groups) {
        checkPaddingString(op, padding);
        if ("valid".equals(padding)) {
            return conv2d(op, x, w, b, stride, new int[] {0}, dilation, groups);
        }
        int[] s = pair(op, "stride", stride);
        requireUnitStrideForSame(op, s);
        int[] ws = w.shape();
        if (ws.length != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D weight (out_channels, in_channels/groups, kH, kW), "
                    + "but got a weight of shape " + Shapes.str(ws));
        }
        ConvGeometry.requireNchw(op, x.shape());
        int[] d = pair(op, "dilation", dilation);
        int[] ph = samePadding(ws[2], d[0]);
        int[] pw = samePadding(ws[3], d[1]);
        if (ph[0] == ph[1] && pw[0] == pw[1]) {
            return conv2d(op, x, w, b, s, new int[] {ph[0], pw[0]}, d, groups);
        }
        // an odd total: the extra zero row/column goes on the bottom/right, as PyTorch pads it
        return conv2d(op, x.pad(pw[0], pw[1], ph[0], ph[1]), w, b, s, new int[] {0}, d, groups);
    }

    /**
     * Fails unless {@code groups} is positive and divides the weight's axis 0, and the input has
     * {@code ws[1]·groups} channels (convolution) or {@code ws[0]} channels (transposed).
     */
    static void checkGroups(String op, int[] xs, int[] ws, int groups, boolean transposed) {
        if (groups < 1) {
            throw new IllegalArgumentException(op + ": non-positive groups is not supported, but got groups=" + groups);
        }
        if (ws[0] % groups != 0) {
            throw new IllegalArgumentException(op + ": Given groups=" + groups + ", expected weight to be divisible by "
                    + groups + " at dimension 0, but got weight of size " + Shapes.str(ws) + " instead");
        }
        int expected = transposed ? ws[0] : ws[1] * groups;
        if (xs[1] != expected) {
            throw new IllegalArgumentException(op + ": Given " + (transposed ? "transposed=1, " : "") + "groups=" + groups
                    + ", weight of size " + Shapes.str(ws) + ", expected input[N, " + expected + ", ...] to have "
                    + expected + " channels, but got " + xs[1] + " channels instead (input of shape " + Shapes.str(xs)
                    + "); " + (transposed ? "the weight's axis 0 is in_channels" : "in_channels = weight.shape[1] * groups"));
        }
    }

    /** {@code parts} equal sizes summing to {@code total} (a multiple of {@code parts}). */
    private static int[] equal(int total, int parts) {
        int[] s = new int[parts];
        Arrays.fill(s, total / parts);
        return s;
    }

    /**
     * 2-D transposed convolution of {@code x} (N, C, H, W) with {@code w} (C, OC/groups, KH, KW),
     * PyTorch's {@code F.conv_transpose2d}: the adjoint of the convolution with the same
     * geometry, output {@code (H-1)·S - 2P + D(K-1) + outputPadding + 1}.
     */
    static Variable convTranspose2d(String op, Variable x, Variable w, Variable b, int[] stride, int[] padding,
                                    int[] outputPadding, int groups, int[] dilation) {
        int[] xs = x.shape();
        int[] ws = w.shape();
        if (ws.length != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D weight (in_channels, out_channels/groups, kH, kW), "
                    + "but got a weight of shape " + Shapes.str(ws));
        }
        ConvGeometry.requireNchw(op, xs);
        ConvGeometry g = ConvGeometry.of(op, new int[] {ws[2], ws[3]}, stride, padding, dilation);
        int[] opad = pair(op, "output_padding", outputPadding);
        checkGroups(op, xs, ws, groups, true);
        if (opad[0] < 0 || opad[1] < 0) {
            throw new IllegalArgumentException(op + ": output_padding must be at least 0 on both axes, but got ("
                    + opad[0] + ", " + opad[1] + ")");
        }
        if (opad[0] >= Math.max(g.sh(), g.dh()) || opad[1] >= Math.max(g.sw(), g.dw())) {
            throw new IllegalArgumentException(op + ": output padding must be smaller than either stride or dilation, but "
                    + "got output_padding_height: " + opad[0] + " output_padding_width: " + opad[1] + " stride_height: "
                    + g.sh() + " stride_width: " + g.sw() + " dilation_height: " + g.dh() + " dilation_width: " + g.dw());
        }
        int oc = ws[1] * groups;
        if (b != null && !java.util.Arrays.equals(b.shape(), new int[] {oc})) {
            throw new IllegalArgumentException(op + ": expected a bias of shape (" + oc + ",) for " + oc
                    + " output channels (weight " + Shapes.str(ws) + ", groups=" + groups + "), but got "
                    + Shapes.str(b.shape()));
        }
        long oh = (long) (xs[2] - 1) * g.sh() - 2L * g.ph() + (long) g.dh() * (g.kh() - 1) + opad[0] + 1;
        long ow = (long) (xs[3] - 1) * g.sw() - 2L * g.pw() + (long) g.dw() * (g.kw() - 1) + opad[1] + 1;
        if (oh < 1 || ow < 1 || oh > Shapes.MAX_SIZE || ow > Shapes.MAX_SIZE) {
            throw new IllegalArgumentException(op + ": Given input size per channel: (" + xs[2] + " x " + xs[3]
                    + "). Calculated output size per channel: (" + oh + " x " + ow + "). Output size is "
                    + (oh < 1 || ow < 1 ? "too small" : "too large") + " (" + g + ", output_padding=("
                    + opad[0] + ", " + opad[1] + ")); use less padding or a larger input");
        }
        int[] out = {(int) oh, (int) ow};
        Variable y;
        if (groups == 1) {
            y = transposeOne(g, x, w, xs[0], ws[1], out, opad);
        } else {
            Variable[] xg = F.split(x, 1, equal(xs[1], groups));
            Variable[] wg = F.split(w, 0, equal(ws[0], groups));
            Variable[] yg = new Variable[groups];
            for (int i = 0; i < groups; i++) {
                yg[i] = transposeOne(g, xg[i], wg[i], xs[0], ws[1], out, opad);
            }
            y = F.concat(1, yg);
        }
        return b == null ? y : y.add(b.reshape(1, oc, 1, 1));
    }

    /**
     * One group's transposed convolution: the convolution input gradient, whose convolution maps
     * an (N, OC, OH, OW) input back to x's size exactly when the output padding is below the
     * stride; otherwise (output padding reaching into the dilation) the unpadded full result is
     * cropped by the padding and extended by zeros.
     */
    private static Variable transposeOne(ConvGeometry g, Variable x, Variable w, int n, int oc, int[] out, int[] opad) {
        if (opad[0] < g.sh() && opad[1] < g.sw()) {
            return new Conv2dInputGradNode(g, new int[] {n, oc, out[0], out[1]}).apply(x, w);
        }
        ConvGeometry full = new ConvGeometry(g.op(), g.kh(), g.kw(), g.sh(), g.sw(), 0, 0, g.dh(), g.dw());
        int fh = (x.shape(2) - 1) * g.sh() + g.dh() * (g.kh() - 1) + 1;
        int fw = (x.shape(3) - 1) * g.sw() + g.dw() * (g.kw() - 1) + 1;
        Variable y = new Conv2dInputGradNode(full, new int[] {n, oc, fh, fw}).apply(x, w);
        return y.pad(-g.pw(), out[1] - fw + g.pw(), -g.ph(), out[0] - fh + g.ph());
    }

    /** Fails unless {@code shape} is (N, C, L). */
    static void requireNcl(String op, int[] shape) {
        if (shape.length != 3) {
            String hint = shape.length == 2 ? "; for a single sequence add a batch axis with x.unsqueeze(0)" : "";
            throw new IllegalArgumentException(op + ": expected a 3-D input (N, C, L), but got a " + shape.length
                    + "-D input of shape " + Shapes.str(shape) + hint);
        }
    }

    /** Fails unless the 1-D weight {@code w} has 3 axes; returns its (OC, C/groups, 1, K) view. */
    static Variable weight1d(String op, Variable w, String layout) {
        if (w.ndim() != 3) {
            throw new IllegalArgumentException(op + ": expected a 3-D weight " + layout + ", but got a weight of shape "
                    + Shapes.str(w.shape()));
        }
        return w.unsqueeze(2);
    }

    /** 1-D convolution of (N, C, L): a 2-D one over the (N, C, 1, L) view. */
    static Variable conv1d(Variable x, Variable w, Variable b, int stride, int padding, int dilation, int groups) {
        requireNcl("conv1d", x.shape());
        Variable w4 = weight1d("conv1d", w, "(out_channels, in_channels/groups, kL)");
        checkGroups("conv1d", x.shape(), w.shape(), groups, false);
        Variable y = conv2d("conv1d", x.unsqueeze(2), w4, b, new int[] {1, stride}, new int[] {0, padding},
                new int[] {1, dilation}, groups);
        return squeeze2(y);
    }

    /** 1-D convolution with "valid" or "same" padding. */
    static Variable conv1d(Variable x, Variable w, Variable b, int stride, String padding, int dilation, int groups) {
        checkPaddingString("conv1d", padding);
        if ("same".equals(padding)) {
            requireUnitStrideForSame("conv1d", new int[] {stride});
        }
        requireNcl("conv1d", x.shape());
        Variable w4 = weight1d("conv1d", w, "(out_channels, in_channels/groups, kL)");
        checkGroups("conv1d", x.shape(), w.shape(), groups, false);
        Variable y = conv2d("conv1d", x.unsqueeze(2), w4, b, new int[] {1, stride}, padding, new int[] {1, dilation},
                groups);
        return squeeze2(y);
    }

    /** 1-D transposed convolution of (N, C, L) with w (C, OC/groups, K). */
    static Variable convTranspose1d(Variable x, Variable w, Variable b, int stride, int padding, int outputPadding,
                                    int groups, int dilation) {
        requireNcl("convTranspose1d", x.shape());
        Variable w4 = weight1d("convTranspose1d", w, "(in_channels, out_channels/groups, kL)");
        checkGroups("convTranspose1d", x.shape(), w.shape(), groups, true);
        Variable y = convTranspose2d("convTranspose1d", x.unsqueeze(2), w4, b, new int[] {1, stride},
                new int[] {0, padding}, new int[] {0, outputPadding}, groups, new int[] {1, dilation});
        return squeeze2(y);
    }

    private static Variable squeeze2(Variable y) {
        int[] s = y.shape();
        return y.reshape(s[0], s[1], s[3]);
    }
}
