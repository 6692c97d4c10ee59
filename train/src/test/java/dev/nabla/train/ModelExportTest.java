package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.Safetensors;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model.safetensors: the state dict alone plus preprocessing, loaded strictly into a fresh model. */
class ModelExportTest {

    private static Module mlp(long seed) {
        Random r = new Random(seed);
        return new Sequential(new Linear(2, 8, r), new BatchNorm1d(8), new ReLU(), new Linear(8, 3, r));
    }

    /** Two noisy classes on either side of the line x0 = x1. */
    private static dev.nabla.data.ArrayDataset blobs(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            x[2 * i] = (y[i] == 0 ? -1 : 1) + 0.8 * r.nextGaussian();
            x[2 * i + 1] = r.nextGaussian();
        }
        return dev.nabla.data.ArrayDataset.of(NDArray.of(x, n, 2), y);
    }

    private static Map<String, NDArray> preprocess() {
        Map<String, NDArray> extras = new LinkedHashMap<>();
        extras.put("preprocess.mean", NDArray.of(new double[] {0.5, -1.25}, 2));
        extras.put("preprocess.std", NDArray.of(new double[] {2, 0.75}, 2));
        return extras;
    }

    @Test
    void roundTripIntoAFreshModelGivesTheSameOutputs(@TempDir Path tmp) throws IOException {
        Module trained = mlp(1);
        trained.eval();
        Path file = tmp.resolve(ModelExport.FILE);
        ModelExport.save(trained, file, preprocess(), Map.of("model", "mlp"));

        TreeSet<String> expectedKeys = new TreeSet<>(trained.stateDict().keySet());
        expectedKeys.add("preprocess.mean");
        expectedKeys.add("preprocess.std");
        assertEquals(expectedKeys, new TreeSet<>(Safetensors.load(file).keySet()), "the state dict's keys and the extras");
        assertEquals(expectedKeys, ModelExport.keys(trained, preprocess()));
        assertTrue(trained.stateDict().containsKey("1.running_mean"), "buffers are exported too");

        Module fresh = mlp(99);
        fresh.eval();
        ModelExport.Extras extras = ModelExport.load(fresh, file);
        assertEquals("mlp", extras.metadata.get("model"));
        assertEquals(ModelExport.FORMAT, extras.metadata.get("format"));
        assertTrue(extras.tensors.get("preprocess.std").allClose(preprocess().get("preprocess.std"), 0, 0));
        NDArray x = NDArray.of(new double[] {0.3, -0.7, 1.5, 2.0, -3, 0.1}, 3, 2);
        NDArray a = trained.call(Variable.constant(x)).data();
        NDArray b = fresh.call(Variable.constant(x)).data();
        assertTrue(a.allClose(b, 0, 0), a + " vs " + b);
        for (Map.Entry<String, NDArray> e : trained.stateDict().entrySet()) {
            assertTrue(e.getValue().allClose(fresh.stateDict().get(e.getKey()), 0, 0), e.getKey());
        }
    }

    @Test
    void badExtrasAndForeignFilesAreRefusedWithTheFix(@TempDir Path tmp) throws IOException {
        Module m = mlp(1);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () ->
                ModelExport.save(m, tmp.resolve("x.safetensors"), Map.of("mean", NDArray.zeros(2)), Map.of()));
        assertEquals("ModelExport.save: extra tensor \"mean\" must be named preprocess.<name> (e.g. preprocess.mean), so it "
                + "cannot be taken for a model weight", bad.getMessage());
        Path ckpt = tmp.resolve("plain.safetensors");
        Safetensors.save(ckpt, m.stateDict(), Map.of("format", Checkpoints.FORMAT));
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class, () -> ModelExport.load(mlp(2), ckpt));
        assertTrue(foreign.getMessage().contains("is not a model export (metadata \"format\" is \"" + Checkpoints.FORMAT
                + "\", expected \"" + ModelExport.FORMAT + "\"); for a training checkpoint use Checkpoints.load"),
                foreign.getMessage());
        Path other = tmp.resolve("other.safetensors");
        ModelExport.save(new Sequential(new Linear(2, 3, new Random(0))), other, Map.of(), Map.of());
        assertThrows(IllegalArgumentException.class, () -> ModelExport.load(mlp(2), other), "strict: missing keys fail");
    }

    /** The trainer writes model.safetensors from best.safetensors at the end of a run. */
    @Test
    void theTrainerExportsTheBestModel(@TempDir Path tmp) throws IOException {
        Module m = mlp(3);
        Path run = tmp.resolve("run");
        Trainer t = Trainer.builder(m, Adam.builder(m.parameters()).lr(0.01).build())
                .train(blobs(60, 1)).validation(blobs(30, 2)).epochs(4).seed(1)
                .runDir(run).tensorBoard(false).plots(false).exportModel(preprocess(), Map.of("model", "blobs")).build();
        t.fit();
        Checkpoints.Contents best = Checkpoints.load(run.resolve(Checkpoints.BEST));
        Module fresh = mlp(50);
        ModelExport.Extras e = ModelExport.load(fresh, run.resolve(ModelExport.FILE));
        assertEquals(Integer.toString(best.epoch()), e.metadata.get("epoch"));
        assertEquals(Integer.toString(t.bestEpoch()), e.metadata.get("epoch"));
        for (Map.Entry<String, NDArray> x : best.model.entrySet()) {
            assertTrue(x.getValue().allClose(fresh.stateDict().get(x.getKey()), 0, 0), x.getKey());
        }
        assertEquals(2, e.tensors.size());
    }
}
