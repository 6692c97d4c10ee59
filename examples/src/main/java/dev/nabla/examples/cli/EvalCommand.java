package dev.nabla.examples.cli;

import dev.nabla.examples.Example;
import dev.nabla.examples.Examples;
import dev.nabla.examples.Main;
import dev.nabla.train.Checkpoints;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code nabla eval PATH}: loads a checkpoint (a run directory's {@code best.safetensors}, or the
 * file given) into a fresh model built from the settings in its metadata, and evaluates it on the
 * test data exactly as training scored it: the same dtype, the same test limit (unless
 * {@code --test-limit} is given), the same split and standardization, so the figure equals the one
 * {@code nabla train} printed and wrote to {@code summary.json} for that checkpoint. One instance
 * per invocation; not thread-safe.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a trained model on its test data: a run directory (uses best.safetensors) or a checkpoint file.",
        footer = {"", Errors.EXIT_HELP, Errors.ENV_HELP})
public final class EvalCommand implements Callable<Integer> {
    @ParentCommand
    private Main parent;

    @Parameters(index = "0", paramLabel = "PATH", description = "Run directory or .safetensors checkpoint.")
    Path path;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Read data files from DIR instead of the shipped copies.")
    Path dataDir;

    @Option(names = "--test-limit", paramLabel = "N", converter = Converters.NonNegativeInt.class,
            description = "Evaluate on the first N test samples only (0: all; default: the training run's own limit).")
    Integer testLimit;

    /** The checkpoint file {@code path} designates. */
    static Path checkpointOf(Path path) {
        if (Files.isDirectory(path)) {
            for (String name : new String[] {Checkpoints.BEST, Checkpoints.LAST}) {
                if (Files.isRegularFile(path.resolve(name))) {
                    return path.resolve(name);
                }
            }
            throw new UsageException("eval: " + path + " holds neither " + Checkpoints.BEST + " nor "
                    + Checkpoints.LAST + "; pass the directory of a run started by `nabla train <model>`");
        }
        if (!Files.isRegularFile(path)) {
            throw new UsageException("eval: " + path + " does not exist; pass the directory of a run started by "
                    + "`nabla train <model>`, or its best.safetensors or last.safetensors");
        }
        return path;
    }

    @Override
    public Integer call() throws Exception {
        PathChecks.dataDir(dataDir);
        Path ckpt = checkpointOf(path);
        Map<String, String> meta = Checkpoints.readMetadata(ckpt);
        RunConfig saved = RunConfig.fromMetadata(meta, ckpt.toAbsolutePath().getParent(), dataDir);
        RunConfig cfg = new RunConfig(saved.model, saved.epochs, saved.batchSize, saved.lr, saved.optimizer,
                saved.weightDecay, saved.schedule, saved.seed, saved.outDir, dataDir, saved.trainLimit,
                testLimit != null ? testLimit : saved.testLimit, saved.dtype);
        Example ex = Examples.byName(cfg.model);
        parent.out().println("evaluating " + ckpt + " (" + cfg.model + ", epoch " + meta.getOrDefault("epoch", "?") + ")");
        PathChecks.withDataDir(dataDir, ex.name(), () -> ex.evaluate(new RunContext(cfg, parent.out(), parent.err(), false, null), ckpt));
        return 0;
    }
}
