/**
 * Synchronous data-parallel training whose result does not depend on the number of workers.
 *
 * <p>The rule. A global batch of {@code B} samples is cut into a fixed list of micro-shards
 * ({@link dev.nabla.train.parallel.ShardPlan}: contiguous, {@code m} samples each, the last smaller;
 * {@code m} is a user option independent of the worker count). Each micro-shard's gradient is the
 * gradient of the SUM of its per-sample losses ({@link dev.nabla.train.Objective#lossSum}),
 * computed on a model replica holding the master's values ({@link dev.nabla.train.parallel.ModelSnapshot},
 * {@link dev.nabla.train.parallel.Replica}) with its randomness seeded from (seed, step, shard). The
 * shard gradients are summed by a fixed pairwise tree over the shard index, divided by {@code B}
 * (giving the gradient of the mean loss), and one optimizer step updates the master
 * ({@link dev.nabla.train.parallel.GradientReduction}). Workers take contiguous ranges of shards;
 * whatever their number the same arithmetic happens, so 1, 2 or 4 workers give bitwise the same
 * parameters, and the result differs from full-batch single-model training by float rounding only.
 * BatchNorm uses per-micro-shard statistics; running statistics become the mean over the shards.
 *
 * <p>The pieces are serializable-friendly so that another engine (Spark) can run a shard's
 * computation elsewhere: a {@link dev.nabla.train.parallel.ReplicaFactory} and a
 * {@link dev.nabla.train.parallel.ModelSnapshot} build and fill a replica, a
 * {@link dev.nabla.train.parallel.ShardGradient} comes back, and the driver reduces and applies.
 * {@link dev.nabla.train.parallel.DataParallel} runs it all on threads of one machine.
 */
package dev.nabla.train.parallel;
