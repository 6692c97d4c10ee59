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
 * measurement on standard output (notes go to standard error). Its options are parsed by the
 * {@code nabla} command line ({@code nabla bench --help}, {@link dev.nabla.examples.cli.BenchCommand}),
 * also when this class is started as a main class (by {@code mvn exec:java}, or for each forked
 * measurement):
 *
 * <pre>
 * nabla bench [--workload W1..W6|J1|V1|all[,...]] [--config NAME] [--threads N] [--reps N] [--dtype float64|float32]
 *             [--gemm blocked|ejml] [--no-fork]
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
 * other processes on a shared machine disturb far less than the wall time, and
 * {@code alloc_bytes_per_call}, the bytes the calling thread allocated per call (flat across calls
 * means no growth per step); W6 lines add {@code peak_gflops}, {@code peak_fraction} (of the wall
 * time) and {@code cpu_peak_fraction} (of the CPU time) against the peak {@link Peak} derives.
 * Not thread-safe: a benchmark runs alone, on one thread (apart from the GEMM threads it asks for).
 */
public final class Bench {
    private Bench() {}

    /** The workloads, in the order they run. */
    public static final List<String> WORKLOADS = List.of("W1", "W2", "W3", "W4", "W5", "W6", "J1", "V1");

    /**
     * What to measure and how: the parsed options of {@code nabla bench}.
     * Immutable and thread-safe.
     */
    public static final class Options {
        final List<String> workloads;
        final String config;
        final int threads;
        final int reps;
        final boolean float32;
        final boolean ejml;
        final boolean fork;

        /**
         * Options of one invocation: {@code workloads} among {@link #WORKLOADS} (empty: all), {@code config}
         * one of their configurations or null for all; a usage error when a workload is unknown or no
         * chosen workload has {@code config}.
         */
        public Options(List<String> workloads, String config, int threads, int reps, boolean float32, boolean ejml,
                       boolean fork) {
            List<String> ws = new ArrayList<>();
            for (String w : workloads.isEmpty() ? WORKLOADS : workloads) {
                String u = w.toUpperCase(java.util.Locale.ROOT);
                if (!WORKLOADS.contains(u)) {
                    throw new dev.nabla.examples.cli.UsageException("--workload: unknown workload '" + w + "'; expected "
                            + String.join(", ", WORKLOADS) + " or all");
                }
                if (!ws.contains(u)) {
                    ws.add(u);
                }
            }
            if (threads < 1 || reps < 1) {
                throw new dev.nabla.examples.cli.UsageException("--threads and --reps must be at least 1, got " + threads
                        + " and " + reps);
            }
            if (config != null && runs(ws, config).isEmpty()) {
                List<String> known = new ArrayList<>();
                for (String w : ws) {
                    known.add(w + ": " + String.join(", ", Workloads.configs(w)));
                }
                throw new dev.nabla.examples.cli.UsageException("--config " + config + " is no configuration of "
                        + String.join(", ", ws) + "; the configurations are " + String.join("; ", known));
            }
            this.workloads = List.copyOf(ws);
            this.config = config;
            this.threads = threads;
            this.reps = reps;
            this.float32 = float32;
            this.ejml = ejml;
            this.fork = fork;
        }

        /** The (workload, configuration) pairs these options measure, in order. */
        public List<String[]> runs() {
            return runs(workloads, config);
        }

        private static List<String[]> runs(List<String> workloads, String config) {
            List<String[]> runs = new ArrayList<>();
            for (String w : workloads) {
                for (String c : Workloads.configs(w)) {
                    if (config == null || config.equals(c)) {
                        runs.add(new String[] {w, c});
                    }
                }
            }
            return runs;
        }

        /** The command-line arguments of {@code nabla bench} that measure {@code w} {@code c} alone, in one JVM. */
        public List<String> argsFor(String w, String c) {
            return List.of("--workload", w, "--config", c, "--threads", Integer.toString(threads), "--reps",
                    Integer.toString(reps), "--dtype", float32 ? "float32" : "float64", "--gemm", ejml ? "ejml" : "blocked",
                    "--no-fork");
        }
    }

    /**
     * Entry point of a forked measurement (and of {@code mvn exec:java}): {@code args} are
     * {@code nabla bench}'s options, parsed by the same command line; exits with its status when that
     * is not 0.
     */
    public static void main(String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = dev.nabla.examples.Main.run(all, System.out, System.err);
        System.out.flush();
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the measurements {@code o} asks for: JSON lines on {@code out}, notes on {@code err}. */
    public static void run(Options o, PrintStream out, PrintStream err) {
        List<String[]> runs = o.runs();
        boolean fork = o.fork;
        if (fork && runs.size() > 1 && !forkable()) {
            err.println("note: this JVM's class path does not hold Nabla (e.g. under mvn exec:java), so every"
                    + " measurement runs in this JVM; use `nabla bench` for one JVM per measurement");
            fork = false;
        }
        if (fork && runs.size() > 1) {
            forkEach(runs, o);
            return;
        }
        BlockedGemm.setThreads(o.threads);
        Gemm.use(o.ejml ? new EjmlGemm() : new BlockedGemm());
        if (!o.ejml) {
            if (BlockedGemm.isVectorized()) {
                waitForVectorKernel(o.float32, err);
            } else {
                err.println("note: GEMM uses the plain-Java kernel; run the JVM with --add-modules"
                        + " jdk.incubator.vector (e.g. MAVEN_OPTS=\"--add-modules jdk.incubator.vector\") for the SIMD kernel");
            }
        }
        for (String[] r : runs) {
            out.println(run(r[0], r[1], o.threads, o.reps, o.ejml, o.float32).json());
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
    /** The JVM options Spark needs on JDK 17 (its launcher's list; the nabla jar's manifest carries them as Add-Opens). */
    static final List<String> SPARK_OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net",
            "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref", "sun.nio.ch",
            "sun.nio.cs", "sun.security.action", "sun.util.calendar").stream()
            .map(pkg -> "--add-opens=java.base/" + pkg + "=ALL-UNNAMED").collect(java.util.stream.Collectors.toList());

    private static void forkEach(List<String[]> runs, Options o) {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String[] r : runs) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(jvm);
            if (r[1].contains("-spark") || r[1].contains("-barrier")) {
                cmd.addAll(SPARK_OPENS); // the parent's came from the jar's manifest (Add-Opens), which -cp does not read
            }
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Bench.class.getName());
            cmd.addAll(o.argsFor(r[0], r[1]));
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
    private static void waitForVectorKernel(boolean float32, PrintStream err) {
        Runnable product = float32 ? Workloads.w6Float(192) : Workloads.w6(192);
        long start = System.nanoTime();
        while (!kernelName(float32).startsWith("vector") && System.nanoTime() - start < 30e9) {
            product.run();
        }
        if (!kernelName(float32).startsWith("vector")) {
            err.println("note: the SIMD GEMM kernel was not faster after 30 s of warm-up; using " + kernelName(float32));
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
                int bar = c.indexOf("-barrier");
                if (bar > 0) { // b128-barrier2: SparkTrainer on local[2], barrier mode's allGather exchange
                    int batch = Integer.parseInt(c.substring(1, bar));
                    int cores = Integer.parseInt(c.substring(bar + 8));
                    return new Result(w, c, threads, Measure.time(Workloads.spark(w, batch, cores, dtype,
                            dev.nabla.distributed.SparkTrainer.Exchange.BARRIER), reps), batch, "sample", true, 0, gemmName);
                }
                int sp = c.indexOf("-spark");
                if (sp > 0) { // b128-spark2: SparkTrainer on local[2]
                    int batch = Integer.parseInt(c.substring(1, sp));
                    int cores = Integer.parseInt(c.substring(sp + 6));
                    return new Result(w, c, threads, Measure.time(Workloads.spark(w, batch, cores, dtype), reps),
                            batch, "sample", true, 0, gemmName);
                }
                int dash = c.indexOf("-w");
                if (dash > 0) { // b128-w2: data-parallel on 2 workers
                    int batch = Integer.parseInt(c.substring(1, dash));
                    int workers = Integer.parseInt(c.substring(dash + 2));
                    return new Result(w, c, threads, Measure.time(Workloads.dataParallel(w, batch, workers, dtype), reps),
                            batch, "sample", true, 0, gemmName);
                }
                int batch = Workloads.batchOf(c);
                boolean compiled = Workloads.isCompiled(c);
                Runnable step = w.equals("W2") ? Workloads.w2(batch, dtype, compiled)
                        : w.equals("W3") ? Workloads.w3(batch, dtype, compiled) : Workloads.w4(batch, dtype, compiled);
                return new Result(w, c, threads, Measure.time(step, reps), batch, "sample", true, 0, gemmName);
            }
            case "W5": {
                int batch = Workloads.batchOf(c);
                return new Result(w, c, threads, Measure.time(Workloads.w5(batch, dtype, Workloads.isCompiled(c)), reps),
                        batch, "sequence", true, 0,
                        gemmName);
            }
            case "W6": {
                Runnable product = Workloads.w6(c, float32);
                return new Result(w, c, threads, Measure.time(product, reps), 1, "product", false,
                        Workloads.w6Flops(c), gemmName);
            }
            case "J1":
                return new Result(w, c, threads, Measure.time(Workloads.j1(c, dtype), reps), 1, "jvp", false, 0, gemmName);
            case "V1":
                return new Result(w, c, threads, Measure.time(Workloads.v1(c, dtype), reps), 256, "sample", false, 0,
                        gemmName);
            default:
                throw new dev.nabla.examples.cli.UsageException("bench: unknown workload '" + w + "' (W1..W6, J1, V1)");
        }
    }
}
