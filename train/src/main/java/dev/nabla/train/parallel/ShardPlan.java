package dev.nabla.train.parallel;

import java.io.Serializable;

/**
 * How a global batch of {@code B} samples is cut into micro-shards: contiguous runs of
 * {@code shardSize} samples in batch order, the last one smaller when {@code shardSize} does not
 * divide {@code B}. The plan depends on {@code B} and {@code shardSize} only, never on how many
 * workers share it; a worker takes a contiguous range of shards ({@link #firstShard},
 * {@link #endShard}), so every worker count computes the same shards.
 * Immutable, thread-safe and serializable.
 */
public final class ShardPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The default micro-shard size: 16 samples (a batch of 32 gives 2 shards, one of 128 gives 8). */
    public static final int DEFAULT_SHARD_SIZE = 16;

    private final int batchSize;
    private final int shardSize;

    private ShardPlan(int batchSize, int shardSize) {
        this.batchSize = batchSize;
        this.shardSize = shardSize;
    }

    /**
     * The plan of a batch of {@code batchSize} samples in shards of {@code shardSize}.
     *
     * @throws IllegalArgumentException if either is below 1
     */
    public static ShardPlan of(int batchSize, int shardSize) {
        checkShardSize("ShardPlan.of", shardSize);
        if (batchSize < 1) {
            throw new IllegalArgumentException("ShardPlan.of: the batch must hold at least one sample, got " + batchSize);
        }
        return new ShardPlan(batchSize, shardSize);
    }

    /** Refuses a shard size below 1, naming {@code op}. */
    static void checkShardSize(String op, int shardSize) {
        if (shardSize < 1) {
            throw new IllegalArgumentException(op + ": the micro-shard size must be at least 1 sample, got " + shardSize
                    + "; pass a positive --shard-size (default " + DEFAULT_SHARD_SIZE + ")");
        }
    }

    /**
     * Refuses {@code workers} below 1, and a batch of {@code batchSize} that gives fewer
     * micro-shards of {@code shardSize} than {@code workers} (some worker would have nothing to do,
     * which says the settings are wrong), naming {@code op} and the fix.
     */
    public static void checkWorkers(String op, int workers, int batchSize, int shardSize) {
        if (workers < 1) {
            throw new IllegalArgumentException(op + ": the number of workers must be at least 1, got " + workers
                    + "; pass --workers 1 (one thread) or more");
        }
        checkShardSize(op, shardSize);
        int shards = (batchSize + shardSize - 1) / shardSize;
        if (shards < workers) {
            throw new IllegalArgumentException(op + ": a batch of " + batchSize + " samples makes " + shards
                    + " micro-shard" + (shards == 1 ? "" : "s") + " of at most " + shardSize + " samples, fewer than the "
                    + workers + " workers; use at most " + shards + " workers, a shard size of at most "
                    + Math.max(1, batchSize / workers) + ", or a batch of at least " + (long) workers * shardSize);
        }
    }

    /** The number of samples {@code B}. */
    public int batchSize() {
        return batchSize;
    }

    /** The micro-shard size {@code m} (the last shard may be smaller). */
    public int shardSize() {
        return shardSize;
    }

    /** The number of micro-shards {@code S = ceil(B / m)}. */
    public int numShards() {
        return (batchSize + shardSize - 1) / shardSize;
    }

    /** The first sample of shard {@code s}. */
    public int start(int s) {
        checkShard(s);
        return s * shardSize;
    }

    /** One past the last sample of shard {@code s}. */
    public int end(int s) {
        checkShard(s);
        return Math.min(batchSize, (s + 1) * shardSize);
    }

    /** The number of samples of shard {@code s}. */
    public int size(int s) {
        return end(s) - start(s);
    }

    /**
     * The first shard of worker {@code w} of {@code workers}: {@code floor(w·S/N)}, so that the
     * workers' ranges are contiguous, in order, and differ in length by at most one. A worker whose
     * range is empty (more workers than shards: the small last batch of an epoch) does nothing.
     */
    public int firstShard(int w, int workers) {
        checkWorker(w, workers);
        return (int) ((long) w * numShards() / workers);
    }

    /** One past the last shard of worker {@code w} of {@code workers} (see {@link #firstShard}). */
    public int endShard(int w, int workers) {
        checkWorker(w, workers);
        return (int) ((long) (w + 1) * numShards() / workers);
    }

    private void checkShard(int s) {
        if (s < 0 || s >= numShards()) {
            throw new IndexOutOfBoundsException("ShardPlan: shard " + s + " out of range; the plan has " + numShards()
                    + " shards (0.." + (numShards() - 1) + ")");
        }
    }

    private static void checkWorker(int w, int workers) {
        if (workers < 1 || w < 0 || w >= workers) {
            throw new IndexOutOfBoundsException("ShardPlan: worker " + w + " of " + workers
                    + " workers; workers are numbered 0.." + (workers - 1));
        }
    }

    /**
     * The seed of micro-shard {@code shard}'s generator at optimizer step {@code step} of a run with
     * seed {@code seed}: what its dropout masks are drawn from, so that they do not depend on which
     * worker computes the shard.
     */
    public static long shardSeed(long seed, long step, int shard) {
        return dev.nabla.train.Seeds.derive(dev.nabla.train.Seeds.derive(seed, dev.nabla.train.Seeds.MODEL, step),
                dev.nabla.train.Seeds.MODEL, shard);
    }

    @Override
    public String toString() {
        return "ShardPlan(batch=" + batchSize + ", shardSize=" + shardSize + ", shards=" + numShards() + ")";
    }
}
