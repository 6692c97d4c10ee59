package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.data.ArrayDataset;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Tanh;
import dev.nabla.optim.Adam;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A Trainer run with {@code compiled(true)} gives the same metrics and parameters, bit for bit, as without. */
class TrainerCompiledTest {

    private static ArrayDataset blobs(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            x[2 * i] = y[i] - 1 + 0.7 * r.nextGaussian();
            x[2 * i + 1] = r.nextGaussian();
        }
        return ArrayDataset.of(NDArray.of(x, n, 2), y);
    }

    private static ArrayDataset wave(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * r.nextDouble() - 1;
            t[i] = Math.sin(3 * x[i]);
        }
        return ArrayDataset.of(NDArray.of(x, n, 1), NDArray.of(t, n, 1));
    }

    private static Trainer trainer(Module m, boolean compiled, boolean regression) {
        Trainer.Builder b = Trainer.builder(m, Adam.builder(m.parameters()).lr(0.02).build())
                .epochs(3).batchSize(16).seed(5).compiled(compiled);
        if (regression) {
            b.objective(Objective.meanSquaredError()).train(wave(50, 1)).validation(wave(20, 2));
        } else {
            b.train(blobs(50, 1)).validation(blobs(20, 2)); // 50 = 3 batches of 16 and a last one of 2
        }
        return b.build();
    }

    private static void compare(boolean regression) throws IOException {
        Random r1 = new Random(7);
        Random r2 = new Random(7);
        Module eager = regression ? new Sequential(new Linear(1, 8, r1), new Tanh(), new Linear(8, 1, r1))
                : new Sequential(new Linear(2, 8, r1), new ReLU(), new Linear(8, 3, r1));
        Module comp = regression ? new Sequential(new Linear(1, 8, r2), new Tanh(), new Linear(8, 1, r2))
                : new Sequential(new Linear(2, 8, r2), new ReLU(), new Linear(8, 3, r2));
        Trainer te = trainer(eager, false, regression);
        Trainer tc = trainer(comp, true, regression);
        te.fit();
        tc.fit();
        for (String h : new String[] {"train_loss", "train_acc", "val_loss", "val_acc"}) {
            assertArrayEquals(te.history(h), tc.history(h), h);
        }
        for (Map.Entry<String, NDArray> e : eager.stateDict().entrySet()) {
            assertEquals(e.getValue(), comp.stateDict().get(e.getKey()), e.getKey());
        }
    }

    @Test
    void classificationRunMatchesEager() throws IOException {
        compare(false);
    }

    @Test
    void regressionRunMatchesEager() throws IOException {
        compare(true);
    }
}
