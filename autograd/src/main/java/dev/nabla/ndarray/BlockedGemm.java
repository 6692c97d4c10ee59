package dev.nabla.ndarray;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cache-blocked, packed, register-blocked {@link Gemm} in the style of BLIS/GotoBLAS: C is
 * updated in {@code MC x NC} blocks with a {@code KC}-deep slice of A and B packed into contiguous
 * panels (transposed operands are handled while packing, never by copying the whole operand;
 * a row-major B is read in place when C has few rows), and a micro-kernel keeps an
 * {@code MR x NR} tile of C in registers. Products under 4096 multiply-adds take a direct loop
 * instead (measured faster than the blocked path only there, even for a single row of C).
 *
 * <p>The micro-kernel uses the JDK's Vector API when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (6 x 16 doubles with AVX-512), and plain Java with
 * {@link Math#fma} (4 x 8) otherwise. The Vector API kernel is slow until the JIT compiles it, so
 * a background daemon thread warms it up and default instances switch to it once it is measured
 * faster. Products of at least 2^20 multiply-adds are split across a small pool of daemon
 * threads by blocks of output columns (or rows), never along k.
 *
 * <p>Every output element is computed with the same operations in the same order whatever the
 * kernel, the thread count or the path (direct or blocked): within each {@code KC}-deep slice of
 * k, {@code acc = fma(a, b, acc)} from 0 in increasing k, then stored as {@code alpha * acc} added
 * to {@code beta * C} (first slice) or to C (later slices). Results are therefore bitwise
 * reproducible across thread counts and with or without SIMD.
 */
public final class BlockedGemm implements Gemm {
    /** Depth of the packed slices of A and B (and the rounding unit of the k sum). */
    static final int KC = 512;
    /** Rows of A packed at once (a multiple of every kernel's MR). */
    static final int MC = 96;
    /** Columns of B packed at once (rounded down to a multiple of the kernel's NR). */
    static final int NC = 2048;
    /** Products with fewer multiply-adds than this take the direct loop. */
    static final long DIRECT_BELOW = 4096;
    /** Products with at least this many multiply-adds are split across threads. */
    static final long PARALLEL_FROM = 1L << 20;

    private static final GemmKernel SCALAR_KERNEL = new ScalarGemmKernel();
    /** The Vector API kernel, or null without the module. */
    private static final GemmKernel VECTOR_KERNEL = vectorKernel();
    /**
     * The kernel default instances use: the plain one until the vector kernel has been compiled
     * by the JIT and measured faster (see {@link #startWarmup}); results are the same bits either way.
     */
    private static volatile GemmKernel activeKernel = SCALAR_KERNEL;
    private static final AtomicBoolean WARMUP_STARTED = new AtomicBoolean();
    private static volatile int defaultThreads = Runtime.getRuntime().availableProcessors();
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    private static final Object POOL_LOCK = new Object();
    private static ExecutorService pool;
    private static int poolWorkers;

    private final GemmKernel kernel;
    private final int threads;
    private final int path;
    private final long parallelFrom;

    /** {@code path}: choose by size. */
    static final int AUTO = 0;
    /** {@code path}: always the direct loop (tests). */
    static final int DIRECT = 1;
    /** {@code path}: always the packed, blocked loop (tests). */
    static final int BLOCKED = 2;

    /** The fastest kernel available in this JVM, with the process-wide thread count ({@link #setThreads}). */
    public BlockedGemm() {
        this(null, 0, AUTO, PARALLEL_FROM);
    }

    /**
     * A GEMM with a given kernel ({@code null}: the fastest available), a fixed thread count
     * ({@code 0}: the process-wide count), a path
     * choice ({@link #AUTO}, {@link #DIRECT}, {@link #BLOCKED}) and the size from which it splits
     * work across threads; the non-default choices exist for tests.
     */
    BlockedGemm(GemmKernel kernel, int threads, int path, long parallelFrom) {
        this.kernel = kernel;
        this.threads = threads;
        this.path = path;
        this.parallelFrom = parallelFrom;
    }

    /** A GEMM with the plain-Java kernel, for tests and comparisons. */
    static BlockedGemm scalar(int threads) {
        return new BlockedGemm(new ScalarGemmKernel(), threads, AUTO, PARALLEL_FROM);
    }

    /** A GEMM with the Vector API kernel, or null when the module is not available. */
    static BlockedGemm vector(int threads) {
        GemmKernel k = vectorKernel();
        return k == null ? null : new BlockedGemm(k, threads, AUTO, PARALLEL_FROM);
    }

    /**
     * Sets how many threads large products use (default: {@link Runtime#availableProcessors()});
     * 1 keeps every product on the calling thread. Results do not depend on this setting.
     */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("BlockedGemm.setThreads: need at least 1 thread, got " + n);
        }
        defaultThreads = n;
    }

    /** The process-wide thread count used by large products. */
    public static int threads() {
        return defaultThreads;
    }

    /**
     * Whether the SIMD (Vector API) kernel is available; run the JVM with
     * {@code --add-modules jdk.incubator.vector} to enable it.
     */
    public static boolean isVectorized() {
        return VECTOR_KERNEL != null;
    }

    /**
     * The name of the micro-kernel large products use right now, e.g. {@code vector-6x16}, or
     * {@code scalar-4x8} (also while the vector kernel is still being compiled).
     */
    public static String kernelName() {
        return activeKernel.name();
    }

    @Override
    public String toString() {
        return "BlockedGemm(" + (kernel == null ? "auto" : kernel.name()) + ", threads="
                + (threads > 0 ? threads : "default") + ")";
    }

    /** The plain-Java kernel. */
    static GemmKernel scalarKernel() {
        return new ScalarGemmKernel();
    }

    /** The Vector API kernel, or null when the JVM lacks the module. */
    static GemmKernel vectorKernel() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            return VectorGemmKernel.create();
        } catch (LinkageError e) {
            return null;
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     double[] a, int aOffset, double[] b, int bOffset, double beta, double[] c, int cOffset) {
        check(m, n, k, a, aOffset, b, bOffset, c, cOffset);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0.0) {
            scale(c, cOffset, m * n, beta);
            return;
        }
        long work = (long) m * n * k;
        boolean direct = path == AUTO ? work < DIRECT_BELOW : path == DIRECT;
        if (direct) {
            direct(transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            return;
        }
        GemmKernel kern = kernel;
        if (kern == null) {
            if (VECTOR_KERNEL != null && !WARMUP_STARTED.get()) {
                startWarmup();
            }
            kern = activeKernel;
        }
        int t = threads > 0 ? threads : defaultThreads;
        if (t > 1 && work >= parallelFrom) {
            parallel(kern, t, transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
        } else {
            blocked(kern, transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset, 0, m, 0, n,
                    BUFFERS.get());
        }
    }

    private static void check(int m, int n, int k, double[] a, int aOffset, double[] b, int bOffset,
                              double[] c, int cOffset) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: dimensions must be non-negative, got m=" + m + ", n=" + n + ", k=" + k);
        }
        checkOperand("A", a, aOffset, (long) m * k);
        checkOperand("B", b, bOffset, (long) k * n);
        checkOperand("C", c, cOffset, (long) m * n);
    }

    private static void checkOperand(String what, double[] x, int offset, long size) {
        if (offset < 0 || offset + size > x.length) {
            throw new IllegalArgumentException("gemm: operand " + what + " needs " + size + " values from offset "
                    + offset + " but its array has length " + x.length);
        }
    }

    private static void scale(double[] c, int off, int len, double beta) {
        if (beta == 0.0) {
            java.util.Arrays.fill(c, off, off + len, 0.0);
        } else if (beta != 1.0) {
            for (int i = off; i < off + len; i++) {
                c[i] = beta * c[i];
            }
        }
    }

    // ------------------------------------------------------------------ direct path

    /** Rows accumulated together by the direct path (B is read once per group). */
    private static final int DIRECT_ROWS = 8;

    /**
     * The loop for small products: per row group, per k slice, rows of C accumulate
     * {@code fma(A[i,p], B[p,:], acc)}; transposed B and narrow C take {@link #directDot} instead.
     */
    static void direct(boolean tA, boolean tB, int m, int n, int k, double alpha,
                       double[] a, int aOff, double[] b, int bOff, double beta, double[] c, int cOff) {
        if (tB || n < DIRECT_AXPY_MIN_N) {
            directDot(tA, tB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff);
            return;
        }
        int g0 = Math.min(m, DIRECT_ROWS);
        double[] acc = new double[g0 * n];
        for (int i0 = 0; i0 < m; i0 += DIRECT_ROWS) {
            int g = Math.min(DIRECT_ROWS, m - i0);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                double bet = pc == 0 ? beta : 1.0;
                java.util.Arrays.fill(acc, 0, g * n, 0.0);
                for (int p = pc; p < pc + kc; p++) {
                    for (int r = 0; r < g; r++) {
                        int i = i0 + r;
                        double av = tA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                        int o = r * n;
                        int br = bOff + p * n;
                        for (int j = 0; j < n; j++) {
                            acc[o + j] = Math.fma(av, b[br + j], acc[o + j]);
                        }
                    }
                }
                for (int r = 0; r < g; r++) {
                    int cr = cOff + (i0 + r) * n;
                    int o = r * n;
                    for (int j = 0; j < n; j++) {
                        GemmKernel.store(c, cr + j, acc[o + j], alpha, bet);
                    }
                }
            }
        }
    }

    /** Narrower rows of C take the dot-product form of the direct path (short rows make axpy loops all overhead). */
    private static final int DIRECT_AXPY_MIN_N = 8;

    /**
     * The direct path as one dot product per element and k slice: for transposed B (contiguous in
     * k) and for narrow C. Same operations in the same order as every other path.
     */
    private static void directDot(boolean tA, boolean tB, int m, int n, int k, double alpha,
                                  double[] a, int aOff, double[] b, int bOff, double beta, double[] c, int cOff) {
        int as = tA ? m : 1;
        int bs = tB ? 1 : n;
        for (int i = 0; i < m; i++) {
            int a0 = aOff + (tA ? i : i * k);
            int cr = cOff + i * n;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                double bet = pc == 0 ? beta : 1.0;
                for (int j = 0; j < n; j++) {
                    int ai = a0 + pc * as;
                    int bi = bOff + (tB ? j * k : j) + pc * bs;
                    double acc = 0.0;
                    for (int p = 0; p < kc; p++, ai += as, bi += bs) {
                        acc = Math.fma(a[ai], b[bi], acc);
                    }
                    GemmKernel.store(c, cr + j, acc, alpha, bet);
                }
            }
        }
    }

    // ------------------------------------------------------------------ blocked path

    /** Up to this many rows of C, full slivers of a row-major B are read in place instead of packed. */
    static final int IN_PLACE_B_MAX_ROWS = 2 * MC;

    /** Per-thread packing buffers, grown on demand and reused across calls. */
    private static final class Buffers {
        double[] ap = new double[0];
        double[] bp = new double[0];
        double[] scratch = new double[0];

        void ensure(int apLen, int bpLen, int scratchLen) {
            if (ap.length < apLen) {
                ap = new double[apLen];
            }
            if (bp.length < bpLen) {
                bp = new double[bpLen];
            }
            if (scratch.length < scratchLen) {
                scratch = new double[scratchLen];
            }
        }
    }

    /** Computes the block {@code rows i0..i1-1, columns j0..j1-1} of C on the calling thread. */
    private static void blocked(GemmKernel kern, boolean tA, boolean tB, int m, int n, int k, double alpha,
                                double[] a, int aOff, double[] b, int bOff, double beta, double[] c, int cOff,
                                int i0, int i1, int j0, int j1, Buffers buf) {
        int mr = kern.mr();
        int nr = kern.nr();
        int ncMax = NC - NC % nr;
        int ncAlloc = Math.min(ncMax, roundUp(j1 - j0, nr));
        buf.ensure(MC * KC, KC * ncAlloc, mr * nr);
        double[] ap = buf.ap;
        double[] bp = buf.bp;
        double[] scratch = buf.scratch;
        // With few rows of C each B sliver serves few tiles, so packing B would cost about as much
        // as using it: full slivers of a row-major B are then read in place, unless its row length
        // is a multiple of 32 doubles (rows 256 bytes apart alias in the caches).
        boolean inPlaceB = !tB && i1 - i0 <= IN_PLACE_B_MAX_ROWS && n % 32 != 0;
        for (int jc = j0; jc < j1; jc += ncMax) {
            int nc = Math.min(ncMax, j1 - jc);
            int fullCols = nc / nr * nr;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                double bet = pc == 0 ? beta : 1.0;
                if (!inPlaceB) {
                    packB(tB, b, bOff, n, k, pc, kc, jc, nc, nr, bp);
                } else if (fullCols < nc) {
                    packB(false, b, bOff, n, k, pc, kc, jc + fullCols, nc - fullCols, nr, bp);
                }
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(tA, a, aOff, m, k, ic, mc, pc, kc, mr, ap);
                    for (int jr = 0; jr < nc; jr += nr) {
                        int cols = Math.min(nr, nc - jr);
                        int cBase = cOff + ic * n + jc + jr;
                        double[] bArr = bp;
                        int bo = jr * kc;
                        int ldb = nr;
                        if (inPlaceB) {
                            if (cols == nr) {
                                bArr = b;
                                bo = bOff + pc * n + jc + jr;
                                ldb = n;
                            } else {
                                bo = 0;
                            }
                        }
                        for (int ir = 0; ir < mc; ir += mr) {
                            int rows = Math.min(mr, mc - ir);
                            kern.tile(kc, ap, ir * kc, bArr, bo, ldb, c, cBase + ir * n, n, rows, cols, alpha, bet, scratch);
                        }
                    }
                }
            }
        }
    }

    private static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }

    /**
     * Packs rows {@code ic..ic+mc-1}, depths {@code pc..pc+kc-1} of op(A) into slivers of {@code mr}
     * rows: sliver s at {@code s*mr*kc}, element (i, p) at {@code p*mr + i}; missing rows are zero.
     */
    static void packA(boolean tA, double[] a, int aOff, int m, int k, int ic, int mc, int pc, int kc, int mr,
                      double[] ap) {
        if (tA) {
            // A stored k x m: A(i,p) = a[p*m + i]; walk each stored row once, contiguously
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * m + ic;
                for (int ir = 0; ir < mc; ir += mr) {
                    int rows = Math.min(mr, mc - ir);
                    int d = ir * kc + p * mr;
                    for (int i = 0; i < rows; i++) {
                        ap[d + i] = a[src + ir + i];
                    }
                    for (int i = rows; i < mr; i++) {
                        ap[d + i] = 0.0;
                    }
                }
            }
            return;
        }
        for (int ir = 0; ir < mc; ir += mr) {
            int rows = Math.min(mr, mc - ir);
            int base = ir * kc;
            for (int i = 0; i < mr; i++) {
                int d = base + i;
                if (i < rows) {
                    int src = aOff + (ic + ir + i) * k + pc;
                    for (int p = 0; p < kc; p++, d += mr) {
                        ap[d] = a[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++, d += mr) {
                        ap[d] = 0.0;
                    }
                }
            }
        }
    }

    /**
     * Packs depths {@code pc..pc+kc-1}, columns {@code jc..jc+nc-1} of op(B) into slivers of
     * {@code nr} columns: sliver s at {@code s*nr*kc}, element (p, j) at {@code p*nr + j}; missing
     * columns are zero.
     */
    static void packB(boolean tB, double[] b, int bOff, int n, int k, int pc, int kc, int jc, int nc, int nr,
                      double[] bp) {
        if (!tB) {
            // B stored k x n: walk each stored row once, contiguously; full slivers of a multiple
            // of 8 columns are copied by unrolled groups of 8 (about 1.5x faster than a loop)
            int full = nr % 8 == 0 ? nc / nr * nr : 0;
            int step = kc * nr;
            for (int p = 0; p < kc; p++) {
                int src = bOff + (pc + p) * n + jc;
                if (nr == 16) {
                    for (int jr = 0, d = p * nr; jr < full; jr += nr, d += step) {
                        copy8(b, src + jr, bp, d);
                        copy8(b, src + jr + 8, bp, d + 8);
                    }
                } else {
                    for (int jr = 0, d = p * nr; jr < full; jr += nr, d += step) {
                        for (int g = 0; g < nr; g += 8) {
                            copy8(b, src + jr + g, bp, d + g);
                        }
                    }
                }
                for (int jr = full; jr < nc; jr += nr) {
                    int cols = Math.min(nr, nc - jr);
                    int d = jr * kc + p * nr;
                    for (int j = 0; j < cols; j++) {
                        bp[d + j] = b[src + jr + j];
                    }
                    for (int j = cols; j < nr; j++) {
                        bp[d + j] = 0.0;
                    }
                }
            }
            return;
        }
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            int base = jr * kc;
            // B stored n x k: B(p,j) = b[j*k + p], contiguous in p
            for (int j = 0; j < nr; j++) {
                int d = base + j;
                if (j < cols) {
                    int src = bOff + (jc + jr + j) * k + pc;
                    for (int p = 0; p < kc; p++, d += nr) {
                        bp[d] = b[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++, d += nr) {
                        bp[d] = 0.0;
                    }
                }
            }
        }
    }

    private static void copy8(double[] src, int s, double[] dst, int t) {
        dst[t] = src[s];
        dst[t + 1] = src[s + 1];
        dst[t + 2] = src[s + 2];
        dst[t + 3] = src[s + 3];
        dst[t + 4] = src[s + 4];
        dst[t + 5] = src[s + 5];
        dst[t + 6] = src[s + 6];
        dst[t + 7] = src[s + 7];
    }

    // ------------------------------------------------------------------ threads

    /**
     * Splits C into {@code t} bands of whole micro-tiles, along n when n is at least m (each band
     * packs its own B columns) and along m otherwise; the calling thread computes the first band.
     */
    private static void parallel(GemmKernel kern, int t, boolean tA, boolean tB, int m, int n, int k, double alpha,
                                 double[] a, int aOff, double[] b, int bOff, double beta, double[] c, int cOff) {
        boolean byCols = n >= m;
        int unit = byCols ? kern.nr() : kern.mr();
        int extent = byCols ? n : m;
        int units = (extent + unit - 1) / unit;
        int parts = Math.min(t, units);
        if (parts <= 1) {
            blocked(kern, tA, tB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff, 0, m, 0, n, BUFFERS.get());
            return;
        }
        int[] bounds = new int[parts + 1];
        for (int p = 0; p <= parts; p++) {
            bounds[p] = Math.min(extent, (int) ((long) units * p / parts) * unit);
        }
        ExecutorService ex = pool(parts - 1);
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int lo = bounds[p];
            int hi = bounds[p + 1];
            futures.add(ex.submit(() -> band(kern, byCols, lo, hi, tA, tB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff)));
        }
        band(kern, byCols, bounds[0], bounds[1], tA, tB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("gemm: interrupted while waiting for worker threads", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException) {
                    throw (RuntimeException) cause;
                }
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                throw new IllegalStateException("gemm: worker thread failed", cause);
            }
        }
    }

    private static void band(GemmKernel kern, boolean byCols, int lo, int hi, boolean tA, boolean tB, int m, int n,
                             int k, double alpha, double[] a, int aOff, double[] b, int bOff, double beta, double[] c,
                             int cOff) {
        if (byCols) {
            blocked(kern, tA, tB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff, 0, m, lo, hi, BUFFERS.get());
        } else {
            blocked(kern, tA, tB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff, lo, hi, 0, n, BUFFERS.get());
        }
    }

    // ------------------------------------------------------------------ kernel warm-up

    /** Rounds of the warm-up that must find the vector kernel faster before it is switched on. */
    private static final int WARMUP_CONFIRM = 2;
    /** The warm-up gives up (keeping the plain kernel) after this long. */
    private static final long WARMUP_LIMIT_NS = 20_000_000_000L;

    /**
     * Starts a low-priority daemon thread that runs both micro-kernels on scratch data until the
     * JIT has compiled the vector kernel and it is measured faster than the plain one; only then
     * do default instances switch to it. Until C2 compiles it, Vector API code runs one to two
     * orders of magnitude slower than plain Java, so switching early would slow the first second
     * of every program. Both kernels produce the same bits, so the switch changes no result.
     */
    static void startWarmup() {
        if (VECTOR_KERNEL == null || !WARMUP_STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread th = new Thread(BlockedGemm::warmup, "nabla-gemm-warmup");
        th.setDaemon(true);
        th.setPriority(Thread.MIN_PRIORITY);
        th.start();
    }

    /** Whether default instances use the vector kernel yet (tests and reports). */
    static boolean vectorActive() {
        return activeKernel == VECTOR_KERNEL && VECTOR_KERNEL != null;
    }

    private static void warmup() {
        GemmKernel v = VECTOR_KERNEL;
        GemmKernel s = SCALAR_KERNEL;
        java.util.Random rng = new java.util.Random(0);
        double[] ap = new double[MC * KC];
        double[] bp = new double[KC * (Math.max(v.nr(), s.nr()) + 3)];
        for (int i = 0; i < ap.length; i++) {
            ap[i] = rng.nextDouble();
        }
        for (int i = 0; i < bp.length; i++) {
            bp[i] = rng.nextDouble();
        }
        int ldc = 64;
        double[] c = new double[ldc * 16];
        double[] scratch = new double[v.mr() * v.nr() + s.mr() * s.nr()];
        long start = System.nanoTime();
        int confirmed = 0;
        while (System.nanoTime() - start < WARMUP_LIMIT_NS) {
            double vt = round(v, ap, bp, c, ldc, scratch);
            double st = round(s, ap, bp, c, ldc, scratch);
            confirmed = vt < 0.8 * st ? confirmed + 1 : 0;
            if (confirmed >= WARMUP_CONFIRM) {
                activeKernel = v;
                return;
            }
        }
    }

    /** Nanoseconds per multiply-add of 200 tile calls, full and partial, with the store variants. */
    private static double round(GemmKernel kern, double[] ap, double[] bp, double[] c, int ldc, double[] scratch) {
        int mr = kern.mr();
        int nr = kern.nr();
        long t0 = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            int rows = i % 8 == 7 ? mr - 1 : mr;
            int cols = i % 8 == 5 ? nr - 3 : nr;
            double beta = i % 3 == 0 ? 0.0 : i % 3 == 1 ? 1.0 : 0.5;
            kern.tile(KC, ap, (i % 4) * mr * KC, bp, 0, i % 2 == 0 ? nr : nr + 3, c, 0, ldc, rows, cols, 1.0, beta, scratch);
        }
        return (System.nanoTime() - t0) / (200.0 * mr * nr * KC);
    }

    /** The shared pool of daemon worker threads, grown to at least {@code workers} threads. */
    private static ExecutorService pool(int workers) {
        synchronized (POOL_LOCK) {
            if (pool == null || poolWorkers < workers) {
                if (pool != null) {
                    pool.shutdown();
                }
                AtomicInteger count = new AtomicInteger();
                ThreadFactory factory = r -> {
                    Thread th = new Thread(r, "nabla-gemm-" + count.incrementAndGet());
                    th.setDaemon(true);
                    return th;
                };
                pool = Executors.newFixedThreadPool(workers, factory);
                poolWorkers = workers;
            }
            return pool;
        }
    }
}
