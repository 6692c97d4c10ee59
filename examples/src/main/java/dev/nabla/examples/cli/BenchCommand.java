package dev.nabla.examples.cli;

import dev.nabla.examples.Main;
import dev.nabla.examples.bench.Bench;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code nabla bench [options]}: the benchmark workloads W1–W6, J1 and V1 of examples/BENCHMARKS.md, one JSON line per
 * measurement on standard output ({@link Bench}), with its options parsed here like every other
 * command's: enums list their values, a bad value is one line {@code nabla: error: ...} and exit 2.
 * Not thread-safe: picocli fills its fields from one command line; use one instance per invocation.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the benchmark workloads W1-W6, J1 and V1 of examples/BENCHMARKS.md: one JSON line per measurement "
                + "on stdout, notes on stderr.",
        footer = {"", "W1 per-op overhead; W2, W3 MLP, W4 LeNet, W5 RNN training steps; W6 GEMM; J1 forward-mode jvp against double vjp;",
            "V1 per-example gradients by vmap against a Java loop.",
            "W3 b128-w1/-w2 and W4 b64-w1/-w2: the same steps data-parallel on 1 and 2 worker threads.",
            "W3 b128-spark1/-spark2: the same steps on Spark local[1] and local[2] (data cached on the executor);",
            "b128-barrier2: local[2] with barrier mode's allGather exchange instead of task results.",
            "Each measurement runs in a fresh JVM with this one's options (--no-fork: all in",
            "  this one). ./nabla starts java with --add-modules jdk.incubator.vector, which",
            "  the SIMD GEMM kernel needs.",
            "", Errors.EXIT_HELP, Errors.ENV_HELP})
public final class BenchCommand implements Callable<Integer> {
    /**
     * {@code --workload}: one of the workloads, or all of them.
     * Immutable and thread-safe (an enum).
     */
    public enum Workload {
        /** Per-op overhead: 30,000 scalar ops recorded, then backward. */
        W1,
        /** Training step of the MLP 784-100-10 (SGD), batch 1, 100, 1000. */
        W2,
        /** Training step of the MLP 784-1000-1000-10 (Adam), batch 128. */
        W3,
        /** Training step of LeNet (SGD), batch 64. */
        W4,
        /** Training step of a tanh RNN over 30 steps (full BPTT, Adam), batch 1, 32. */
        W5,
        /** Square matrix product, n = 256, 512, 1024. */
        W6,
        /** Jacobian-vector product of a 1,000-input function: forward mode against the double-vjp trick. */
        J1,
        /** Per-example gradients of a logistic model (256 examples, 100 features): vmap against a Java loop. */
        V1,
        /** Every workload. */
        all
    }

    /**
     * {@code --gemm}: the matrix-product backend.
     * Immutable and thread-safe (an enum).
     */
    public enum GemmBackend {
        /** Nabla's blocked, packed GEMM (SIMD with the Vector API). */
        blocked,
        /** EJML, the reference. */
        ejml
    }

    @ParentCommand
    private Main parent;

    @Option(names = {"-w", "--workload"}, paramLabel = "W", split = ",",
            description = "Workloads to run, comma-separated: ${COMPLETION-CANDIDATES} (default: all).")
    List<Workload> workloads = new ArrayList<>();

    @Option(names = "--config", paramLabel = "NAME",
            description = "Only this configuration of the workloads (e.g. b100 of W2, n512 of W6; default: all).")
    String config;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", converter = Converters.PositiveInt.class,
            description = "Threads of the matrix products (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--reps", paramLabel = "N", defaultValue = "7", converter = Converters.PositiveInt.class,
            description = "Timed repetitions per measurement; the median is reported (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "float64",
            description = "${COMPLETION-CANDIDATES}: the dtype of every workload (default: ${DEFAULT-VALUE}).")
    Choices.Dtype dtype;

    @Option(names = "--gemm", paramLabel = "NAME", defaultValue = "blocked",
            description = "Matrix-product backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    GemmBackend gemm;

    @Option(names = "--no-fork", description = "Run every measurement in this JVM instead of one fresh JVM each.")
    boolean noFork;

    /** The options as {@link Bench} takes them (a usage error for a --config no chosen workload has). */
    public Bench.Options options() {
        List<String> ws = new ArrayList<>();
        for (Workload w : workloads) {
            if (w == Workload.all) {
                ws.addAll(Bench.WORKLOADS);
            } else {
                ws.add(w.name());
            }
        }
        return new Bench.Options(ws, config, threads, reps, dtype == Choices.Dtype.float32, gemm == GemmBackend.ejml, !noFork);
    }

    @Override
    public Integer call() {
        Bench.run(options(), parent.out(), parent.err());
        return 0;
    }
}
