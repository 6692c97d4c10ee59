package dev.nabla.examples.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.examples.Main;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpiralTest {
    @Test
    void everyOptimizerFitsTheSpiral() throws Exception {
        RunConfig cfg = new RunConfig("spiral", 300, 30, 1.0, "sgd", 0, "none", 0, null, null, 0, 0);
        RunContext ctx = new RunContext(cfg, RunContext.NULL, RunContext.NULL, false, null);
        List<Spiral.Run> runs = Spiral.runAll(ctx, new ArrayList<>(Spiral.LEARNING_RATES.keySet()), -1);
        assertEquals(6, runs.size());
        // measured train/test accuracy: sgd 96.0/95.7, momentum 95.7/94.7, adagrad 99.3/98.0, rmsprop 99.0/98.0,
        // adam 97.3/97.3, adamw 96.3/97.0 (a chance-level model gets 33%)
        for (Spiral.Run r : runs) {
            assertTrue(r.trainAccuracy >= 0.93, r.optimizer + " train accuracy " + r.trainAccuracy);
            assertTrue(r.testAccuracy >= 0.92, r.optimizer + " test accuracy " + r.testAccuracy);
            assertTrue(r.loss < 0.2, r.optimizer + " loss " + r.loss);
            assertTrue(r.curve[r.curve.length - 1] < r.curve[0] / 5, r.optimizer + " loss did not fall");
        }
    }

    @Test
    void commandWritesItsPlots(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[] {"train", "spiral", "--optimizer", "adam", "--epochs", "50", "--out",
            dir.toString()}, out, out), bytes.toString(StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("adam"), text);
        assertTrue(!text.contains("rmsprop"), "--optimizer restricts the study to one optimizer: " + text);
        assertTrue(ImageIO.read(dir.resolve("spiral-loss.png").toFile()) != null);
        assertTrue(ImageIO.read(dir.resolve("spiral-boundary.png").toFile()) != null);
    }

    /**
     * The run layout of `nabla train spiral --optimizer adagrad --epochs 20`: config, summary (that run's
     * figures on the fresh spiral, also under runs), one train_loss_adagrad column per epoch, both plots,
     * last checkpoint and model.safetensors, which loads into a fresh 2-30-3 network.
     */
    @Test
    void cliRunWritesTheCommonRunLayout(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        dev.nabla.examples.Cli.run("train", "spiral", "--optimizer", "adagrad", "--epochs", "20", "--out", dir.toString(),
                "--progress", "never");
        java.util.Map<String, Object> s = dev.nabla.examples.RunLayout.check(dir, "spiral", 20, "spiral-loss.png",
                "spiral-boundary.png");
        assertEquals("adagrad", s.get("optimizer"));
        double acc = dev.nabla.examples.RunLayout.number(s, "test_acc");
        assertTrue(acc > 1.0 / 3 && acc <= 1, s.toString());
        java.util.List<?> runs = (java.util.List<?>) s.get("runs");
        assertEquals(1, runs.size());
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> only = (java.util.Map<String, Object>) runs.get(0);
        assertEquals(acc, dev.nabla.examples.RunLayout.number(only, "test_acc"), 0.0);
        String first = java.nio.file.Files.readAllLines(dir.resolve(dev.nabla.train.MetricsLog.JSONL)).get(0);
        assertTrue(first.startsWith("{\"epoch\":1,\"train_loss_adagrad\":"), first);
        java.util.Random r = new java.util.Random(1);
        dev.nabla.nn.Module net = new dev.nabla.nn.Sequential(new dev.nabla.nn.Linear(2, Spiral.HIDDEN, r),
                new dev.nabla.nn.Sigmoid(), new dev.nabla.nn.Linear(Spiral.HIDDEN, 3, r));
        dev.nabla.train.ModelExport.load(net, dir.resolve(dev.nabla.train.ModelExport.FILE));
    }
}
