package dev.nabla.train.parallel;

import dev.nabla.data.Batch;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Module;
import dev.nabla.optim.Optimizer;
import dev.nabla.train.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Synchronous data-parallel training of one master model on {@code N} threads of this machine,
 * with a model replica per thread.
 *
 * <p>A step on a global batch of {@code B} samples: the batch is cut into the micro-shards of a
 * {@link ShardPlan} (contiguous, {@code shardSize} samples each, the last smaller — independent of
 * {@code N}); worker {@code w} loads the master's values into its replica (array to array) and
 * computes, one after the other, the shards {@link ShardPlan#firstShard firstShard(w, N)} to
 * {@link ShardPlan#endShard endShard(w, N)}: the gradient of the SUM of each shard's per-sample
 * losses ({@link Objective#lossSum}), its dropout masks drawn from a generator seeded with
 * {@link ShardPlan#shardSeed (seed, step, shard)}; the shard gradients are summed by the fixed
 * pairwise tree over the shard index ({@link GradientReduction}) and divided by {@code B}; that
 * mean-loss gradient becomes the master's {@code .grad}, and one optimizer step updates the
 * master. Since every worker count performs the same arithmetic on the same shards, N = 1, 2, 4, …
 * give bitwise the same parameters. Against one model trained on the full batch the difference is
 * float rounding (the sum is grouped by shard), below 1e-12 relative in float64 in the tests.
 *
 * <p>BatchNorm: each replica normalizes with its micro-shard's statistics (PyTorch DDP's per-replica
 * statistics, here with a replica batch fixed by the shard size, so still independent of
 * {@code N}); after the step the master's running statistics are the mean over the shards of the
 * replicas' updated ones, and its count of batches is shard 0's (one more per step). With one
 * shard ({@code shardSize >= B}) this is exactly single-model training.
 *
 * <p>Not thread-safe: one thread drives it (a step runs its workers and returns when they are
 * done); {@link #close} it to stop its threads (they are daemons, so a forgotten one does not keep
 * the JVM alive).
 */
public final class DataParallel implements AutoCloseable {
    private final Module master;
    private final Objective objective;
    private final int workers;
    private final int shardSize;
    private final long seed;
    private final Replica[] replicas;
    private final ExecutorService pool;
    private final ModelSnapshot layout;
    private final double[][] sum;
    private boolean closed;

    /**
     * What one step computed: the mean loss and the count correct over the global batch, and the
     * model's output on it (the shards' outputs in batch order).
     * Immutable and thread-safe.
     */
    public static final class StepResult {
        /** The number of samples of the batch. */
        public final int samples;
        /** The mean loss over the batch. */
        public final double loss;
        /** The count correct (NaN when accuracy means nothing). */
        public final double correct;
        /** The model's output on the batch, in batch order (treat as read-only). */
        public final NDArray output;

        StepResult(int samples, double loss, double correct, NDArray output) {
            this.samples = samples;
            this.loss = loss;
            this.correct = correct;
            this.output = output;
        }
    }

    private DataParallel(Builder b) {
        this.master = b.master;
        this.objective = b.objective;
        this.workers = b.workers;
        this.shardSize = b.shardSize;
        this.seed = b.seed;
        this.replicas = new Replica[workers];
        for (int w = 0; w < workers; w++) {
            replicas[w] = new Replica(b.factory);
        }
        if (workers > 1) {
            AtomicInteger n = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(workers - 1, r -> {
                Thread t = new Thread(r, "nabla-dp-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        } else {
            this.pool = null;
        }
        this.layout = ModelSnapshot.of(master);
        this.sum = GradientReduction.newSum(layout);
        replicas[0].load(master, layout); // fail now, not at the first step, on a mismatch
    }

    /**
     * A builder of data-parallel training of {@code master}, whose replicas {@code factory} builds.
     * Defaults: 1 worker, shards of {@link ShardPlan#DEFAULT_SHARD_SIZE}, cross-entropy, seed 0.
     */
    public static Builder builder(Module master, ReplicaFactory factory) {
        return new Builder(master, factory);
    }

    /** The number of worker threads. */
    public int workers() {
        return workers;
    }

    /** The micro-shard size. */
    public int shardSize() {
        return shardSize;
    }

    /** The master model. */
    public Module master() {
        return master;
    }

    /**
     * Computes the mean-loss gradient of {@code batch} at the master's current values as described
     * in the class comment and sets it as the master's {@code .grad} (and the master's buffers);
     * {@code step} (the 0-based global optimizer step) seeds the shards' generators. The caller
     * then clips and steps its optimizer, or calls {@link #step} instead.
     */
    public StepResult computeGradients(Batch batch, long step) {
        if (closed) {
            throw new IllegalStateException("DataParallel.computeGradients: this DataParallel is closed; build a new one");
        }
        ShardPlan plan = ShardPlan.of(batch.size(), shardSize);
        ShardGradient[] shards = new ShardGradient[plan.numShards()];
        run(w -> {
            int first = plan.firstShard(w, workers);
            int end = plan.endShard(w, workers);
            if (first < end) {
                replicas[w].load(master, layout);
            }
            for (int s = first; s < end; s++) {
                Batch shard = batch.slice(plan.start(s), plan.end(s));
                shards[s] = replicas[w].compute(shard, s, objective, ShardPlan.shardSeed(seed, step, s), true);
            }
        });
        double[][] sum = this.sum; // reused: every step overwrites every element
        int n = layout.numParameterElements();
        run(w -> GradientReduction.sumRange(shards, sum, (int) ((long) w * n / workers), (int) ((long) (w + 1) * n / workers)));
        GradientReduction.Reduced r = GradientReduction.finish(shards, sum, layout);
        List<dev.nabla.autograd.Parameter> ps = List.copyOf(master.namedParameters().values());
        if (ps.size() != layout.parameterSizes().length) {
            throw new IllegalStateException("DataParallel: the master model now has " + ps.size() + " parameters, "
                    + layout.parameterSizes().length + " when this DataParallel was built; build a new one after changing it");
        }
        run(w -> GradientReduction.applyRange(r, ps, (int) ((long) w * ps.size() / workers),
                (int) ((long) (w + 1) * ps.size() / workers)));
        layout.loadBuffers(master, r.buffers);
        NDArray[] outs = new NDArray[shards.length];
        for (int s = 0; s < outs.length; s++) {
            outs[s] = shards[s].output;
        }
        return new StepResult(r.samples, r.meanLoss(), r.correct, outs.length == 1 ? outs[0] : NDArray.concat(0, outs));
    }

    /** {@link #computeGradients} followed by {@code optimizer.step()} (no clipping). */
    public StepResult step(Batch batch, long step, Optimizer optimizer) {
        StepResult r = computeGradients(batch, step);
        optimizer.step();
        return r;
    }

    /** A task of worker {@code w}. */
    private interface WorkerTask {
        void run(int w);
    }

    /** Runs {@code task} for every worker (worker 0 on this thread) and waits for all; rethrows the first failure. */
    private void run(WorkerTask task) {
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 1; w < workers; w++) {
            int id = w;
            fs.add(pool.submit(() -> task.run(id)));
        }
        Throwable failure = null;
        try {
            task.run(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                } else {
                    failure.addSuppressed(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = new IllegalStateException("DataParallel: interrupted while waiting for the workers", e);
                }
            }
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        if (failure != null) {
            throw new IllegalStateException("DataParallel: a worker failed", failure);
        }
    }

    /** Stops the worker threads; further steps are refused. */
    @Override
    public void close() {
        closed = true;
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /**
     * Settings of a {@link DataParallel}.
     * Not thread-safe: configure it on one thread.
     */
    public static final class Builder {
        private final Module master;
        private final ReplicaFactory factory;
        private int workers = 1;
        private int shardSize = ShardPlan.DEFAULT_SHARD_SIZE;
        private Objective objective = Objective.crossEntropy();
        private long seed;

        private Builder(Module master, ReplicaFactory factory) {
            if (master == null || factory == null) {
                throw new IllegalArgumentException("DataParallel.builder: the master model and the ReplicaFactory must not be "
                        + "null; pass the model and a factory that builds its architecture, e.g. rng -> new MyNet(rng)");
            }
            this.master = master;
            this.factory = factory;
        }

        /** The number of worker threads, at least 1. */
        public Builder workers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("DataParallel.workers: the number of workers must be at least 1, got " + n
                        + "; pass --workers 1 (one thread) or more");
            }
            this.workers = n;
            return this;
        }

        /** The micro-shard size (independent of the worker count; results depend on it, not on {@link #workers}). */
        public Builder shardSize(int m) {
            ShardPlan.checkShardSize("DataParallel.shardSize", m);
            this.shardSize = m;
            return this;
        }

        /** What the model is trained to do (default {@link Objective#crossEntropy()}). */
        public Builder objective(Objective o) {
            this.objective = java.util.Objects.requireNonNull(o, "objective");
            return this;
        }

        /** The seed the shards' generators derive from ({@link ShardPlan#shardSeed}). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * The data-parallel trainer; with {@code batchSize}, refuses settings that leave a worker
         * without a shard on a full batch ({@link ShardPlan#checkWorkers}).
         */
        public DataParallel build(int batchSize) {
            ShardPlan.checkWorkers("DataParallel", workers, batchSize, shardSize);
            return new DataParallel(this);
        }

        /** The data-parallel trainer (batches of any size; a batch with fewer shards than workers leaves some idle). */
        public DataParallel build() {
            return new DataParallel(this);
        }
    }
}
