package dev.nabla.ndarray;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cache-blocked, packed, register-blocked {@link Gemm} in the style of BLIS/GotoBLAS, for float64
 * and float32: C is updated in {@code MC x NC} blocks with a {@code KC}-deep slice of A and B
 * packed into contiguous panels (transposed operands are handled while packing, never by copying
 * the whole operand; a row-major B is read in place when C has few rows), and a micro-kernel keeps
 * an {@code MR x NR} tile of C in registers. Products under 4096 multiply-adds take a direct loop
 * instead (measured faster than the blocked path only there, even for a single row of C). The
 * loop nest and its division among threads are shared by both element types
 * ({@link PackedProduct}); {@link DoubleProduct} and {@link FloatProduct} pack and run the kernels.
 *
 * <p>The micro-kernels use the JDK's Vector API when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (6 x 16 doubles or 8 x 32 floats with AVX-512), and
 * plain Java with {@link Math#fma} (4 x 8) otherwise. The Vector API kernels are slow until the JIT
 * compiles them, so a background daemon thread warms them up and default instances switch to each
 * once it is measured faster. Products of at least 2^23 multiply-adds (2^24 in float32, whose
 * kernel is twice as fast) are split across a small pool of daemon threads by blocks of output
 * rows (and columns), never along k; see {@link PackedProduct} for how the work is shared.
 *
 * <p>Every output element is computed with the same operations in the same order whatever the
 * kernel, the thread count or the path (direct or blocked): within each {@code KC}-deep slice of
 * k, {@code acc = fma(a, b, acc)} from 0 in increasing k (in the element type: float32 products
 * accumulate in float, like BLAS sgemm), then stored as {@code alpha * acc} added to
 * {@code beta * C} (first slice) or to C (later slices). Results are therefore bitwise
 * reproducible across thread counts and with or without SIMD.
 * Thread-safe: instances are immutable, packing buffers are thread-local, the kernel choice and
 * default thread count are volatile, and any number of threads may multiply at once (large products
 * share one daemon pool).
 */
public final class BlockedGemm implements Gemm {
    /** Depth of the packed slices of A and B (and the rounding unit of the k sum), both element types. */
    static final int KC = DoubleProduct.KC;
    /** Rows of A packed at once (a multiple of every kernel's MR). */
    static final int MC = DoubleProduct.MC;
    /** Products with fewer multiply-adds than this take the direct loop. */
    static final long DIRECT_BELOW = 4096;

    /**
     * Whether a product takes the direct loop: small ones, and those with one row or one column of C
     * (a vector times a matrix), where packing would touch every element of the matrix operand to use
     * it once and the micro-kernel's tile would be mostly padding. Measured (float32, 1 thread, load 2):
     * 1 x 100 x 784 with B transposed (a batch-1 linear layer) 85-120 us blocked, 27-29 us direct;
     * 1 x 100 x 100 (a batch-1 RNN step) 40-110 against 6-15 us.
     */
    static boolean direct(long work, int m, int n) {
        return work < DIRECT_BELOW || m == 1 || n == 1;
    }
    /**
     * Float64 products with at least this many multiply-adds are split across threads (float32:
     * twice as many). Measured on 2 vCPUs with the products 1 ms apart, as in a training step
     * (the worker is then parked and takes 40 to 100 us to wake up): 1 to 4 million multiply-adds
     * ran 0.65 to 1.0 times as fast on 2 threads, 8 million 1.35 times, 100 million 1.8 times.
     */
    static final long PARALLEL_FROM = 1L << 23;

    private static final GemmKernel SCALAR_KERNEL = new ScalarGemmKernel();
    private static final FloatGemmKernel SCALAR_FLOAT_KERNEL = new ScalarFloatGemmKernel();
    /** Set once the missing Vector API module has been logged (declared before the kernels it guards). */
    private static final AtomicBoolean PLAIN_KERNELS_LOGGED = new AtomicBoolean();
    /** The Vector API kernels, or null without the module. */
    private static final GemmKernel VECTOR_KERNEL = vectorKernel();
    private static final FloatGemmKernel VECTOR_FLOAT_KERNEL = vectorFloatKernel();
    /**
     * The kernels default instances use: the plain ones until each vector kernel has been compiled
     * by the JIT and measured faster (see {@link #startWarmup}); results are the same bits either way.
     */
    private static volatile GemmKernel activeKernel = SCALAR_KERNEL;
    private static volatile FloatGemmKernel activeFloatKernel = SCALAR_FLOAT_KERNEL;
    private static final AtomicBoolean WARMUP_STARTED = new AtomicBoolean();
    private static volatile int defaultThreads = Runtime.getRuntime().availableProcessors();
    private static final WorkerPool POOL = new WorkerPool("nabla-gemm");

    private final GemmKernel kernel;
    private final FloatGemmKernel floatKernel;
    private final int threads;
    private final int path;
    private final long parallelFrom;

    /** {@code path}: choose by size. */
    static final int AUTO = 0;
    /** {@code path}: always the direct loop (tests). */
    static final int DIRECT = 1;
    /** {@code path}: always the packed, blocked loop (tests). */
    static final int BLOCKED = 2;

    /** The fastest kernels available in this JVM, with the process-wide thread count ({@link #setThreads}). */
    public BlockedGemm() {
        this(null, null, 0, AUTO, PARALLEL_FROM);
    }

    /**
     * A GEMM with given kernels ({@code null}: the fastest available), a fixed thread count
     * ({@code 0}: the process-wide count), a path choice ({@link #AUTO}, {@link #DIRECT},
     * {@link #BLOCKED}) and the size from which it splits work across threads; the non-default
     * choices exist for tests.
     */
    BlockedGemm(GemmKernel kernel, FloatGemmKernel floatKernel, int threads, int path, long parallelFrom) {
        this.kernel = kernel;
        this.floatKernel = floatKernel;
        this.threads = threads;
        this.path = path;
        this.parallelFrom = parallelFrom;
    }

    /** A float64 GEMM with the given kernel (float32 products use the fastest available). */
    BlockedGemm(GemmKernel kernel, int threads, int path, long parallelFrom) {
        this(kernel, null, threads, path, parallelFrom);
    }

    /** A float32 GEMM with the given kernel (float64 products use the fastest available). */
    BlockedGemm(FloatGemmKernel floatKernel, int threads, int path, long parallelFrom) {
        this(null, floatKernel, threads, path, parallelFrom);
    }

    /** A GEMM with the plain-Java kernels, for tests and comparisons. */
    static BlockedGemm scalar(int threads) {
        return new BlockedGemm(new ScalarGemmKernel(), new ScalarFloatGemmKernel(), threads, AUTO, PARALLEL_FROM);
    }

    /** A GEMM with the Vector API kernels, or null when the module is not available. */
    static BlockedGemm vector(int threads) {
        GemmKernel k = vectorKernel();
        FloatGemmKernel f = vectorFloatKernel();
        return k == null || f == null ? null : new BlockedGemm(k, f, threads, AUTO, PARALLEL_FROM);
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
     * Whether the SIMD (Vector API) kernels are available; run the JVM with
     * {@code --add-modules jdk.incubator.vector} to enable them.
     */
    public static boolean isVectorized() {
        return VECTOR_KERNEL != null && VECTOR_FLOAT_KERNEL != null;
    }

    /**
     * The name of the float64 micro-kernel large products use right now, e.g. {@code vector-6x16},
     * or {@code scalar-4x8} (also while the vector kernel is still being compiled).
     */
    public static String kernelName() {
        return activeKernel.name();
    }

    /** The name of the float32 micro-kernel large products use right now, e.g. {@code vector-f32-8x32}. */
    public static String floatKernelName() {
        return activeFloatKernel.name();
    }

    @Override
    public String toString() {
        return "BlockedGemm(" + (kernel == null ? "auto" : kernel.name()) + ", "
                + (floatKernel == null ? "auto" : floatKernel.name()) + ", threads="
                + (threads > 0 ? threads : "default") + ")";
    }

    /** The plain-Java kernel. */
    static GemmKernel scalarKernel() {
        return new ScalarGemmKernel();
    }

    /** The plain-Java float32 kernel. */
    static FloatGemmKernel scalarFloatKernel() {
        return new ScalarFloatGemmKernel();
    }

    /**
     * Says once per JVM (through {@link System.Logger}, so an application routes it like its own
     * logs) that the plain kernels run because the Vector API module is missing, and how to add it.
     */
    private static void logPlainKernelsOnce() {
        if (PLAIN_KERNELS_LOGGED.compareAndSet(false, true)) {
            System.getLogger("dev.nabla.ndarray").log(System.Logger.Level.INFO,
                    "Nabla: the JVM runs without the module jdk.incubator.vector, so matrix products use the plain-Java"
                            + " kernels (several times slower); start java with --add-modules jdk.incubator.vector"
                            + " (README: \"The Vector API\")");
        }
    }

    private static boolean vectorModule() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** The Vector API kernel, or null when the JVM lacks the module. */
    static GemmKernel vectorKernel() {
        if (!vectorModule()) {
            logPlainKernelsOnce();
            return null;
        }
        try {
            return VectorGemmKernel.create();
        } catch (LinkageError e) {
            return null;
        }
    }

    /** The Vector API float32 kernel, or null when the JVM lacks the module. */
    static FloatGemmKernel vectorFloatKernel() {
        if (!vectorModule()) {
            return null;
        }
        try {
            return VectorFloatGemmKernel.create();
        } catch (LinkageError e) {
            return null;
        }
    }

    /** The float64 kernel of default instances (starting the warm-up of the vector kernels on first use). */
    private static GemmKernel activeKernel() {
        if (!WARMUP_STARTED.get()) {
            startWarmup();
        }
        return activeKernel;
    }

    /** The float32 kernel of default instances (starting the warm-up of the vector kernels on first use). */
    private static FloatGemmKernel activeFloatKernel() {
        if (!WARMUP_STARTED.get()) {
            startWarmup();
        }
        return activeFloatKernel;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     double[] a, int aOffset, double[] b, int bOffset, double beta, double[] c, int cOffset) {
        check(m, n, k, a.length, aOffset, b.length, bOffset, c.length, cOffset);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0.0) {
            DoubleProduct.scale(c, cOffset, m * n, beta);
            return;
        }
        long work = (long) m * n * k;
        if (path == AUTO ? direct(work, m, n) : path == DIRECT) {
            DoubleProduct.direct(transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            return;
        }
        GemmKernel kern = kernel != null ? kernel : activeKernel();
        run(new DoubleProduct(kern, transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset), work);
    }

    /**
     * The float32 product, built like the float64 one (same blocking, threading and guarantees)
     * with float panels, a float micro-kernel (8 x 32 with AVX-512) and float accumulation.
     */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOffset, float[] b, int bOffset, float beta, float[] c, int cOffset) {
        check(m, n, k, a.length, aOffset, b.length, bOffset, c.length, cOffset);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            FloatProduct.scale(c, cOffset, m * n, beta);
            return;
        }
        long work = (long) m * n * k;
        if (path == AUTO ? direct(work, m, n) : path == DIRECT) {
            FloatProduct.direct(transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            return;
        }
        FloatGemmKernel kern = floatKernel != null ? floatKernel : activeFloatKernel();
        run(new FloatProduct(kern, transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset), work / 2);
    }

    /** Runs a blocked product on this thread or split across the pool; {@code work} in float64 multiply-adds. */
    private void run(PackedProduct<?, ?> p, long work) {
        int t = threads > 0 ? threads : defaultThreads;
        if (t > 1 && work >= parallelFrom) {
            p.parallel(t, pool(t - 1));
        } else {
            p.sequential();
        }
    }

    private static void check(int m, int n, int k, int aLen, int aOffset, int bLen, int bOffset, int cLen, int cOffset) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: dimensions must be non-negative, got m=" + m + ", n=" + n + ", k=" + k);
        }
        checkOperand("A", aLen, aOffset, (long) m * k);
        checkOperand("B", bLen, bOffset, (long) k * n);
        checkOperand("C", cLen, cOffset, (long) m * n);
    }

    private static void checkOperand(String what, int length, int offset, long size) {
        if (offset < 0 || offset + size > length) {
            throw new IllegalArgumentException("gemm: operand " + what + " needs " + size + " values from offset "
                    + offset + " but its array has length " + length);
        }
    }

    /** Up to this many rows of C, full slivers of a row-major B are read in place instead of packed. */
    static final int IN_PLACE_B_MAX_ROWS = 2 * MC;

    // ------------------------------------------------------------------ kernel warm-up

    /** Rounds of the warm-up that must find the vector kernel faster before it is switched on. */
    private static final int WARMUP_CONFIRM = 2;
    /** The warm-up gives up (keeping the plain kernel) after this long. */
    private static final long WARMUP_LIMIT_NS = 20_000_000_000L;

    /**
     * Starts a low-priority daemon thread that runs the plain and the vector micro-kernels of both
     * element types on scratch products until the JIT has compiled each vector kernel and it is
     * measured faster than its plain twin; only then do default instances switch to it. Until C2
     * compiles it, Vector API code runs one to two orders of magnitude slower than plain Java, so
     * switching early would slow the first second of every program. Both kernels produce the same
     * bits, so the switch changes no result.
     */
    static void startWarmup() {
        if (VECTOR_KERNEL == null && VECTOR_FLOAT_KERNEL == null || !WARMUP_STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread th = new Thread(BlockedGemm::warmup, "nabla-gemm-warmup");
        th.setDaemon(true);
        th.setPriority(Thread.MIN_PRIORITY);
        th.start();
    }

    /** Whether default instances use the float64 vector kernel yet (tests and reports). */
    static boolean vectorActive() {
        return activeKernel == VECTOR_KERNEL && VECTOR_KERNEL != null;
    }

    /** Whether default instances use the float32 vector kernel yet (tests and reports). */
    static boolean vectorFloatActive() {
        return activeFloatKernel == VECTOR_FLOAT_KERNEL && VECTOR_FLOAT_KERNEL != null;
    }

    /**
     * Scratch products for the warm-up: 95 rows (partial row tiles), 4 full column tiles and a
     * partial one, a depth of two slices (the second adds to C), B read in place and packed
     * (transposed), the three store variants of beta; the same shape for both kernels of a type.
     */
    private static final int WARM_M = 95;
    private static final int WARM_K = KC + 37;

    private static void warmup() {
        java.util.Random rng = new java.util.Random(0);
        GemmKernel v = VECTOR_KERNEL;
        FloatGemmKernel vf = VECTOR_FLOAT_KERNEL;
        int n64 = 4 * (v == null ? SCALAR_KERNEL.nr() : v.nr()) + 5;
        int n32 = 4 * (vf == null ? SCALAR_FLOAT_KERNEL.nr() : vf.nr()) + 5;
        double[] a = new double[WARM_M * WARM_K];
        double[] b = new double[WARM_K * n64];
        double[] c = new double[WARM_M * n64];
        float[] af = new float[WARM_M * WARM_K];
        float[] bf = new float[WARM_K * n32];
        float[] cf = new float[WARM_M * n32];
        for (int i = 0; i < a.length; i++) {
            af[i] = (float) (a[i] = rng.nextDouble());
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rng.nextDouble();
        }
        for (int i = 0; i < bf.length; i++) {
            bf[i] = rng.nextFloat();
        }
        long start = System.nanoTime();
        int confirmed64 = v == null ? -1 : 0;
        int confirmed32 = vf == null ? -1 : 0;
        for (int round = 0; System.nanoTime() - start < WARMUP_LIMIT_NS && (confirmed64 >= 0 || confirmed32 >= 0); round++) {
            boolean tB = round % 4 == 3;
            double beta = round % 3 == 0 ? 0.0 : round % 3 == 1 ? 1.0 : 0.5;
            if (confirmed64 >= 0) {
                double vt = time(new DoubleProduct(v, false, tB, WARM_M, n64, WARM_K, 1.0, a, 0, b, 0, beta, c, 0));
                double st = time(new DoubleProduct(SCALAR_KERNEL, false, tB, WARM_M, n64, WARM_K, 1.0, a, 0, b, 0, beta, c, 0));
                confirmed64 = vt < 0.8 * st ? confirmed64 + 1 : 0;
                if (confirmed64 >= WARMUP_CONFIRM) {
                    activeKernel = v;
                    confirmed64 = -1;
                }
            }
            if (confirmed32 >= 0) {
                float fb = (float) beta;
                double vt = time(new FloatProduct(vf, false, tB, WARM_M, n32, WARM_K, 1f, af, 0, bf, 0, fb, cf, 0));
                double st = time(new FloatProduct(SCALAR_FLOAT_KERNEL, false, tB, WARM_M, n32, WARM_K, 1f, af, 0, bf, 0, fb, cf, 0));
                confirmed32 = vt < 0.8 * st ? confirmed32 + 1 : 0;
                if (confirmed32 >= WARMUP_CONFIRM) {
                    activeFloatKernel = vf;
                    confirmed32 = -1;
                }
            }
        }
    }

    /** Nanoseconds of 4 runs of a scratch product. */
    private static double time(PackedProduct<?, ?> p) {
        long t0 = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            p.sequential();
        }
        return System.nanoTime() - t0;
    }

    // ------------------------------------------------------------------ threads

    /** The shared pool of daemon worker threads, grown to at least {@code workers} threads. */
    private static ExecutorService pool(int workers) {
        return POOL.get(workers);
    }
}
