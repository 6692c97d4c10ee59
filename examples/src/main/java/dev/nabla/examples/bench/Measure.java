package dev.nabla.examples.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;

/**
 * The timing protocol of examples/BENCHMARKS.md: warm up at least 3 calls and at least 0.3 s, choose an
 * inner loop count so that one repetition lasts about 0.25 s, record the mean time per call of
 * each repetition, and report median, min and max.
 */
final class Measure {
    static final double WARMUP_S = 0.3;
    static final int WARMUP_CALLS = 3;
    static final double REP_S = 0.25;

    /**
     * Mean milliseconds per call of each repetition, the inner loop count used, and the CPU time
     * of the calling thread per call (a figure that other processes on a shared machine disturb
     * far less than wall time; it excludes GEMM worker threads and the JVM's own threads).
     */
    static final class Samples {
        final double[] ms;
        final double[] cpuMs;
        final int inner;
        /** Bytes the calling thread allocated per call (median over the repetitions), or -1 where the JVM cannot tell. */
        final long allocPerCall;

        Samples(double[] ms, double[] cpuMs, int inner, long allocPerCall) {
            this.ms = ms;
            this.cpuMs = cpuMs;
            this.inner = inner;
            this.allocPerCall = allocPerCall;
        }

        double median() {
            return medianOf(ms);
        }

        double cpuMedian() {
            return medianOf(cpuMs);
        }

        private static double medianOf(double[] values) {
            double[] s = values.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }

        double min() {
            return Arrays.stream(ms).min().orElse(Double.NaN);
        }

        double max() {
            return Arrays.stream(ms).max().orElse(Double.NaN);
        }
    }

    private Measure() {}

    /**
     * Warm-up ends after this many 0.1 s batches in a row without a 3% improvement: one was not
     * enough, since C2 compiles some nodes of a training step only after several seconds (a LeNet
     * step kept dropping from 8.5 to 6.8 ms after the single-batch rule had stopped).
     */
    static final int STALE_BATCHES = 5;

    /** Warm-up runs at least this long (well above the protocol's 0.3 s; C2 needs seconds for a whole training step). */
    static final double WARMUP_MIN_S = 3.0;

    /** Warm-up never runs longer than this, even if the time per call keeps falling. */
    static final double WARMUP_MAX_S = 10.0;

    /**
     * Times {@code call} with the protocol above over {@code reps} repetitions. The warm-up is
     * "at least" 3 calls and 0.3 s: it then continues in batches of about 0.1 s until
     * {@link #STALE_BATCHES} batches in a row are no faster than the best before them by more than
     * 3%, so that the JIT has compiled the hot code
     * (the Vector API kernel is very slow until C2 compiles it) before timing starts.
     */
    static Samples time(Runnable call, int reps) {
        long start = System.nanoTime();
        int calls = 0;
        while (calls < WARMUP_CALLS || System.nanoTime() - start < WARMUP_S * 1e9) {
            call.run();
            calls++;
        }
        double best = Double.POSITIVE_INFINITY;
        double perCall;
        int stale = 0;
        while (true) {
            perCall = batch(call, 0.1);
            boolean improving = perCall < best * 0.97;
            best = Math.min(best, perCall);
            stale = improving ? 0 : stale + 1;
            long elapsed = System.nanoTime() - start;
            if (stale >= STALE_BATCHES && elapsed > WARMUP_MIN_S * 1e9 || elapsed > WARMUP_MAX_S * 1e9) {
                break;
            }
        }
        int inner = (int) Math.max(1, Math.round(REP_S * 1e9 / perCall));
        double[] ms = new double[reps];
        double[] cpuMs = new double[reps];
        long[] alloc = new long[reps];
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int r = 0; r < reps; r++) {
            long a = allocatedBytes(threads);
            long c = threads.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            for (int i = 0; i < inner; i++) {
                call.run();
            }
            ms[r] = (System.nanoTime() - t) / 1e6 / inner;
            cpuMs[r] = (threads.getCurrentThreadCpuTime() - c) / 1e6 / inner;
            alloc[r] = a < 0 ? -1 : (allocatedBytes(threads) - a) / inner;
        }
        Arrays.sort(alloc);
        return new Samples(ms, cpuMs, inner, alloc[reps / 2]);
    }

    /**
     * Bytes allocated so far by the calling thread (HotSpot's {@code getThreadAllocatedBytes}), or -1
     * on a JVM without it. GEMM worker threads are not counted (their packing buffers are reused).
     */
    static long allocatedBytes(java.lang.management.ThreadMXBean threads) {
        if (threads instanceof com.sun.management.ThreadMXBean) {
            com.sun.management.ThreadMXBean hs = (com.sun.management.ThreadMXBean) threads;
            if (hs.isThreadAllocatedMemorySupported() && hs.isThreadAllocatedMemoryEnabled()) {
                return hs.getThreadAllocatedBytes(Thread.currentThread().getId());
            }
        }
        return -1;
    }

    /** Runs {@code call} for at least 3 calls and {@code seconds}; returns nanoseconds per call. */
    private static double batch(Runnable call, double seconds) {
        long t0 = System.nanoTime();
        int n = 0;
        while (n < 3 || System.nanoTime() - t0 < seconds * 1e9) {
            call.run();
            n++;
        }
        return (System.nanoTime() - t0) / (double) n;
    }

    /** {@code v} rounded to 6 significant digits (the precision the bench lines report); NaN and infinities unchanged. */
    static double round6(double v) {
        if (!Double.isFinite(v) || v == 0) {
            return v;
        }
        return new BigDecimal(v).round(new MathContext(6)).doubleValue();
    }
}
