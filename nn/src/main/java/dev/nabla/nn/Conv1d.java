package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.Random;

/**
 * A 1-D convolution layer over (N, C, L) inputs, PyTorch's {@code nn.Conv1d(in_channels,
 * out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode)}: parameters
 * {@code weight} (out, in/groups, k) and optional {@code bias} (out); output length
 * {@code floor((L + 2P - D(K-1) - 1)/S) + 1}. Padding is a number or "valid"/"same" (stride 1);
 * non-zero padding modes pad the input first (see {@link Functional#pad}). Initialised as PyTorch:
 * weight and bias uniform in ±1/√fanIn, fanIn = (in/groups)·k, weight drawn first.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class Conv1d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final String paddingString;
    private final int dilation;
    private final int groups;
    private final String paddingMode;
    private final Parameter weight;
    private final Parameter bias;

    /** Stride 1, no padding, no dilation, one group, a bias, zero padding mode. */
    public Conv1d(int inChannels, int outChannels, int kernel, Random rng) {
        this(inChannels, outChannels, kernel, 1, 0, 1, 1, true, "zeros", rng);
    }

    /** PyTorch's full constructor with numeric padding. */
    public Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation, int groups,
                  boolean bias, String paddingMode, Random rng) {
        this(inChannels, outChannels, kernel, stride, padding, null, dilation, groups, bias, paddingMode, rng);
    }

    /** PyTorch's full constructor with padding "valid" or "same" (stride 1). */
    public Conv1d(int inChannels, int outChannels, int kernel, int stride, String padding, int dilation, int groups,
                  boolean bias, String paddingMode, Random rng) {
        this(inChannels, outChannels, kernel, stride, 0, ConvSupport.checkPaddingString("Conv1d", padding), dilation,
                groups, bias, paddingMode, rng);
    }

    private Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding, String paddingString,
                   int dilation, int groups, boolean bias, String paddingMode, Random rng) {
        ConvLayers.checkChannels("Conv1d", inChannels, outChannels, groups);
        ConvSupport.checkPaddingMode("Conv1d", paddingMode);
        ConvLayers.checkScalars("Conv1d", kernel, stride, padding, dilation);
        if ("same".equals(paddingString)) {
            ConvSupport.requireUnitStrideForSame("Conv1d", new int[] {stride});
        }
        if (rng == null) {
            throw new IllegalArgumentException("Conv1d: pass a seeded java.util.Random for the initial weights");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.paddingString = paddingString;
        this.dilation = dilation;
        this.groups = groups;
        this.paddingMode = paddingMode;
        double bound = 1.0 / Math.sqrt((double) inChannels / groups * kernel);
        this.weight = registerParameter("weight",
                new Parameter(NDArray.uniform(rng, -bound, bound, outChannels, inChannels / groups, kernel)));
        this.bias = bias ? registerParameter("bias", new Parameter(NDArray.uniform(rng, -bound, bound, outChannels))) : null;
    }

    /** Convolves {@code x} (N, in, L) to (N, out, OL). */
    @Override
    public Variable forward(Variable x) {
        if (!"zeros".equals(paddingMode)) {
            int[] p = "same".equals(paddingString) ? ConvSupport.samePadding(kernel, dilation)
                    : new int[] {padding, padding};
            return Functional.conv1d(Functional.pad(x, p, paddingMode, 0.0), weight, bias, stride, 0, dilation, groups);
        }
        return paddingString != null ? Functional.conv1d(x, weight, bias, stride, paddingString, dilation, groups)
                : Functional.conv1d(x, weight, bias, stride, padding, dilation, groups);
    }

    /** The weight (out, in/groups, k). */
    public Parameter weight() {
        return weight;
    }

    /** The bias (out), or null when the layer has none. */
    public Parameter bias() {
        return bias;
    }

    /** The number of channel groups. */
    public int groups() {
        return groups;
    }

    @Override
    protected String extraRepr() {
        String s = inChannels + ", " + outChannels + ", kernel_size=" + Repr.tuple(kernel) + ", stride=" + Repr.tuple(stride);
        if (paddingString != null) {
            s += ", padding=" + paddingString;
        } else if (padding != 0) {
            s += ", padding=" + Repr.tuple(padding);
        }
        if (dilation != 1) {
            s += ", dilation=" + Repr.tuple(dilation);
        }
        return ConvLayers.reprTail(s, groups, bias != null, paddingMode);
    }
}
