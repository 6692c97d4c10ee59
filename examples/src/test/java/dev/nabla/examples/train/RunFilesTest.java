package dev.nabla.examples.train;

import dev.nabla.train.Checkpoints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.examples.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `nabla train` writes and refuses to write: nothing lost, nothing overwritten, figures that agree. */
class RunFilesTest {
    @TempDir
    Path tmp;

    private static final Pattern TRAINED =
            Pattern.compile("test accuracy (\\d+\\.\\d+)% \\(loss (\\d+\\.\\d+)\\) of best\\.safetensors \\(epoch (\\d+) of (\\d+)\\)");
    private static final Pattern EVALUATED = Pattern.compile("test accuracy (\\d+\\.\\d+)% \\(loss (\\d+\\.\\d+)\\) on (\\d+) samples");

    private static Matcher find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), "no match of " + p + " in:\n" + text);
        return m;
    }

    private static String json(String summary, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([0-9.eE+-]+)").matcher(summary);
        assertTrue(m.find(), key + " in " + summary);
        return m.group(1);
    }

    /**
     * iris with its defaults (100 epochs): the best validation epoch is not the last one, and the
     * test figure training prints, summary.json's and `nabla eval DIR`'s are one and the same,
     * that of best.safetensors (eval used to print 90.00 % where training printed 96.67 %).
     */
    @Test
    void trainingSummaryAndEvalAgreeOnTheBestCheckpoint() throws IOException {
        Path run = tmp.resolve("iris");
        String out = Cli.run("train", "iris", "--out", run.toString(), "--progress", "never");
        Matcher trained = find(TRAINED, out);
        int bestEpoch = Integer.parseInt(trained.group(3));
        assertEquals(100, Integer.parseInt(trained.group(4)));
        assertTrue(bestEpoch < 100, "this run's best epoch must not be its last for the test to mean anything: " + out);
        assertEquals(bestEpoch, Checkpoints.load(run.resolve(Checkpoints.BEST)).epoch());

        String summary = Files.readString(run.resolve("summary.json"));
        assertEquals(bestEpoch, Integer.parseInt(json(summary, "best_epoch")));
        double summaryAcc = Double.parseDouble(json(summary, "test_acc"));
        assertEquals(trained.group(1), String.format(java.util.Locale.ROOT, "%.2f", 100 * summaryAcc));
        assertEquals(trained.group(2), String.format(java.util.Locale.ROOT, "%.4f",
                Double.parseDouble(json(summary, "test_loss"))));

        String eval = Cli.run("eval", run.toString());
        Matcher evaluated = find(EVALUATED, eval);
        assertEquals(trained.group(1), evaluated.group(1), eval);
        assertEquals(trained.group(2), evaluated.group(2), eval);
        assertTrue(eval.contains("epoch " + bestEpoch + ")"), eval);
    }

    /** With --test-limit in training, eval scores the same test samples by default (the limit is in the checkpoint). */
    @Test
    void evalUsesTheTrainingRunsTestLimit() {
        Path run = tmp.resolve("limited");
        String out = Cli.run("train", "mnist-mlp", "--epochs", "1", "--train-limit", "1000", "--test-limit", "200",
                "--out", run.toString(), "--progress", "never");
        String eval = Cli.run("eval", run.toString());
        Matcher evaluated = find(EVALUATED, eval);
        assertEquals("200", evaluated.group(3), eval);
        assertEquals(find(TRAINED, out).group(1), evaluated.group(1), out + eval);
    }

    /** Two command-line runs with the same seed write byte-identical checkpoints (no wall-clock tensors). */
    @Test
    void theSameSeedGivesTheSameCheckpointBytes() throws IOException {
        for (String name : new String[] {"one", "two"}) {
            Cli.run("train", "iris", "--epochs", "4", "--seed", "3", "--out", tmp.resolve(name).toString(), "--progress", "never");
        }
        for (String f : new String[] {Checkpoints.LAST, Checkpoints.BEST}) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("one").resolve(f)), Files.readAllBytes(tmp.resolve("two").resolve(f)),
                    f + " differs between two runs with seed 3");
        }
    }

    /** --out naming an existing run is refused unless --overwrite; the old run stays untouched. */
    @Test
    void anExistingRunIsNotReplacedWithoutOverwrite() throws IOException {
        Path run = tmp.resolve("run");
        Cli.run("train", "iris", "--epochs", "2", "--out", run.toString(), "--progress", "never");
        byte[] last = Files.readAllBytes(run.resolve(Checkpoints.LAST));
        String refused = Cli.fail("train", "iris", "--epochs", "3", "--seed", "1", "--out", run.toString(), "--progress", "never");
        assertTrue(refused.contains("--out " + run + " already holds a run (last.safetensors, best.safetensors"), refused);
        assertTrue(refused.contains("--resume " + run) && refused.contains("--overwrite"), refused);
        assertArrayEquals(last, Files.readAllBytes(run.resolve(Checkpoints.LAST)));

        Cli.run("train", "iris", "--epochs", "3", "--seed", "1", "--out", run.toString(), "--progress", "never", "--overwrite");
        assertEquals(3, Checkpoints.load(run.resolve(Checkpoints.LAST)).epoch());
        assertTrue(Files.readString(run.resolve("config.json")).contains("\"seed\": 1"));
    }

    /**
     * model.safetensors of an iris run: best.safetensors' model tensors under their own keys, plus the
     * standardizer the inputs need (preprocess.mean/std, one per feature), and nothing else.
     */
    @Test
    void modelSafetensorsHoldsTheBestWeightsAndTheStandardizer() throws IOException {
        Path run = tmp.resolve("export");
        Cli.run("train", "iris", "--epochs", "5", "--out", run.toString(), "--progress", "never");
        java.util.Map<String, dev.nabla.ndarray.NDArray> exported =
                dev.nabla.ndarray.io.Safetensors.load(run.resolve(dev.nabla.train.ModelExport.FILE));
        Checkpoints.Contents best = Checkpoints.load(run.resolve(Checkpoints.BEST));
        java.util.Set<String> expected = new java.util.TreeSet<>(best.model.keySet());
        expected.add("preprocess.mean");
        expected.add("preprocess.std");
        assertEquals(expected, new java.util.TreeSet<>(exported.keySet()));
        for (String k : best.model.keySet()) {
            assertTrue(best.model.get(k).allClose(exported.get(k), 0, 0), k);
        }
        assertArrayEquals(new int[] {4}, exported.get("preprocess.mean").shape());
        assertTrue(java.util.Arrays.stream(exported.get("preprocess.std").toArray()).allMatch(v -> v > 0));
        assertEquals(Integer.toString(best.epoch()),
                dev.nabla.ndarray.io.Safetensors.loadMetadata(run.resolve(dev.nabla.train.ModelExport.FILE)).get("epoch"));
    }

    /** --epochs 0 is refused before anything is written (it used to report checkpoints it never wrote). */
    @Test
    void zeroEpochsIsRefused() {
        Path run = tmp.resolve("zero");
        String refused = Cli.fail("train", "iris", "--epochs", "0", "--out", run.toString(), "--progress", "never");
        assertTrue(refused.contains("--epochs expects a positive integer, got \"0\""), refused);
        assertTrue(!Files.exists(run), "nothing written");
    }

    /** --resume with fewer --epochs than done is refused, naming both numbers, and leaves config.json as it was. */
    @Test
    void resumingWithFewerEpochsThanDoneIsRefused() throws IOException {
        Path run = tmp.resolve("three");
        Cli.run("train", "iris", "--epochs", "3", "--out", run.toString(), "--progress", "never");
        String config = Files.readString(run.resolve("config.json"));
        String refused = Cli.fail("train", "--resume", run.toString(), "--epochs", "1", "--progress", "never");
        assertTrue(refused.contains("is after epoch 3, but --epochs 1 asks for fewer"), refused);
        assertTrue(refused.contains("pass --epochs 3 or more"), refused);
        assertEquals(config, Files.readString(run.resolve("config.json")));
        // the same total is fine (nothing left to train), and a larger one continues
        Cli.run("train", "--resume", run.toString(), "--epochs", "4", "--progress", "never");
        assertEquals(4, Checkpoints.load(run.resolve(Checkpoints.LAST)).epoch());
    }
}
