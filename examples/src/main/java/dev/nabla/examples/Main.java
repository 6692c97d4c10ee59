package dev.nabla.examples;

import dev.nabla.examples.cli.BenchCommand;
import dev.nabla.examples.cli.Converters;
import dev.nabla.examples.cli.DataSpeedCommand;
import dev.nabla.examples.cli.Errors;
import dev.nabla.examples.cli.EvalCommand;
import dev.nabla.examples.cli.GradcheckCommand;
import dev.nabla.examples.cli.ListCommand;
import dev.nabla.examples.cli.LrFindCommand;
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
 * {@code list}, {@code gradcheck}, {@code generate}, {@code lr-find}, {@code data-speed}, {@code bench}, {@code help}.
 *
 * <p>Every failure ends in one line {@code nabla: error: ...} on standard error and exit status 2
 * (usage error) or 1 (failure while running), never a stack trace unless {@code NABLA_DEBUG=1}
 * (see {@link Errors}); success is 0.
 * Not thread-safe: picocli fills its fields from one command line; use one instance per invocation.
 */
@Command(name = "nabla", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Define-by-run autograd for Java: train the examples, evaluate checkpoints, check gradients.%n"
                + "With no arguments, runs `nabla train` (the MNIST MLP).",
        footer = {"", Errors.EXIT_HELP, Errors.ENV_HELP},
        subcommands = {TrainCommand.class, EvalCommand.class, ListCommand.class, GradcheckCommand.class,
            dev.nabla.examples.rnn.GenerateCommand.class, LrFindCommand.class, DataSpeedCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean debug;

    /** A command line printing to {@code out} and {@code err}, with stack traces as {@code NABLA_DEBUG} says. */
    public Main(PrintStream out, PrintStream err) {
        this(out, err, Errors.debugFromEnvironment());
    }

    /** A command line printing to {@code out} and {@code err}; {@code debug}: print stack traces with errors. */
    public Main(PrintStream out, PrintStream err, boolean debug) {
        this.out = out;
        this.err = err;
        this.debug = debug;
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
        return run(new String[] {"train"}, out, err, debug);
    }

    /** The configured picocli command line (exposed so that tests can parse without running). */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        return commandLine(out, err, Errors.debugFromEnvironment());
    }

    /** The configured command line; {@code debug}: stack traces with error messages. */
    public static CommandLine commandLine(PrintStream out, PrintStream err, boolean debug) {
        CommandLine cl = new CommandLine(new Main(out, err, debug));
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.registerConverter(Integer.class, new Converters.Int());
        cl.registerConverter(Integer.TYPE, new Converters.Int());
        cl.registerConverter(Long.class, new Converters.AnyLong());
        cl.registerConverter(Long.TYPE, new Converters.AnyLong());
        cl.registerConverter(Double.class, new Converters.Finite());
        cl.registerConverter(Double.TYPE, new Converters.Finite());
        cl.setParameterExceptionHandler((ex, args) -> Errors.parseError(ex, err, debug));
        cl.setExecutionExceptionHandler((ex, line, parsed) -> Errors.failure(ex, line, err, debug));
        return cl;
    }

    /** Runs the command line on {@code args} and returns the exit code (stack traces as {@code NABLA_DEBUG} says). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Errors.debugFromEnvironment());
    }

    /** Runs the command line on {@code args} and returns the exit code; {@code debug}: stack traces with errors. */
    public static int run(String[] args, PrintStream out, PrintStream err, boolean debug) {
        return execute(commandLine(out, err, debug), args.length == 0 ? new String[] {"train"} : args, err, debug);
    }

    /**
     * Executes {@code cl} on {@code args}: picocli's handlers report parse errors and exceptions; this
     * also reports what picocli lets through (errors such as {@link OutOfMemoryError}) the same way.
     */
    public static int execute(CommandLine cl, String[] args, PrintStream err, boolean debug) {
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError | StackOverflowError | RuntimeException e) {
            return Errors.failure(e, null, err, debug);
        }
    }

    /** Entry point of the {@code nabla} script. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }
}
