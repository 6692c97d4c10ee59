package dev.nabla.distributed;

import dev.nabla.data.Shuffle;
import dev.nabla.train.Seeds;
import java.io.Serializable;
import java.util.Random;

/**
 * Which samples make up each micro-shard of each step when the data stays where it is: the
 * sampling of {@link SparkTrainer}, in the manner of BigDL's (each partition draws its local part of
 * the global batch from the samples it holds).
 *
 * <p>A global batch of {@code B} samples is cut into the {@code S} micro-shards of a fixed shard
 * size {@code m} (contiguous runs of {@code m} batch positions, the last one smaller when {@code m}
 * does not divide {@code B}). Sample {@code i} of the data set belongs for good to <em>stream</em>
 * {@code k = ((i mod B) / m)}: the shard its position would have in an unshuffled batch, so stream
 * {@code k} holds (about) {@code N/B} times shard {@code k}'s size. An epoch has
 * {@code T = floor(N / B)} steps. At epoch {@code e} stream {@code k}'s members are shuffled by a
 * generator seeded from {@code (seed, SHUFFLE, e, k)}, and micro-shard {@code k} of step {@code t} is
 * the run {@code [t * size(k), (t + 1) * size(k))} of that order; a stream's samples past
 * {@code T * size(k)} sit the epoch out (different ones each epoch). The global batch of step
 * {@code t} is the concatenation of its shards in shard order ({@link #epochOrder}).
 *
 * <p>None of this depends on the number of executors or cores, so the same seed gives the same
 * batches on {@code local[1]}, {@code local[4]} and a cluster, and {@link #epochOrder} lets one
 * machine train on exactly the same batches (the equivalence tests do).
 * Immutable, thread-safe and serializable.
 */
public final class ShardStreams implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int samples;
    private final int batchSize;
    private final int shardSize;

    private ShardStreams(int samples, int batchSize, int shardSize) {
        this.samples = samples;
        this.batchSize = batchSize;
        this.shardSize = shardSize;
    }

    /**
     * The streams of a data set of {@code samples} samples trained with global batch {@code batchSize}
     * cut into micro-shards of {@code shardSize}.
     *
     * @throws IllegalArgumentException if a size is below 1, or the data set holds fewer samples
     *     than one global batch
     */
    public static ShardStreams of(int samples, int batchSize, int shardSize) {
        if (batchSize < 1 || shardSize < 1) {
            throw new IllegalArgumentException("ShardStreams.of: batch size " + batchSize + " and shard size " + shardSize
                    + " must both be >= 1");
        }
        if (samples < batchSize) {
            throw new IllegalArgumentException("ShardStreams.of: a data set of " + samples
                    + " samples holds less than one global batch of " + batchSize + "; use a batch size <= " + samples);
        }
        return new ShardStreams(samples, batchSize, shardSize);
    }

    /** The number of samples {@code N} of the data set. */
    public int samples() {
        return samples;
    }

    /** The global batch size {@code B}. */
    public int batchSize() {
        return batchSize;
    }

    /** The micro-shard size {@code m}. */
    public int shardSize() {
        return shardSize;
    }

    /** The number of micro-shards (and streams) {@code S = ceil(B / m)}. */
    public int numShards() {
        return (batchSize + shardSize - 1) / shardSize;
    }

    /** The number of samples shard {@code k} contributes to each step's batch. */
    public int shardLength(int k) {
        checkShard(k);
        return Math.min(batchSize, (k + 1) * shardSize) - k * shardSize;
    }

    /** The steps of an epoch, {@code T = floor(N / B)}. */
    public int stepsPerEpoch() {
        return samples / batchSize;
    }

    /** The stream that sample {@code index} belongs to. */
    public int streamOf(int index) {
        if (index < 0 || index >= samples) {
            throw new IndexOutOfBoundsException("ShardStreams.streamOf: sample " + index + " is outside the data set of "
                    + samples + " samples");
        }
        return (index % batchSize) / shardSize;
    }

    /** The members of stream {@code k}, in increasing order. */
    public int[] members(int k) {
        checkShard(k);
        int len = shardLength(k);
        int full = samples / batchSize;
        int rest = samples - full * batchSize;
        int extra = Math.max(0, Math.min(len, rest - k * shardSize));
        int[] m = new int[full * len + extra];
        int o = 0;
        for (int c = 0; c <= full; c++) {
            int base = c * batchSize + k * shardSize;
            int n = c < full ? len : extra;
            for (int j = 0; j < n; j++) {
                m[o++] = base + j;
            }
        }
        return m;
    }

    /**
     * Stream {@code k}'s order at epoch {@code epoch} (1-based, as the trainer counts): its members
     * (increasing, as {@link #members} gives them) shuffled by the epoch's generator for the stream.
     */
    public int[] streamOrder(int[] members, long seed, int epoch, int k) {
        checkShard(k);
        int[] o = members.clone();
        Shuffle.inPlace(o, new Random(Seeds.derive(Seeds.derive(seed, Seeds.SHUFFLE, epoch), Seeds.SHUFFLE, k)));
        return o;
    }

    /** The samples of micro-shard {@code k} of step {@code t} (0-based within the epoch), given the stream's epoch order. */
    public int[] shard(int[] streamOrder, int t, int k) {
        int len = shardLength(k);
        if (t < 0 || t >= stepsPerEpoch()) {
            throw new IndexOutOfBoundsException("ShardStreams.shard: step " + t + " of an epoch of " + stepsPerEpoch()
                    + " steps");
        }
        int[] s = new int[len];
        System.arraycopy(streamOrder, t * len, s, 0, len);
        return s;
    }

    /**
     * The whole epoch's sample order, {@code T * B} positions: step {@code t}'s global batch is the run
     * {@code [t * B, (t + 1) * B)}, its shards in shard order. What one machine feeds its loader to
     * train on the batches a Spark run trains on.
     */
    public int[] epochOrder(long seed, int epoch) {
        int steps = stepsPerEpoch();
        int[] order = new int[steps * batchSize];
        for (int k = 0; k < numShards(); k++) {
            int[] so = streamOrder(members(k), seed, epoch, k);
            int len = shardLength(k);
            for (int t = 0; t < steps; t++) {
                System.arraycopy(so, t * len, order, t * batchSize + k * shardSize, len);
            }
        }
        return order;
    }

    private void checkShard(int k) {
        if (k < 0 || k >= numShards()) {
            throw new IndexOutOfBoundsException("ShardStreams: shard " + k + " of " + numShards()
                    + " shards; shards are numbered 0.." + (numShards() - 1));
        }
    }

    @Override
    public String toString() {
        return "ShardStreams(samples=" + samples + ", batch=" + batchSize + ", shardSize=" + shardSize + ", shards="
                + numShards() + ")";
    }
}
