package dev.nabla.examples.rnn;

import dev.nabla.examples.Main;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code nabla generate PATH}: samples text from a character-level language model trained by
 * {@code nabla train char-lstm} or {@code nabla train char-transformer} (a run directory, whose
 * {@code best.safetensors} is used, or a checkpoint file); the checkpoint's {@code model} metadata
 * says which. The model, its vocabulary and its settings all come from the checkpoint; the same
 * arguments and seed print the same text.
 * Not thread-safe: picocli fills its fields from one command line; use one instance per invocation.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Sample text from a char-lstm or char-transformer checkpoint: a run directory (uses best.safetensors) or a checkpoint file.")
public final class GenerateCommand implements Callable<Integer> {
    /**
     * A trained character model that continues a text: what {@code generate} needs of a checkpoint.
     * Not thread-safe: a model belongs to one thread at a time.
     */
    interface TextModel {
        /** The characters the model knows. */
        dev.nabla.data.Vocabulary vocabulary();

        /** {@code length} characters sampled after {@code prime} at {@code temperature} from a generator seeded with {@code seed}. */
        String generate(String prime, int length, double temperature, long seed);
    }

    /** The ids of {@code prime}, or an error naming the characters the model knows. */
    static int[] encodePrime(dev.nabla.data.Vocabulary vocabulary, String prime) {
        int[] p;
        try {
            p = vocabulary.encode(prime);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--prime: " + e.getMessage() + "; the model knows only these characters: "
                    + vocabulary.symbols().replace("\n", "\\n"), e);
        }
        if (p.length == 0) {
            throw new IllegalArgumentException("--prime must hold at least one character");
        }
        return p;
    }

    /** The char-transformer or char-lstm model of {@code ckpt}, by its {@code model} metadata. */
    private TextModel load(Path ckpt) throws java.io.IOException {
        String model = dev.nabla.ndarray.io.Safetensors.loadMetadata(ckpt).get("model");
        if ("char-transformer".equals(model)) {
            return CharTransformerExample.load(ckpt, "generate");
        }
        return CharLstmExample.load(ckpt, "generate", parent.err()::println);
    }

    @ParentCommand
    private Main parent;

    @Parameters(index = "0", paramLabel = "PATH", description = "Run directory of `nabla train char-lstm` or `nabla train char-transformer`, or a .safetensors checkpoint.")
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
        TextModel model = load(ckpt);
        String p = prime != null ? prime.replace("\\n", "\n") : CharLstmExample.defaultPrime(model.vocabulary());
        String text = model.generate(p, length, temperature, seed);
        String all = p + text;
        parent.out().print(all.startsWith("\n") ? all.substring(1) : all);
        parent.out().println();
        parent.out().flush();
        return 0;
    }
}
