package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.conv.ConvGeometry;
import java.util.Random;

/**
 * A 2-D transposed convolution layer ("deconvolution", the adjoint of {@link Conv2d}), PyTorch's
 * {@code nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride, padding,
 * output_padding, groups, bias, dilation)}: parameters {@code weight} (in, out/groups, kH, kW) and
 * optional {@code bias} (out); output {@code OH = (H-1)·S - 2P + D(KH-1) + outputPadding + 1}
 * (see {@link Functional#convTranspose2d}). Only zero padding, as in PyTorch. Initialised as
 * PyTorch: weight and bias uniform in ±1/√fanIn with fanIn = (out/groups)·kH·kW (the weight's
 * axis 1 times the kernel), weight drawn first.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class ConvTranspose2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] outputPadding;
    private final int groups;
    private final int[] dilation;
    private final Parameter weight;
    private final Parameter bias;

    /** A square {@code kernel} and {@code stride}, no padding, one group, a bias. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernel, int stride, Random rng) {
        this(inChannels, outChannels, new int[] {kernel}, new int[] {stride}, new int[] {0}, new int[] {0}, 1, true,
                new int[] {1}, rng);
    }

    /**
     * PyTorch's full constructor (in its argument order); kernel, stride, padding, output padding
     * and dilation are {height, width} pairs or one value for both axes.
     */
    public ConvTranspose2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding,
                           int[] outputPadding, int groups, boolean bias, int[] dilation, Random rng) {
        ConvLayers.checkChannels("ConvTranspose2d", inChannels, outChannels, groups);
        if (rng == null) {
            throw new IllegalArgumentException("ConvTranspose2d: pass a seeded java.util.Random for the initial weights");
        }
        ConvGeometry g = ConvGeometry.of("ConvTranspose2d", kernel, stride, padding, dilation);
        int[] op = ConvSupport.pair("ConvTranspose2d", "output_padding", outputPadding);
        if (op[0] < 0 || op[1] < 0 || op[0] >= Math.max(g.sh(), g.dh()) || op[1] >= Math.max(g.sw(), g.dw())) {
            throw new IllegalArgumentException("ConvTranspose2d: output padding must be at least 0 and smaller than either"
                    + " stride or dilation, but got output_padding=(" + op[0] + ", " + op[1] + "), stride=(" + g.sh()
                    + ", " + g.sw() + "), dilation=(" + g.dh() + ", " + g.dw() + ")");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = new int[] {g.kh(), g.kw()};
        this.stride = new int[] {g.sh(), g.sw()};
        this.padding = new int[] {g.ph(), g.pw()};
        this.outputPadding = op;
        this.groups = groups;
        this.dilation = new int[] {g.dh(), g.dw()};
        double bound = 1.0 / Math.sqrt((double) outChannels / groups * g.kh() * g.kw());
        this.weight = registerParameter("weight",
                new Parameter(NDArray.uniform(rng, -bound, bound, inChannels, outChannels / groups, g.kh(), g.kw())));
        this.bias = bias ? registerParameter("bias", new Parameter(NDArray.uniform(rng, -bound, bound, outChannels))) : null;
    }

    /** Maps {@code x} (N, in, H, W) to (N, out, OH, OW). */
    @Override
    public Variable forward(Variable x) {
        return Functional.convTranspose2d(x, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /** The weight (in, out/groups, kH, kW). */
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
        if (padding[0] != 0 || padding[1] != 0) {
            s += ", padding=" + Repr.tuple(padding);
        }
        if (dilation[0] != 1 || dilation[1] != 1) {
            s += ", dilation=" + Repr.tuple(dilation);
        }
        if (outputPadding[0] != 0 || outputPadding[1] != 0) {
            s += ", output_padding=" + Repr.tuple(outputPadding);
        }
        return ConvLayers.reprTail(s, groups, bias != null, "zeros");
    }
}
