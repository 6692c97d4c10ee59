package dev.nabla.examples.cli;

import dev.nabla.examples.bench.Bench;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code nabla bench [options]}: the benchmark workloads W1–W6 of examples/BENCHMARKS.md, one JSON line per
 * measurement on standard output; the options are {@link Bench}'s own ({@code nabla bench --help}).
 * Not thread-safe: picocli fills its fields from one command line; use one instance per invocation.
 */
@Command(name = "bench", description = "Run the benchmark workloads W1-W6 (JSON lines); `nabla bench --help` for options.")
public final class BenchCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        Bench.main(args.toArray(new String[0]));
        return 0;
    }
}
