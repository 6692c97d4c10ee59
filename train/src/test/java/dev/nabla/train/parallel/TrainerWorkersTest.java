package dev.nabla.train.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.nn.Module;
import dev.nabla.optim.Adam;
import dev.nabla.train.Trainer;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code Trainer.builder(...).workers(N, factory)}: the same run on 1, 2 and 4 workers ends with
 * bitwise the same parameters, buffers and metric history (with gradient clipping, which runs on
 * the master's combined gradient), and it matches a run without data parallelism within rounding
 * when the model has no dropout or batch norm.
 */
class TrainerWorkersTest {

    private static Trainer run(DataParallelTest.Kind kind, int workers, Module[] out) throws IOException {
        ReplicaFactory f = DataParallelTest.factory(kind);
        Module model = f.create(new Random(1));
        out[0] = model;
        Trainer t = Trainer.builder(model, new Adam(model.parameters(), 0.01))
                .train(DataParallelTest.data()).validation(DataParallelTest.data())
                .epochs(3).batchSize(DataParallelTest.BATCH).seed(9).clipGradNorm(0.5)
                .workers(workers, workers == 0 ? null : f).shardSize(DataParallelTest.SHARD)
                .build();
        t.fit();
        return t;
    }

    @Test
    void workersDoNotChangeTheRun() throws IOException {
        for (DataParallelTest.Kind kind : DataParallelTest.Kind.values()) {
            Module[] m1 = new Module[1];
            Trainer t1 = run(kind, 1, m1);
            for (int n : new int[] {2, 4}) {
                Module[] mn = new Module[1];
                Trainer tn = run(kind, n, mn);
                assertArrayEquals(DataParallelTest.values(m1[0]), DataParallelTest.values(mn[0]), 0.0, kind + " on " + n);
                for (String c : new String[] {"train_loss", "train_acc", "val_loss", "val_acc"}) {
                    assertArrayEquals(t1.history(c), tn.history(c), 0.0, kind + " " + c + " on " + n);
                }
            }
        }
    }

    @Test
    void matchesTheSingleModelTrainerWithinRounding() throws IOException {
        Module[] plain = new Module[1];
        Trainer t0 = run(DataParallelTest.Kind.MLP, 0, plain);
        Module[] dp = new Module[1];
        Trainer t2 = run(DataParallelTest.Kind.MLP, 2, dp);
        double rel = DataParallelTest.maxRelDiff(DataParallelTest.values(dp[0]), DataParallelTest.values(plain[0]));
        assertTrue(rel <= 1e-12, "relative difference " + rel);
        double[] l0 = t0.history("train_loss");
        double[] l2 = t2.history("train_loss");
        for (int i = 0; i < l0.length; i++) {
            assertEquals(l0[i], l2[i], 1e-12 * Math.abs(l0[i]));
        }
        assertArrayEquals(t0.history("train_acc"), t2.history("train_acc"), 0.0);
    }

    @Test
    void badWorkerSettingsAreRefused() {
        ReplicaFactory f = DataParallelTest.factory(DataParallelTest.Kind.MLP);
        Module model = f.create(new Random(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(model, new Adam(model.parameters(), 0.01)).workers(-1, f));
        assertTrue(e.getMessage().startsWith("Trainer.workers") && e.getMessage().contains("got -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(model, new Adam(model.parameters(), 0.01)).workers(2, null));
        assertTrue(e.getMessage().contains("ReplicaFactory"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(model, new Adam(model.parameters(), 0.01)).train(DataParallelTest.data())
                        .batchSize(8).workers(4, f).shardSize(4).build());
        assertEquals("Trainer.workers: a batch of 8 samples makes 2 micro-shards of at most 4 samples, fewer than the 4 "
                + "workers; use at most 2 workers, a shard size of at most 2, or a batch of at least 16", e.getMessage());
    }

    private static Module resumable(java.nio.file.Path dir, int workers, int stopAfter, boolean resume) throws IOException {
        ReplicaFactory f = DataParallelTest.factory(DataParallelTest.Kind.DROPOUT);
        Module model = f.create(new Random(1));
        Trainer.builder(model, new Adam(model.parameters(), 0.01)).train(DataParallelTest.data())
                .epochs(3).batchSize(DataParallelTest.BATCH).seed(9).workers(workers, f).shardSize(DataParallelTest.SHARD)
                .runDir(dir).plots(false).tensorBoard(false).stopAfter(stopAfter).resumeFrom(resume ? dir : null)
                .build().fit();
        return model;
    }

    /** Shard seeds count global steps, so a run stopped after epoch 1 and resumed (on other workers) ends where an uninterrupted one does. */
    @Test
    void aResumedRunEndsWhereAnUninterruptedOneDoes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws IOException {
        Module whole = resumable(tmp.resolve("whole"), 2, 0, false);
        resumable(tmp.resolve("split"), 4, 1, false);
        Module resumed = resumable(tmp.resolve("split"), 1, 0, true);
        assertArrayEquals(DataParallelTest.values(whole), DataParallelTest.values(resumed), 0.0);
    }
}
