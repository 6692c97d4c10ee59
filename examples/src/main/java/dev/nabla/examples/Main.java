package dev.nabla.examples;

import dev.nabla.examples.cli.BenchCommand;
import dev.nabla.examples.cli.EvalCommand;
import dev.nabla.examples.cli.GradcheckCommand;
import dev.nabla.examples.cli.ListCommand;
import dev.nabla.examples.cli.TrainCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nabla} command line. With no arguments it runs {@code nabla train}, which trains the
 * default model (the 784-100-10 MLP on the shipped MNIST). Subcommands: {@code train}, {@code eval},
 * {@code list}, {@code gradcheck}, {@code generate}, {@code bench}, {@code help}.
 * Not thread-safe: picocli fills its fields from one command line; use one instance per invocation.
 */
@Command(name = "nabla", mixinStandardHelpOptions = true, version = "nabla 0.1.0",
        description = "Define-by-run autograd for Java: train the examples, evaluate checkpoints, check gradients.%n"
                + "With no arguments, runs `nabla train` (the MNIST MLP).",
        subcommands = {TrainCommand.class, EvalCommand.class, ListCommand.class, GradcheckCommand.class,
            dev.nabla.examples.rnn.GenerateCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    /** A command line printing to {@code out} and {@code err}. */
    public Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Standard output of this invocation (results, tables). */
    public PrintStream out() {
        return out;
    }

    /** Standard error of this invocation (progress bars, errors). */
    public PrintStream err() {
        return err;
    }

    /** Without a subcommand: {@code nabla train} with its defaults. */
    @Override
    public Integer call() {
        return commandLine(out, err).execute("train");
    }

    /** The configured picocli command line (exposed so that tests can parse without running). */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main(out, err));
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            err.println("nabla " + line.getCommandName() + ": " + msg);
            if (System.getenv("NABLA_DEBUG") != null || !(ex instanceof IllegalArgumentException
                    || ex instanceof java.io.IOException || ex instanceof UnsupportedOperationException)) {
                ex.printStackTrace(err);
            }
            return 1;
        });
        return cl;
    }

    /** Runs the command line on {@code args} and returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return commandLine(out, err).execute(args.length == 0 ? new String[] {"train"} : args);
    }

    /** Entry point of the {@code nabla} script. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }
}
