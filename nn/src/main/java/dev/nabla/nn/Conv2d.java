package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.conv.ConvGeometry;
import java.util.Random;

/**
 * A 2-D convolution layer over (N, C, H, W) inputs, PyTorch's {@code nn.Conv2d}: parameters
 * {@code weight} (out, in/groups, kH, kW) and optional {@code bias} (out), with stride, padding
 * (numbers, or "valid"/"same"), dilation per axis, channel groups and a padding mode (zeros,
 * reflect, replicate, circular). Computed as im2col
 * plus a matrix product per small group of images, as one graph node (see
 * {@link Functional#conv2d(dev.nabla.autograd.Variable, dev.nabla.autograd.Variable, dev.nabla.autograd.Variable, int[], int[], int[])}). The output size is PyTorch's,
 * {@code OH = floor((H + 2P - D(K-1) - 1)/S) + 1}: a kernel and stride need not tile the input (the
 * bottom rows and right columns no window reaches are ignored and get a zero gradient); a kernel
 * larger than the padded input is an error. Initialised as PyTorch does by
 * default: weight and bias uniform in ±1/√fanIn with fanIn = in·kH·kW, drawn (weight first) from the
 * caller's seeded generator; {@link #initHeNormal} switches to He initialisation for ReLU networks.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final int groups;
    /** "same" or "valid" when the padding was given as a string, else null. */
    private final String paddingString;
    private final String paddingMode;
    private final Parameter weight;
    private final Parameter bias;

    /** A square {@code kernel} with stride 1, no padding, no dilation, and a bias. */
    public Conv2d(int inChannels, int outChannels, int kernel, Random rng) {
        this(inChannels, outChannels, kernel, 1, 0, rng);
    }

    /** A square {@code kernel}, square stride and padding, no dilation, and a bias. */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, Random rng) {
        this(inChannels, outChannels, new int[] {kernel}, new int[] {stride}, new int[] {padding}, new int[] {1}, true, rng);
    }

    /**
     * The general layer: kernel, stride, padding and dilation are {height, width} pairs or one value
     * for both axes; {@code bias} false leaves the layer without a bias parameter.
     */
    public Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation,
                  boolean bias, Random rng) {
        this(inChannels, outChannels, kernel, stride, padding, null, dilation, 1, bias, "zeros", rng);
    }

    /**
     * PyTorch's full {@code nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding,
     * dilation, groups, bias, padding_mode)}: {@code groups} must divide both channel counts (the
     * weight is (out, in/groups, kH, kW); {@code groups = in} is depthwise), and
     * {@code paddingMode} is {@code "zeros"}, {@code "reflect"}, {@code "replicate"} or
     * {@code "circular"} (non-zero modes pad the input with {@link Functional#pad} and then
     * convolve without padding, as PyTorch does).
     */
    public Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups,
                  boolean bias, String paddingMode, Random rng) {
        this(inChannels, outChannels, kernel, stride, padding, null, dilation, groups, bias, paddingMode, rng);
    }

    /**
     * As {@link #Conv2d(int, int, int[], int[], int[], int[], int, boolean, String, Random)} with
     * PyTorch's string padding {@code "valid"} (none) or {@code "same"} (stride 1 only; the output
     * keeps the input's H and W, the odd extra padding on the bottom/right).
     */
    public Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, String padding, int[] dilation, int groups,
                  boolean bias, String paddingMode, Random rng) {
        this(inChannels, outChannels, kernel, stride, new int[] {0},
                ConvSupport.checkPaddingString("Conv2d", padding), dilation, groups, bias, paddingMode, rng);
    }

    private Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, String paddingString,
                   int[] dilation, int groups, boolean bias, String paddingMode, Random rng) {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("Conv2d: in_channels and out_channels must be positive, but got in_channels="
                    + inChannels + ", out_channels=" + outChannels);
        }
        if (groups < 1) {
            throw new IllegalArgumentException("Conv2d: groups must be a positive integer, but got groups=" + groups);
        }
        if (inChannels % groups != 0) {
            throw new IllegalArgumentException("Conv2d: in_channels must be divisible by groups, but got in_channels="
                    + inChannels + ", groups=" + groups);
        }
        if (outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv2d: out_channels must be divisible by groups, but got out_channels="
                    + outChannels + ", groups=" + groups);
        }
        ConvSupport.checkPaddingMode("Conv2d", paddingMode);
        if (rng == null) {
            throw new IllegalArgumentException("Conv2d: pass a seeded java.util.Random for the initial weights");
        }
        // validates every pair once, with the layer's name in the message
        ConvGeometry g = ConvGeometry.of("Conv2d", kernel, stride, padding, dilation);
        if ("same".equals(paddingString)) {
            ConvSupport.requireUnitStrideForSame("Conv2d", new int[] {g.sh(), g.sw()});
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = new int[] {g.kh(), g.kw()};
        this.stride = new int[] {g.sh(), g.sw()};
        this.padding = new int[] {g.ph(), g.pw()};
        this.dilation = new int[] {g.dh(), g.dw()};
        this.groups = groups;
        this.paddingString = paddingString;
        this.paddingMode = paddingMode;
        double bound = 1.0 / Math.sqrt(fanIn());
        this.weight = registerParameter("weight",
                new Parameter(NDArray.uniform(rng, -bound, bound, outChannels, inChannels / groups, g.kh(), g.kw())));
        this.bias = bias ? registerParameter("bias", new Parameter(NDArray.uniform(rng, -bound, bound, outChannels))) : null;
    }

    /** (in/groups)·kH·kW, the number of inputs feeding each output. */
    public int fanIn() {
        return inChannels / groups * kernel[0] * kernel[1];
    }

    /**
     * Re-initialises the weight from N(0, 2/fanIn) (He et al. 2015, for ReLU networks) and the bias
     * to zero, drawing from {@code rng}; returns this.
     */
    public Conv2d initHeNormal(Random rng) {
        double std = Math.sqrt(2.0 / fanIn());
        weight.data().copyFrom(NDArray.randn(rng, weight.shape()).mul(std));
        if (bias != null) {
            bias.data().fill(0.0);
        }
        return this;
    }

    /** Convolves {@code x} (N, in, H, W) to (N, out, OH, OW). */
    @Override
    public Variable forward(Variable x) {
        if (!"zeros".equals(paddingMode)) {
            return Functional.conv2d(Functional.pad(x, reversedPadding(), paddingMode, 0.0), weight, bias, stride,
                    new int[] {0}, dilation, groups);
        }
        if (paddingString != null) {
            return Functional.conv2d(x, weight, bias, stride, paddingString, dilation, groups);
        }
        return groups == 1 ? Functional.conv2d(x, weight, bias, stride, padding, dilation)
                : Functional.conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    /** PyTorch's {@code _reversed_padding_repeated_twice}: (left, right, top, bottom) for {@link Functional#pad}. */
    private int[] reversedPadding() {
        if ("same".equals(paddingString)) {
            int[] h = ConvSupport.samePadding(kernel[0], dilation[0]);
            int[] w = ConvSupport.samePadding(kernel[1], dilation[1]);
            return new int[] {w[0], w[1], h[0], h[1]};
        }
        return new int[] {padding[1], padding[1], padding[0], padding[0]};
    }

    /** The number of channel groups (1: a full convolution; in_channels: depthwise). */
    public int groups() {
        return groups;
    }

    /** The padding mode: "zeros", "reflect", "replicate" or "circular". */
    public String paddingMode() {
        return paddingMode;
    }

    /** The weight (out, in/groups, kH, kW). */
    public Parameter weight() {
        return weight;
    }

    /** The bias (out), or null when the layer has none. */
    public Parameter bias() {
        return bias;
    }

    /** Number of input channels. */
    public int inChannels() {
        return inChannels;
    }

    /** Number of output channels (filters). */
    public int outChannels() {
        return outChannels;
    }

    @Override
    protected String extraRepr() {
        // PyTorch prints padding and dilation only when not the default, and bias only when absent
        String s = inChannels + ", " + outChannels + ", kernel_size=" + Repr.tuple(kernel) + ", stride=" + Repr.tuple(stride);
        if (paddingString != null) {
            s += ", padding=" + paddingString;
        } else if (padding[0] != 0 || padding[1] != 0) {
            s += ", padding=" + Repr.tuple(padding);
        }
        if (dilation[0] != 1 || dilation[1] != 1) {
            s += ", dilation=" + Repr.tuple(dilation);
        }
        if (groups != 1) {
            s += ", groups=" + groups;
        }
        if (bias == null) {
            s += ", bias=False";
        }
        return "zeros".equals(paddingMode) ? s : s + ", padding_mode=" + paddingMode;
    }
}
