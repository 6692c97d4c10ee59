package dev.nabla.examples.cli;

import dev.nabla.autograd.OpCheck;
import dev.nabla.autograd.OpInfo;
import dev.nabla.autograd.Ops;
import dev.nabla.examples.Main;
import dev.nabla.nn.NNOps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code nabla gradcheck}: checks the first and second derivatives of every op in the autograd
 * registry ({@link Ops#registry()}) and in the functional namespace's ({@link NNOps#registry()},
 * listed as {@code nn.<name>}) against central differences in float64, on cases drawn from
 * seeded generators, and prints one row per op: its name, kind, the input shapes of its largest case,
 * the largest error of the first- and second-order checks over all cases, of the forward-mode jvp
 * (against reverse-mode vᵀJ and central differences) and of forward-over-reverse Hessian-vector
 * products (against reverse over reverse), and pass/fail. Exits with
 * status 1 when any check fails, after printing what failed.
 * Not thread-safe: picocli fills its fields from one command line; use one instance per invocation.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Check first and second derivatives of every registered op against numerical differentiation.",
        footer = {"", Errors.EXIT_HELP, Errors.ENV_HELP})
public final class GradcheckCommand implements Callable<Integer> {
    @ParentCommand
    private Main parent;

    @Option(names = "--cases", paramLabel = "N", defaultValue = "3", converter = Converters.PositiveInt.class,
            description = "Random cases (shapes and values) per op (default: ${DEFAULT-VALUE}).")
    int cases;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the first case (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--op", paramLabel = "NAME", split = ",", description = "Only these ops (comma-separated names).")
    List<String> only;

    /** One table row. */
    static final class Row {
        final String op;
        final String kind;
        final String inputs;
        final double first;
        final double second;
        final double forward;
        final double forwardSecond;
        final boolean twice;
        final boolean passed;
        final List<OpCheck.Report> failures;

        Row(String op, String kind, String inputs, double first, double second, double forward, double forwardSecond,
            boolean twice, boolean passed, List<OpCheck.Report> failures) {
            this.op = op;
            this.kind = kind;
            this.inputs = inputs;
            this.first = first;
            this.second = second;
            this.forward = forward;
            this.forwardSecond = forwardSecond;
            this.twice = twice;
            this.passed = passed;
            this.failures = failures;
        }
    }

    /** Checks {@code op} on {@code cases} cases drawn from seeds {@code seed, seed+1, ...}. */
    static Row check(OpInfo op, int cases, long seed) {
        double first = 0;
        double second = 0;
        double forward = 0;
        double forwardSecond = 0;
        boolean passed = true;
        String inputs = "";
        long largest = -1;
        List<OpCheck.Report> failures = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            OpCheck.Report r = OpCheck.run(op, seed + i);
            if (r.opCase() != null) {
                long size = 0;
                for (dev.nabla.ndarray.NDArray a : r.opCase().inputs()) {
                    size += a.size();
                }
                if (size > largest) {
                    largest = size;
                    inputs = r.opCase().shapes();
                }
            }
            if (r.error() != null) {
                first = Double.POSITIVE_INFINITY;
            }
            if (r.first() != null) {
                first = Math.max(first, r.first().maxError());
            }
            if (r.second() != null) {
                second = Math.max(second, r.second().maxError());
            }
            if (!r.passed()) {
                passed = false;
                failures.add(r);
            }
            OpCheck.Report f = OpCheck.forwardMode(op, seed + i);
            if (f.error() != null) {
                forward = Double.POSITIVE_INFINITY;
            }
            if (f.first() != null) {
                forward = Math.max(forward, f.first().maxError());
            }
            if (f.second() != null) {
                forwardSecond = Math.max(forwardSecond, f.second().maxError());
            }
            if (!f.passed()) {
                passed = false;
                failures.add(f);
            }
        }
        return new Row(op.name(), op.kind() == OpInfo.Kind.PRIMITIVE ? "primitive" : "composite", inputs, first, second,
                forward, forwardSecond, op.twiceDifferentiable(), passed, failures);
    }

    @Override
    public Integer call() {
        if (cases < 1) {
            throw new UsageException("--cases expects a positive integer, got " + cases);
        }
        List<OpInfo> ops = new ArrayList<>();
        if (only == null || only.isEmpty()) {
            ops.addAll(registry());
        } else {
            for (String name : only) {
                ops.add(byName(name.trim()));
            }
        }
        return report(ops, cases, seed, parent.out());
    }

    /**
     * Both registries in one list: the core's ops ({@link Ops#registry()}) under their names, then
     * the functional namespace's ({@link NNOps#registry()}) as {@code nn.<name>}.
     */
    static List<OpInfo> registry() {
        List<OpInfo> all = new ArrayList<>(Ops.registry());
        for (OpInfo op : NNOps.registry()) {
            all.add(new OpInfo("nn." + op.name(), op.kind(), op.arity(), op.inputs(), op.twiceDifferentiable(),
                    op.nodes(), op::sample));
        }
        return all;
    }

    private static OpInfo byName(String name) {
        List<String> names = new ArrayList<>();
        for (OpInfo op : registry()) {
            if (op.name().equals(name)) {
                return op;
            }
            names.add(op.name());
        }
        throw new UsageException("--op: no op named '" + name + "' in the registries; known ops: " + names);
    }

    /** Checks {@code ops}, prints the table to {@code out} and returns the exit status (1 when any failed). */
    static int report(List<OpInfo> ops, int cases, long seed, PrintStream out) {
        int nameWidth = 2;
        for (OpInfo op : ops) {
            nameWidth = Math.max(nameWidth, op.name().length());
        }
        String fmt = "%-" + nameWidth + "s  %-9s  %-22s  %12s  %12s  %12s  %12s  %s%n";
        out.printf(Locale.ROOT, fmt, "op", "kind", "inputs (largest)", "err 1st", "err 2nd", "err jvp", "err fwd/rev",
                "result");
        out.println("-".repeat(nameWidth + 2 + 9 + 2 + 22 + 4 * (12 + 2) + 6));
        List<Row> failed = new ArrayList<>();
        for (OpInfo op : ops) {
            Row r = check(op, cases, seed);
            String in = r.inputs.length() > 22 ? r.inputs.substring(0, 21) + "…" : r.inputs;
            out.printf(Locale.ROOT, fmt, r.op, r.kind, in, err(r.first), r.twice ? err(r.second) : "n/a", err(r.forward),
                    r.twice ? err(r.forwardSecond) : "n/a", r.passed ? "pass" : "FAIL");
            if (!r.passed) {
                failed.add(r);
            }
        }
        out.println();
        out.printf(Locale.ROOT, "%d ops, %d cases each (seeds %d..%d), float64 central differences on vᵀJ and Jv, forward mode against "
                + "reverse mode: %d passed, %d failed%n",
                ops.size(), cases, seed, seed + cases - 1, ops.size() - failed.size(), failed.size());
        for (Row r : failed) {
            for (OpCheck.Report rep : r.failures) {
                out.println(rep);
            }
        }
        return failed.isEmpty() ? 0 : 1;
    }

    private static String err(double e) {
        return Double.isInfinite(e) ? "error" : String.format(Locale.ROOT, "%.3e", e);
    }
}
