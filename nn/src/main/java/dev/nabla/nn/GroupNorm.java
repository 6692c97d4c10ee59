package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;

/**
 * Group normalization, PyTorch's {@code nn.GroupNorm(num_groups, num_channels, eps, affine)}: the
 * channels of each sample are split into {@code numGroups} groups normalized with their own mean
 * and biased variance, then scaled and shifted per channel by {@code weight} (ones) and
 * {@code bias} (zeros), both of shape (C). The same computation in training and evaluation (no
 * running statistics), independent of the batch size. Defaults: eps 1e-5, affine.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class GroupNorm extends Module {
    private final int numGroups;
    private final int numChannels;
    private final double eps;
    private final Parameter weight;
    private final Parameter bias;

    /** eps 1e-5, affine. */
    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true);
    }

    /** With explicit eps and affine flag. */
    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numGroups < 1 || numChannels < 1) {
            throw new IllegalArgumentException("GroupNorm: num_groups and num_channels must be positive, but got num_groups="
                    + numGroups + ", num_channels=" + numChannels);
        }
        if (numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: num_channels must be divisible by num_groups, but got "
                    + "num_channels=" + numChannels + ", num_groups=" + numGroups);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("GroupNorm: eps must be positive, got " + eps);
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.weight = affine ? registerParameter("weight", new Parameter(NDArray.ones(numChannels))) : null;
        this.bias = affine ? registerParameter("bias", new Parameter(NDArray.zeros(numChannels))) : null;
    }

    /** Normalizes {@code x} (N, C, ...). */
    @Override
    public Variable forward(Variable x) {
        return Functional.groupNorm(x, numGroups, weight, bias, eps);
    }

    /** The per-channel scale, or null without affine. */
    public Parameter weight() {
        return weight;
    }

    /** The per-channel shift, or null without affine. */
    public Parameter bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + Repr.num(eps) + ", affine=" + Repr.bool(weight != null);
    }
}
