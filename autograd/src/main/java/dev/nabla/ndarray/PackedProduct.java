package dev.nabla.ndarray;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One product {@code C = alpha * op(A) * op(B) + beta * C} on the blocked path, independent of the
 * element type: the BLIS loop order over column panels ({@code jc}, {@code nc} wide), depth slices
 * ({@code pc}, {@code kc} deep, the rounding unit of the k sum) and row blocks ({@code ic},
 * {@code mc} high), and its division among threads, live here once. The typed subclasses
 * ({@link DoubleProduct}, {@link FloatProduct}) hold the operands and kernel, pack A and B into
 * panels and run the micro-kernel over a packed block.
 *
 * <p>On several threads ({@link #parallel}) each (panel, slice) step becomes a list of tasks
 * claimed in order from one counter by whichever thread is free. First come packing tasks, into
 * a panel shared by all threads (two panels alternate, so packing the next step overlaps the end
 * of this one): groups of B slivers, or, when B is read in place (few rows of C), groups of A
 * slivers. Then come the tasks of C: blocks of rows (each packing its own rows of A when B is
 * shared), cut into groups of columns when there are too few rows. A task waits only for what it
 * reads: the packing of its step, and the same part of C in the previous slice. Each operand is
 * thus packed once whatever the thread count, and a thread that starts late (a slow wake-up, or
 * a CPU taken by another process) simply finds fewer tasks instead of holding back the others.
 * Every element of C is still computed by one thread with the same operations in the same order.
 *
 * @param <W> a thread's own buffers: an A block, a B panel, the kernel's scratch tile
 * @param <P> an array of the element type
 */
abstract class PackedProduct<W, P> {
    final boolean tA;
    final boolean tB;
    final int m;
    final int n;
    final int k;
    /** Tile of the micro-kernel. */
    final int mr;
    final int nr;
    /** Depth of a slice, rows of an A block (a multiple of {@code mr}), columns of a B panel (of {@code nr}). */
    final int kcMax;
    final int mcMax;
    final int ncMax;
    /** Elements per 256 bytes: B rows a multiple of this apart alias in the caches. */
    private final int aliasUnit;

    PackedProduct(boolean tA, boolean tB, int m, int n, int k, int mr, int nr, int kc, int mc, int nc, int aliasUnit) {
        this.tA = tA;
        this.tB = tB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.mr = mr;
        this.nr = nr;
        this.kcMax = kc;
        this.mcMax = Math.max(mr, mc - mc % mr);
        this.ncMax = Math.max(nr, nc - nc % nr);
        this.aliasUnit = aliasUnit;
    }

    /** This thread's buffers, with room for an A block and the kernel's scratch tile. */
    abstract W workspace();

    /** The A block of this thread's buffers. */
    abstract P ownA(W w);

    /** This thread's own B panel of at least {@code len} elements (the single-thread path). */
    abstract P ownPanel(W w, int len);

    /** Two panels of at least {@code len} elements to share among threads, reused across products when free. */
    abstract P[] takePanels(int len);

    /** Gives back the panels of {@link #takePanels} once no thread uses them. */
    abstract void returnPanels(P[] panels);

    /**
     * Packs rows {@code ic..ic+mc-1}, depths {@code pc..pc+kc-1} of op(A) into slivers of
     * {@code mr} rows from {@code ap[at]}: sliver s at {@code at + s*mr*kc}.
     */
    abstract void packA(P ap, int at, int ic, int mc, int pc, int kc);

    /**
     * Packs depths {@code pc..pc+kc-1}, columns {@code jc..jc+nc-1} of op(B) into slivers of
     * {@code nr} columns from {@code bp[at]}: sliver s at {@code at + s*nr*kc}.
     */
    abstract void packB(P bp, int at, int pc, int kc, int jc, int nc);

    /**
     * Runs the micro-kernel over a packed block: C rows {@code ic..ic+mc-1} (packed A from
     * {@code ap[aAt]}), columns {@code jc+jr0..jc+jr1-1} of the panel at {@code jc} ({@code jr0}
     * a multiple of {@code nr}; packed sliver s of B at {@code bAt + s*nr*kc}), depth slice
     * {@code pc} (the first slice applies beta, later ones add). With {@code inPlaceB}, full
     * slivers are read from B itself and only a partial last sliver from {@code bp[bAt]}.
     */
    abstract void block(W w, P ap, int aAt, P bp, int bAt, int ic, int mc, int jc, int pc, int kc,
                        boolean inPlaceB, int jr0, int jr1);

    /**
     * Whether full slivers of a row-major B are read in place rather than packed: with few rows of
     * C each sliver serves few tiles, so packing B would cost about as much as using it. Always
     * with at most three tile rows of C ({@code m <= 3 mr}): a convolution's weight times its im2col
     * columns (6 x 2304 x 25 in LeNet) took 76-88 us packed and 14-16 us in place on a Zen 3 core
     * (AVX2, float32, 1 thread), 16 x 384 x 150 106 against 35-78 us, 18 x 4096 x 300 3.4 against
     * 1.2 ms, also where B's rows are a multiple of 256 bytes apart (6 x 2048 x 512: 1.48 against
     * 0.50 ms). With more rows, not when B's rows alias in the caches that way, and not when a tile
     * row of B is narrower than 128 bytes (the AVX2 kernels' 16 floats or 8 doubles): packing was
     * measured 1.3 to 2 times faster there for the training step's skinny products, e.g.
     * 100 x 784 x 1000 with A transposed 15-19 against 24-32 GFLOP/s; the in-place read pays off
     * with the AVX-512 kernels' 128-byte rows (measured on Zen 5).
     */
    final boolean inPlaceB() {
        return !tB && (m <= 3 * mr
                || m <= BlockedGemm.IN_PLACE_B_MAX_ROWS && n % aliasUnit != 0 && 2 * nr >= aliasUnit);
    }

    /** Packs the part of B that is not read in place: only a partial last sliver, at {@code at}. */
    private void packPartialSliver(P bp, int at, int pc, int kc, int jc, int nc) {
        int full = nc / nr * nr;
        if (full < nc) {
            packB(bp, at, pc, kc, jc + full, nc - full);
        }
    }

    /** Computes all of C on the calling thread. */
    final void sequential() {
        W w = workspace();
        P ap = ownA(w);
        P bp = ownPanel(w, kcMax * Math.min(ncMax, roundUp(n, nr)));
        boolean inPlace = inPlaceB();
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                if (inPlace) {
                    packPartialSliver(bp, 0, pc, kc, jc, nc);
                } else {
                    packB(bp, 0, pc, kc, jc, nc);
                }
                for (int ic = 0; ic < m; ic += mcMax) {
                    int mc = Math.min(mcMax, m - ic);
                    packA(ap, 0, ic, mc, pc, kc);
                    block(w, ap, 0, bp, 0, ic, mc, jc, pc, kc, inPlace, 0, nc);
                }
            }
        }
    }

    /** Tasks of C per thread and step the split aims at, so that a late or slow thread costs little. */
    private static final int TASKS_PER_THREAD = 4;
    /** Row blocks of a shared B are not cut below this many kernel rows (a B sliver must serve several tiles). */
    private static final int MIN_BLOCK_TILES = 4;

    /**
     * Computes C on the calling thread and up to {@code threads - 1} workers of {@code pool},
     * by the tasks described in the class comment.
     */
    final void parallel(int threads, Executor pool) {
        Job job = new Job(threads);
        for (int i = 1; i < threads; i++) {
            pool.execute(job);
        }
        try {
            job.work();
            job.awaitDone();
        } catch (RuntimeException | Error e) {
            job.fail(e);
            throw e;
        }
        returnPanels(job.panels);
    }

    /** The task list of one parallel product and its progress counters. */
    private final class Job implements Runnable {
        /** B read in place (A shared) or packed (B shared). */
        private final boolean inPlace;
        private final int slices;
        private final int steps;
        /** Slivers packed per step (of A when in place, else of B), the groups they form, and the packing tasks (plus B's partial sliver). */
        private final int packSlivers;
        private final int packGroups;
        private final int packTasks;
        /** Rows per C task (a multiple of mr), row blocks, column groups per row block. */
        private final int blockRows;
        private final int rowBlocks;
        private final int colGroups;
        private final int computeTasks;
        private final int perStep;
        /** Offset of B's partial sliver in a shared panel (in place: after the packed A). */
        private final int partialAt;
        final P[] panels;
        private final AtomicInteger next = new AtomicInteger();
        /** Per step: packing tasks finished, C tasks finished; per step and C task: 1 once done. */
        private final AtomicIntegerArray packed;
        private final AtomicIntegerArray computed;
        private final AtomicIntegerArray done;
        private volatile Throwable failure;

        Job(int threads) {
            inPlace = inPlaceB();
            slices = (k + kcMax - 1) / kcMax;
            steps = ((n + ncMax - 1) / ncMax) * slices;
            int slivers = (Math.min(ncMax, n) + nr - 1) / nr;
            int target = TASKS_PER_THREAD * threads;
            int rowSlivers = (m + mr - 1) / mr;
            if (inPlace) {
                // A is shared: keep row blocks tall (each streams B from memory), balanced, and cut columns
                packSlivers = rowSlivers;
                int blocks = (m + mcMax - 1) / mcMax;
                blockRows = roundUp((m + blocks - 1) / blocks, mr);
            } else {
                packSlivers = slivers;
                blockRows = Math.min(mcMax, Math.max(roundUp((m + target - 1) / target, mr), MIN_BLOCK_TILES * mr));
            }
            packGroups = Math.min(packSlivers, target);
            packTasks = packGroups + (inPlace && n % nr != 0 ? 1 : 0);
            rowBlocks = (m + blockRows - 1) / blockRows;
            colGroups = Math.min(slivers, Math.max(1, (target + rowBlocks - 1) / rowBlocks));
            computeTasks = rowBlocks * colGroups;
            perStep = packTasks + computeTasks;
            partialAt = roundUp(m, mr) * kcMax;
            packed = new AtomicIntegerArray(steps);
            computed = new AtomicIntegerArray(steps);
            done = new AtomicIntegerArray(steps * computeTasks);
            panels = takePanels(inPlace ? partialAt + nr * kcMax : kcMax * Math.min(ncMax, roundUp(n, nr)));
        }

        /** A worker's part: claim tasks until none are left. */
        @Override
        public void run() {
            try {
                work();
            } catch (Throwable e) {
                fail(e);
            }
        }

        void work() {
            W w = workspace();
            P own = ownA(w);
            int packedA = -1;
            int total = steps * perStep;
            for (int task = next.getAndIncrement(); task < total; task = next.getAndIncrement()) {
                rethrowFailure();
                int step = task / perStep;
                int local = task - step * perStep;
                int jc = step / slices * ncMax;
                int nc = Math.min(ncMax, n - jc);
                int pc = step % slices * kcMax;
                int kc = Math.min(kcMax, k - pc);
                P panel = panels[step & 1];
                if (local < packTasks) {
                    if (step >= 2) {
                        await(computed, step - 2, computeTasks); // the panel's last readers
                    }
                    pack(panel, local, pc, kc, jc, nc);
                    packed.incrementAndGet(step);
                    continue;
                }
                int t = local - packTasks;
                await(packed, step, packTasks);
                if (step % slices != 0) {
                    await(done, (step - 1) * computeTasks + t, 1); // this part of C, previous slice
                }
                int rb = t / colGroups;
                int g = t - rb * colGroups;
                int ic = rb * blockRows;
                int mc = Math.min(blockRows, m - ic);
                int slivers = (nc + nr - 1) / nr;
                int jr0 = slivers * g / colGroups * nr;
                int jr1 = Math.min(nc, slivers * (g + 1) / colGroups * nr);
                if (inPlace) {
                    block(w, panel, ic * kc, panel, partialAt, ic, mc, jc, pc, kc, true, jr0, jr1);
                } else {
                    int key = step * rowBlocks + rb;
                    if (key != packedA) {
                        packA(own, 0, ic, mc, pc, kc);
                        packedA = key;
                    }
                    block(w, own, 0, panel, 0, ic, mc, jc, pc, kc, false, jr0, jr1);
                }
                done.set(step * computeTasks + t, 1);
                computed.incrementAndGet(step);
            }
        }

        /** Packing task {@code i} of a step: a group of A or B slivers, or B's partial sliver. */
        private void pack(P panel, int i, int pc, int kc, int jc, int nc) {
            if (i == packGroups) {
                packPartialSliver(panel, partialAt, pc, kc, jc, nc);
                return;
            }
            int s0 = packSlivers * i / packGroups;
            int s1 = packSlivers * (i + 1) / packGroups;
            if (inPlace) {
                packA(panel, s0 * mr * kc, s0 * mr, Math.min(m, s1 * mr) - s0 * mr, pc, kc);
            } else {
                packB(panel, s0 * nr * kc, pc, kc, jc + s0 * nr, Math.min(nc, s1 * nr) - s0 * nr);
            }
        }

        /** Waits until every C task (and so every task) is done. */
        void awaitDone() {
            for (int step = 0; step < steps; step++) {
                await(computed, step, computeTasks);
            }
        }

        /** Records a failure, so that every thread waiting on this product stops. */
        void fail(Throwable e) {
            if (failure == null) {
                failure = e;
            }
        }

        /** Throws the failure of another thread on this product, if any. */
        private void rethrowFailure() {
            Throwable f = failure;
            if (f != null) {
                if (f instanceof RuntimeException) {
                    throw (RuntimeException) f;
                }
                if (f instanceof Error) {
                    throw (Error) f;
                }
                throw new IllegalStateException("gemm: worker thread failed", f);
            }
        }

        /** Spins briefly, then yields, until {@code counts[i]} reaches {@code target}; rethrows a worker's failure. */
        private void await(AtomicIntegerArray counts, int i, int target) {
            int spins = 0;
            while (counts.get(i) < target) {
                rethrowFailure();
                if (++spins < 1000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }

    static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }
}
