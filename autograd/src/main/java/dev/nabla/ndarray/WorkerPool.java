package dev.nabla.ndarray;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lazily created pool of daemon worker threads that grows to the largest number asked for (a
 * smaller pool is shut down and replaced). The GEMM and the elementwise {@link Parallel} loops each
 * keep one, named after them, so that a product and a loop never wait on each other's tasks.
 */
final class WorkerPool {
    private final String name;
    private ExecutorService pool;
    private int workers;

    WorkerPool(String name) {
        this.name = name;
    }

    /** The pool, grown to at least {@code atLeast} threads. */
    synchronized ExecutorService get(int atLeast) {
        if (pool == null || workers < atLeast) {
            if (pool != null) {
                pool.shutdown();
            }
            AtomicInteger count = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread th = new Thread(r, name + "-" + count.incrementAndGet());
                th.setDaemon(true);
                return th;
            };
            pool = Executors.newFixedThreadPool(atLeast, factory);
            workers = atLeast;
        }
        return pool;
    }
}
