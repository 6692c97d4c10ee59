package dev.nabla.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.distributed.SparkFixtures.Kind;
import java.util.EnumMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Spark local mode gives the parameters of one machine: local[2] and local[4], with one partition
 * per micro-shard and with two micro-shards per partition, are bitwise equal to the thread path
 * (DataParallel) on the same batches, for a plain, a BatchNorm and a dropout model with Adam; the
 * plain model matches single-model full-batch training within 1e-12 relative; barrier mode's
 * exchange gives the same parameters. One Spark context
 * per master, started and stopped in turn.
 */
class SparkEquivalenceTest {

    @Test
    void localTwoAndLocalFourEqualTheThreadPathAndPlainTraining() throws Exception {
        Map<Kind, double[]> threads = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            threads.put(k, SparkFixtures.trainThreads(k));
        }
        for (String master : new String[] {"local[2]", "local[4]"}) {
            JavaSparkContext sc = SparkFixtures.context(master);
            try {
                for (Kind k : Kind.values()) {
                    assertArrayEquals(threads.get(k), SparkFixtures.trainSpark(sc, k, 0, TaskHook.NONE),
                            master + ", " + k + ", one partition per micro-shard");
                }
                assertArrayEquals(threads.get(Kind.DROPOUT), SparkFixtures.trainSpark(sc, Kind.DROPOUT, 2, TaskHook.NONE),
                        master + ", dropout, two micro-shards per partition");
                assertArrayEquals(threads.get(Kind.BATCH_NORM), SparkFixtures.trainSpark(sc, Kind.BATCH_NORM, 2, TaskHook.NONE,
                        SparkTrainer.Exchange.BARRIER), master + ", BatchNorm, barrier mode");
            } finally {
                sc.stop();
            }
        }
        double[] plain = SparkFixtures.trainPlain(Kind.MLP);
        double[] spark = threads.get(Kind.MLP);
        assertEquals(plain.length, spark.length);
        double num = 0;
        double den = 0;
        boolean moved = false;
        double[] init = SparkFixtures.values(SparkFixtures.factory(Kind.MLP).create(new java.util.Random(1)));
        for (int i = 0; i < plain.length; i++) {
            num = Math.max(num, Math.abs(plain[i] - spark[i]));
            den = Math.max(den, Math.abs(plain[i]));
            moved |= Math.abs(plain[i] - init[i]) > 1e-3;
        }
        assertTrue(moved, "training moved the parameters");
        assertTrue(num <= 1e-12 * den, "max |plain - spark| = " + num + " against max |plain| = " + den);
    }
}
