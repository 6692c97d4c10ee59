package dev.nabla.distributed;

import java.io.Serializable;

/**
 * Called on the executor before a micro-shard's gradient is computed: a place for tests to inject
 * a failure (throw on one step, shard and attempt) and for diagnostics. It runs inside Spark tasks,
 * so it must be serializable and must not rely on state of the driver. Implementations must be
 * safe to call from several task threads at once.
 */
@FunctionalInterface
public interface TaskHook extends Serializable {
    /** The hook that does nothing. */
    TaskHook NONE = (step, shard, attempt) -> { };

    /**
     * Before shard {@code shard} of global step {@code step} (0-based) is computed, in task attempt
     * {@code attempt} (0 for the first try, as Spark's {@code TaskContext.attemptNumber()}).
     */
    void beforeShard(long step, int shard, int attempt);
}
