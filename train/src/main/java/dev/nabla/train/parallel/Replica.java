package dev.nabla.train.parallel;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.data.Batch;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Module;
import dev.nabla.train.Objective;
import java.util.List;
import java.util.Random;

/**
 * A model replica that computes micro-shard gradients. It loads the master's values — from a
 * {@link ModelSnapshot} (on another machine), or straight from the master module (on another
 * thread of the same machine) — once per step; before every shard it resets its buffers to the
 * loaded ones (each shard starts from the master's running statistics) and reseeds its generator
 * from {@link ShardPlan#shardSeed}; it runs forward and backward on the shard's summed loss
 * ({@link Objective#lossSum}) and returns the gradient as a {@link ShardGradient}. The same values,
 * shard, seed and step give bitwise the same result on any replica and any thread.
 * Not thread-safe: confine a replica to one thread at a time (each worker owns one).
 */
public final class Replica {
    private final Module model;
    private final Random rng;
    private ModelSnapshot layout;
    private ModelSnapshot loadedSnapshot;
    private double[] startBuffers;
    private boolean training;

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

    /** The replica's module (for inspection; its values are the last loaded ones). */
    public Module model() {
        return model;
    }

    /** Loads the values, buffers and train/eval flag of {@code snapshot}. */
    public void load(ModelSnapshot snapshot) {
        snapshot.loadParameters(model);
        this.layout = snapshot;
        this.loadedSnapshot = snapshot;
        this.startBuffers = snapshot.buffers();
        this.training = snapshot.training();
    }

    /**
     * Loads the current values, buffers, frozen flags and train/eval flag of {@code master}
     * (array to array, no flattening), whose layout {@code layout} describes. Several replicas may
     * load from one master at once, as long as nothing modifies it meanwhile.
     *
     * @throws IllegalArgumentException if the master's or the replica's parameters differ from {@code layout}
     */
    public void load(Module master, ModelSnapshot layout) {
        List<Parameter> src = List.copyOf(master.namedParameters().values());
        List<Parameter> dst = List.copyOf(model.namedParameters().values());
        int[] sizes = layout.parameterSizes();
        if (src.size() != sizes.length || dst.size() != sizes.length) {
            throw new IllegalArgumentException("Replica.load: the master has " + src.size() + " parameters, the replica "
                    + dst.size() + " and the layout " + sizes.length + "; the ReplicaFactory must build the master's "
                    + "architecture, and the layout must be a snapshot of this master");
        }
        for (int i = 0; i < sizes.length; i++) {
            NDArray s = src.get(i).data();
            NDArray d = dst.get(i).data();
            if (s == null || d == null || !d.hasShape(s.shape())) {
                throw new IllegalArgumentException("Replica.load: parameter '" + layout.parameterNames().get(i) + "' has shape "
                        + (s == null ? "none" : java.util.Arrays.toString(s.shape())) + " in the master and "
                        + (d == null ? "none" : java.util.Arrays.toString(d.shape())) + " in the replica; the ReplicaFactory "
                        + "must build the master's architecture (lazy layers given their input size)");
            }
            d.copyFrom(s);
            dst.get(i).requiresGrad(src.get(i).requiresGrad());
        }
        this.layout = layout;
        this.loadedSnapshot = null;
        this.startBuffers = layout.readBuffers(master);
        this.training = master.isTraining();
    }

    /**
     * Loads {@code snapshot} unless it is the one loaded last, then {@link #compute(Batch, int, Objective, long, boolean)}.
     */
    public ShardGradient compute(ModelSnapshot snapshot, Batch shard, int shardIndex, Objective objective, long shardSeed,
                                 boolean keepOutput) {
        if (loadedSnapshot != snapshot) {
            load(snapshot);
        }
        return compute(shard, shardIndex, objective, shardSeed, keepOutput);
    }

    /**
     * The gradient of the summed loss of {@code shard} (shard number {@code shardIndex} of the
     * global batch) at the loaded values, with the replica's generator seeded with
     * {@code shardSeed}; the replica's training flag is the loaded one.
     *
     * @param keepOutput whether to keep the model's output in the result (for metrics on this machine)
     * @throws IllegalStateException if nothing was loaded
     */
    public ShardGradient compute(Batch shard, int shardIndex, Objective objective, long shardSeed, boolean keepOutput) {
        if (layout == null) {
            throw new IllegalStateException("Replica.compute: no values loaded; call load(snapshot) or load(master, layout) first");
        }
        layout.loadBuffers(model, startBuffers);
        model.train(training);
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
            List<Parameter> ps = List.copyOf(model.namedParameters().values());
            double[][] grads = new double[ps.size()][];
            for (int i = 0; i < grads.length; i++) {
                Variable g = ps.get(i).grad();
                grads[i] = g == null ? null : g.data().toArray();
            }
            model.zeroGrad(true);
            double correct = objective.correct(output.data(), shard);
            return new ShardGradient(shardIndex, shard.size(), lossSum, correct, grads, layout.readBuffers(model),
                    keepOutput ? output.data() : null);
        }
    }
}
