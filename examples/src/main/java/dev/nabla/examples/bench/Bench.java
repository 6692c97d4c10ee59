package dev.nabla.examples.bench;

import dev.nabla.ndarray.BlockedGemm;
import dev.nabla.ndarray.EjmlGemm;
import dev.nabla.ndarray.Gemm;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark command: runs the workloads W1–W6 of BENCHMARKS.md and prints one JSON line per
 * measurement on standard output (notes go to standard error).
 *
 * <pre>
 * Bench [--workload W1..W6|all] [--config NAME] [--threads N] [--reps N] [--dtype float64] [--gemm blocked|ejml]
 * </pre>
 *
 * {@code --threads} sets how many threads matrix products use ({@link BlockedGemm#setThreads});
 * every other kernel runs on the calling thread. Run the JVM with
 * {@code --add-modules jdk.incubator.vector} for the SIMD GEMM kernel, and with a fixed, pre-touched
 * heap ({@code -Xms2g -Xmx2g -XX:+AlwaysPreTouch -XX:+UseParallelGC}): W1 allocates about 14 MB per
 * call, and first-touch page faults of a growing heap otherwise dominate and scatter its timings.
 * Each line also carries {@code cpu_median_ms}, the calling thread's CPU time per call, which
 * other processes on a shared machine disturb far less than the wall time.
 */
public final class Bench {
    private Bench() {}

    /** Entry point; see the class comment for the options. */
    public static void main(String[] args) {
        List<String> workloads = new ArrayList<>();
        String config = null;
        int threads = 1;
        int reps = 7;
        String gemm = "blocked";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--workload":
                case "-w":
                    for (String w : need(a, v).split(",")) {
                        if (w.equalsIgnoreCase("all")) {
                            workloads.addAll(List.of("W1", "W2", "W3", "W4", "W5", "W6"));
                        } else {
                            workloads.add(w.toUpperCase(java.util.Locale.ROOT));
                        }
                    }
                    i++;
                    break;
                case "--config":
                    config = need(a, v);
                    i++;
                    break;
                case "--threads":
                    threads = positive(a, need(a, v));
                    i++;
                    break;
                case "--reps":
                    reps = positive(a, need(a, v));
                    i++;
                    break;
                case "--dtype":
                    if (!"float64".equals(need(a, v))) {
                        throw new IllegalArgumentException("bench: --dtype " + v + " is not supported yet; only float64");
                    }
                    i++;
                    break;
                case "--gemm":
                    gemm = need(a, v);
                    if (!gemm.equals("blocked") && !gemm.equals("ejml")) {
                        throw new IllegalArgumentException("bench: --gemm must be 'blocked' or 'ejml', got '" + gemm + "'");
                    }
                    i++;
                    break;
                case "--help":
                case "-h":
                    System.out.println("usage: Bench [--workload W1..W6|all] [--config NAME] [--threads N] [--reps N]"
                            + " [--dtype float64] [--gemm blocked|ejml]");
                    return;
                default:
                    throw new IllegalArgumentException("bench: unknown option '" + a + "' (try --help)");
            }
        }
        if (workloads.isEmpty()) {
            workloads.addAll(List.of("W1", "W2", "W3", "W4", "W5", "W6"));
        }
        BlockedGemm.setThreads(threads);
        Gemm.use(gemm.equals("ejml") ? new EjmlGemm() : new BlockedGemm());
        PrintStream out = System.out;
        if (gemm.equals("blocked")) {
            if (BlockedGemm.isVectorized()) {
                waitForVectorKernel();
            } else {
                System.err.println("note: GEMM uses the plain-Java kernel; run the JVM with --add-modules"
                        + " jdk.incubator.vector (e.g. MAVEN_OPTS=\"--add-modules jdk.incubator.vector\") for the SIMD kernel");
            }
        }
        boolean ejml = gemm.equals("ejml");
        for (String w : workloads) {
            for (String c : Workloads.configs(w)) {
                if (config != null && !config.equals(c)) {
                    continue;
                }
                out.println(run(w, c, threads, reps, ejml).json());
                out.flush();
            }
        }
    }

    /**
     * Runs products until BlockedGemm has switched to the SIMD kernel (it does so once the JIT has
     * compiled it), at most 30 s, so that no measurement mixes the two kernels.
     */
    private static void waitForVectorKernel() {
        Runnable product = Workloads.w6(192);
        long start = System.nanoTime();
        while (!BlockedGemm.kernelName().startsWith("vector") && System.nanoTime() - start < 30e9) {
            product.run();
        }
        if (!BlockedGemm.kernelName().startsWith("vector")) {
            System.err.println("note: the SIMD GEMM kernel was not faster after 30 s of warm-up; using " + BlockedGemm.kernelName());
        }
    }

    static Result run(String w, String c, int threads, int reps, boolean ejml) {
        Result r = measure(w, c, threads, reps);
        r.gemm = ejml ? "ejml" : "blocked-" + BlockedGemm.kernelName();
        return r;
    }

    private static Result measure(String w, String c, int threads, int reps) {
        String gemmName = null;
        switch (w) {
            case "W1":
                return new Result(w, c, threads, Measure.time(Workloads.w1(c), reps), 30_000, "op", false, 0, gemmName);
            case "W2":
            case "W3":
            case "W4": {
                int batch = Integer.parseInt(c.substring(1));
                Runnable step = w.equals("W2") ? Workloads.w2(batch) : w.equals("W3") ? Workloads.w3(batch) : Workloads.w4(batch);
                return new Result(w, c, threads, Measure.time(step, reps), batch, "sample", true, 0, gemmName);
            }
            case "W5": {
                int batch = Integer.parseInt(c.substring(1));
                return new Result(w, c, threads, Measure.time(Workloads.w5(batch), reps), batch, "sequence", true, 0, gemmName);
            }
            case "W6": {
                int n = Integer.parseInt(c.substring(1));
                return new Result(w, c, threads, Measure.time(Workloads.w6(n), reps), 1, "product", false,
                        2.0 * n * n * n, gemmName);
            }
            default:
                throw new IllegalArgumentException("unknown workload '" + w + "' (W1..W6)");
        }
    }

    private static String need(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException("bench: option " + option + " needs a value");
        }
        return value;
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException("bench: " + option + " needs a positive integer, got '" + value + "'");
    }
}
