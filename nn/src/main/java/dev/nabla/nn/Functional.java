package dev.nabla.nn;

import dev.nabla.autograd.F;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import dev.nabla.nn.conv.AvgPool2dNode;
import dev.nabla.nn.conv.Conv2dNode;
import dev.nabla.nn.conv.ConvGeometry;
import dev.nabla.nn.conv.MaxPool2dNode;
import dev.nabla.nn.conv.PoolOptions;
import java.util.Arrays;
import java.util.Random;

/**
 * The one functional namespace of Nabla's neural-network functions, the counterpart of
 * {@code torch.nn.functional}: activations, linear, convolution, pooling, normalization, dropout,
 * embedding, recurrent cells, losses, weight penalties and accuracy — each function once, each
 * layer's {@code forward} calling the function here with its parameters (so what the gradient
 * properties check is what the layers run). Conventions everywhere: the tensor first, then
 * weights, then settings; axes as {@code int...} last; losses take PyTorch's {@link Reduction}
 * (mean by default) and, for classification, {@link CrossEntropyOptions}. The core's tensor math
 * (arithmetic, exp/log, reductions, shape ops, logsumexp, where, einsum) stays on
 * {@link Variable} and {@link F} in autograd; the activations that are single primitives
 * ({@code relu}, {@code sigmoid}, {@code tanh}, {@code leakyRelu}) are also Variable methods.
 * Every function is composed of differentiable primitives (or fused nodes whose backward is again
 * differentiable), so derivatives of any order work except where stated.
 * <pre>{@code
 * import static dev.nabla.nn.Functional.*;
 * Variable h = relu(linear(x, w1, b1));
 * Variable loss = crossEntropy(linear(h, w2, b2), labels, CrossEntropyOptions.defaults().labelSmoothing(0.1));
 * }</pre>
 * Stateless and thread-safe.
 */
public final class Functional {
    private Functional() {}

    // ================================================================ activations

    /** {@code max(x, 0)}, PyTorch's {@code F.relu} (a primitive; the same as {@code x.relu()}). */
    public static Variable relu(Variable x) {
        return x.relu();
    }

    /** {@code x} where positive, {@code negativeSlope·x} elsewhere, PyTorch's {@code F.leaky_relu}. */
    public static Variable leakyRelu(Variable x, double negativeSlope) {
        return x.leakyRelu(negativeSlope);
    }

    /** {@link #leakyRelu(Variable, double)} with PyTorch's default slope 0.01. */
    public static Variable leakyRelu(Variable x) {
        return x.leakyRelu(0.01);
    }

    /** The logistic sigmoid {@code 1/(1 + e^-x)}, PyTorch's {@code F.sigmoid} (the same as {@code x.sigmoid()}). */
    public static Variable sigmoid(Variable x) {
        return x.sigmoid();
    }

    /** The hyperbolic tangent, PyTorch's {@code F.tanh} (the same as {@code x.tanh()}). */
    public static Variable tanh(Variable x) {
        return x.tanh();
    }

    /** {@code log(1 + e^x)} computed stably as {@code max(x, 0) + log(1 + e^-|x|)}, PyTorch's {@code F.softplus}. */
    public static Variable softplus(Variable x) {
        return x.maximum(Variable.constant(0.0, x.dtype())).add(x.abs().neg().exp().add(1.0).log());
    }

    /** {@code log σ(x) = -softplus(-x)}, PyTorch's {@code F.logsigmoid}. */
    public static Variable logSigmoid(Variable x) {
        return softplus(x.neg()).neg();
    }

    /** GELU with the exact erf form {@code x Φ(x) = x (1 + erf(x/√2)) / 2}, PyTorch's {@code F.gelu} default. */
    public static Variable gelu(Variable x) {
        return x.mul(x.div(Math.sqrt(2.0)).erf().add(1.0)).mul(0.5);
    }

    /**
     * GELU with PyTorch's {@code approximate} argument: {@code "none"} (the erf form) or
     * {@code "tanh"}: {@code x (1 + tanh(√(2/π)(x + 0.044715 x³))) / 2}.
     */
    public static Variable gelu(Variable x, String approximate) {
        if ("none".equals(approximate)) {
            return gelu(x);
        }
        if (!"tanh".equals(approximate)) {
            throw new IllegalArgumentException("gelu: approximate argument must be either none or tanh, got '"
                    + approximate + "'");
        }
        Variable inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2.0 / Math.PI));
        return x.mul(inner.tanh().add(1.0)).mul(0.5);
    }

    /** SiLU (swish) {@code x σ(x)}, PyTorch's {@code F.silu}. */
    public static Variable silu(Variable x) {
        return x.mul(x.sigmoid());
    }

    /** ELU: {@code x} where positive, {@code alpha (e^x - 1)} elsewhere, PyTorch's {@code F.elu}. */
    public static Variable elu(Variable x, double alpha) {
        Variable pos = x.gt(0.0); // a BOOL constant (per example under vmap)
        return F.where(pos, x, x.minimum(Variable.constant(0.0, x.dtype())).exp().sub(1.0).mul(alpha));
    }

    /** {@link #elu(Variable, double)} with PyTorch's default {@code alpha = 1}. */
    public static Variable elu(Variable x) {
        return elu(x, 1.0);
    }

    /** Softmax along {@code axis}, {@code exp(x - max) / Σ exp(x - max)}, PyTorch's {@code F.softmax(x, dim)}. */
    public static Variable softmax(Variable x, int axis) {
        return F.softmax(x, axis);
    }

    /** Log-softmax along {@code axis}, {@code x - logsumexp(x)}, PyTorch's {@code F.log_softmax(x, dim)}. */
    public static Variable logSoftmax(Variable x, int axis) {
        return F.logSoftmax(x, axis);
    }

    // ================================================================ linear

    /**
     * {@code y = x Wᵀ + b}, the affine map of a fully connected layer, in PyTorch's layout
     * ({@code F.linear}): {@code W} has shape {@code (out_features, in_features)} and {@code b}
     * shape {@code (out_features)} or null. {@code x} has shape {@code (..., in)}; the result
     * {@code (..., out)}. The product runs through the GEMM's transposed-operand flag, so no
     * transpose of W is materialized, and with a bias it is one {@link LinearNode} (the bias added
     * into the product's storage, bitwise {@code x·Wᵀ + b}); the one implementation behind {@link Linear}, the recurrent
     * cells and layers, and attention's projections.
     */
    public static Variable linear(Variable x, Variable w, Variable b) {
        if (w.ndim() != 2) {
            throw new IllegalArgumentException("linear: weight must have shape (out_features, in_features), got "
                    + Shapes.str(w.shape()));
        }
        int out = w.shape(0);
        int in = w.shape(1);
        if (x.ndim() == 0 || x.shape(-1) != in) {
            throw new IllegalArgumentException("linear: expected input of shape (..., " + in + ") to match the weight "
                    + Shapes.str(w.shape()) + " (out_features=" + out + ", in_features=" + in + "), got "
                    + Shapes.str(x.shape()) + "; the last dimension of the input must equal in_features");
        }
        if (b != null && !java.util.Arrays.equals(b.shape(), new int[] {out})) {
            throw new IllegalArgumentException("linear: bias must have shape (" + out + ",) to match the weight "
                    + Shapes.str(w.shape()) + " (out_features=" + out + "), got " + Shapes.str(b.shape()));
        }
        if (x.ndim() == 2) {
            return b == null ? x.matmul(w, false, true) : new LinearNode().apply(x, w, b);
        }
        int[] os = x.shape().clone();
        os[os.length - 1] = out;
        Variable x2 = x.reshape(-1, in);
        return (b == null ? x2.matmul(w, false, true) : new LinearNode().apply(x2, w, b)).reshape(os);
    }

    // ================================================================ convolution and pooling

    /**
     * 2-D convolution (cross-correlation, as every deep-learning library) of {@code x} (N, C, H, W)
     * with {@code w} (OC, C, KH, KW) and optional bias {@code b} (OC) (null for none); stride,
     * padding and dilation are {height, width} pairs or one value for both axes. Returns
     * (N, OC, OH, OW) with PyTorch's {@code OH = floor((H + 2P - D(K-1) - 1)/S) + 1}. One fused
     * im2col + GEMM node whose backward is itself differentiable; PyTorch's {@code F.conv2d}.
     */
    public static Variable conv2d(Variable x, Variable w, Variable b, int[] stride, int[] padding, int[] dilation) {
        int[] ws = w.shape();
        if (ws.length != 4) {
            throw new IllegalArgumentException("conv2d: expected a 4-D weight (out_channels, in_channels, kH, kW), but got "
                    + "a weight of shape " + Shapes.str(ws));
        }
        ConvGeometry g = ConvGeometry.of("conv2d", new int[] {ws[2], ws[3]}, stride, padding, dilation);
        Conv2dNode node = new Conv2dNode(g);
        return b == null ? node.apply(x, w) : node.apply(x, w, b);
    }

    /** {@link #conv2d(Variable, Variable, Variable, int[], int[], int[])} with one stride and padding for both axes and no dilation. */
    public static Variable conv2d(Variable x, Variable w, Variable b, int stride, int padding) {
        return conv2d(x, w, b, new int[] {stride}, new int[] {padding}, new int[] {1});
    }

    /** {@link #conv2d(Variable, Variable, Variable, int[], int[], int[])} with stride 1, no padding, no dilation. */
    public static Variable conv2d(Variable x, Variable w, Variable b) {
        return conv2d(x, w, b, 1, 0);
    }

    /**
     * 2-D max pooling of {@code x} (N, C, H, W) with {@code kernel} ({KH, KW} or one value) and
     * {@code options} (stride — default the kernel —, padding, dilation, ceilMode), PyTorch's
     * {@code F.max_pool2d}; the gradient flows to the first maximum of each window.
     */
    public static Variable maxPool2d(Variable x, int[] kernel, PoolOptions options) {
        ConvGeometry g = ConvGeometry.maxPool(kernel, options);
        g.outputSize(x.shape());
        return new MaxPool2dNode(g).apply(x);
    }

    /** {@link #maxPool2d(Variable, int[], PoolOptions)} with a square {@code kernel} and stride = kernel. */
    public static Variable maxPool2d(Variable x, int kernel) {
        return maxPool2d(x, new int[] {kernel}, PoolOptions.defaults());
    }

    /** {@link #maxPool2d(Variable, int[], PoolOptions)} with the given stride and padding. */
    public static Variable maxPool2d(Variable x, int[] kernel, int[] stride, int[] padding) {
        return maxPool2d(x, kernel, PoolOptions.defaults().stride(stride).padding(padding));
    }

    /**
     * 2-D average pooling of {@code x} (N, C, H, W), PyTorch's {@code F.avg_pool2d}: with
     * {@code options}' stride, padding, ceilMode, countIncludePad (default true, zeros of the
     * padding counted) and divisorOverride.
     */
    public static Variable avgPool2d(Variable x, int[] kernel, PoolOptions options) {
        ConvGeometry g = ConvGeometry.avgPool(kernel, options);
        g.outputSize(x.shape());
        return new AvgPool2dNode(g, options.countIncludePad(), options.divisorOrZero()).apply(x);
    }

    /** {@link #avgPool2d(Variable, int[], PoolOptions)} with a square {@code kernel} and stride = kernel. */
    public static Variable avgPool2d(Variable x, int kernel) {
        return avgPool2d(x, new int[] {kernel}, PoolOptions.defaults());
    }

    /** {@link #avgPool2d(Variable, int[], PoolOptions)} with the given stride and padding. */
    public static Variable avgPool2d(Variable x, int[] kernel, int[] stride, int[] padding) {
        return avgPool2d(x, kernel, PoolOptions.defaults().stride(stride).padding(padding));
    }

    /**
     * The mean of {@code x} (N, C, H, W) over H and W: (N, C, 1, 1) with {@code keepDims}, else
     * (N, C); PyTorch's {@code F.adaptive_avg_pool2d(x, 1)}.
     */
    public static Variable globalAvgPool2d(Variable x, boolean keepDims) {
        ConvGeometry.requireNchw("globalAvgPool2d", x.shape());
        return x.mean(new int[] {2, 3}, keepDims);
    }

    // ================================================================ convolution variants, resampling, adaptive pooling (issue 16)

    /**
     * 2-D convolution with {@code groups} (PyTorch's {@code F.conv2d(x, w, b, stride, padding,
     * dilation, groups)}): the C input channels and the OC filters are split into {@code groups}
     * equal parts and part g of the filters sees only part g of the channels, so {@code w} has shape
     * (OC, C/groups, KH, KW); {@code groups = C} is a depthwise convolution. C and OC must be
     * multiples of {@code groups}. Zero padding; other padding modes are a {@link #pad} first, as
     * the {@link Conv2d} layer does.
     */
    public static Variable conv2d(Variable x, Variable w, Variable b, int[] stride, int[] padding, int[] dilation,
                                  int groups) {
        return ConvSupport.conv2d("conv2d", x, w, b, stride, padding, dilation, groups);
    }

    /**
     * 2-D convolution with PyTorch's string padding: {@code "valid"} (none) or {@code "same"}
     * (stride 1 only; the zero padding {@code D(K-1)} per axis is split with the odd extra on the
     * bottom/right, so the output has the input's H and W).
     */
    public static Variable conv2d(Variable x, Variable w, Variable b, int[] stride, String padding, int[] dilation,
                                  int groups) {
        return ConvSupport.conv2d("conv2d", x, w, b, stride, padding, dilation, groups);
    }

    /**
     * PyTorch's {@code F.pad(x, pad, mode, value)}: {@code pad} holds (left, right) pairs from the
     * last axis backwards; {@code mode} is {@code "constant"} (with {@code value}; negative pads
     * crop), {@code "reflect"}, {@code "replicate"} or {@code "circular"} (those take no value).
     */
    public static Variable pad(Variable x, int[] pad, String mode, double value) {
        return ConvSupport.pad(x, pad, mode, value);
    }

    /**
     * 2-D transposed convolution (the adjoint, or gradient, of {@link #conv2d} with the same
     * geometry), PyTorch's {@code F.conv_transpose2d(x, w, b, stride, padding, output_padding,
     * groups, dilation)}: {@code x} (N, C, H, W), {@code w} (C, OC/groups, KH, KW), {@code b} (OC)
     * or null; output (N, OC, OH, OW) with
     * {@code OH = (H-1)·S - 2P + D(KH-1) + outputPadding + 1}. The output padding (extra rows at
     * the bottom/right) must be below the stride or the dilation. One
     * {@link dev.nabla.nn.conv.Conv2dInputGradNode} per group, differentiable to every order.
     */
    public static Variable convTranspose2d(Variable x, Variable w, Variable b, int[] stride, int[] padding,
                                           int[] outputPadding, int groups, int[] dilation) {
        return ConvSupport.convTranspose2d("convTranspose2d", x, w, b, stride, padding, outputPadding, groups, dilation);
    }

    /** {@link #convTranspose2d(Variable, Variable, Variable, int[], int[], int[], int, int[])} with PyTorch's defaults: stride 1, no padding, one group, no dilation. */
    public static Variable convTranspose2d(Variable x, Variable w, Variable b) {
        return convTranspose2d(x, w, b, new int[] {1}, new int[] {0}, new int[] {0}, 1, new int[] {1});
    }

    /**
     * 1-D convolution of {@code x} (N, C, L) with {@code w} (OC, C/groups, K) and optional bias
     * (OC), PyTorch's {@code F.conv1d(x, w, b, stride, padding, dilation, groups)}: output
     * (N, OC, floor((L + 2P - D(K-1) - 1)/S) + 1), computed as a 2-D convolution of the
     * (N, C, 1, L) view.
     */
    public static Variable conv1d(Variable x, Variable w, Variable b, int stride, int padding, int dilation, int groups) {
        return ConvSupport.conv1d(x, w, b, stride, padding, dilation, groups);
    }

    /** 1-D convolution with padding {@code "valid"} or {@code "same"} (stride 1; the odd extra on the right). */
    public static Variable conv1d(Variable x, Variable w, Variable b, int stride, String padding, int dilation,
                                  int groups) {
        return ConvSupport.conv1d(x, w, b, stride, padding, dilation, groups);
    }

    /** {@link #conv1d(Variable, Variable, Variable, int, int, int, int)} with stride 1, no padding, no dilation, one group. */
    public static Variable conv1d(Variable x, Variable w, Variable b) {
        return conv1d(x, w, b, 1, 0, 1, 1);
    }

    /**
     * 1-D transposed convolution of {@code x} (N, C, L) with {@code w} (C, OC/groups, K),
     * PyTorch's {@code F.conv_transpose1d(x, w, b, stride, padding, output_padding, groups,
     * dilation)}: output length {@code (L-1)·S - 2P + D(K-1) + outputPadding + 1}.
     */
    public static Variable convTranspose1d(Variable x, Variable w, Variable b, int stride, int padding,
                                           int outputPadding, int groups, int dilation) {
        return ConvSupport.convTranspose1d(x, w, b, stride, padding, outputPadding, groups, dilation);
    }

    /**
     * Resizes the spatial axes of {@code x} (N, C, L) or (N, C, H, W), PyTorch's
     * {@code F.interpolate(x, size, scale_factor, mode, align_corners)}: give exactly one of
     * {@code size} and {@code scaleFactor} (the other null; one value for every axis or one per
     * axis; a scale gives {@code floor(in·scale)}). {@code mode}: {@code "nearest"} (source
     * {@code floor(dst·in/out)}, or {@code floor(dst/scale)} with a scale factor, clamped to the
     * input; {@code alignCorners} must be null), {@code "linear"} (3-D) or {@code "bilinear"}
     * (4-D) with {@code alignCorners} true (corner pixels aligned,
     * {@code src = dst·(in-1)/(out-1)}) or false/null (PyTorch's default: half-pixel centres,
     * {@code src = max((dst + ½)·in/out - ½, 0)}). Built from gathers and constant weights.
     */
    public static Variable interpolate(Variable x, int[] size, double[] scaleFactor, String mode, Boolean alignCorners) {
        return Resample.interpolate(x, size, scaleFactor, mode, alignCorners);
    }

    /**
     * Adaptive average pooling of {@code x} (N, C, H, W) to {@code outputSize} ({OH, OW} or one
     * value for both), PyTorch's {@code F.adaptive_avg_pool2d}: output (i, j) is the mean of rows
     * {@code floor(i·H/OH)} to {@code ceil((i+1)·H/OH)} (exclusive) and likewise for columns, so
     * windows may overlap when the sizes do not divide.
     */
    public static Variable adaptiveAvgPool2d(Variable x, int... outputSize) {
        return Resample.adaptiveAvgPool2d(x, outputSize);
    }

    /**
     * Adaptive max pooling with the windows of {@link #adaptiveAvgPool2d}, PyTorch's
     * {@code F.adaptive_max_pool2d}: each output is its window's maximum, and the gradient flows
     * to the first maximum of the window (row-major).
     */
    public static Variable adaptiveMaxPool2d(Variable x, int... outputSize) {
        return Resample.adaptiveMaxPool2d(x, outputSize);
    }

    /**
     * Group normalization, PyTorch's {@code F.group_norm(x, num_groups, weight, bias, eps)}: the
     * C channels of {@code x} (N, C, ...) are split into {@code numGroups} groups, each sample's
     * group is normalized with its own mean and biased variance, then scaled by {@code weight}
     * and shifted by {@code bias} per channel (shape (C); either may be null).
     */
    public static Variable groupNorm(Variable x, int numGroups, Variable weight, Variable bias, double eps) {
        if (x.ndim() < 2) {
            throw new IllegalArgumentException("groupNorm: expected an input of shape (N, C, ...), but got "
                    + Shapes.str(x.shape()));
        }
        int c = x.shape(1);
        if (numGroups < 1 || c % numGroups != 0) {
            throw new IllegalArgumentException("groupNorm: Expected number of channels in input to be divisible by "
                    + "num_groups, but got input of shape " + Shapes.str(x.shape()) + " and num_groups=" + numGroups);
        }
        for (Variable p : new Variable[] {weight, bias}) {
            if (p != null && !java.util.Arrays.equals(p.shape(), new int[] {c})) {
                throw new IllegalArgumentException("groupNorm: expected weight and bias of shape (" + c + ",) for " + c
                        + " channels, but got " + Shapes.str(p.shape()));
            }
        }
        int[] xs = x.shape();
        Variable y = normalize(x.reshape(xs[0], numGroups, -1), null, null, eps, 2).reshape(xs);
        int[] bshape = channelShape(xs.length, c);
        if (weight != null) {
            y = y.mul(weight.reshape(bshape));
        }
        if (bias != null) {
            y = y.add(bias.reshape(bshape));
        }
        return y;
    }

    // ================================================================ recurrent cells

    /**
     * One Elman RNN step with explicit weights (biases may be null), PyTorch's {@code RNNCell}:
     * {@code act(x wIhᵀ + bIh + h wHhᵀ + bHh)}, weights in PyTorch's layout {@code (H, inputSize)}
     * and {@code (H, H)}.
     */
    public static Variable rnnCell(Variable x, Variable h, Variable wIh, Variable wHh, Variable bIh, Variable bHh,
                                   RNNCell.Nonlinearity nonlinearity) {
        return RNNCell.step(x, h, wIh, wHh, bIh, bHh, nonlinearity);
    }

    /**
     * One LSTM step with explicit weights (biases may be null), PyTorch's {@code LSTMCell}: gates
     * {@code i, f, g, o} in PyTorch's order from {@code x wIhᵀ + bIh + h wHhᵀ + bHh}; returns
     * {@code (h', c')}.
     */
    public static LSTMState lstmCell(Variable x, Variable h, Variable c, Variable wIh, Variable wHh, Variable bIh,
                                     Variable bHh) {
        return LSTMCell.step(x, h, c, wIh, wHh, bIh, bHh);
    }

    /**
     * One GRU step with explicit weights (biases may be null), PyTorch's {@code GRUCell}: gates
     * {@code r, z, n} in PyTorch's order, {@code h' = (1 - z) n + z h}.
     */
    public static Variable gruCell(Variable x, Variable h, Variable wIh, Variable wHh, Variable bIh, Variable bHh) {
        return GRUCell.step(x, h, wIh, wHh, bIh, bHh);
    }

    // ================================================================ normalization, dropout, embedding

    /**
     * Inverted dropout: in training each element is zeroed with probability {@code p} (one
     * {@link Random#nextDouble()} per element, in row-major order; zeroed when the draw is below
     * {@code p}) and the survivors are scaled by {@code 1/(1-p)}, so the expected value is
     * unchanged and evaluation needs no rescaling. Not training, or {@code p = 0}, returns
     * {@code x} itself without drawing; {@code p = 1} gives zeros. The mask is a constant: the
     * gradient is the same mask times the upstream gradient.
     */
    public static Variable dropout(Variable x, double p, boolean training, Random rng) {
        checkProbability(p);
        if (!training || p == 0.0) {
            return x;
        }
        dev.nabla.autograd.Vmap.refuseRandomness("dropout");
        double scale = p == 1.0 ? 0.0 : 1.0 / (1.0 - p);
        // drawn inside a node, so that a compiled step's replay draws the same sequence as eager mode
        return x.mul(new DropoutMaskNode(p, scale, rng).apply(x.detach()));
    }

    static void checkProbability(double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
    }

    /**
     * Normalization with the statistics of {@code x} over {@code axes}:
     * {@code (x - mean) / sqrt(var + eps) * gamma + beta}, with the biased variance (divide by the
     * count), as PyTorch's batch norm in training mode and as layer norm. {@code gamma} and
     * {@code beta} (either may be null) must already broadcast against {@code x}.
     */
    public static Variable normalize(Variable x, Variable gamma, Variable beta, double eps, int... axes) {
        Variable mean = x.mean(axes, true);
        Variable d = x.sub(mean);
        Variable var = d.mul(d).mean(axes, true);
        Variable y = d.div(var.add(eps).sqrt());
        if (gamma != null) {
            y = y.mul(gamma);
        }
        if (beta != null) {
            y = y.add(beta);
        }
        return y;
    }

    /**
     * Batch normalization of {@code x} of shape {@code (N, C)}, {@code (N, C, L)} or
     * {@code (N, C, H, W)} per channel (axis 1) over every other axis, using the batch's mean and
     * biased variance; {@code gamma}/{@code beta} of shape {@code (C)} or null.
     */
    public static Variable batchNorm(Variable x, Variable gamma, Variable beta, double eps) {
        if (x.ndim() < 2) {
            throw new IllegalArgumentException("batchNorm: expected an input of shape (N, C, ...), got " + Shapes.str(x.shape()));
        }
        int c = x.shape(1);
        int[] axes = channelReductionAxes(x.ndim());
        int[] bshape = channelShape(x.ndim(), c);
        return normalize(x, gamma == null ? null : gamma.reshape(bshape), beta == null ? null : beta.reshape(bshape), eps, axes);
    }

    /** Batch normalization with given (constant) statistics, as in evaluation mode: {@code (x - mean) / sqrt(var + eps) * gamma + beta}. */
    public static Variable batchNormInference(Variable x, NDArray mean, NDArray var, Variable gamma, Variable beta, double eps) {
        int c = x.shape(1);
        int[] bshape = channelShape(x.ndim(), c);
        Variable m = Variable.constant(mean.reshape(bshape));
        Variable s = Variable.constant(var.reshape(bshape).add(eps).sqrt());
        Variable y = x.sub(m).div(s);
        if (gamma != null) {
            y = y.mul(gamma.reshape(bshape));
        }
        if (beta != null) {
            y = y.add(beta.reshape(bshape));
        }
        return y;
    }

    /** Axes 0, 2, 3, ... (every axis but the channel axis 1). */
    static int[] channelReductionAxes(int ndim) {
        int[] axes = new int[ndim - 1];
        axes[0] = 0;
        for (int i = 2; i < ndim; i++) {
            axes[i - 1] = i;
        }
        return axes;
    }

    /** {@code (1, C, 1, ...)} with {@code ndim} axes. */
    static int[] channelShape(int ndim, int c) {
        int[] s = new int[ndim];
        Arrays.fill(s, 1);
        s[1] = c;
        return s;
    }

    /**
     * Layer normalization over the trailing axes given by {@code normalizedShape}, with the
     * biased variance, then {@code * weight + bias} (each of shape {@code normalizedShape}, or null).
     */
    public static Variable layerNorm(Variable x, int[] normalizedShape, Variable weight, Variable bias, double eps) {
        int k = normalizedShape.length;
        int n = x.ndim();
        boolean ok = k >= 1 && n >= k;
        for (int i = 0; ok && i < k; i++) {
            ok = x.shape(n - k + i) == normalizedShape[i];
        }
        if (!ok) {
            throw new IllegalArgumentException("layerNorm: given normalized_shape=" + Arrays.toString(normalizedShape)
                    + ", expected input with shape (*, " + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "")
                    + "), but got input of shape " + Shapes.str(x.shape()));
        }
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) {
            axes[i] = n - k + i;
        }
        return normalize(x, weight, bias, eps, axes);
    }

    /**
     * Rows of {@code weight} (shape {@code (num, dim)}) picked by {@code indices}: the result has
     * shape {@code indexShape + (dim)}. The backward scatter-adds the upstream gradient into the
     * picked rows (a row picked twice receives the sum), through the core's indexing nodes.
     */
    public static Variable embedding(int[] indices, int[] indexShape, Variable weight) {
        if (weight.ndim() != 2) {
            throw new IllegalArgumentException("embedding: weight must have shape (num_embeddings, embedding_dim), got "
                    + Shapes.str(weight.shape()));
        }
        if (Shapes.size(indexShape) != indices.length) {
            throw new IllegalArgumentException("embedding: index shape " + Shapes.str(indexShape) + " holds "
                    + Shapes.size(indexShape) + " indices but " + indices.length + " were given");
        }
        int num = weight.shape(0);
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= num) {
                throw new IndexOutOfBoundsException("embedding: index " + indices[i] + " at position " + i
                        + " is out of range for " + num + " embeddings (valid indices are 0.." + (num - 1) + ")");
            }
        }
        int[] outShape = Arrays.copyOf(indexShape, indexShape.length + 1);
        outShape[indexShape.length] = weight.shape(1);
        return weight.getItem(Index.of(indices)).reshape(outShape);
    }

    /**
     * Rows of {@code weight} for the ids in an integer array ({@code ids}, INT64 as PyTorch's
     * {@code nn.Embedding} takes, or INT32, any shape S): shape {@code S + (embedding_dim)}.
     */
    public static Variable embedding(NDArray ids, Variable weight) {
        if (!ids.dtype().isInteger()) {
            throw new IllegalArgumentException("embedding: expected the ids to have an integer dtype (int64 or int32, as "
                    + "PyTorch's Long or Int), but got " + ids.dtype().numpyName() + " (shape " + Shapes.str(ids.shape())
                    + "); convert with astype(DType.INT64)");
        }
        if (weight.ndim() == 2) {
            int num = weight.shape(0);
            for (int i = 0; i < ids.size(); i++) {
                long v = ids.getFlatLong(i); // exact: an id beyond int is named as it is, not wrapped
                if (v < 0 || v >= num) {
                    throw new IndexOutOfBoundsException("embedding: index " + v + " at position " + i
                            + " is out of range for " + num + " embeddings (valid indices are 0.." + (num - 1) + ")");
                }
            }
        }
        return embedding(ids.toIntArray(), ids.shape(), weight);
    }

    /**
     * The indices held by {@code idx}: exactly for an integer dtype, as integral doubles for a
     * float dtype, or an exception naming the first value that is not an integer.
     */
    static int[] indicesOf(String op, NDArray idx) {
        if (idx.dtype() == dev.nabla.ndarray.DType.BOOL) {
            throw new IllegalArgumentException(op + ": expected integer indices (int64 or int32), but got a bool array of shape "
                    + Shapes.str(idx.shape()) + "; convert with astype(DType.INT64) if the values are ids");
        }
        if (idx.dtype().isInteger()) { // exact, whatever the size of the values: no rounding through double
            int[] out = new int[idx.size()];
            for (int i = 0; i < out.length; i++) {
                long v = idx.getFlatLong(i);
                if (v != (int) v) {
                    throw new IndexOutOfBoundsException(op + ": index " + v + " at position " + i
                            + " is out of range (beyond any number of embeddings)");
                }
                out[i] = (int) v;
            }
            return out;
        }
        int[] out = new int[idx.size()];
        for (int i = 0; i < out.length; i++) {
            double v = idx.getFlat(i);
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": expected integer indices, but element " + i + " of the index "
                        + "array of shape " + Shapes.str(idx.shape()) + " is " + v);
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** The Heaviside step {@code x > 0 ? 1 : 0}; see {@link Step} for why it has no gradient. */
    public static Variable step(Variable x) {
        return new StepNode().apply(x);
    }

    /** The step function as a node whose backward refuses to run (its derivative is 0 almost everywhere and undefined at 0). */
    static final class StepNode extends Node {
        @Override
        protected boolean savesInputs() {
            return false;
        }

        @Override
        public String name() {
            return "Step";
        }

        @Override
        protected NDArray forward(NDArray... x) {
            return x[0].gt(0.0).astype(x[0].dtype()); // a float 0/1 output, not a bool mask
        }

        @Override
        protected Variable tangent(Variable[] t) {
            return backward(null)[0]; // refuses, naming why, as backward does
        }

        @Override
        protected Variable batch(dev.nabla.autograd.Batch b) {
            return new StepNode().apply(b.physical(0)); // elementwise
        }

        @Override
        protected Variable[] backward(Variable gy) {
            throw new UnsupportedOperationException("Step: the Heaviside step function is not differentiable (its "
                    + "derivative is 0 everywhere except at 0, where it is undefined), so no gradient can flow through "
                    + "it; train with Sigmoid (or another smooth activation) and use Step only with hand-set weights "
                    + "or under Autograd.noGrad()");
        }
    }

    // ================================================================ attention

    /**
     * {@code softmax(q kᵀ / √E) v}, PyTorch's {@code F.scaled_dot_product_attention(q, k, v)}:
     * {@code q (..., L, E)}, {@code k (..., S, E)}, {@code v (..., S, Ev)} give {@code (..., L, Ev)}
     * (batch axes broadcast).
     */
    public static Variable scaledDotProductAttention(Variable query, Variable key, Variable value) {
        return Attention.scaledDotProductAttention(query, key, value);
    }

    /**
     * Scaled dot-product attention with a mask ({@code attnMask}: BOOL, true = take part, or
     * floating, added to the scores; null for none) and PyTorch's {@code is_causal}; no dropout.
     */
    public static Variable scaledDotProductAttention(Variable query, Variable key, Variable value, Variable attnMask,
                                                     boolean isCausal) {
        return Attention.scaledDotProductAttention(query, key, value, attnMask, isCausal);
    }

    /**
     * PyTorch's {@code scaled_dot_product_attention(query, key, value, attn_mask, dropout_p,
     * is_causal, scale)} plus the training flag and the dropout generator: the mask broadcasts to
     * {@code (..., L, S)} and is refused together with {@code isCausal}; dropout zeroes attention
     * weights with probability {@code dropoutP} when {@code training}, drawing from {@code rng};
     * {@code scale} null means {@code 1/√E}. A fully masked row gives zeros, as PyTorch's safe
     * softmax since 2.5 (see {@link Attention}).
     */
    public static Variable scaledDotProductAttention(Variable query, Variable key, Variable value, Variable attnMask,
                                                     double dropoutP, boolean isCausal, Double scale, boolean training,
                                                     Random rng) {
        return Attention.scaledDotProductAttention(query, key, value, attnMask, dropoutP, isCausal, scale, training, rng);
    }

    // ================================================================ losses: regression

    /** Squared error {@code (y - t)²} reduced by {@code reduction}, PyTorch's {@code F.mse_loss}; equal shapes required. */
    public static Variable mseLoss(Variable y, Variable t, Reduction reduction) {
        return Losses.mse(y, t, reduction);
    }

    /** {@link #mseLoss(Variable, Variable, Reduction)} with the mean over every element. */
    public static Variable mseLoss(Variable y, Variable t) {
        return Losses.mse(y, t, Reduction.MEAN);
    }

    /** Absolute error {@code |y - t|} reduced, PyTorch's {@code F.l1_loss} (gradient 0 where y = t). */
    public static Variable l1Loss(Variable y, Variable t, Reduction reduction) {
        return Losses.l1(y, t, reduction);
    }

    /** {@link #l1Loss(Variable, Variable, Reduction)} with the mean. */
    public static Variable l1Loss(Variable y, Variable t) {
        return Losses.l1(y, t, Reduction.MEAN);
    }

    /**
     * Huber loss, PyTorch's {@code F.huber_loss}: with {@code d = y - t}, {@code ½d²} where
     * {@code |d| < delta}, {@code delta·(|d| - ½delta)} elsewhere; reduced. Once differentiable
     * everywhere; the second derivative jumps at {@code |d| = delta}.
     */
    public static Variable huberLoss(Variable y, Variable t, double delta, Reduction reduction) {
        return Losses.huber(y, t, delta, reduction);
    }

    /** {@link #huberLoss(Variable, Variable, double, Reduction)} with PyTorch's defaults {@code delta = 1}, mean. */
    public static Variable huberLoss(Variable y, Variable t) {
        return Losses.huber(y, t, 1.0, Reduction.MEAN);
    }

    /**
     * Smooth L1 loss, PyTorch's {@code F.smooth_l1_loss}: {@code ½d²/beta} where
     * {@code |d| < beta}, {@code |d| - ½beta} elsewhere (it equals huber/beta; {@code beta = 0}
     * is L1); reduced.
     */
    public static Variable smoothL1Loss(Variable y, Variable t, double beta, Reduction reduction) {
        return Losses.smoothL1(y, t, beta, reduction);
    }

    /** {@link #smoothL1Loss(Variable, Variable, double, Reduction)} with PyTorch's defaults {@code beta = 1}, mean. */
    public static Variable smoothL1Loss(Variable y, Variable t) {
        return Losses.smoothL1(y, t, 1.0, Reduction.MEAN);
    }

    // ================================================================ losses: classification

    /**
     * Cross-entropy of logits (N, C) against class indices, fused with log-softmax (log-sum-exp,
     * stable for large logits), PyTorch's {@code F.cross_entropy} with its keyword arguments in
     * {@code options}: per-sample {@code -w[t_i] log softmax(x_i)[t_i]}; samples whose target is
     * the ignore index contribute 0; the mean divides by the summed weights of the other samples
     * (NaN if none, as PyTorch); label smoothing ε gives
     * {@code (1 - ε)·that + ε/C·Σ_c -w_c log softmax(x_i)_c}.
     */
    public static Variable crossEntropy(Variable logits, int[] targets, CrossEntropyOptions options) {
        return Losses.crossEntropy(logits, targets, options);
    }

    /** {@link #crossEntropy(Variable, int[], CrossEntropyOptions)} with PyTorch's defaults (mean over the batch). */
    public static Variable crossEntropy(Variable logits, int[] targets) {
        return Losses.crossEntropy(logits, targets, CrossEntropyOptions.defaults());
    }

    /** Cross-entropy with class indices in an INT64 (or INT32) array of shape (N), PyTorch's long target tensor. */
    public static Variable crossEntropy(Variable logits, NDArray targets, CrossEntropyOptions options) {
        return Losses.crossEntropy(logits, Losses.classIndices("crossEntropy", "cross_entropy", targets), options);
    }

    /** {@link #crossEntropy(Variable, NDArray, CrossEntropyOptions)} with PyTorch's defaults. */
    public static Variable crossEntropy(Variable logits, NDArray targets) {
        return crossEntropy(logits, targets, CrossEntropyOptions.defaults());
    }

    /**
     * Cross-entropy of logits (N, C) against class probabilities (N, C) (soft labels), PyTorch's
     * probability-target form: per sample {@code -Σ_c w_c t_ic log softmax(x_i)_c}, with smoothing
     * {@code t → t(1 - ε) + ε/C}; the mean divides by N. Differentiable in both arguments. An
     * integer {@code targets} (class indices of shape (N), a constant) selects the index form, as
     * in PyTorch.
     */
    public static Variable crossEntropy(Variable logits, Variable targets, CrossEntropyOptions options) {
        if (targets.dtype().isInteger()) {
            return crossEntropy(logits, targets.data(), options);
        }
        return Losses.crossEntropyProbs(logits, targets, options);
    }

    /** {@link #crossEntropy(Variable, Variable, CrossEntropyOptions)} with PyTorch's defaults. */
    public static Variable crossEntropy(Variable logits, Variable targets) {
        return crossEntropy(logits, targets, CrossEntropyOptions.defaults());
    }

    /**
     * Negative log-likelihood of log-probabilities (N, C) (e.g. a {@link #logSoftmax} output)
     * against class indices, PyTorch's {@code F.nll_loss}: per sample {@code -w[t_i] x[i, t_i]},
     * with {@code options}' weight, ignore index and reduction (label smoothing is refused).
     */
    public static Variable nllLoss(Variable logProbs, int[] targets, CrossEntropyOptions options) {
        return Losses.nll(logProbs, targets, options);
    }

    /** {@link #nllLoss(Variable, int[], CrossEntropyOptions)} with PyTorch's defaults. */
    public static Variable nllLoss(Variable logProbs, int[] targets) {
        return Losses.nll(logProbs, targets, CrossEntropyOptions.defaults());
    }

    /** NLL with INT64 (or INT32) class indices of shape (N). */
    public static Variable nllLoss(Variable logProbs, NDArray targets, CrossEntropyOptions options) {
        return Losses.nll(logProbs, Losses.classIndices("nllLoss", "nll_loss", targets), options);
    }

    /** {@link #nllLoss(Variable, NDArray, CrossEntropyOptions)} with PyTorch's defaults. */
    public static Variable nllLoss(Variable logProbs, NDArray targets) {
        return nllLoss(logProbs, targets, CrossEntropyOptions.defaults());
    }

    /**
     * Binary cross-entropy of probabilities {@code p} in [0, 1] against targets {@code t},
     * PyTorch's {@code F.binary_cross_entropy}: {@code -w·(t·log p + (1 - t)·log(1 - p))} per
     * element, reduced; {@code weight} (null for none) broadcasts to the input. As in PyTorch each
     * logarithm is clamped to be ≥ -100 (where clamped its gradient is 0). Probabilities outside
     * [0, 1] are refused; prefer {@link #binaryCrossEntropyWithLogits} on raw scores.
     */
    public static Variable binaryCrossEntropy(Variable p, Variable t, NDArray weight, Reduction reduction) {
        return Losses.bce(p, t, weight, reduction);
    }

    /** {@link #binaryCrossEntropy(Variable, Variable, NDArray, Reduction)} without weight, mean. */
    public static Variable binaryCrossEntropy(Variable p, Variable t) {
        return Losses.bce(p, t, null, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy on logits {@code x} (sigmoid fused in), PyTorch's
     * {@code F.binary_cross_entropy_with_logits}: per element
     * {@code -w·(pw·t·log σ(x) + (1 - t)·log(1 - σ(x)))}, computed as
     * {@code softplus(x) - x·t} (no {@code posWeight}) or {@code (1 - t)x + (1 + (pw - 1)t)·softplus(-x)},
     * exact for |x| ~ 1000; {@code weight} and {@code posWeight} (per class on the last axis; null
     * for none) broadcast to the input; reduced.
     */
    public static Variable binaryCrossEntropyWithLogits(Variable x, Variable t, NDArray weight, NDArray posWeight,
                                                        Reduction reduction) {
        return Losses.bceWithLogits(x, t, weight, posWeight, reduction);
    }

    /** {@link #binaryCrossEntropyWithLogits(Variable, Variable, NDArray, NDArray, Reduction)} without weights, mean. */
    public static Variable binaryCrossEntropyWithLogits(Variable x, Variable t) {
        return Losses.bceWithLogits(x, t, null, null, Reduction.MEAN);
    }

    // ================================================================ penalties and metrics

    /**
     * The L2 penalty (weight-decay term) {@code ½λ Σ_W ‖W‖²} over {@code params}; added to a loss
     * its gradient is {@code λW}. Pass only the weights to leave biases undecayed. Empty gives 0.
     */
    public static Variable l2Penalty(Iterable<? extends Variable> params, double lambda) {
        return Losses.l2Penalty(params, lambda);
    }

    /** The L1 penalty {@code λ Σ_W Σ|w|} over {@code params} (gradient {@code λ·sign(w)}, 0 at 0). Empty gives 0. */
    public static Variable l1Penalty(Iterable<? extends Variable> params, double lambda) {
        return Losses.l1Penalty(params, lambda);
    }

    /**
     * Fraction of rows of {@code logits} (N, C) whose argmax equals the label (one label in
     * [0, C) per row; 0 for an empty batch). A metric, not differentiable.
     */
    public static double accuracy(NDArray logits, int[] labels) {
        return Losses.accuracy(logits, labels);
    }

    /** {@link #accuracy(NDArray, int[])} with the labels in an INT64 (or INT32) array of shape (N). */
    public static double accuracy(NDArray logits, NDArray labels) {
        return Losses.accuracy(logits, Losses.classIndices("accuracy", null, labels));
    }
}
