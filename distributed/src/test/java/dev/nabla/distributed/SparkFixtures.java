package dev.nabla.distributed;

import dev.nabla.data.ArrayDataset;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Tanh;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.train.Objective;
import dev.nabla.train.parallel.DataParallel;
import dev.nabla.train.parallel.ModelSnapshot;
import dev.nabla.train.parallel.ReplicaFactory;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Small data, models and the one-machine references the Spark tests compare against. */
final class SparkFixtures {
    static final int BATCH = 12;
    static final int SHARD = 3; // 4 micro-shards per step
    static final int EPOCHS = 3;
    static final long SEED = 11;

    private SparkFixtures() {
    }

    /** 40 samples of 4 features, 3 classes (a linear rule plus noise): 3 steps per epoch. */
    static ArrayDataset data() {
        Random r = new Random(5);
        int n = 40;
        double[] x = new double[n * 4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = r.nextGaussian() + 0.5 * j;
                s += (j + 1) * x[i * 4 + j];
            }
            y[i] = Math.floorMod((int) Math.floor(s + 0.3 * r.nextGaussian()), 3);
        }
        return ArrayDataset.of(NDArray.of(x, n, 4), y);
    }

    enum Kind { MLP, BATCH_NORM, DROPOUT }

    /** A factory of {@code kind}'s architecture; weights from a fixed generator, dropout from {@code rng}. */
    static ReplicaFactory factory(Kind kind) {
        return rng -> {
            Random init = new Random(42);
            switch (kind) {
                case MLP:
                    return new Sequential(new Linear(4, 8, init), new Tanh(), new Linear(8, 3, init));
                case BATCH_NORM:
                    return new Sequential(new Linear(4, 8, init), new BatchNorm1d(8), new Tanh(), new Linear(8, 3, init));
                default:
                    return new Sequential(new Linear(4, 8, init), new Tanh(), new Dropout(0.3, rng), new Linear(8, 3, init));
            }
        };
    }

    static Optimizer adam(Module m) {
        return new Adam(m.parameters(), 0.01);
    }

    /** Every parameter and buffer value of {@code m}, flat. */
    static double[] values(Module m) {
        ModelSnapshot s = ModelSnapshot.of(m);
        double[] p = s.parameters();
        double[] b = s.buffers();
        double[] out = new double[p.length + b.length];
        System.arraycopy(p, 0, out, 0, p.length);
        System.arraycopy(b, 0, out, p.length, b.length);
        return out;
    }

    /** A local-mode context bound to the loopback interface, without the web UI. */
    static JavaSparkContext context(String master) {
        return new JavaSparkContext(new SparkConf().setMaster(master).setAppName("nabla-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
    }

    /** Trains {@code kind} on Spark; the final values. */
    static double[] trainSpark(JavaSparkContext sc, Kind kind, int partitions, TaskHook hook) throws Exception {
        return trainSpark(sc, kind, partitions, hook, SparkTrainer.Exchange.DRIVER);
    }

    /** Trains {@code kind} on Spark with the given exchange; the final values. */
    static double[] trainSpark(JavaSparkContext sc, Kind kind, int partitions, TaskHook hook, SparkTrainer.Exchange exchange)
            throws Exception {
        ReplicaFactory f = factory(kind);
        Module master = f.create(new Random(1));
        SparkTrainer.Builder b = SparkTrainer.builder(sc, master, f, adam(master)).batchSize(BATCH).shardSize(SHARD)
                .seed(SEED).epochs(EPOCHS).taskHook(hook).exchange(exchange);
        if (partitions > 0) {
            b.partitions(partitions);
        }
        SparkTrainer t = b.build();
        t.fit(data());
        return values(master);
    }

    /** The same training with the thread path ({@link DataParallel}, one worker) on the batches Spark draws. */
    static double[] trainThreads(Kind kind) {
        ReplicaFactory f = factory(kind);
        Module master = f.create(new Random(1));
        Optimizer o = adam(master);
        ArrayDataset data = data();
        ShardStreams streams = ShardStreams.of(data.size(), BATCH, SHARD);
        long step = 0;
        try (DataParallel dp = DataParallel.builder(master, f).workers(1).shardSize(SHARD).seed(SEED).build(BATCH)) {
            for (int e = 1; e <= EPOCHS; e++) {
                for (Batch b : DataLoader.of(data.subset(streams.epochOrder(SEED, e)), BATCH).epoch(0)) {
                    dp.step(b, step++, o);
                }
            }
        }
        return values(master);
    }

    /** Plain single-model training (mean loss of the whole batch, one backward) on the batches Spark draws. */
    static double[] trainPlain(Kind kind) {
        Module model = factory(kind).create(new Random(1));
        Optimizer o = adam(model);
        ArrayDataset data = data();
        ShardStreams streams = ShardStreams.of(data.size(), BATCH, SHARD);
        Objective obj = Objective.crossEntropy();
        for (int e = 1; e <= EPOCHS; e++) {
            for (Batch b : DataLoader.of(data.subset(streams.epochOrder(SEED, e)), BATCH).epoch(0)) {
                model.zeroGrad();
                obj.loss(model.call(new dev.nabla.autograd.Variable(b.x())), b).backward();
                o.step();
            }
        }
        return values(model);
    }
}
