package dev.nabla.nn;

import dev.nabla.autograd.F;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Arrays;
import java.util.Random;

/**
 * The functional forms behind the layers (the counterpart of {@code torch.nn.functional}): each
 * layer's {@code forward} calls one of these with its parameters, so the same code is what the
 * gradient-check properties test with respect to every input, parameters included. All are
 * composed of differentiable primitives, so they are differentiable to any order except where
 * stated.
 * Stateless and thread-safe.
 */
public final class Functional {
    private Functional() {}

    /**
     * {@code y = x Wᵀ + b} with {@code W} of shape {@code (out, in)} (PyTorch's layout, as
     * {@code torch.nn.functional.linear}) and {@code b} of shape {@code (out)} or null. {@code x} has shape {@code (..., in)}; the result has shape
     * {@code (..., out)}. Delegates to {@link F#linear}, the one implementation.
     */
    public static Variable linear(Variable x, Variable w, Variable b) {
        return F.linear(x, w, b);
    }

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
        double scale = p == 1.0 ? 0.0 : 1.0 / (1.0 - p);
        double[] mask = new double[x.size()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextDouble() < p ? 0.0 : scale;
        }
        return x.mul(Variable.constant(NDArray.of(mask, x.shape()).astype(x.dtype())));
    }

    static void checkProbability(double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
    }

    /**
     * Normalization with batch statistics over {@code axes}:
     * {@code (x - mean) / sqrt(var + eps) * gamma + beta}, with the biased variance (divide by the
     * count), as PyTorch's batch norm in training mode and as layer norm. {@code gamma} and
     * {@code beta} (either may be null) must already broadcast against {@code x}.
     */
    public static Variable normalize(Variable x, int[] axes, double eps, Variable gamma, Variable beta) {
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
        return normalize(x, axes, eps, gamma == null ? null : gamma.reshape(bshape), beta == null ? null : beta.reshape(bshape));
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
        return normalize(x, axes, eps, weight, bias);
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
        protected Variable[] backward(Variable gy) {
            throw new UnsupportedOperationException("Step: the Heaviside step function is not differentiable (its "
                    + "derivative is 0 everywhere except at 0, where it is undefined), so no gradient can flow through "
                    + "it; train with Sigmoid (or another smooth activation) and use Step only with hand-set weights "
                    + "or under Autograd.noGrad()");
        }
    }
}
