package dev.nabla.train.parallel;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.data.Batch;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Module;
import dev.nabla.train.Objective;
import java.util.Random;

/**
 * A model replica that computes micro-shard gradients: it loads the master's values from a
 * {@link ModelSnapshot} (parameters once per snapshot, buffers before every shard, so that each
 * shard starts from the master's running statistics), reseeds its generator from
 * {@link ShardPlan#shardSeed}, runs forward and backward on the shard's summed loss
 * ({@link Objective#lossSum}), and returns the gradient as a flat {@link ShardGradient}. The same
 * snapshot, shard, seed and step give bitwise the same result on any replica and any thread.
 * Not thread-safe: confine a replica to one thread at a time (each worker owns one).
 */
public final class Replica {
    private final Module model;
    private final Random rng;
    private ModelSnapshot loaded;

    /** A replica built by {@code factory}. */
    public Replica(ReplicaFactory factory) {
        if (factory == null) {
            throw new IllegalArgumentException("Replica: the ReplicaFactory must not be null");
        }
        this.rng = new Random(0);
        this.model = factory.create(rng);
        if (model == null) {
            throw new IllegalArgumentException("Replica: the ReplicaFactory returned null instead of a model");
        }
    }

    /** The replica's module (for inspection; its values are the last snapshot's). */
    public Module model() {
        return model;
    }

    /**
     * The gradient of the summed loss of {@code shard} (shard number {@code shardIndex} of the
     * global batch) at the values of {@code snapshot}, with the replica's generator seeded with
     * {@code shardSeed}; the replica's training flag follows the snapshot's.
     *
     * @param keepOutput whether to keep the model's output in the result (for metrics on this machine)
     */
    public ShardGradient compute(ModelSnapshot snapshot, Batch shard, int shardIndex, Objective objective, long shardSeed,
                                 boolean keepOutput) {
        if (loaded != snapshot) {
            snapshot.loadParameters(model);
            loaded = snapshot;
        }
        snapshot.loadBuffers(model);
        model.train(snapshot.training());
        rng.setSeed(shardSeed);
        model.zeroGrad(true);
        try (Autograd.Scope s = Autograd.enableGrad()) {
            Variable output = model.call(new Variable(shard.x().astype(model.dtype())));
            Variable loss = objective.lossSum(output, shard);
            if (loss.data().size() != 1) {
                throw new IllegalArgumentException("Replica.compute: the objective's lossSum must be a scalar, got shape "
                        + java.util.Arrays.toString(loss.shape()) + "; reduce it with Reduction.SUM");
            }
            double lossSum = loss.item();
            loss.backward();
            double[] grad = new double[snapshot.numParameterElements()];
            int[] sizes = snapshot.parameterSizes();
            boolean[] present = new boolean[sizes.length];
            int at = 0;
            int i = 0;
            for (Parameter p : model.namedParameters().values()) {
                Variable g = p.grad();
                if (g != null) {
                    System.arraycopy(g.data().toArray(), 0, grad, at, sizes[i]);
                    present[i] = true;
                }
                at += sizes[i];
                i++;
            }
            model.zeroGrad(true);
            double correct = objective.correct(output.data(), shard);
            NDArray out = keepOutput ? output.data() : null;
            return new ShardGradient(shardIndex, shard.size(), lossSum, correct, grad, present,
                    snapshot.readBuffers(model), out);
        }
    }
}
