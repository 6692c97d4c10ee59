package dev.nabla.examples.cli;

import dev.nabla.examples.Main;
import dev.nabla.examples.models.CharLstmExample;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code nabla generate PATH}: samples text from a {@code char-lstm} checkpoint (a run directory's
 * best.safetensors, or the file given): the prime text is fed first, then each next character is
 * drawn from the softmax of the logits divided by the temperature.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Sample text from a char-lstm checkpoint (run directory or .safetensors file).")
public final class GenerateCommand implements Callable<Integer> {
    @ParentCommand
    private Main parent;

    @Parameters(index = "0", paramLabel = "PATH", description = "Run directory of `nabla train char-lstm`, or a checkpoint.")
    Path path;

    @Option(names = {"-n", "--length"}, paramLabel = "N", defaultValue = "500", description = "Characters to generate (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = {"-t", "--temperature"}, paramLabel = "T", defaultValue = "0.8",
            description = "Sampling temperature: below 1 sharper and more repetitive, above 1 more random (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = {"-p", "--prime"}, paramLabel = "TEXT", defaultValue = "\n",
            description = "Text to start from (default: a newline).")
    String prime;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (length < 0) {
            throw new IllegalArgumentException("--length must be >= 0, got " + length);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("--temperature must be a positive number, got " + temperature);
        }
        if (prime.isEmpty()) {
            throw new IllegalArgumentException("--prime must not be empty; the model needs at least one character to start from");
        }
        Path ckpt = EvalCommand.checkpointOf(path);
        CharLstmExample.Loaded l = CharLstmExample.load(ckpt);
        for (int i = 0; i < prime.length(); ) {
            int cp = prime.codePointAt(i);
            if (!l.vocab.contains(cp)) {
                throw new IllegalArgumentException("--prime: the character '" + new String(Character.toChars(cp))
                        + "' is not in the model's vocabulary of " + l.vocab.size() + " symbols: " + l.vocab.symbols());
            }
            i += Character.charCount(cp);
        }
        String text = CharLstmExample.sample(l.model, l.vocab, prime, length, temperature, new Random(seed));
        parent.out().print(prime.equals("\n") ? text : prime + text);
        parent.out().println();
        return 0;
    }
}
