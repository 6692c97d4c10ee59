package dev.nabla.train.parallel;

import dev.nabla.nn.Module;
import java.io.Serializable;
import java.util.Random;

/**
 * Builds a model replica: a module of the same architecture as the master (the same parameters
 * and buffers, in the same order, of the same shapes), whose random layers (dropout) draw from
 * {@code rng}. Its initial values do not matter: a replica receives the master's values
 * ({@link ModelSnapshot}) before it computes anything, and its {@code rng} is reseeded per
 * micro-shard ({@link ShardPlan#shardSeed}). Serializable, so that a Spark executor can build
 * replicas from it; a lambda qualifies when the variables it captures are serializable.
 * Implementations must be safe to call from several threads (each call builds a new module).
 */
@FunctionalInterface
public interface ReplicaFactory extends Serializable {
    /** A new replica drawing its randomness from {@code rng}. */
    Module create(Random rng);
}
