package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.conv.ConvGeometry;
import java.util.Random;

/**
 * A 2-D convolution layer over (N, C, H, W) inputs: parameters {@code weight} (out, in, kH, kW) and
 * optional {@code bias} (out), with stride, zero padding and dilation per axis. Computed as im2col
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
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("Conv2d: in_channels and out_channels must be positive, but got in_channels="
                    + inChannels + ", out_channels=" + outChannels);
        }
        if (rng == null) {
            throw new IllegalArgumentException("Conv2d: pass a seeded java.util.Random for the initial weights");
        }
        // validates every pair once, with the layer's name in the message
        ConvGeometry g = ConvGeometry.of("Conv2d", kernel, stride, padding, dilation);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = new int[] {g.kh(), g.kw()};
        this.stride = new int[] {g.sh(), g.sw()};
        this.padding = new int[] {g.ph(), g.pw()};
        this.dilation = new int[] {g.dh(), g.dw()};
        double bound = 1.0 / Math.sqrt(fanIn());
        this.weight = registerParameter("weight",
                new Parameter(NDArray.uniform(rng, -bound, bound, outChannels, inChannels, g.kh(), g.kw())));
        this.bias = bias ? registerParameter("bias", new Parameter(NDArray.uniform(rng, -bound, bound, outChannels))) : null;
    }

    /** in·kH·kW, the number of inputs feeding each output. */
    public int fanIn() {
        return inChannels * kernel[0] * kernel[1];
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
        return Functional.conv2d(x, weight, bias, stride, padding, dilation);
    }

    /** The weight (out, in, kH, kW). */
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
        if (padding[0] != 0 || padding[1] != 0) {
            s += ", padding=" + Repr.tuple(padding);
        }
        if (dilation[0] != 1 || dilation[1] != 1) {
            s += ", dilation=" + Repr.tuple(dilation);
        }
        return bias == null ? s + ", bias=False" : s;
    }
}
