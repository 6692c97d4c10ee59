package dev.nabla.examples.bench;

import dev.nabla.ndarray.BlockedGemm;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.EjmlGemm;
import dev.nabla.ndarray.Gemm;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark command: runs the workloads W1–W6 of examples/BENCHMARKS.md and prints one JSON line per
 * measurement on standard output (notes go to standard error).
 *
 * <pre>
 * Bench [--workload W1..W6|all] [--config NAME] [--threads N] [--reps N] [--dtype float64|float32] [--gemm blocked|ejml]
 * </pre>
 *
 * {@code --dtype float32} runs every workload in float32 (models converted with {@code Module.to},
 * inputs drawn in float64 and rounded; W6 on {@code float[]}).
 * Each measurement runs in a fresh JVM with the same options ({@code --no-fork}: all in this one).
 * {@code --threads} sets how many threads matrix products use ({@link BlockedGemm#setThreads});
 * every other kernel runs on the calling thread. Run the JVM with
 * {@code --add-modules jdk.incubator.vector} for the SIMD GEMM kernel, and with a fixed, pre-touched
 * heap ({@code -Xms2g -Xmx2g -XX:+AlwaysPreTouch -XX:+UseParallelGC}): W1 allocates about 14 MB per
 * call, and first-touch page faults of a growing heap otherwise dominate and scatter its timings.
 * Each line also carries {@code cpu_median_ms}, the calling thread's CPU time per call, which
 * other processes on a shared machine disturb far less than the wall time.
 * Not thread-safe: a benchmark runs alone, on one thread (apart from the GEMM threads it asks for).
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
        boolean float32 = false;
        boolean fork = true;
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
                    if (!"float64".equals(need(a, v)) && !"float32".equals(v)) {
                        throw new dev.nabla.examples.cli.UsageException("bench: --dtype must be float64 or float32, got '" + v + "'");
                    }
                    float32 = "float32".equals(v);
                    i++;
                    break;
                case "--gemm":
                    gemm = need(a, v);
                    if (!gemm.equals("blocked") && !gemm.equals("ejml")) {
                        throw new dev.nabla.examples.cli.UsageException("bench: --gemm must be 'blocked' or 'ejml', got '" + gemm + "'");
                    }
                    i++;
                    break;
                case "--no-fork":
                    fork = false;
                    break;
                case "--help":
                case "-h":
                    System.out.println("usage: Bench [--workload W1..W6|all] [--config NAME] [--threads N] [--reps N]"
                            + " [--dtype float64|float32] [--gemm blocked|ejml] [--no-fork]");
                    return;
                default:
                    throw new dev.nabla.examples.cli.UsageException("bench: unknown option '" + a + "'");
            }
        }
        if (workloads.isEmpty()) {
            workloads.addAll(List.of("W1", "W2", "W3", "W4", "W5", "W6"));
        }
        List<String[]> runs = new ArrayList<>();
        for (String w : workloads) {
            for (String c : Workloads.configs(w)) {
                if (config == null || config.equals(c)) {
                    runs.add(new String[] {w, c});
                }
            }
        }
        if (fork && runs.size() > 1 && !forkable()) {
            System.err.println("note: this JVM's class path does not hold Nabla (e.g. under mvn exec:java), so every"
                    + " measurement runs in this JVM; use `nabla bench` for one JVM per measurement");
            fork = false;
        }
        if (fork && runs.size() > 1) {
            forkEach(runs, args);
            return;
        }
        BlockedGemm.setThreads(threads);
        Gemm.use(gemm.equals("ejml") ? new EjmlGemm() : new BlockedGemm());
        PrintStream out = System.out;
        if (gemm.equals("blocked")) {
            if (BlockedGemm.isVectorized()) {
                waitForVectorKernel(float32);
            } else {
                System.err.println("note: GEMM uses the plain-Java kernel; run the JVM with --add-modules"
                        + " jdk.incubator.vector (e.g. MAVEN_OPTS=\"--add-modules jdk.incubator.vector\") for the SIMD kernel");
            }
        }
        boolean ejml = gemm.equals("ejml");
        for (String[] r : runs) {
            out.println(run(r[0], r[1], threads, reps, ejml, float32).json());
            out.flush();
        }
    }

    /** Whether a child JVM given this JVM's class path finds this class (not so under a launcher's own class loader). */
    private static boolean forkable() {
        try {
            String self = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                if (!entry.isEmpty() && Path.of(entry).toAbsolutePath().toString().equals(self)) {
                    return true;
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /**
     * Runs each measurement in a fresh JVM with this JVM's options and class path, so that no
     * measurement inherits another's JIT profile or heap (one workload's profile was seen to slow
     * the next by more than 10×), as separate processes of the peers would be.
     */
    private static void forkEach(List<String[]> runs, String[] args) {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String[] r : runs) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(jvm);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Bench.class.getName());
            for (int i = 0; i < args.length; i++) {
                boolean withValue = args[i].equals("--workload") || args[i].equals("-w") || args[i].equals("--config");
                if (withValue) {
                    i++;
                } else {
                    cmd.add(args[i]);
                }
            }
            cmd.addAll(List.of("--workload", r[0], "--config", r[1], "--no-fork"));
            try {
                Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                int code = p.waitFor();
                if (code != 0) {
                    throw new IllegalStateException("bench: the measurement of " + r[0] + " " + r[1] + " failed (exit "
                            + code + "); run it alone with --workload " + r[0] + " --config " + r[1] + " --no-fork");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("bench: cannot start " + java + " for " + r[0] + " " + r[1], e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("bench: interrupted", e);
            }
        }
    }

    /**
     * Runs products until BlockedGemm has switched to the SIMD kernel (it does so once the JIT has
     * compiled it), at most 30 s, so that no measurement mixes the two kernels.
     */
    private static void waitForVectorKernel(boolean float32) {
        Runnable product = float32 ? Workloads.w6Float(192) : Workloads.w6(192);
        long start = System.nanoTime();
        while (!kernelName(float32).startsWith("vector") && System.nanoTime() - start < 30e9) {
            product.run();
        }
        if (!kernelName(float32).startsWith("vector")) {
            System.err.println("note: the SIMD GEMM kernel was not faster after 30 s of warm-up; using " + kernelName(float32));
        }
    }

    private static String kernelName(boolean float32) {
        return float32 ? BlockedGemm.floatKernelName() : BlockedGemm.kernelName();
    }

    static Result run(String w, String c, int threads, int reps, boolean ejml, boolean float32) {
        Result r = measure(w, c, threads, reps, float32);
        r.gemm = ejml ? "ejml" : "blocked-" + kernelName(float32);
        r.dtype = float32 ? "float32" : "float64";
        return r;
    }

    private static Result measure(String w, String c, int threads, int reps, boolean float32) {
        String gemmName = null;
        DType dtype = float32 ? DType.FLOAT32 : DType.FLOAT64;
        switch (w) {
            case "W1":
                return new Result(w, c, threads, Measure.time(Workloads.w1(c, dtype), reps), 30_000, "op", false, 0, gemmName);
            case "W2":
            case "W3":
            case "W4": {
                int batch = Integer.parseInt(c.substring(1));
                Runnable step = w.equals("W2") ? Workloads.w2(batch, dtype) : w.equals("W3") ? Workloads.w3(batch, dtype)
                        : Workloads.w4(batch, dtype);
                return new Result(w, c, threads, Measure.time(step, reps), batch, "sample", true, 0, gemmName);
            }
            case "W5": {
                int batch = Integer.parseInt(c.substring(1));
                return new Result(w, c, threads, Measure.time(Workloads.w5(batch, dtype), reps), batch, "sequence", true, 0,
                        gemmName);
            }
            case "W6": {
                int n = Integer.parseInt(c.substring(1));
                Runnable product = float32 ? Workloads.w6Float(n) : Workloads.w6(n);
                return new Result(w, c, threads, Measure.time(product, reps), 1, "product", false,
                        2.0 * n * n * n, gemmName);
            }
            default:
                throw new dev.nabla.examples.cli.UsageException("bench: unknown workload '" + w + "' (W1..W6)");
        }
    }

    private static String need(String option, String value) {
        if (value == null) {
            throw new dev.nabla.examples.cli.UsageException("bench: option " + option + " needs a value");
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
        throw new dev.nabla.examples.cli.UsageException("bench: " + option + " needs a positive integer, got '" + value + "'");
    }
}
