package dev.nabla.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.distributed.SparkFixtures.Kind;
import dev.nabla.nn.Module;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.parallel.ReplicaFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults: a task that fails once mid-training is retried by Spark ({@code local[2,3]}: up to 3
 * attempts per task) and the run ends with the parameters of the fault-free run, so no step was
 * applied twice and none was lost; a run stopped after an epoch and resumed from the driver's
 * checkpoint ends where the uninterrupted run does.
 */
class SparkFaultTest {
    private static JavaSparkContext sc;
    private static final AtomicInteger FAILED_TASKS = new AtomicInteger();

    @BeforeAll
    static void start() {
        sc = SparkFixtures.context("local[2,3]");
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!end.taskInfo().successful()) {
                    FAILED_TASKS.incrementAndGet();
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** Throws in the first attempt of the task computing shard 1 of global step 4 (epoch 2). */
    static final class FailOnce implements TaskHook {
        private static final long serialVersionUID = 1L;

        @Override
        public void beforeShard(long step, int shard, int attempt) {
            if (step == 4 && shard == 1 && attempt == 0) {
                throw new IllegalStateException("injected failure: step 4, shard 1, attempt 0");
            }
        }
    }

    @Test
    void aTaskFailingMidTrainingIsRetriedAndTheResultIsTheFaultFreeOne() throws Exception {
        double[] clean = SparkFixtures.trainSpark(sc, Kind.DROPOUT, 0, TaskHook.NONE);
        sc.sc().listenerBus().waitUntilEmpty();
        int before = FAILED_TASKS.get();
        double[] faulty = SparkFixtures.trainSpark(sc, Kind.DROPOUT, 0, new FailOnce());
        sc.sc().listenerBus().waitUntilEmpty();
        assertEquals(1, FAILED_TASKS.get() - before, "exactly the injected task attempt failed");
        assertArrayEquals(clean, faulty);
        assertArrayEquals(SparkFixtures.trainThreads(Kind.DROPOUT), faulty);
    }

    @Test
    void aRunResumedFromTheDriversCheckpointEndsWhereTheUninterruptedOneDoes(@TempDir Path dir) throws Exception {
        ReplicaFactory f = SparkFixtures.factory(Kind.DROPOUT);
        Module first = f.create(new Random(1));
        SparkTrainer.builder(sc, first, f, SparkFixtures.adam(first)).batchSize(SparkFixtures.BATCH)
                .shardSize(SparkFixtures.SHARD).seed(SparkFixtures.SEED).epochs(2).checkpointDir(dir).build()
                .fit(SparkFixtures.data());
        assertTrue(Files.exists(dir.resolve(Checkpoints.LAST)));
        assertEquals(2, Checkpoints.load(dir.resolve(Checkpoints.LAST)).epoch());
        Module resumed = f.create(new Random(1));
        for (dev.nabla.autograd.Parameter p : resumed.parameters()) {
            p.setData(dev.nabla.ndarray.NDArray.zerosLike(p.data())); // the checkpoint must replace these
        }
        SparkTrainer t = SparkTrainer.builder(sc, resumed, f, SparkFixtures.adam(resumed)).batchSize(SparkFixtures.BATCH)
                .shardSize(SparkFixtures.SHARD).seed(SparkFixtures.SEED).epochs(SparkFixtures.EPOCHS).checkpointDir(dir)
                .resume(true).build();
        t.fit(SparkFixtures.data());
        assertEquals(1, t.history().size(), "only epoch 3 was trained");
        assertEquals(3L * 3, t.steps());
        assertArrayEquals(SparkFixtures.trainThreads(Kind.DROPOUT), SparkFixtures.values(resumed));
    }
}
