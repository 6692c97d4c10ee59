package dev.nabla.distributed;

import dev.nabla.data.Dataset;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Module;
import dev.nabla.optim.Optimizer;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.Objective;
import dev.nabla.train.parallel.GradientReduction;
import dev.nabla.train.parallel.ModelSnapshot;
import dev.nabla.train.parallel.ReplicaFactory;
import dev.nabla.train.parallel.ShardGradient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Synchronous data-parallel training of a Nabla model on Apache Spark, with the result of one
 * machine: the same seed, global batch and micro-shard size give bitwise the parameters of
 * {@link dev.nabla.train.parallel.DataParallel} on the same batches ({@link ShardStreams#epochOrder}),
 * whatever the number of executors, cores or partitions.
 *
 * <p>The data. The samples ({@link SampleRecord}s, indices {@code 0..N-1}) are moved once, by one
 * shuffle, to the partition of their stream ({@link ShardStreams}: the micro-shard they feed at
 * every step), and cached there for the whole run; each step each partition draws its micro-shards
 * from the samples it holds, so no sample crosses the network after the first step.
 *
 * <p>A step. The driver broadcasts the master's values ({@link ModelSnapshot}, float64) with the
 * step's position; every partition's task loads them into its cached replica
 * ({@link dev.nabla.train.parallel.Replica}, built once per partition from the serializable
 * {@link ReplicaFactory}) and computes, for each of its micro-shards, the gradient of the sum of the
 * shard's per-sample losses with dropout seeded from {@code (seed, step, shard)}; the tasks return
 * the {@link ShardGradient}s; the driver combines them in shard order with the fixed pairwise tree
 * of {@link GradientReduction} (divided by {@code B}), sets the master's gradient and steps the
 * optimizer, whose state lives on the driver only.
 *
 * <p>Why through the driver and not Spark's barrier mode: the optimizer state lives in one place
 * (the driver), so the combined gradient has to reach the driver anyway; the shard results are
 * collected by Spark's ordinary result path (block manager transfer for large results) and reduced
 * by one fixed tree, which keeps the result independent of how shards map to tasks. Barrier mode's
 * exchange, {@code BarrierTaskContext.allGather}, carries strings through the driver's RPC endpoint
 * and delivers every task's message to every task: each step would move {@code P} times the gradient
 * volume, base64-encoded, through the same driver, and a failed task restarts the whole stage
 * (every task of it) instead of the one task. Barrier mode pays off with an allreduce outside
 * Spark (Horovod's MPI/Gloo), which is the home-made cluster this module avoids. Spark's own
 * {@code treeAggregate} is not used either: its combining order follows partitions and is not fixed.
 *
 * <p>Faults. A step is one Spark job whose result the driver applies only once every shard has
 * come back; a failed task is retried by Spark ({@code spark.task.maxFailures}, {@code local[N,F]}
 * in local mode) and recomputes its shards from the same broadcast values, so a retried step gives
 * the same gradient, is applied once, and none is lost. A lost executor's cached partition is
 * rebuilt from the shuffle (or its lineage). With {@link Builder#checkpointDir} the driver writes a
 * {@link Checkpoints} file after every epoch, and {@link Builder#resume} continues from it
 * bitwise.
 *
 * <p>BatchNorm follows the rule of {@link dev.nabla.train.parallel}: per-micro-shard statistics,
 * running statistics averaged over the shards. Gradient clipping and learning-rate schedules are
 * not applied here (step the optimizer's learning rate from an epoch callback of your own code).
 *
 * <p>Not thread-safe: one driver thread runs {@link #fit}, once per trainer.
 */
public final class SparkTrainer {
    private static final PrintStream NULL = new PrintStream(OutputStream.nullOutputStream());

    /**
     * The figures of one epoch.
     * Immutable and thread-safe.
     */
    public static final class EpochResult {
        /** The epoch, from 1. */
        public final int epoch;
        /** The mean over the epoch's steps of each step's mean loss. */
        public final double trainLoss;
        /** The fraction of the epoch's samples classified right (NaN when accuracy means nothing). */
        public final double trainAcc;
        /** The number of optimizer steps of the epoch. */
        public final int steps;
        /** Wall time of the epoch in seconds. */
        public final double seconds;

        EpochResult(int epoch, double trainLoss, double trainAcc, int steps, double seconds) {
            this.epoch = epoch;
            this.trainLoss = trainLoss;
            this.trainAcc = trainAcc;
            this.steps = steps;
            this.seconds = seconds;
        }
    }

    /**
     * How a step's shard gradients reach the driver.
     * Immutable and thread-safe (an enum).
     */
    public enum Exchange {
        /** Each task returns its shards' gradients as its result (Spark's result path); the default. */
        DRIVER,
        /**
         * Barrier execution mode: the tasks of a step start together and exchange their shards with
         * {@code BarrierTaskContext.allGather}, and one task hands all of them to the driver. It needs
         * a slot per partition ({@link Builder#partitions} at most the cores) and restarts every task
         * of the step on a failure; it exists to measure barrier mode's exchange against
         * {@link #DRIVER} (see the class comment), and gives the same parameters.
         */
        BARRIER
    }

    private final JavaSparkContext sc;
    private final Module master;
    private final ReplicaFactory factory;
    private final Optimizer optimizer;
    private final Objective objective;
    private final int batchSize;
    private final int shardSize;
    private final int partitions;
    private final long seed;
    private final int epochs;
    private final DType dtype;
    private final Path checkpointDir;
    private final boolean resume;
    private final TaskHook hook;
    private final PrintStream out;
    private final Map<String, String> metadata;
    private final Exchange exchange;
    private long steps;
    private boolean fitted;
    private final List<EpochResult> history = new ArrayList<>();

    private SparkTrainer(Builder b) {
        this.sc = b.sc;
        this.master = b.master;
        this.factory = b.factory;
        this.optimizer = b.optimizer;
        this.objective = b.objective;
        this.batchSize = b.batchSize;
        this.shardSize = b.shardSize;
        this.partitions = b.partitions;
        this.seed = b.seed;
        this.epochs = b.epochs;
        this.dtype = b.dtype;
        this.checkpointDir = b.checkpointDir;
        this.resume = b.resume;
        this.hook = b.hook;
        this.out = b.out;
        this.metadata = Map.copyOf(b.metadata);
        this.exchange = b.exchange;
    }

    /**
     * A builder of Spark training of {@code master} (on the driver) with {@code optimizer} (over the
     * master's parameters); {@code factory} builds the executors' replicas of the same architecture.
     */
    public static Builder builder(JavaSparkContext sc, Module master, ReplicaFactory factory, Optimizer optimizer) {
        return new Builder(sc, master, factory, optimizer);
    }

    /** The optimizer steps taken so far (including those of a resumed checkpoint). */
    public long steps() {
        return steps;
    }

    /** The epochs trained by {@link #fit}, in order. */
    public List<EpochResult> history() {
        return Collections.unmodifiableList(history);
    }

    /** The master model (on the driver). */
    public Module master() {
        return master;
    }

    /**
     * Trains on {@code data}: its samples are sent to the executors once (as {@link SampleRecord}s in
     * {@link Builder#partitions} slices) and stay there.
     */
    public List<EpochResult> fit(Dataset data) throws IOException {
        List<SampleRecord> records = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            records.add(SampleRecord.of(data, i));
        }
        return fit(sc.parallelize(records, partitionsFor(data.size())), data.size());
    }

    /**
     * Trains on the samples of {@code data} (read by the executors from wherever the RDD comes
     * from), whose indices must be {@code 0..N-1}, each once.
     */
    public List<EpochResult> fit(JavaRDD<SampleRecord> data) throws IOException {
        return fit(data, data.count());
    }

    private List<EpochResult> fit(JavaRDD<SampleRecord> data, long n) throws IOException {
        if (fitted) {
            throw new IllegalStateException("SparkTrainer.fit: this trainer has already run; build a new one for another run");
        }
        fitted = true;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("SparkTrainer.fit: " + n + " samples; at most " + Integer.MAX_VALUE
                    + " are supported (sample indices are ints)");
        }
        ShardStreams plan = ShardStreams.of((int) n, batchSize, shardSize);
        int p = partitionsFor((int) n);
        JavaRDD<ResidentStreams> resident = place(data, plan, p);
        try {
            int start = restore();
            int perEpoch = plan.stepsPerEpoch();
            steps = (long) start * perEpoch;
            out.printf(Locale.ROOT, "spark: %s, %d samples in %d partitions, %d micro-shards of %d per step, %d steps per epoch%n",
                    sc.master(), n, p, plan.numShards(), shardSize, perEpoch);
            for (int epoch = start + 1; epoch <= epochs; epoch++) {
                long t0 = System.nanoTime();
                double lossSum = 0;
                double correct = 0;
                for (int t = 0; t < perEpoch; t++) {
                    GradientReduction.Reduced r = step(resident, plan, epoch, t);
                    lossSum += r.meanLoss();
                    correct += r.correct;
                }
                EpochResult e = new EpochResult(epoch, lossSum / perEpoch, correct / ((double) perEpoch * batchSize), perEpoch,
                        (System.nanoTime() - t0) / 1e9);
                history.add(e);
                out.printf(Locale.ROOT, "epoch %d/%d  train_loss %.4f  train_acc %.4f  %.1f s%n", epoch, epochs, e.trainLoss,
                        e.trainAcc, e.seconds);
                if (checkpointDir != null) {
                    save(epoch);
                }
            }
        } finally {
            resident.unpersist(false);
        }
        return history();
    }

    /**
     * Moves every sample to the partition of its stream (one shuffle), groups each partition's
     * samples, caches them and checks that every sample arrived.
     */
    private JavaRDD<ResidentStreams> place(JavaRDD<SampleRecord> data, ShardStreams plan, int p) {
        JavaPairRDD<Integer, SampleRecord> keyed = data.mapToPair(r -> new Tuple2<>(plan.streamOf(r.index()), r))
                .partitionBy(new StreamPartitioner(plan.numShards(), p));
        JavaRDD<ResidentStreams> resident = keyed
                .mapPartitions(it -> Collections.singletonList(ResidentStreams.of(() -> it)).iterator(), true)
                .persist(StorageLevel.MEMORY_ONLY());
        long held = resident.map(r -> (long) r.samples()).reduce(Long::sum);
        if (held != plan.samples()) {
            resident.unpersist(false);
            throw new IllegalStateException("SparkTrainer.fit: the partitions hold " + held + " of " + plan.samples()
                    + " samples; the records' indices must be 0.." + (plan.samples() - 1) + ", each once");
        }
        return resident;
    }

    /**
     * Places {@code data} on the executors as {@link #fit} does and returns a handle that takes one
     * optimizer step per call, epoch after epoch, without checkpoints: for benchmarks, and for
     * programs that drive their own loop. Close it to release the cached data.
     */
    public Stepper stepper(Dataset data) {
        if (fitted) {
            throw new IllegalStateException("SparkTrainer.stepper: this trainer has already run; build a new one for another run");
        }
        fitted = true;
        List<SampleRecord> records = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            records.add(SampleRecord.of(data, i));
        }
        ShardStreams plan = ShardStreams.of(data.size(), batchSize, shardSize);
        int p = partitionsFor(data.size());
        return new Stepper(place(sc.parallelize(records, p), plan, p), plan);
    }

    /**
     * One optimizer step per {@link #step} call on data cached on the executors ({@link SparkTrainer#stepper}).
     * Not thread-safe: drive it from one thread.
     */
    public final class Stepper implements AutoCloseable {
        private final JavaRDD<ResidentStreams> resident;
        private final ShardStreams plan;

        private Stepper(JavaRDD<ResidentStreams> resident, ShardStreams plan) {
            this.resident = resident;
            this.plan = plan;
        }

        /** Takes the next optimizer step (step {@code t} of epoch {@code e} as {@link #fit} would) and returns its mean loss. */
        public double step() {
            int perEpoch = plan.stepsPerEpoch();
            return SparkTrainer.this.step(resident, plan, (int) (steps / perEpoch) + 1, (int) (steps % perEpoch)).meanLoss();
        }

        /** Releases the cached data. */
        @Override
        public void close() {
            resident.unpersist(false);
        }
    }

    /** One optimizer step: the executors' shard gradients, combined in shard order, applied to the master. */
    private GradientReduction.Reduced step(JavaRDD<ResidentStreams> resident, ShardStreams plan, int epoch, int t) {
        ModelSnapshot snapshot = ModelSnapshot.of(master);
        Broadcast<StepInput> in = sc.broadcast(new StepInput(snapshot, epoch, t, steps));
        ShardJob job = new ShardJob(in, plan, factory, objective, seed, dtype, hook);
        List<ShardGradient> got;
        try {
            got = exchange == Exchange.BARRIER
                    ? resident.rdd().barrier().mapPartitions(new BarrierShardTask(job),
                            false, scala.reflect.ClassTag$.MODULE$.apply(ShardGradient.class)).toJavaRDD().collect()
                    : resident.flatMap(new ShardTask(job)).collect();
        } finally {
            in.destroy();
        }
        ShardGradient[] shards = new ShardGradient[plan.numShards()];
        for (ShardGradient g : got) {
            if (shards[g.shard] != null) {
                throw new IllegalStateException("SparkTrainer: shard " + g.shard + " came back twice in step " + steps);
            }
            shards[g.shard] = g;
        }
        GradientReduction.Reduced r = GradientReduction.reduce(shards, snapshot);
        GradientReduction.apply(r, snapshot, master);
        optimizer.step();
        steps++;
        return r;
    }

    private int partitionsFor(int samples) {
        int shards = (batchSize + shardSize - 1) / shardSize;
        return partitions > 0 ? partitions : shards;
    }

    /** Loads the last checkpoint when resuming; returns the epoch it was written after (0 without one). */
    private int restore() throws IOException {
        if (!resume) {
            return 0;
        }
        Path last = checkpointDir.resolve(Checkpoints.LAST);
        if (!Files.exists(last)) {
            return 0;
        }
        Checkpoints.Contents c = Checkpoints.load(last);
        master.loadStateDict(c.model, true);
        optimizer.loadStateDict(c.optimizer);
        int epoch = c.epoch();
        String s = c.metadata.get("seed");
        if (s != null && Long.parseLong(s) != seed) {
            throw new IllegalArgumentException("SparkTrainer.resume: " + last + " was written with seed " + s + ", this run has "
                    + "seed " + seed + "; pass the same seed to continue that run");
        }
        out.printf(Locale.ROOT, "resuming after epoch %d from %s%n", epoch, last);
        return epoch;
    }

    private void save(int epoch) throws IOException {
        Files.createDirectories(checkpointDir);
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("epoch", Integer.toString(epoch));
        meta.put("seed", Long.toString(seed));
        meta.put("batch_size", Integer.toString(batchSize));
        meta.put("shard_size", Integer.toString(shardSize));
        meta.put("steps", Long.toString(steps));
        meta.put("engine", "spark");
        Map<String, NDArray> trainer = new LinkedHashMap<>();
        Checkpoints.save(checkpointDir.resolve(Checkpoints.LAST),
                new Checkpoints.Contents(master.stateDict(), optimizer.stateDict(), trainer, meta));
    }

    /** The task of one step on one partition: its shards' gradients. Serializable (it travels in the task). */
    private static final class ShardTask implements FlatMapFunction<ResidentStreams, ShardGradient> {
        private static final long serialVersionUID = 1L;
        private final ShardJob job;

        ShardTask(ShardJob job) {
            this.job = job;
        }

        @Override
        public Iterator<ShardGradient> call(ResidentStreams part) {
            TaskContext tc = TaskContext.get();
            int attempt = tc == null ? 0 : tc.attemptNumber();
            return job.compute(part, attempt).iterator();
        }
    }

    /**
     * Settings of a {@link SparkTrainer}.
     * Not thread-safe: configure it on one thread.
     */
    public static final class Builder {
        private final JavaSparkContext sc;
        private final Module master;
        private final ReplicaFactory factory;
        private final Optimizer optimizer;
        private Objective objective = Objective.crossEntropy();
        private int batchSize = 32;
        private int shardSize = dev.nabla.train.parallel.ShardPlan.DEFAULT_SHARD_SIZE;
        private int partitions;
        private long seed;
        private int epochs = 1;
        private DType dtype = DType.FLOAT64;
        private Path checkpointDir;
        private boolean resume;
        private TaskHook hook = TaskHook.NONE;
        private PrintStream out = NULL;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private Exchange exchange = Exchange.DRIVER;

        private Builder(JavaSparkContext sc, Module master, ReplicaFactory factory, Optimizer optimizer) {
            if (sc == null || master == null || factory == null || optimizer == null) {
                throw new IllegalArgumentException("SparkTrainer.builder: the Spark context, master model, ReplicaFactory and "
                        + "optimizer must not be null; pass e.g. (sc, model, rng -> new MyNet(rng), Adam.builder(model.parameters()).build())");
            }
            this.sc = sc;
            this.master = master;
            this.factory = factory;
            this.optimizer = optimizer;
        }

        /** What the model is trained to do (default cross-entropy); it travels to the executors, so it must be serializable. */
        public Builder objective(Objective o) {
            Objects.requireNonNull(o, "objective");
            if (!(o instanceof Serializable)) {
                throw new IllegalArgumentException("SparkTrainer.objective: " + o.getClass().getName() + " is not Serializable, "
                        + "and the executors need it; implement java.io.Serializable or use a built-in Objective");
            }
            this.objective = o;
            return this;
        }

        /** The global batch size {@code B} (default 32). */
        public Builder batchSize(int b) {
            if (b < 1) {
                throw new IllegalArgumentException("SparkTrainer.batchSize: the global batch size must be >= 1, got " + b);
            }
            this.batchSize = b;
            return this;
        }

        /** The micro-shard size {@code m} (default 16); results depend on it, never on the cluster. */
        public Builder shardSize(int m) {
            if (m < 1) {
                throw new IllegalArgumentException("SparkTrainer.shardSize: the micro-shard size must be >= 1, got " + m);
            }
            this.shardSize = m;
            return this;
        }

        /**
         * The number of Spark partitions of the data, from 1 to the number of micro-shards per step
         * (default: one partition per micro-shard, the most parallelism). It changes where shards are
         * computed, never the result.
         */
        public Builder partitions(int p) {
            if (p < 1) {
                throw new IllegalArgumentException("SparkTrainer.partitions: the number of partitions must be >= 1, got " + p);
            }
            this.partitions = p;
            return this;
        }

        /** The seed of the sampling ({@link ShardStreams}) and of the shards' dropout generators. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The number of epochs (default 1). */
        public Builder epochs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("SparkTrainer.epochs: the number of epochs must be >= 1, got " + n);
            }
            this.epochs = n;
            return this;
        }

        /** The dtype the shards' inputs and targets are collated in (default float64), as {@code DataLoader.Builder.dtype}. */
        public Builder dtype(DType d) {
            this.dtype = Objects.requireNonNull(d, "dtype");
            return this;
        }

        /** A directory where the driver writes {@code last.safetensors} after every epoch. */
        public Builder checkpointDir(Path dir) {
            this.checkpointDir = dir;
            return this;
        }

        /** Continue from {@link #checkpointDir}'s last checkpoint when there is one (same seed and settings). */
        public Builder resume(boolean on) {
            this.resume = on;
            return this;
        }

        /** A hook the executors call before every shard (failure injection in tests). */
        public Builder taskHook(TaskHook h) {
            this.hook = Objects.requireNonNull(h, "taskHook");
            return this;
        }

        /** Where progress lines go (default nowhere). */
        public Builder out(PrintStream o) {
            this.out = Objects.requireNonNull(o, "out");
            return this;
        }

        /** Settings written into every checkpoint's metadata beside the trainer's own (epoch, seed, sizes, steps). */
        public Builder metadata(Map<String, String> m) {
            this.metadata.putAll(m);
            return this;
        }

        /** How the shard gradients reach the driver (default {@link Exchange#DRIVER}). */
        public Builder exchange(Exchange e) {
            this.exchange = Objects.requireNonNull(e, "exchange");
            return this;
        }

        /** The trainer. */
        public SparkTrainer build() {
            int shards = (batchSize + shardSize - 1) / shardSize;
            if (partitions > shards) {
                throw new IllegalArgumentException("SparkTrainer.partitions: " + partitions + " partitions for " + shards
                        + " micro-shards per step (batch " + batchSize + ", shards of " + shardSize + "); pass at most " + shards
                        + " or a smaller shard size");
            }
            if (resume && checkpointDir == null) {
                throw new IllegalArgumentException("SparkTrainer.resume: no checkpoint directory; call checkpointDir(dir) too");
            }
            return new SparkTrainer(this);
        }
    }
}
