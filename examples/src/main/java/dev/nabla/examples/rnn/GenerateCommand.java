package dev.nabla.examples.rnn;

import dev.nabla.examples.Main;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code nabla generate PATH}: samples text from a character-level LSTM trained by
 * {@code nabla train char-lstm} (a run directory, whose {@code best.safetensors} is used, or a
 * checkpoint file). The model, its vocabulary and its settings all come from the checkpoint; the
 * same arguments and seed print the same text.
 * Not thread-safe: picocli fills its fields from one command line; use one instance per invocation.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Sample text from a char-lstm checkpoint: a run directory (uses best.safetensors) or a checkpoint file.")
public final class GenerateCommand implements Callable<Integer> {
    @ParentCommand
    private Main parent;

    @Parameters(index = "0", paramLabel = "PATH", description = "Run directory of `nabla train char-lstm`, or a .safetensors checkpoint.")
    Path path;

    @Option(names = {"-n", "--length"}, paramLabel = "N", defaultValue = "500",
            description = "Number of characters to generate (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = {"-t", "--temperature"}, paramLabel = "T", defaultValue = "0.8",
            description = "Sampling temperature: below 1 more conservative, above 1 more surprising (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = {"-p", "--prime"}, paramLabel = "TEXT",
            description = "Text to start from (printed, then continued); default: a newline.")
    String prime;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the sampling; the same seed gives the same text (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (length < 0) {
            throw new IllegalArgumentException("--length must be >= 0, got " + length);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("--temperature must be a positive finite number, got " + temperature);
        }
        Path ckpt = RnnRuns.checkpointOf("generate", path);
        CharLstmExample.Loaded model = CharLstmExample.load(ckpt, "generate", parent.err()::println);
        String p = prime != null ? prime.replace("\\n", "\n") : CharLstmExample.defaultPrime(model.vocabulary());
        String text = model.generate(p, length, temperature, seed);
        String all = p + text;
        parent.out().print(all.startsWith("\n") ? all.substring(1) : all);
        parent.out().println();
        parent.out().flush();
        return 0;
    }
}
