package dev.nabla.distributed;

import org.apache.spark.Partitioner;

/**
 * Places stream {@code k} of {@code S} ({@link ShardStreams}) on partition {@code floor(k * P / S)}:
 * contiguous runs of streams per partition, every partition non-empty when {@code P <= S}.
 * Immutable and thread-safe.
 */
final class StreamPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;

    private final int streams;
    private final int partitions;

    StreamPartitioner(int streams, int partitions) {
        if (partitions < 1 || partitions > streams) {
            throw new IllegalArgumentException("SparkTrainer.partitions: " + partitions + " partitions for " + streams
                    + " micro-shards per step; pass 1 to " + streams + " (each partition holds whole streams of samples)");
        }
        this.streams = streams;
        this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        int k = (Integer) key;
        return (int) ((long) k * partitions / streams);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamPartitioner && ((StreamPartitioner) o).streams == streams
                && ((StreamPartitioner) o).partitions == partitions;
    }

    @Override
    public int hashCode() {
        return streams * 31 + partitions;
    }
}
