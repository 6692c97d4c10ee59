package dev.nabla.train.parallel;

import dev.nabla.ndarray.NDArray;
import java.io.Serializable;

/**
 * What one micro-shard contributes to a step: the gradient of the SUM of its per-sample losses
 * with respect to every parameter (one float64 array per parameter, in {@link ModelSnapshot}
 * order, row-major; null for a parameter the backward pass did not reach), the summed loss, the number correct, the replica's buffers
 * after the forward pass (BatchNorm's running statistics updated from this shard alone), and the
 * model's output on the shard (kept on the computing machine only: not serialized).
 * Immutable once built (arrays are not copied on purpose: the owner hands them over and the
 * reduction may sum into them); safe to pass between threads after construction.
 */
public final class ShardGradient implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The shard's index in its {@link ShardPlan}. */
    public final int shard;
    /** The number of samples of the shard. */
    public final int samples;
    /** The sum of the shard's per-sample losses. */
    public final double lossSum;
    /** How many of the shard's samples the model got right (NaN when accuracy means nothing). */
    public final double correct;
    /** Per parameter, the gradient of {@link #lossSum} (null where the backward pass did not reach it). */
    final double[][] grads;
    /** The replica's buffers after the forward pass, flat. */
    final double[] buffers;
    /** The model's output on the shard (null after deserialization or when not kept). */
    public final transient NDArray output;

    /**
     * A shard's contribution; the arrays are taken over, not copied.
     *
     * @param grads   per parameter, the gradient of the summed loss (null: the parameter got none)
     * @param buffers the replica's buffers after the forward pass
     */
    public ShardGradient(int shard, int samples, double lossSum, double correct, double[][] grads, double[] buffers,
                         NDArray output) {
        this.shard = shard;
        this.samples = samples;
        this.lossSum = lossSum;
        this.correct = correct;
        this.grads = grads;
        this.buffers = buffers;
        this.output = output;
    }

    /** The number of parameters. */
    public int numParameters() {
        return grads.length;
    }

    /** A copy of the gradient of parameter {@code i} (in {@link ModelSnapshot#parameterNames()} order), or null. */
    public double[] gradient(int i) {
        return grads[i] == null ? null : grads[i].clone();
    }

    /** Whether parameter {@code i} received a gradient. */
    public boolean hasGradient(int i) {
        return grads[i] != null;
    }

    /** A copy of the replica's flat buffers after this shard's forward pass. */
    public double[] buffers() {
        return buffers.clone();
    }
}
