package dev.nabla.nn;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * Shared batch normalization over the channel axis 1 of {@code (N, C, ...)}: batch statistics
 * (biased variance) in training mode, running statistics in evaluation mode. The running
 * statistics are updated in training as PyTorch does, with the <em>unbiased</em> batch variance:
 * {@code running = (1 - momentum) * running + momentum * batch}.
 */
abstract class BatchNormBase extends Module {
    private final int numFeatures;
    private final double eps;
    private final double momentum;
    private final Parameter weight;
    private final Parameter bias;

    BatchNormBase(int numFeatures, double eps, double momentum, boolean affine) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": num_features must be positive, got " + numFeatures);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": eps must be positive, got " + eps);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": momentum must be in [0, 1], got " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? registerParameter("weight", new Parameter(NDArray.ones(numFeatures))) : null;
        this.bias = affine ? registerParameter("bias", new Parameter(NDArray.zeros(numFeatures))) : null;
        registerBuffer("running_mean", NDArray.zeros(numFeatures));
        registerBuffer("running_var", NDArray.ones(numFeatures));
        registerCountBuffer("num_batches_tracked", NDArray.scalarLong(0)); // int64 0-d, as PyTorch's
    }

    /** Validates the number of axes; the message names the layer and the accepted layouts. */
    abstract void checkRank(int[] shape);

    @Override
    public Variable forward(Variable x) {
        int[] s = x.shape();
        checkRank(s);
        if (s[1] != numFeatures) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected " + numFeatures
                    + " channels (num_features) in dimension 1 of the input, got input of shape " + Shapes.str(s));
        }
        if (!isTraining()) {
            return Functional.batchNormInference(x, runningMean().copy(), runningVar().copy(), weight, bias, eps);
        }
        int count = Shapes.size(s) / numFeatures;
        if (count <= 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected more than 1 value per channel "
                    + "when training, got input of shape " + Shapes.str(s) + "; use a larger batch or call eval()");
        }
        Variable y = Functional.batchNorm(x, weight, bias, eps);
        try (Autograd.Scope scope = Autograd.noGrad()) {
            int[] axes = Functional.channelReductionAxes(s.length);
            NDArray mean = x.data().mean(axes, false);
            NDArray var = x.data().var(axes, false, 1);
            NDArray runningMean = runningMean();
            NDArray runningVar = runningVar();
            NDArray numBatchesTracked = buffer("num_batches_tracked");
            runningMean.copyFrom(runningMean.mul(1 - momentum).add(mean.mul(momentum)));
            runningVar.copyFrom(runningVar.mul(1 - momentum).add(var.mul(momentum)));
            numBatchesTracked.setFlatLong(0, numBatchesTracked.getFlatLong(0) + 1); // exact long arithmetic
        }
        return y;
    }

    /** Number of channels C. */
    public final int numFeatures() {
        return numFeatures;
    }

    /** The constant added to the variance. */
    public final double eps() {
        return eps;
    }

    /** The weight of the batch statistics in the running-statistics update. */
    public final double momentum() {
        return momentum;
    }

    /** The scale γ of shape (C), or null when not affine. */
    public final Parameter weight() {
        return weight;
    }

    /** The shift β of shape (C), or null when not affine. */
    public final Parameter bias() {
        return bias;
    }

    /** The running mean (live buffer, shape (C)). */
    public final NDArray runningMean() {
        return buffer("running_mean");
    }

    /** The running (unbiased) variance (live buffer, shape (C)). */
    public final NDArray runningVar() {
        return buffer("running_var");
    }

    /** How many training batches updated the running statistics. */
    public final long numBatchesTracked() {
        return buffer("num_batches_tracked").itemLong();
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + Repr.num(eps) + ", momentum=" + Repr.num(momentum) + ", affine="
                + Repr.bool(weight != null) + ", track_running_stats=True";
    }
}
