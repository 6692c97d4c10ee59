package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loops split by {@link Parallel}: every split op gives the same bits at 1, 2 and 3 threads,
 * on arrays below and above {@link Parallel#MIN_ELEMENTS}, in both dtypes, and agrees with a
 * plain per-element computation; worker exceptions reach the caller.
 */
class ParallelTest {
    /** Rows x columns above the threshold (an odd row count so chunks do not divide evenly). */
    private static final int COLS = 1000;
    private static final int BIG_ROWS = (int) (Parallel.MIN_ELEMENTS / COLS) + 3;
    private static final int SMALL_ROWS = 7;
    private static final int[] THREADS = {1, 2, 3};

    private final int savedThreads = BlockedGemm.threads();

    @AfterEach
    void restoreThreads() {
        BlockedGemm.setThreads(savedThreads);
    }

    private static Map<String, Function<NDArray, NDArray>> unaryOps() {
        return Map.ofEntries(
                Map.entry("neg", NDArray::neg), Map.entry("exp", NDArray::exp), Map.entry("log", NDArray::log),
                Map.entry("sqrt", NDArray::sqrt), Map.entry("abs", NDArray::abs), Map.entry("sign", NDArray::sign),
                Map.entry("sin", NDArray::sin), Map.entry("cos", NDArray::cos), Map.entry("tanh", NDArray::tanh),
                Map.entry("sigmoid", NDArray::sigmoid), Map.entry("relu", NDArray::relu),
                Map.entry("square", NDArray::square), Map.entry("leakyRelu0.1", x -> x.leakyRelu(0.1)),
                Map.entry("leakyReluDerivative0", x -> x.leakyReluDerivative(0)),
                Map.entry("leakyReluDerivative0.2", x -> x.leakyReluDerivative(0.2)),
                Map.entry("add scalar", x -> x.add(0.3)), Map.entry("sub scalar", x -> x.sub(0.3)),
                Map.entry("mul scalar", x -> x.mul(1.7)), Map.entry("div scalar", x -> x.div(1.7)));
    }

    private static List<Map.Entry<String, Function<NDArray[], NDArray>>> binaryOps() {
        List<Map.Entry<String, Function<NDArray[], NDArray>>> ops = new ArrayList<>();
        ops.add(Map.entry("add", v -> v[0].add(v[1])));
        ops.add(Map.entry("sub", v -> v[0].sub(v[1])));
        ops.add(Map.entry("mul", v -> v[0].mul(v[1])));
        ops.add(Map.entry("div", v -> v[0].div(v[1])));
        ops.add(Map.entry("add row", v -> v[0].add(v[2])));
        ops.add(Map.entry("row sub", v -> v[2].sub(v[0])));
        ops.add(Map.entry("mul row", v -> v[0].mul(v[2])));
        ops.add(Map.entry("row div", v -> v[2].div(v[0])));
        ops.add(Map.entry("addInPlace", v -> v[0].copy().addInPlace(v[1], -0.37)));
        ops.add(Map.entry("addInPlace other dtype", v -> v[0].copy().addInPlace(v[1].astype(other(v[1].dtype())), 0.7)));
        ops.add(Map.entry("mulInPlace", v -> v[0].copy().mulInPlace(-1.3)));
        ops.add(Map.entry("copyFrom", v -> v[0].copy().copyFrom(v[1])));
        ops.add(Map.entry("copyFrom other dtype", v -> v[0].copy().copyFrom(v[1].astype(other(v[1].dtype())))));
        return ops;
    }

    private static DType other(DType t) {
        return t == DType.FLOAT64 ? DType.FLOAT32 : DType.FLOAT64;
    }

    /** Inputs: x (rows, COLS) with both signs and zeros, y positive (rows, COLS), a row (COLS). */
    private static NDArray[] inputs(DType dtype, int rows) {
        Random rng = new Random(rows);
        NDArray x = NDArray.randn(rng, dtype, rows, COLS);
        for (int i = 0; i < x.size(); i += 97) {
            x.setFlat(i, 0.0);
        }
        NDArray y = NDArray.rand(rng, dtype, rows, COLS).add(0.5);
        NDArray row = NDArray.rand(rng, dtype, COLS).add(0.25);
        return new NDArray[] {x, y, row};
    }

    private static void assertSameBits(String what, NDArray expected, NDArray actual) {
        assertEquals(expected.dtype(), actual.dtype(), what);
        assertArrayEquals(expected.shape(), actual.shape(), what);
        for (int i = 0; i < expected.size(); i++) {
            long e = Double.doubleToRawLongBits(expected.getFlat(i));
            long a = Double.doubleToRawLongBits(actual.getFlat(i));
            if (e != a) {
                throw new AssertionError(what + ": element " + i + " is " + actual.getFlat(i) + " but "
                        + expected.getFlat(i) + " on 1 thread");
            }
        }
    }

    /** The result of {@code op} at each thread count equals the 1-thread result bit for bit. */
    private static void sameAtEveryThreadCount(String what, Supplier<NDArray> op) {
        BlockedGemm.setThreads(1);
        NDArray one = op.get();
        for (int t : THREADS) {
            BlockedGemm.setThreads(t);
            assertSameBits(what + " at " + t + " threads", one, op.get());
        }
    }

    @Test
    void unaryOpsGiveTheSameBitsAtEveryThreadCount() {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (int rows : new int[] {SMALL_ROWS, BIG_ROWS}) {
                NDArray x = inputs(dtype, rows)[0];
                NDArray pos = inputs(dtype, rows)[1];
                for (Map.Entry<String, Function<NDArray, NDArray>> e : unaryOps().entrySet()) {
                    String what = e.getKey() + " " + dtype + " (" + rows + ", " + COLS + ")";
                    NDArray in = e.getKey().equals("log") || e.getKey().equals("sqrt") ? pos : x;
                    sameAtEveryThreadCount(what, () -> e.getValue().apply(in));
                }
            }
        }
    }

    @Test
    void binaryAndInPlaceOpsGiveTheSameBitsAtEveryThreadCount() {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (int rows : new int[] {SMALL_ROWS, BIG_ROWS}) {
                NDArray[] v = inputs(dtype, rows);
                for (Map.Entry<String, Function<NDArray[], NDArray>> e : binaryOps()) {
                    String what = e.getKey() + " " + dtype + " (" + rows + ", " + COLS + ")";
                    sameAtEveryThreadCount(what, () -> e.getValue().apply(v));
                }
            }
        }
    }

    @Test
    void splitResultsAgreeWithAPlainPerElementComputation() {
        BlockedGemm.setThreads(3);
        NDArray[] v = inputs(DType.FLOAT64, BIG_ROWS);
        double[] x = v[0].toArray();
        double[] y = v[1].toArray();
        double[] row = v[2].toArray();
        double[] sum = v[0].add(v[1]).toArray();
        double[] rowDiv = v[2].div(v[0]).toArray();
        double[] relu = v[0].relu().toArray();
        double[] exp = v[0].exp().toArray();
        double[] acc = v[0].copy().addInPlace(v[1], -0.37).toArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] + y[i], sum[i], 0.0);
            assertEquals(row[i % COLS] / x[i], rowDiv[i], 0.0);
            assertEquals(Math.max(x[i], 0.0), relu[i], 0.0);
            assertEquals(Math.exp(x[i]), exp[i], 0.0);
            assertEquals(x[i] + -0.37 * y[i], acc[i], 0.0);
        }
        float[] xf = v[0].astype(DType.FLOAT32).toFloatArray();
        float[] yf = v[1].astype(DType.FLOAT32).toFloatArray();
        float[] mulf = v[0].astype(DType.FLOAT32).mul(v[1].astype(DType.FLOAT32)).toFloatArray();
        float[] tanhf = v[0].astype(DType.FLOAT32).tanh().toFloatArray();
        for (int i = 0; i < xf.length; i++) {
            assertEquals(xf[i] * yf[i], mulf[i], 0f);
            assertEquals((float) Kernels.tanh(xf[i]), tanhf[i], 0f);
        }
    }

    @Test
    void forRangeVisitsEveryIndexExactlyOnce() {
        for (int n : new int[] {0, 1, 2, 5, 11, 1000, 100_003}) {
            for (int t : new int[] {1, 2, 3, 8}) {
                AtomicIntegerArray seen = new AtomicIntegerArray(n);
                Parallel.forRange(n, t, (from, to) -> {
                    assertTrue(0 <= from && from <= to && to <= n, "range [" + from + ", " + to + ") of " + n);
                    for (int i = from; i < to; i++) {
                        seen.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, seen.get(i), "index " + i + " of " + n + " at " + t + " threads");
                }
            }
        }
    }

    @Test
    void anExceptionInAWorkerReachesTheCaller() {
        int n = 1000;
        for (int t : new int[] {2, 3}) {
            for (int bad : new int[] {0, n / 2, n - 1}) {
                IllegalStateException boom = new IllegalStateException("boom at " + bad);
                IllegalStateException got = assertThrows(IllegalStateException.class,
                        () -> Parallel.forRange(n, t, (from, to) -> {
                            if (from <= bad && bad < to) {
                                throw boom;
                            }
                        }));
                assertSame(boom, got);
            }
            AssertionError err = assertThrows(AssertionError.class, () -> Parallel.forRange(n, t, (from, to) -> {
                throw new AssertionError("worker error");
            }));
            assertEquals("worker error", err.getMessage());
            // the pool still works afterwards
            AtomicIntegerArray seen = new AtomicIntegerArray(n);
            Parallel.forRange(n, t, (from, to) -> {
                for (int i = from; i < to; i++) {
                    seen.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, seen.get(i));
            }
        }
    }

    @Test
    void anOpErrorOnASplitArrayNamesTheOp() {
        BlockedGemm.setThreads(2);
        NDArray x = NDArray.zeros(BIG_ROWS, COLS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.unary(x.toArray(), 12345));
        assertTrue(e.getMessage().contains("unary: unknown op 12345"), e.getMessage());
    }

    @Test
    void smallLoopsStayOnOneThread() {
        BlockedGemm.setThreads(4);
        assertEquals(1, Parallel.threadsFor(Parallel.MIN_ELEMENTS - 1));
        assertEquals(4, Parallel.threadsFor(Parallel.MIN_ELEMENTS));
    }
}
