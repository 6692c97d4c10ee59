package dev.nabla.distributed;

import dev.nabla.ndarray.DType;
import dev.nabla.train.Objective;
import dev.nabla.train.parallel.ReplicaFactory;
import dev.nabla.train.parallel.ShardGradient;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;

/**
 * What one step's task needs to compute a partition's shard gradients, whichever way they are then
 * exchanged (task results, or barrier mode's allGather): the step's broadcast input, the sampling
 * plan, the replica factory, the objective, the run's seed and dtype, and the test hook. Immutable
 * and serializable (it travels in the task); thread-safe.
 */
record ShardJob(Broadcast<StepInput> in, ShardStreams plan, ReplicaFactory factory, Objective objective, long seed,
                DType dtype, TaskHook hook) implements Serializable {

    /** The shard gradients of {@code part} for this step, in attempt {@code attempt} of the task. */
    List<ShardGradient> compute(ResidentStreams part, int attempt) {
        return part.compute(in.value(), plan, factory, objective, seed, dtype, hook, attempt);
    }
}
