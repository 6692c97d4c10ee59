package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.Safetensors;
import dev.nabla.ndarray.io.SafetensorsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving an optimizer mid-run and resuming from the file gives bitwise the same trajectory as not stopping. */
class OptimizerCheckpointTest {
    @TempDir
    Path dir;

    static final NDArray A = NDArray.randn(new Random(3), 4, 3);
    static final NDArray T = NDArray.randn(new Random(4), 4);

    static List<Parameter> freshParams() {
        Random rng = new Random(11);
        return List.of(new Parameter(NDArray.randn(rng, 3), "v"), new Parameter(NDArray.randn(rng, 2, 2), "m"),
                new Parameter(NDArray.randn(rng, 2), "unused"));
    }

    /** One training step on a small non-quadratic loss; the third parameter never gets a gradient. */
    static void trainStep(Optimizer opt) {
        List<Parameter> ps = opt.params();
        opt.zeroGrad();
        Variable v = ps.get(0);
        Variable m = ps.get(1);
        Variable r = new Variable(A).matmul(v.tanh()).sub(new Variable(T));
        Variable loss = r.square().sum().add(m.matmul(m).sin().sum());
        loss.backward();
        opt.step();
    }

    static final List<Function<List<Parameter>, Optimizer>> CONFIGS = List.of(
            ps -> new SGD(ps, 0.05),
            ps -> SGD.builder(ps).lr(0.05).momentum(0.9).nesterov(true).weightDecay(1e-3).build(),
            ps -> SGD.builder(ps).lr(0.05).momentum(0.8).dampening(0.1).build(),
            ps -> new Momentum(ps, 0.05, 0.9, 1e-3),
            ps -> AdaGrad.builder(ps).lr(0.1).lrDecay(0.01).initialAccumulatorValue(0.1).build(),
            ps -> RMSprop.builder(ps).lr(0.01).centered(true).momentum(0.5).build(),
            ps -> Adam.builder(ps).lr(0.01).amsgrad(true).weightDecay(1e-2).build(),
            ps -> AdamW.builder(ps).lr(0.01).build());

    @Test
    void resumingFromAFileIsBitwiseIdenticalToNotStopping() throws IOException {
        int c = 0;
        for (Function<List<Parameter>, Optimizer> make : CONFIGS) {
            // run A: 5 steps, change lr, 2 steps, checkpoint, 3 more steps
            List<Parameter> pa = freshParams();
            Optimizer a = make.apply(pa);
            for (int i = 0; i < 5; i++) {
                trainStep(a);
            }
            a.setLr(a.lr() * 0.37);
            trainStep(a);
            trainStep(a);
            Path f = dir.resolve("opt" + (c++) + ".safetensors");
            OptimizerCheckpoint.save(f, a, Map.of("epoch", "7"));
            List<NDArray> saved = new ArrayList<>();
            for (Parameter p : pa) {
                saved.add(p.data().copy());
            }
            for (int i = 0; i < 3; i++) {
                trainStep(a);
            }

            // run B: fresh parameters set to the saved values, a fresh optimizer with a different lr, load, 3 steps
            List<Parameter> pb = freshParams();
            for (int i = 0; i < pb.size(); i++) {
                pb.get(i).data().copyFrom(saved.get(i));
            }
            Optimizer b = make.apply(pb);
            b.setLr(123.0);
            Map<String, String> extra = OptimizerCheckpoint.load(f, b);
            assertEquals(Map.of("epoch", "7"), extra);
            assertEquals(7, b.stepCount());
            for (int i = 0; i < 3; i++) {
                trainStep(b);
            }
            for (int i = 0; i < pa.size(); i++) {
                NDArray x = pa.get(i).data();
                NDArray y = pb.get(i).data();
                for (int k = 0; k < x.size(); k++) {
                    assertEquals(Double.doubleToRawLongBits(x.getFlat(k)), Double.doubleToRawLongBits(y.getFlat(k)),
                            a.name() + " " + a.hyperParameters() + " param " + i + "[" + k + "]");
                }
            }
            assertEquals(a.lr(), b.lr(), 0);
            assertEquals(a.stateDict().keySet(), b.stateDict().keySet());
        }
    }

    @Test
    void theFileIsPlainSafetensorsWithDescriptiveMetadata() throws IOException {
        List<Parameter> ps = freshParams();
        Adam adam = Adam.builder(ps).lr(0.01).amsgrad(true).build();
        trainStep(adam);
        Path f = dir.resolve("adam.safetensors");
        OptimizerCheckpoint.save(f, adam);
        Map<String, String> meta = Safetensors.loadMetadata(f);
        assertEquals(OptimizerCheckpoint.FORMAT, meta.get("format"));
        assertEquals("Adam", meta.get("optimizer"));
        assertEquals("0.01", meta.get("lr"));
        assertEquals("1", meta.get("step"));
        assertEquals("3", meta.get("params"));
        assertEquals("true", meta.get("hp.amsgrad"));
        Map<String, NDArray> t = Safetensors.load(f);
        assertTrue(t.containsKey("state.1.exp_avg") && t.get("state.1.exp_avg").hasShape(2, 2));
        assertTrue(t.keySet().stream().noneMatch(k -> k.startsWith("state.2.")), "the unused parameter has no state");
    }

    @Test
    void mismatchedOrCorruptCheckpointsAreRejectedAndChangeNothing() throws IOException {
        List<Parameter> ps = freshParams();
        Adam adam = new Adam(ps, 0.01);
        trainStep(adam);
        Path f = dir.resolve("adam.safetensors");
        OptimizerCheckpoint.save(f, adam);

        SGD sgd = new SGD(freshParams(), 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OptimizerCheckpoint.load(f, sgd));
        assertTrue(e.getMessage().contains("the checkpoint holds Adam state but the optimizer is SGD"), e.getMessage());
        assertEquals(0.5, sgd.lr());

        Adam fewer = new Adam(freshParams().subList(0, 2), 0.5);
        e = assertThrows(IllegalArgumentException.class, () -> OptimizerCheckpoint.load(f, fewer));
        assertTrue(e.getMessage().contains("saved for 3 parameters but the optimizer has 2"), e.getMessage());

        List<Parameter> reshaped = List.of(new Parameter(NDArray.zeros(3)), new Parameter(NDArray.zeros(4)), new Parameter(NDArray.zeros(2)));
        Adam wrongShape = new Adam(reshaped, 0.5);
        e = assertThrows(IllegalArgumentException.class, () -> OptimizerCheckpoint.load(f, wrongShape));
        assertTrue(e.getMessage().contains("'state.1.exp_avg' has shape [2, 2] but parameter 1 has shape [4]"), e.getMessage());
        assertTrue(e.getMessage().startsWith("OptimizerCheckpoint.load: file '" + f + "'"), e.getMessage());
        assertEquals(0.5, wrongShape.lr());

        Path plain = dir.resolve("plain.safetensors");
        Safetensors.save(plain, Map.of("w", NDArray.zeros(2)));
        e = assertThrows(IllegalArgumentException.class, () -> OptimizerCheckpoint.load(plain, adam));
        assertTrue(e.getMessage().contains("not an optimizer checkpoint (metadata format is missing"), e.getMessage());

        byte[] bytes = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        assertThrows(SafetensorsException.class, () -> OptimizerCheckpoint.load(cut, adam));
    }
}
