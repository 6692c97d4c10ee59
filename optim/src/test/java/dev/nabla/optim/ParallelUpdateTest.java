package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.BlockedGemm;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Parallel;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The update loops split across threads ({@link Parallel}) give the same parameters and state bit
 * for bit at 1, 2 and 3 threads, for parameters below and above the split threshold, in both
 * dtypes, and agree with a per-element reference.
 */
class ParallelUpdateTest {
    private static final int BIG = (int) Parallel.MIN_ELEMENTS + 1001;
    private static final int SMALL = 999;

    private static final Map<String, Function<List<Parameter>, Optimizer>> OPTIMIZERS = Map.of(
            "SGD", ps -> new SGD(ps, 0.1),
            "SGD wd", ps -> SGD.builder(ps).lr(0.1).weightDecay(0.01).build(),
            "SGD nesterov", ps -> SGD.builder(ps).lr(0.05).momentum(0.9).nesterov(true).weightDecay(1e-3).build(),
            "SGD dampening", ps -> SGD.builder(ps).lr(0.05).momentum(0.8).dampening(0.3).build(),
            "Adam", ps -> new Adam(ps, 1e-3),
            "Adam amsgrad wd", ps -> Adam.builder(ps).lr(0.01).amsgrad(true).weightDecay(0.1).build(),
            "AdamW", ps -> new AdamW(ps, 0.01));

    private final int savedThreads = BlockedGemm.threads();

    @AfterEach
    void restoreThreads() {
        BlockedGemm.setThreads(savedThreads);
    }

    /** Parameters and the state dict after three steps with fixed gradients, at {@code threads} threads. */
    private static Map<String, NDArray> run(Function<List<Parameter>, Optimizer> make, DType dtype, int size,
            int threads) {
        BlockedGemm.setThreads(threads);
        Random rng = new Random(7);
        Parameter p = new Parameter(NDArray.randn(rng, dtype, size), "w");
        Optimizer opt = make.apply(List.of(p));
        for (int step = 0; step < 3; step++) {
            p.setGrad(new Variable(NDArray.randn(rng, dtype, size)));
            opt.step();
        }
        Map<String, NDArray> out = new java.util.TreeMap<>(opt.stateDict());
        out.put("param", p.data().copy());
        return out;
    }

    @Test
    void updatesGiveTheSameBitsAtEveryThreadCount() {
        for (Map.Entry<String, Function<List<Parameter>, Optimizer>> e : OPTIMIZERS.entrySet()) {
            for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                for (int size : new int[] {SMALL, BIG}) {
                    Map<String, NDArray> one = run(e.getValue(), dtype, size, 1);
                    for (int t : new int[] {2, 3}) {
                        Map<String, NDArray> many = run(e.getValue(), dtype, size, t);
                        assertEquals(one.keySet(), many.keySet());
                        for (String key : one.keySet()) {
                            NDArray a = one.get(key);
                            NDArray b = many.get(key);
                            assertEquals(a.dtype(), b.dtype());
                            assertEquals(a.size(), b.size());
                            for (int i = 0; i < a.size(); i++) {
                                if (Double.doubleToRawLongBits(a.getFlat(i)) != Double.doubleToRawLongBits(b.getFlat(i))) {
                                    throw new AssertionError(e.getKey() + " " + dtype + " size " + size + " '" + key
                                            + "' element " + i + ": " + b.getFlat(i) + " at " + t + " threads, "
                                            + a.getFlat(i) + " at 1");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void aSplitAdamStepMatchesThePerElementFormula() {
        BlockedGemm.setThreads(3);
        Random rng = new Random(3);
        NDArray w0 = NDArray.randn(rng, DType.FLOAT64, BIG);
        NDArray g = NDArray.randn(rng, DType.FLOAT64, BIG);
        Parameter p = new Parameter(w0.copy(), "w");
        p.setGrad(new Variable(g));
        new Adam(List.of(p), 0.01).step();
        for (int i = 0; i < BIG; i++) {
            double gi = g.getFlat(i);
            double m = (1 - 0.9) * gi;
            double v = (1 - 0.999) * gi * gi;
            double expected = w0.getFlat(i) - (0.01 / (1 - 0.9)) * m / (Math.sqrt(v) / Math.sqrt(1 - 0.999) + 1e-8);
            assertEquals(expected, p.data().getFlat(i), 0.0, "element " + i);
        }
    }
}
