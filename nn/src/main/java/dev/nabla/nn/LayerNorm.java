package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.Arrays;

/**
 * Layer normalization over the trailing axes {@code normalizedShape} of each sample, as PyTorch's
 * {@code nn.LayerNorm}: {@code (x - mean) / sqrt(var + eps) * weight + bias} with the biased
 * variance; the same computation in training and evaluation (no running statistics). Defaults:
 * eps 1e-5, elementwise affine with weight 1 and bias 0 of shape {@code normalizedShape}.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;
    private final Parameter weight;
    private final Parameter bias;

    /** Normalizes over trailing axes of sizes {@code normalizedShape}, eps 1e-5, affine. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    /** With explicit eps and affine flag. */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0 || Arrays.stream(normalizedShape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("LayerNorm: normalized_shape must be a non-empty list of positive sizes, got "
                    + Arrays.toString(normalizedShape));
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm: eps must be positive, got " + eps);
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? registerParameter("weight", new Parameter(NDArray.ones(normalizedShape))) : null;
        this.bias = elementwiseAffine ? registerParameter("bias", new Parameter(NDArray.zeros(normalizedShape))) : null;
    }

    @Override
    public Variable forward(Variable x) {
        return Functional.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    /** The normalized trailing shape. */
    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    /** The scale, or null without affine. */
    public Parameter weight() {
        return weight;
    }

    /** The shift, or null without affine. */
    public Parameter bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return Repr.tuple(normalizedShape) + ", eps=" + Repr.num(eps) + ", elementwise_affine=" + Repr.bool(weight != null);
    }
}
