package dev.nabla.examples.train;

import dev.nabla.train.Checkpoints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.F;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.examples.Cli;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.Safetensors;
import dev.nabla.nn.GRUCell;
import dev.nabla.nn.LSTM;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.RNNOptions;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code nabla-checkpoint/1} file, written here the way the code before issue 13 wrote it
 * (Linear weights {@code (in, out)}; recurrent layers as cells {@code l<k>} with
 * {@code weightIh (in, G·H)}, {@code weightHh (H, G·H)}, {@code biasIh}, {@code biasHh}; a
 * standalone cell with {@code weightIh} ...; optimizer moments in the parameters' old shapes), loads
 * through {@link Checkpoints#upgrade} into today's model: the same outputs, and one more optimizer
 * step gives bitwise the same parameters as continuing the original, so moments were transposed
 * with their weights. The square Linear proves that the conversion comes from the module tree,
 * not from shapes (its transposed weight has the same shape and would load silently).
 */
class CheckpointV1ConversionTest {

    /** A square Linear, a 2-layer LSTM, a non-square Linear head, and a standalone GRU cell. */
    static final class Net extends Module {
        final Linear fc;
        final LSTM lstm;
        final Linear head;
        final GRUCell cell;

        Net(Random r) {
            fc = registerModule("fc", new Linear(3, 3, r));
            lstm = registerModule("lstm", new LSTM(3, 4, RNNOptions.defaults().numLayers(2), r));
            head = registerModule("head", new Linear(4, 2, r));
            cell = registerModule("cell", new GRUCell(2, 3, r));
        }

        @Override
        public Variable forward(Variable x) {
            Variable y = head.call(lstm.call(fc.call(x))); // (T, N, 2)
            Variable last = y.getItem(dev.nabla.ndarray.Index.at(y.shape(0) - 1)); // (N, 2)
            return F.concat(1, y.getItem(dev.nabla.ndarray.Index.at(0)), cell.forward(last));
        }
    }

    private static final NDArray X = NDArray.randn(new Random(11), 5, 2, 3);

    /** The old key and layout of each of today's keys, as the code before issue 13 registered them. */
    private static Map<String, NDArray> v1Model(Map<String, NDArray> v2) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : v2.entrySet()) {
            String k = e.getKey();
            NDArray v = e.getValue();
            if (k.equals("fc.weight") || k.equals("head.weight")) {
                out.put(k, v.transpose());
            } else if (k.startsWith("lstm.")) {
                String name = k.substring("lstm.".length()); // weight_ih_l0
                int cut = name.lastIndexOf("_l");
                String layer = name.substring(cut + 2);
                String old = Map.of("weight_ih", "weightIh", "weight_hh", "weightHh", "bias_ih", "biasIh", "bias_hh", "biasHh")
                        .get(name.substring(0, cut));
                out.put("lstm.l" + layer + "." + old, v.ndim() == 2 ? v.transpose() : v);
            } else if (k.startsWith("cell.")) {
                String old = Map.of("weight_ih", "weightIh", "weight_hh", "weightHh", "bias_ih", "biasIh", "bias_hh", "biasHh")
                        .get(k.substring("cell.".length()));
                out.put("cell." + old, v.ndim() == 2 ? v.transpose() : v);
            } else {
                out.put(k, v);
            }
        }
        return out;
    }

    /** Optimizer state with every 2-D moment transposed, as the old parameter shapes held it. */
    private static Map<String, NDArray> v1Optimizer(Map<String, NDArray> v2) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        v2.forEach((k, v) -> out.put(k, v.ndim() == 2 ? v.transpose() : v));
        return out;
    }

    private static void step(Module m, Optimizer opt) {
        m.zeroGrad();
        m.call(new Variable(X)).square().sum().backward();
        opt.step();
    }

    private static Map<String, NDArray> copy(Map<String, NDArray> m) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    @Test
    void aVersion1CheckpointLoadsIntoTodaysModelWithTheSameOutputsAndOptimizerState(@TempDir Path dir) throws IOException {
        Net original = new Net(new Random(1));
        Optimizer opt = new Adam(original.parameters(), 0.01);
        step(original, opt);
        step(original, opt);
        // the file as version 1 wrote it: model.*, optim.*, trainer.*, format nabla-checkpoint/1
        Map<String, NDArray> all = new LinkedHashMap<>();
        v1Model(copy(original.stateDict())).forEach((k, v) -> all.put("model." + k, v));
        v1Optimizer(opt.stateDict()).forEach((k, v) -> all.put("optim." + k, v));
        all.put("trainer.best_score", NDArray.scalar(0.5));
        Path file = dir.resolve("last.safetensors");
        Safetensors.save(file, all, Map.of("format", Checkpoints.FORMAT_V1, "epoch", "2"));
        assertTrue(all.containsKey("model.lstm.l1.weightHh") && all.containsKey("model.cell.biasIh"));

        Net restored = new Net(new Random(99));
        List<String> notices = new ArrayList<>();
        Checkpoints.Contents c = Checkpoints.upgrade(Checkpoints.load(file), restored, notices::add);
        assertEquals(List.of("converted a nabla-checkpoint/1 checkpoint (Linear weights (in,out) -> (out,in), recurrent "
                + "keys -> PyTorch names); save again to write nabla-checkpoint/2"), notices);
        assertEquals(Checkpoints.FORMAT, c.metadata.get("format"));
        assertEquals(List.copyOf(original.stateDict().keySet()), List.copyOf(c.model.keySet()), "PyTorch's names, in order");
        restored.loadStateDict(c.model, true);
        for (Map.Entry<String, NDArray> e : original.stateDict().entrySet()) {
            assertTrue(e.getValue().allClose(restored.stateDict().get(e.getKey()), 0, 0), e.getKey());
        }
        assertTrue(original.call(new Variable(X)).data().allClose(restored.call(new Variable(X)).data(), 0, 0));

        Optimizer opt2 = new Adam(restored.parameters(), 0.01);
        opt2.loadStateDict(c.optimizer);
        step(original, opt);
        step(restored, opt2);
        List<Parameter> a = original.parameters();
        List<Parameter> b = restored.parameters();
        for (int i = 0; i < a.size(); i++) {
            assertTrue(a.get(i).data().allClose(b.get(i).data(), 0, 0), "parameter " + i + " after one more step");
        }
    }

    @Test
    void aVersion2CheckpointIsReturnedAsItIsWithoutANotice(@TempDir Path dir) throws IOException {
        Net net = new Net(new Random(1));
        Path file = dir.resolve("x.safetensors");
        Checkpoints.save(file, new Checkpoints.Contents(net.stateDict(), Map.of(), Map.of(), Map.of("epoch", "0")));
        assertEquals("nabla-checkpoint/2", Checkpoints.readMetadata(file).get("format"));
        Checkpoints.Contents c = Checkpoints.load(file);
        List<String> notices = new ArrayList<>();
        assertSame(c, Checkpoints.upgrade(c, net, notices::add));
        assertTrue(notices.isEmpty());
    }

    @Test
    void anUnknownFormatIsRefusedNamingBothKnownOnes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.safetensors");
        Safetensors.save(file, Map.of("model.w", NDArray.zeros(1)), Map.of("format", "nabla-checkpoint/0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.readMetadata(file));
        assertEquals(file + " is a safetensors file but not a nabla training checkpoint (metadata \"format\" is "
                + "\"nabla-checkpoint/0\", expected \"nabla-checkpoint/2\" or \"nabla-checkpoint/1\"); pass a run directory or a "
                + "last/best.safetensors written by `nabla train`", e.getMessage());
    }

    /** Rewrites a run's checkpoint as version 1 wrote it, for a model whose only Linear weight is {@code weightKey}. */
    private static void downgrade(Path file, String weightKey) throws IOException {
        Map<String, NDArray> t = new LinkedHashMap<>(Safetensors.load(file));
        Map<String, String> meta = new LinkedHashMap<>(Safetensors.loadMetadata(file));
        t.put("model." + weightKey, t.get("model." + weightKey).transpose());
        for (String k : List.copyOf(t.keySet())) {
            if (k.startsWith("optim.state.0.") && t.get(k).ndim() == 2) {
                t.put(k, t.get(k).transpose());
            }
        }
        meta.put("format", Checkpoints.FORMAT_V1);
        Safetensors.save(file, t, meta);
    }

    /**
     * The command line: {@code nabla train --resume} of a version-1 run tells the user on stderr and
     * continues to bitwise the same checkpoint as the uninterrupted run; {@code nabla eval} of a
     * version-1 checkpoint prints the notice and the same figures.
     */
    @Test
    void theCommandLineResumesAndEvaluatesAVersion1RunAndSaysSoOnStderr(@TempDir Path tmp) throws IOException {
        String[] common = {"--epochs", "3", "--optimizer", "adam", "--seed", "5", "--progress", "never"};
        Path straight = tmp.resolve("straight");
        Path old = tmp.resolve("old");
        Cli.run(concat(new String[] {"train", "iris", "--out", straight.toString()}, common));
        Cli.run(concat(new String[] {"train", "iris", "--out", old.toString(), "--stop-after", "1"}, common));
        String evalV2 = Cli.exec(false, "eval", old.resolve(Checkpoints.LAST).toString()).out();
        downgrade(old.resolve(Checkpoints.LAST), "weight");
        if (java.nio.file.Files.exists(old.resolve(Checkpoints.BEST))) {
            downgrade(old.resolve(Checkpoints.BEST), "weight");
        }

        Cli.Result eval = Cli.exec(false, "eval", old.resolve(Checkpoints.LAST).toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.err().contains(Checkpoints.V1_CONVERTED), eval.err());
        assertEquals(evalV2, eval.out());

        Cli.Result resumed = Cli.exec(false, "train", "--resume", old.toString(), "--progress", "never");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains(Checkpoints.V1_CONVERTED), resumed.err());
        Checkpoints.Contents x = Checkpoints.load(straight.resolve(Checkpoints.LAST));
        Checkpoints.Contents y = Checkpoints.load(old.resolve(Checkpoints.LAST));
        assertEquals(Checkpoints.FORMAT, y.metadata.get("format"), "saved again as version 2");
        for (String k : x.model.keySet()) {
            assertTrue(x.model.get(k).allClose(y.model.get(k), 0, 0), k);
        }
        for (String k : x.optimizer.keySet()) {
            assertTrue(x.optimizer.get(k).allClose(y.optimizer.get(k), 0, 0), k);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = new String[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
