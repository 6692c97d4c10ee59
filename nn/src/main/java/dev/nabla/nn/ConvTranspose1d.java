package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.Random;

/**
 * A 1-D transposed convolution layer, PyTorch's {@code nn.ConvTranspose1d(in_channels,
 * out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation)}: weight
 * (in, out/groups, k), optional bias (out), output length
 * {@code (L-1)·S - 2P + D(K-1) + outputPadding + 1}; initialised as PyTorch (uniform in
 * ±1/√((out/groups)·k), weight first).
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class ConvTranspose1d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int outputPadding;
    private final int groups;
    private final int dilation;
    private final Parameter weight;
    private final Parameter bias;

    /** PyTorch's full constructor, in its argument order. */
    public ConvTranspose1d(int inChannels, int outChannels, int kernel, int stride, int padding, int outputPadding,
                           int groups, boolean bias, int dilation, Random rng) {
        ConvLayers.checkChannels("ConvTranspose1d", inChannels, outChannels, groups);
        ConvLayers.checkScalars("ConvTranspose1d", kernel, stride, padding, dilation);
        if (outputPadding < 0 || outputPadding >= Math.max(stride, dilation)) {
            throw new IllegalArgumentException("ConvTranspose1d: output padding must be at least 0 and smaller than either"
                    + " stride or dilation, but got output_padding=" + outputPadding + ", stride=" + stride
                    + ", dilation=" + dilation);
        }
        if (rng == null) {
            throw new IllegalArgumentException("ConvTranspose1d: pass a seeded java.util.Random for the initial weights");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.outputPadding = outputPadding;
        this.groups = groups;
        this.dilation = dilation;
        double bound = 1.0 / Math.sqrt((double) outChannels / groups * kernel);
        this.weight = registerParameter("weight",
                new Parameter(NDArray.uniform(rng, -bound, bound, inChannels, outChannels / groups, kernel)));
        this.bias = bias ? registerParameter("bias", new Parameter(NDArray.uniform(rng, -bound, bound, outChannels))) : null;
    }

    /** Maps {@code x} (N, in, L) to (N, out, OL). */
    @Override
    public Variable forward(Variable x) {
        return Functional.convTranspose1d(x, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /** The weight (in, out/groups, k). */
    public Parameter weight() {
        return weight;
    }

    /** The bias (out), or null when the layer has none. */
    public Parameter bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        String s = inChannels + ", " + outChannels + ", kernel_size=" + Repr.tuple(kernel) + ", stride=" + Repr.tuple(stride);
        if (padding != 0) {
            s += ", padding=" + Repr.tuple(padding);
        }
        if (dilation != 1) {
            s += ", dilation=" + Repr.tuple(dilation);
        }
        if (outputPadding != 0) {
            s += ", output_padding=" + Repr.tuple(outputPadding);
        }
        return ConvLayers.reprTail(s, groups, bias != null, "zeros");
    }
}
