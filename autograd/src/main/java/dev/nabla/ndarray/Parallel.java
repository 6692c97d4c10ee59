package dev.nabla.ndarray;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits large elementwise loops across threads: an index range {@code [0, n)} is cut into
 * contiguous chunks that the calling thread and a small pool of daemon workers claim in order.
 * The thread count is {@link BlockedGemm#threads()}; loops over fewer than {@link #MIN_ELEMENTS}
 * elements stay on the calling thread (waking a parked worker costs 35 to 100 us here). Only work
 * where each index is computed independently belongs here (maps, in-place updates, optimizer
 * steps): its result is then the same bit for bit whatever the thread count. Reductions do not.
 * Thread-safe: any thread may call it; each call's chunks are claimed by the caller and a shared
 * daemon pool, and the call returns after all of them finished.
 */
public final class Parallel {
    private Parallel() {}

    /**
     * Loops over at least this many elements are split (system property {@code nabla.parallelFrom}
     * overrides it). Measured float64 on 2 threads against 1: in-place {@code addInPlace} gained
     * 1.2x from 2^18 elements and 1.8x at 2^20; ops that allocate their result (ReLU, mul) gained
     * nothing below 2^18 (allocating and zeroing the output stays on the calling thread) and 1.3x
     * to 1.5x at 2^20.
     */
    public static final long MIN_ELEMENTS = Long.getLong("nabla.parallelFrom", 1L << 18);

    /** Chunks per thread: a worker that wakes late finds fewer chunks left instead of holding back the caller. */
    private static final int CHUNKS_PER_THREAD = 4;

    /**
     * A loop body over the indices {@code [from, to)}; must not depend on how the range is cut.
     * Called from several threads at once on disjoint ranges: it must write only the indices of its
     * own range.
     */
    @FunctionalInterface
    public interface Range {
        /** Runs the loop body for every index in {@code [from, to)}. */
        void run(int from, int to);
    }

    private static final WorkerPool POOL = new WorkerPool("nabla-par");

    /** The number of threads a loop over {@code elements} elements uses: 1 below {@link #MIN_ELEMENTS}. */
    public static int threadsFor(long elements) {
        return elements < MIN_ELEMENTS ? 1 : BlockedGemm.threads();
    }

    /**
     * Runs {@code body} over {@code [0, n)} on {@code threads} threads (the caller included) and
     * returns when every index is done. An exception thrown by the body on any thread is rethrown
     * here (the first one; later chunks are skipped once one failed).
     */
    public static void forRange(int n, int threads, Range body) {
        if (threads <= 1 || n < 2) {
            body.run(0, n);
            return;
        }
        int chunks = (int) Math.min(n, (long) threads * CHUNKS_PER_THREAD);
        Job job = new Job(n, chunks, body);
        ExecutorService p = pool(threads - 1);
        for (int i = 1; i < threads; i++) {
            p.execute(job);
        }
        job.run();
        job.awaitDone();
        Throwable f = job.failure;
        if (f instanceof RuntimeException) {
            throw (RuntimeException) f;
        }
        if (f instanceof Error) {
            throw (Error) f;
        }
        if (f != null) {
            throw new IllegalStateException("Parallel.forRange: a worker failed", f);
        }
    }

    /** One split loop: chunks claimed from a counter, finished chunks counted, the first failure kept. */
    private static final class Job implements Runnable {
        private final int n;
        private final int chunks;
        private final Range body;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(int n, int chunks, Range body) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
        }

        private int start(int c) {
            return (int) ((long) c * n / chunks);
        }

        @Override
        public void run() {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                try {
                    if (failure == null) {
                        body.run(start(c), start(c + 1));
                    }
                } catch (Throwable t) {
                    synchronized (this) {
                        if (failure == null) {
                            failure = t;
                        }
                    }
                } finally {
                    done.incrementAndGet();
                }
            }
        }

        /** Waits for the chunks other threads claimed (each a few tens of microseconds of work). */
        void awaitDone() {
            int spins = 0;
            while (done.get() < chunks) {
                if (++spins < 2000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }

    /** The pool of daemon workers, grown to at least {@code workers} threads. */
    private static ExecutorService pool(int workers) {
        return POOL.get(workers);
    }
}
