package dev.nabla.examples.cli;

import dev.nabla.examples.Example;
import dev.nabla.examples.Examples;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.ndarray.DType;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * What {@code nabla lr-find} and {@code nabla data-speed} share: the model named on the command line
 * from the registry {@code nabla train} uses, its defaults with the options given laid over them, and
 * its {@link Example#setup}, with a usage error for a study or a model with its own training loop.
 * Stateless and thread-safe.
 */
final class ModelSetups {
    private ModelSetups() {}

    /** The registered model called {@code name}; an unknown name is a usage error naming the known ones. */
    static Example example(String name) {
        try {
            return Examples.byName(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** The run config {@code nabla train} would resolve for these options (unset ones: the model's defaults). */
    static RunConfig config(Example ex, Integer batchSize, Choices.Optimizer optimizer, long seed, Path out, Path dataDir,
                            Choices.Dtype dtype, String command) {
        Example.Defaults d = ex.defaults();
        DType dt = dtype == null ? DType.FLOAT64 : dtype.dtype();
        if (dt != DType.FLOAT64 && !ex.supportsFloat32()) {
            throw new UsageException("--dtype " + dt.numpyName() + ": " + ex.name() + " trains in float64 only; " + command
                    + " supports " + supported());
        }
        try {
            return new RunConfig(ex.name(), 1, batchSize != null ? batchSize : d.batchSize, d.lr,
                    optimizer != null ? optimizer.name() : d.optimizer, d.weightDecay, "none", seed, out, dataDir, 0, 0, dt);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** The model's setup for {@code cfg}; a study or a model with its own loop is a usage error naming those that work. */
    static Example.Setup setup(Example ex, RunConfig cfg, String command) {
        return ex.setup(cfg).orElseThrow(() -> new UsageException(command + ": " + ex.name() + " is "
                + (ex.isStudy() ? "a study (several runs compared)" : "trained by a loop of its own, not the common trainer")
                + "; " + command + " works on " + supported()));
    }

    /** The models with a {@link Example#setup}, by name (in {@code nabla list} order). */
    static String supported() {
        return Examples.all().stream().filter(e -> !e.isStudy() && e.supportsFloat32()).map(Example::name)
                .collect(Collectors.joining(", "));
    }
}
