package dev.nabla.train.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.data.ArrayDataset;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Functional;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Tanh;
import dev.nabla.optim.AdaGrad;
import dev.nabla.optim.Adam;
import dev.nabla.optim.AdamW;
import dev.nabla.optim.Momentum;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.RMSprop;
import dev.nabla.optim.SGD;
import dev.nabla.train.Objective;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Data-parallel training on threads: 1, 2 and 4 workers give bitwise the same parameters and
 * buffers for every optimizer, with a plain, a BatchNorm and a dropout model; the result matches
 * single-model training (full batch, or the same micro-shards accumulated by plain autograd)
 * within 1e-12 relative in float64; running statistics follow the stated rule; bad settings are
 * refused with messages that name the operation and the fix.
 */
class DataParallelTest {
    static final int BATCH = 20;
    static final int SHARD = 3; // 7 shards per batch, the last of 2 samples: uneven on 2 and 4 workers
    static final int EPOCHS = 3;
    static final long SEED = 11;

    /** 40 samples of 4 features, 3 classes (a linear rule plus noise). */
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

    static final Map<String, Function<List<Parameter>, Optimizer>> OPTIMIZERS = Map.of(
            "SGD", p -> new SGD(p, 0.1),
            "Momentum", p -> new Momentum(p, 0.05, 0.9),
            "AdaGrad", p -> new AdaGrad(p, 0.05),
            "RMSprop", p -> new RMSprop(p, 0.01),
            "Adam", p -> new Adam(p, 0.01),
            "AdamW", p -> new AdamW(p, 0.01));

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

    /** Trains {@code kind} with {@code opt} on {@code workers} threads; the final values. */
    static double[] trainParallel(Kind kind, String opt, int workers, int shardSize) {
        ReplicaFactory f = factory(kind);
        Module master = f.create(new Random(1));
        Optimizer o = OPTIMIZERS.get(opt).apply(master.parameters());
        DataLoader loader = DataLoader.shuffled(data(), BATCH, 3);
        long step = 0;
        try (DataParallel dp = DataParallel.builder(master, f).workers(workers).shardSize(shardSize).seed(SEED).build(BATCH)) {
            for (int e = 0; e < EPOCHS; e++) {
                for (Batch b : loader.epoch(e)) {
                    dp.step(b, step++, o);
                }
            }
        }
        return values(master);
    }

    @Test
    void oneTwoAndFourWorkersAreBitwiseEqualForEveryOptimizerAndModel() {
        for (Kind kind : Kind.values()) {
            for (String opt : OPTIMIZERS.keySet()) {
                double[] one = trainParallel(kind, opt, 1, SHARD);
                double[] start = values(factory(kind).create(new Random(1)));
                assertTrue(maxRelDiff(one, start) > 1e-3, kind + " " + opt + ": training moved the parameters");
                for (int n : new int[] {2, 4}) {
                    assertArrayEquals(one, trainParallel(kind, opt, n, SHARD), 0.0, kind + " " + opt + " on " + n + " workers");
                }
            }
        }
    }

    /** ‖a - b‖∞ / ‖b‖∞. */
    static double maxRelDiff(double[] a, double[] b) {
        assertEquals(b.length, a.length);
        double d = 0;
        double n = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
            n = Math.max(n, Math.abs(b[i]));
        }
        return d / n;
    }

    @Test
    void equalsFullBatchSingleModelTrainingWithinRounding() {
        for (String opt : OPTIMIZERS.keySet()) {
            Module single = factory(Kind.MLP).create(new Random(1));
            Optimizer o = OPTIMIZERS.get(opt).apply(single.parameters());
            DataLoader loader = DataLoader.shuffled(data(), BATCH, 3);
            for (int e = 0; e < EPOCHS; e++) {
                for (Batch b : loader.epoch(e)) {
                    single.zeroGrad();
                    Functional.crossEntropy(single.call(new Variable(b.x())), b.labels()).backward();
                    o.step();
                }
            }
            double[] reference = values(single);
            double rel = maxRelDiff(trainParallel(Kind.MLP, opt, 2, SHARD), reference);
            assertTrue(rel <= 1e-12, opt + ": relative difference " + rel);
            assertTrue(maxRelDiff(reference, values(factory(Kind.MLP).create(new Random(1)))) > 1e-3);
        }
    }

    /**
     * Momentum, not Adam: the bias of the Linear layer before BatchNorm has a true gradient of 0,
     * so its computed gradient is rounding noise, which Adam's normalization would blow up to
     * full-size steps (1.3e-11 relative after 6 steps here) in either run.
     */
    @Test
    void batchNormWithOneShardIsSingleModelTraining() {
        Module single = factory(Kind.BATCH_NORM).create(new Random(1));
        Optimizer o = new Momentum(single.parameters(), 0.05, 0.9);
        DataLoader loader = DataLoader.shuffled(data(), BATCH, 3);
        for (int e = 0; e < EPOCHS; e++) {
            for (Batch b : loader.epoch(e)) {
                single.zeroGrad();
                Functional.crossEntropy(single.call(new Variable(b.x())), b.labels()).backward();
                o.step();
            }
        }
        double rel = maxRelDiff(trainParallel(Kind.BATCH_NORM, "Momentum", 1, BATCH), values(single));
        assertTrue(rel <= 1e-12, "relative difference " + rel);
    }

    /**
     * The reference of a micro-sharded step written with plain autograd: one model, each shard's
     * summed loss backpropagated into the same .grad (the engine accumulates left to right),
     * dropout reseeded per shard, the sum divided by B, one step.
     */
    @Test
    void dropoutShardsMatchPlainAutogradAccumulation() {
        Random rng = new Random(0);
        Module single = factory(Kind.DROPOUT).create(rng);
        Optimizer o = new Momentum(single.parameters(), 0.05, 0.9);
        DataLoader loader = DataLoader.shuffled(data(), BATCH, 3);
        long step = 0;
        for (int e = 0; e < EPOCHS; e++) {
            for (Batch b : loader.epoch(e)) {
                single.zeroGrad();
                ShardPlan plan = ShardPlan.of(b.size(), SHARD);
                for (int s = 0; s < plan.numShards(); s++) {
                    Batch shard = b.slice(plan.start(s), plan.end(s));
                    rng.setSeed(ShardPlan.shardSeed(SEED, step, s));
                    Functional.crossEntropy(single.call(new Variable(shard.x())), shard.labels(),
                            dev.nabla.nn.CrossEntropyOptions.defaults().reduction(dev.nabla.nn.Reduction.SUM)).backward();
                }
                for (Parameter p : single.parameters()) {
                    p.setGrad(Variable.constant(p.grad().data().div(b.size())));
                }
                o.step();
                step++;
            }
        }
        double rel = maxRelDiff(trainParallel(Kind.DROPOUT, "Momentum", 4, SHARD), values(single));
        assertTrue(rel <= 1e-12, "relative difference " + rel);
        // and the masks matter: another seed gives other parameters
        assertTrue(maxRelDiff(trainParallelSeed(Kind.DROPOUT, 4, SEED + 1), values(single)) > 1e-6);
    }

    static double[] trainParallelSeed(Kind kind, int workers, long seed) {
        ReplicaFactory f = factory(kind);
        Module master = f.create(new Random(1));
        Optimizer o = new Momentum(master.parameters(), 0.05, 0.9);
        DataLoader loader = DataLoader.shuffled(data(), BATCH, 3);
        long step = 0;
        try (DataParallel dp = DataParallel.builder(master, f).workers(workers).shardSize(SHARD).seed(seed).build()) {
            for (int e = 0; e < EPOCHS; e++) {
                for (Batch b : loader.epoch(e)) {
                    dp.step(b, step++, o);
                }
            }
        }
        return values(master);
    }

    /** BatchNorm first: the running statistics after one step follow the rule from the raw inputs. */
    @Test
    void runningStatisticsAreTheMeanOverShards() {
        ReplicaFactory f = rng -> new Sequential(new BatchNorm1d(4), new Linear(4, 3, new Random(42)));
        Module master = f.create(new Random(1));
        Batch b = DataLoader.of(data(), BATCH).epoch(0).iterator().next();
        try (DataParallel dp = DataParallel.builder(master, f).workers(2).shardSize(SHARD).build()) {
            dp.computeGradients(b, 0);
        }
        ShardPlan plan = ShardPlan.of(BATCH, SHARD);
        double[] x = b.x().toArray();
        BatchNorm1d bn = (BatchNorm1d) master.children().values().iterator().next();
        for (int j = 0; j < 4; j++) {
            double meanSum = 0;
            double varSum = 0;
            for (int s = 0; s < plan.numShards(); s++) {
                int n = plan.size(s);
                double mu = 0;
                for (int i = plan.start(s); i < plan.end(s); i++) {
                    mu += x[i * 4 + j];
                }
                mu /= n;
                double ss = 0;
                for (int i = plan.start(s); i < plan.end(s); i++) {
                    ss += (x[i * 4 + j] - mu) * (x[i * 4 + j] - mu);
                }
                meanSum += 0.1 * mu;
                varSum += 0.9 + 0.1 * ss / (n - 1);
            }
            assertEquals(meanSum / plan.numShards(), bn.runningMean().getFlat(j), 1e-14);
            assertEquals(varSum / plan.numShards(), bn.runningVar().getFlat(j), 1e-14);
        }
        assertEquals(1, bn.numBatchesTracked());
    }

    @Test
    void stepResultIsTheBatchLossAndOutput() {
        ReplicaFactory f = factory(Kind.MLP);
        Module master = f.create(new Random(1));
        Batch b = DataLoader.of(data(), BATCH).epoch(0).iterator().next();
        Variable out = master.call(new Variable(b.x()));
        double loss = Functional.crossEntropy(out, b.labels()).item();
        try (DataParallel dp = DataParallel.builder(master, f).workers(3).shardSize(SHARD).build()) {
            DataParallel.StepResult r = dp.computeGradients(b, 0);
            assertEquals(loss, r.loss, 1e-14);
            assertEquals(BATCH, r.samples);
            assertArrayEquals(out.data().toArray(), r.output.toArray(), 1e-15);
            assertEquals(Functional.accuracy(out.data(), b.labels()) * BATCH, r.correct, 1e-12);
        }
    }

    @Test
    void aParameterNoShardReachesKeepsANullGradient() {
        ReplicaFactory f = rng -> {
            Module m = new Sequential(new Linear(4, 3, new Random(42)));
            m.registerParameter("unused", new Parameter(NDArray.zeros(2)));
            return m;
        };
        Module master = f.create(new Random(1));
        Batch b = DataLoader.of(data(), BATCH).epoch(0).iterator().next();
        try (DataParallel dp = DataParallel.builder(master, f).workers(2).shardSize(SHARD).build()) {
            dp.computeGradients(b, 0);
        }
        assertEquals(null, master.namedParameters().get("unused").grad());
        assertTrue(master.namedParameters().get("0.weight").grad() != null);
    }

    @Test
    void badSettingsAreRefusedWithTheFix() {
        ReplicaFactory f = factory(Kind.MLP);
        Module master = f.create(new Random(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataParallel.builder(master, f).workers(0));
        assertTrue(e.getMessage().contains("DataParallel.workers") && e.getMessage().contains("got 0")
                && e.getMessage().contains("--workers 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DataParallel.builder(master, f).shardSize(0));
        assertTrue(e.getMessage().contains("DataParallel.shardSize") && e.getMessage().contains("--shard-size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DataParallel.builder(master, f).workers(4).shardSize(4).build(10));
        assertEquals("DataParallel: a batch of 10 samples makes 3 micro-shards of at most 4 samples, fewer than the 4 "
                + "workers; use at most 3 workers, a shard size of at most 2, or a batch of at least 16", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DataParallel.builder(master, null));
        assertTrue(e.getMessage().contains("ReplicaFactory"), e.getMessage());
        ReplicaFactory other = rng -> new Sequential(new Linear(4, 5, new Random(1)), new Linear(5, 3, new Random(1)));
        e = assertThrows(IllegalArgumentException.class, () -> DataParallel.builder(master, other).build());
        assertTrue(e.getMessage().contains("Replica.load: parameter '0.weight' has shape [8, 4] in the master and [5, 4]")
                && e.getMessage().contains("ReplicaFactory must build the master's architecture"), e.getMessage());
        DataParallel dp = DataParallel.builder(master, f).build();
        dp.close();
        Batch b = DataLoader.of(data(), BATCH).epoch(0).iterator().next();
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> dp.computeGradients(b, 0));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T o) {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(o);
            }
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                    new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) in.readObject();
            }
        } catch (java.io.IOException | ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The path another engine (Spark) takes: a serialized factory, objective and snapshot reach an
     * "executor", each shard's serialized result comes back, the driver reduces and applies. The
     * parameters are bitwise those of DataParallel on threads.
     */
    @Test
    void serializedSnapshotAndShardResultsGiveTheThreadResult() {
        for (Kind kind : Kind.values()) {
            ReplicaFactory f = factory(kind);
            Module master = f.create(new Random(1));
            Optimizer o = new Adam(master.parameters(), 0.01);
            DataLoader loader = DataLoader.shuffled(data(), BATCH, 3);
            ReplicaFactory shipped = roundTrip(f);
            Objective objective = roundTrip(Objective.crossEntropy());
            long step = 0;
            for (int e = 0; e < EPOCHS; e++) {
                for (Batch b : loader.epoch(e)) {
                    ModelSnapshot snap = roundTrip(ModelSnapshot.of(master));
                    ShardPlan plan = roundTrip(ShardPlan.of(b.size(), SHARD));
                    ShardGradient[] results = new ShardGradient[plan.numShards()];
                    for (int s = plan.numShards() - 1; s >= 0; s--) { // any order, any replica
                        Replica r = new Replica(shipped);
                        results[s] = roundTrip(r.compute(snap, b.slice(plan.start(s), plan.end(s)), s, objective,
                                ShardPlan.shardSeed(SEED, step, s), false));
                    }
                    GradientReduction.apply(GradientReduction.reduce(results, snap), snap, master);
                    o.step();
                    step++;
                }
            }
            assertArrayEquals(trainParallel(kind, "Adam", 2, SHARD), values(master), 0.0, kind.toString());
        }
    }

    @Test
    void shardPlanIsContiguousAndIndependentOfWorkers() {
        ShardPlan p = ShardPlan.of(20, 3);
        assertEquals(7, p.numShards());
        assertEquals(18, p.start(6));
        assertEquals(2, p.size(6));
        for (int n = 1; n <= 9; n++) {
            int next = 0;
            for (int w = 0; w < n; w++) {
                assertEquals(next, p.firstShard(w, n));
                next = p.endShard(w, n);
                assertTrue(next - p.firstShard(w, n) <= 7 / n + 1);
            }
            assertEquals(7, next);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> p.start(7));
    }

    @Test
    void pairwiseSumHasTheStatedShape() {
        double[] v = {1, 2, 3, 4, 5};
        assertEquals(15, GradientReduction.pairwiseSum(v, 5));
        // (v0 + v1) + (v2 + v3): 1e16 + 1 rounds to 1e16 and -1e16 + 1 to -1e16, so the tree gives 0
        double[] w = {1, 1e16, -1e16, 1};
        assertEquals(0.0, GradientReduction.pairwiseSum(w, 4));
        assertEquals(1.0, ((1 + 1e16) + -1e16) + 1, "left to right would give 1: the example tells the orders apart");
        // five values: ((v0 + v1) + (v2 + v3)) + v4
        double[] u = {1, 1e16, -1e16, 1, 1};
        assertEquals(1.0, GradientReduction.pairwiseSum(u, 5));
    }
}
