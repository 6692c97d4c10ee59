package dev.nabla.distributed;

import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Dataset;
import dev.nabla.data.Sample;
import dev.nabla.ndarray.DType;
import dev.nabla.train.Objective;
import dev.nabla.train.parallel.ModelSnapshot;
import dev.nabla.train.parallel.Replica;
import dev.nabla.train.parallel.ReplicaFactory;
import dev.nabla.train.parallel.ShardGradient;
import dev.nabla.train.parallel.ShardPlan;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one Spark partition of a {@link SparkTrainer}'s data holds, cached on its executor for the
 * whole run: the samples of a few streams ({@link ShardStreams}), each stream's samples in
 * increasing data-set order, and (built on first use, never serialized) the model replica that
 * computes the partition's micro-shard gradients.
 * Not thread-safe by itself: {@link #compute} synchronizes, since Spark runs one task per
 * partition at a time but may retry or speculate.
 */
final class ResidentStreams implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] streams;
    private final SampleRecord[][] records;
    private transient Replica replica;
    private transient int orderEpoch;
    private transient int[][] orders;
    private transient int[][] memberIndices;

    private ResidentStreams(int[] streams, SampleRecord[][] records) {
        this.streams = streams;
        this.records = records;
    }

    /** Groups a partition's (stream, sample) pairs by stream, samples by increasing index. */
    static ResidentStreams of(Iterable<scala.Tuple2<Integer, SampleRecord>> pairs) {
        Map<Integer, List<SampleRecord>> by = new TreeMap<>();
        for (scala.Tuple2<Integer, SampleRecord> p : pairs) {
            by.computeIfAbsent(p._1(), k -> new ArrayList<>()).add(p._2());
        }
        int[] ks = new int[by.size()];
        SampleRecord[][] rs = new SampleRecord[by.size()][];
        int i = 0;
        for (Map.Entry<Integer, List<SampleRecord>> e : by.entrySet()) {
            ks[i] = e.getKey();
            rs[i] = e.getValue().toArray(new SampleRecord[0]);
            Arrays.sort(rs[i], Comparator.comparingInt(SampleRecord::index));
            i++;
        }
        return new ResidentStreams(ks, rs);
    }

    /** The streams this partition holds, increasing. */
    int[] streams() {
        return streams.clone();
    }

    /** The number of samples held. */
    int samples() {
        int n = 0;
        for (SampleRecord[] r : records) {
            n += r.length;
        }
        return n;
    }

    /**
     * The gradients of this partition's micro-shards of step {@code in.globalStep} (step
     * {@code in.stepInEpoch} of epoch {@code in.epoch}), in shard order.
     */
    synchronized List<ShardGradient> compute(StepInput in, ShardStreams plan, ReplicaFactory factory, Objective objective,
                                             long seed, DType dtype, TaskHook hook, int attempt) {
        if (replica == null) {
            replica = new Replica(factory);
        }
        if (orders == null || orderEpoch != in.epoch) {
            orders = new int[streams.length][];
            memberIndices = new int[streams.length][];
            for (int j = 0; j < streams.length; j++) {
                int[] members = new int[records[j].length];
                for (int i = 0; i < members.length; i++) {
                    members[i] = records[j][i].index();
                }
                if (!Arrays.equals(members, plan.members(streams[j]))) {
                    throw new IllegalStateException("SparkTrainer: partition of stream " + streams[j] + " holds "
                            + members.length + " samples, the stream has " + plan.members(streams[j]).length
                            + "; the data set's indices must be 0.." + (plan.samples() - 1) + ", each once");
                }
                memberIndices[j] = members;
                orders[j] = plan.streamOrder(members, seed, in.epoch, streams[j]);
            }
            orderEpoch = in.epoch;
        }
        List<ShardGradient> out = new ArrayList<>(streams.length);
        for (int j = 0; j < streams.length; j++) {
            int k = streams[j];
            hook.beforeShard(in.globalStep, k, attempt);
            int[] shard = plan.shard(orders[j], in.stepInEpoch, k);
            Batch batch = collate(records[j], memberIndices[j], shard, dtype);
            ModelSnapshot snapshot = in.snapshot;
            out.add(replica.compute(snapshot, batch, k, objective, ShardPlan.shardSeed(seed, in.globalStep, k), false));
        }
        return out;
    }

    /** The batch of the given samples (data-set indices, each among {@code members}), collated as a loader does. */
    private static Batch collate(SampleRecord[] sorted, int[] members, int[] indices, DType dtype) {
        Sample[] samples = new Sample[indices.length];
        for (int i = 0; i < indices.length; i++) {
            samples[i] = sorted[Arrays.binarySearch(members, indices[i])].toSample();
        }
        Dataset ds = new Dataset() {
            @Override
            public int size() {
                return samples.length;
            }

            @Override
            public Sample get(int index) {
                return samples[index];
            }
        };
        return DataLoader.builder(ds).batchSize(samples.length).dtype(dtype).build().epoch(0).iterator().next();
    }
}
