package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.autograd.compile.Compiled;
import dev.nabla.autograd.compile.CompiledStep;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Functional;
import dev.nabla.nn.Linear;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.Module;
import dev.nabla.nn.RNN;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Sigmoid;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Momentum;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;
import dev.nabla.optim.StepLR;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A compiled step against eager: the same model, data and optimizer built twice from one seed, N
 * steps each way, every parameter's bits and every loss compared after every step.
 */
class CompiledStepTest {

    /** One model with its optimizer, parameters and step function. */
    private static final class Setup {
        final List<Parameter> params;
        final Optimizer opt;
        final Function<Variable[], Variable> loss;
        final Runnable afterStep;

        Setup(List<Parameter> params, Optimizer opt, Function<Variable[], Variable> loss, Runnable afterStep) {
            this.params = params;
            this.opt = opt;
            this.loss = loss;
            this.afterStep = afterStep;
        }
    }

    private interface Factory {
        Setup make(DType dtype);
    }

    private static int[] labels(NDArray t) {
        int[] l = new int[t.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = (int) t.getFlatLong(i);
        }
        return l;
    }

    private static Setup classifier(Module model, Optimizer opt, Runnable after) {
        return new Setup(model.parameters(), opt, in -> Functional.crossEntropy(model.call(in[0]), in[1].data()), after);
    }

    static Setup w2(DType dtype) {
        Random rng = new Random(0);
        Module m = new Sequential(new Linear(12, 7, rng), new Sigmoid(), new Linear(7, 4, rng)).to(dtype);
        return classifier(m, new SGD(m.parameters(), 0.1), () -> { });
    }

    static Setup w3(DType dtype) {
        Random rng = new Random(1);
        Module m = new Sequential(new Linear(12, 9, rng), new ReLU(), new Linear(9, 8, rng), new ReLU(),
                new Linear(8, 4, rng)).to(dtype);
        Adam adam = new Adam(m.parameters(), 1e-2);
        StepLR sched = new StepLR(adam, 2, 0.5); // the learning rate changes between steps
        return classifier(m, adam, sched::step);
    }

    static Setup w4(DType dtype) {
        Random rng = new Random(2);
        Module m = new Sequential(new Conv2d(1, 3, 3, rng), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(3 * 2 * 2, 6, rng), new ReLU(), new Linear(6, 4, rng)).to(dtype);
        return classifier(m, new Momentum(m.parameters(), 0.05, 0.9), () -> { });
    }

    static Setup w5(DType dtype) {
        Random rng = new Random(3);
        RNN rnn = new RNN(1, 6, rng);
        Linear out = new Linear(6, 1, rng);
        rnn.to(dtype);
        out.to(dtype);
        List<Parameter> ps = new ArrayList<>(rnn.parameters());
        ps.addAll(out.parameters());
        return new Setup(ps, new Adam(ps, 1e-2), in -> Functional.mseLoss(out.call(rnn.call(in[0])), in[1]).mul(5), () -> { });
    }

    static Setup dropoutMlp(DType dtype) {
        Random rng = new Random(4);
        Module m = new Sequential(new Linear(12, 9, rng), new ReLU(), new Dropout(0.3, new Random(9)),
                new Linear(9, 4, rng)).to(dtype);
        return classifier(m, new SGD(m.parameters(), 0.1), () -> { });
    }

    /** Batch {@code k} of size {@code n}: classifier images (or features) and labels, or sequences. */
    private static NDArray[] batch(String kind, DType dtype, int k, int n) {
        Random rng = new Random(100 + k);
        switch (kind) {
            case "w4":
                return new NDArray[] {NDArray.rand(rng, dtype, n, 1, 6, 6), labelsArray(rng, n)};
            case "w5":
                return new NDArray[] {NDArray.randn(rng, dtype, 5, n, 1), NDArray.randn(rng, dtype, 5, n, 1)};
            default:
                return new NDArray[] {NDArray.rand(rng, dtype, n, 12), labelsArray(rng, n)};
        }
    }

    private static NDArray labelsArray(Random rng, int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(4);
        }
        return NDArray.of(t, n);
    }

    private static double eagerStep(Setup s, NDArray[] in) {
        s.opt.zeroGrad();
        Variable[] xs = new Variable[in.length];
        for (int i = 0; i < in.length; i++) {
            xs[i] = new Variable(in[i]);
        }
        Variable loss = s.loss.apply(xs);
        loss.backward();
        s.opt.step();
        s.afterStep.run();
        return loss.item();
    }

    private static void assertSameBits(List<Parameter> a, List<Parameter> b, String what) {
        assertEquals(a.size(), b.size());
        for (int p = 0; p < a.size(); p++) {
            NDArray x = a.get(p).data();
            NDArray y = b.get(p).data();
            assertEquals(x.dtype(), y.dtype());
            for (int i = 0; i < x.size(); i++) {
                assertEquals(Double.doubleToRawLongBits(x.getFlat(i)), Double.doubleToRawLongBits(y.getFlat(i)),
                        what + ": parameter " + p + " element " + i + ": " + x.getFlat(i) + " vs " + y.getFlat(i));
            }
        }
    }

    /** N steps both ways (batch sizes in {@code sizes}, one per step), bitwise compared after each. */
    private static CompiledStep compare(Factory f, String kind, DType dtype, int... sizes) {
        Setup eager = f.make(dtype);
        Setup comp = f.make(dtype);
        CompiledStep step = Compiled.step(comp.params, in -> comp.loss.apply(in), () -> {
            comp.opt.step();
            comp.afterStep.run();
        });
        for (int k = 0; k < sizes.length; k++) {
            NDArray[] in = batch(kind, dtype, k, sizes[k]);
            double le = eagerStep(eager, in);
            double lc = step.run(in).item();
            String what = kind + " " + dtype + " step " + k;
            assertEquals(Double.doubleToRawLongBits(le), Double.doubleToRawLongBits(lc), what + " loss " + le + " vs " + lc);
            assertSameBits(eager.params, comp.params, what);
            for (int p = 0; p < eager.params.size(); p++) {
                NDArray ge = eager.params.get(p).grad().data();
                NDArray gc = comp.params.get(p).grad().data();
                assertEquals(ge, gc, what + " gradient of parameter " + p);
            }
        }
        return step;
    }

    @Test
    void w5LikeRnnAdamReplaysBitwise() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            CompiledStep s = compare(CompiledStepTest::w5, "w5", dt, 3, 3, 3, 3, 3, 3);
            assertEquals(2, s.traces(), s.toString()); // the first trace, and the one that verifies it
            assertEquals(4, s.replays(), s.toString());
        }
    }

    @Test
    void w2LikeMlpSgdBitwiseWithLabelsAsValueGuards() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            // new labels every batch: each batch's labels are a value guard, so each new batch retraces
            CompiledStep s = compare(CompiledStepTest::w2, "w2", dt, 5, 5, 5, 5);
            assertEquals(4, s.traces(), s.toString());
        }
    }

    @Test
    void w2LikeMlpSgdReplaysWithFixedLabelsAndNewInputs() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Setup eager = w2(dt);
            Setup comp = w2(dt);
            CompiledStep step = Compiled.step(comp.params, in -> comp.loss.apply(in), comp.opt::step);
            NDArray[] in0 = batch("w2", dt, 0, 6);
            for (int k = 0; k < 5; k++) {
                NDArray[] in = {NDArray.rand(new Random(k), dt, 6, 12), in0[1]};
                double le = eagerStep(eager, in);
                double lc = step.run(in).item();
                assertEquals(Double.doubleToRawLongBits(le), Double.doubleToRawLongBits(lc), "step " + k);
                assertSameBits(eager.params, comp.params, "w2 " + dt + " step " + k);
            }
            assertEquals(2, step.traces(), step.toString());
            assertEquals(3, step.replays(), step.toString());
        }
    }

    @Test
    void sameBatchReplaysAndLastSmallerBatchRetraces() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Setup eager = w3(dt);
            Setup comp = w3(dt);
            CompiledStep step = Compiled.step(comp.params, in -> comp.loss.apply(in), () -> {
                comp.opt.step();
                comp.afterStep.run();
            });
            NDArray[] full = batch("w3", dt, 0, 6);
            NDArray[] last = batch("w3", dt, 1, 2);
            for (int k = 0; k < 7; k++) {
                NDArray[] in = k == 6 ? last : full;
                double le = eagerStep(eager, in);
                double lc = step.run(in).item();
                assertEquals(Double.doubleToRawLongBits(le), Double.doubleToRawLongBits(lc), "step " + k);
                assertSameBits(eager.params, comp.params, "w3 Adam+StepLR " + dt + " step " + k);
            }
            assertEquals(3, step.traces(), step.toString());
            assertEquals(4, step.replays(), step.toString());
        }
    }

    @Test
    void w4LikeLeNetMomentumReplaysMaxPoolBitwise() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Setup eager = w4(dt);
            Setup comp = w4(dt);
            CompiledStep step = Compiled.step(comp.params, in -> comp.loss.apply(in), comp.opt::step);
            NDArray[] in0 = batch("w4", dt, 0, 3);
            for (int k = 0; k < 5; k++) {
                // same labels, new images every step: the images flow through the tape, argmax refreshed
                NDArray[] in = {NDArray.rand(new Random(k), dt, 3, 1, 6, 6), in0[1]};
                double le = eagerStep(eager, in);
                double lc = step.run(in).item();
                assertEquals(Double.doubleToRawLongBits(le), Double.doubleToRawLongBits(lc), "step " + k);
                assertSameBits(eager.params, comp.params, "w4 " + dt + " step " + k);
            }
            assertEquals(2, step.traces(), step.toString());
        }
    }

    @Test
    void dropoutReplaysTheSameRandomSequence() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Setup eager = dropoutMlp(dt);
            Setup comp = dropoutMlp(dt);
            CompiledStep step = Compiled.step(comp.params, in -> comp.loss.apply(in), comp.opt::step);
            NDArray[] in0 = batch("mlp", dt, 0, 5);
            for (int k = 0; k < 5; k++) {
                double le = eagerStep(eager, in0);
                double lc = step.run(in0).item();
                assertEquals(Double.doubleToRawLongBits(le), Double.doubleToRawLongBits(lc), "step " + k);
                assertSameBits(eager.params, comp.params, "dropout " + dt + " step " + k);
            }
            assertEquals(2, step.traces(), step.toString());
        }
    }

    @Test
    void guardBoundsTheCache() {
        Setup comp = w5(DType.FLOAT64);
        CompiledStep step = Compiled.builder(comp.params, in -> comp.loss.apply(in), comp.opt::step).maxTraces(2).build();
        for (int n = 1; n <= 4; n++) {
            step.run(batch("w5", DType.FLOAT64, n, n));
        }
        assertEquals(4, step.traces());
        assertEquals(2, step.cachedTapes());
    }

    @Test
    void hostReadOfAComputedValueIsAGraphBreak() {
        Setup comp = w5(DType.FLOAT64);
        CompiledStep step = Compiled.step(comp.params, in -> {
            Variable l = comp.loss.apply(in);
            return l.item() > 1e9 ? l.mul(0.5) : l; // value-dependent control flow
        }, comp.opt::step);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> step.run(batch("w5", DType.FLOAT64, 0, 2)));
        assertTrue(e.getMessage().contains("graph break") && e.getMessage().contains("run this step eager"), e.getMessage());
        Setup comp2 = w5(DType.FLOAT64);
        CompiledStep lenient = Compiled.builder(comp2.params, in -> {
            Variable l = comp2.loss.apply(in);
            return l.item() > 1e9 ? l.mul(0.5) : l;
        }, comp2.opt::step).fallbackToEager().build();
        for (int k = 0; k < 3; k++) {
            lenient.run(batch("w5", DType.FLOAT64, 0, 2));
        }
        assertEquals(1, lenient.traces());
        assertEquals(2, lenient.eagerRuns());
    }
}
