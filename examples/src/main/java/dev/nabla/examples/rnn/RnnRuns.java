package dev.nabla.examples.rnn;

import dev.nabla.autograd.Parameter;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.MetricsLog;
import dev.nabla.train.Trainer;
import dev.nabla.examples.train.Optimizers;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunFiles;
import dev.nabla.examples.train.RunContext;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import dev.nabla.ndarray.io.AtomicFiles;
import dev.nabla.nn.Module;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the recurrent examples share around their own training loops (truncated BPTT and windowed
 * forecasting do not fit the generic batch trainer): the optimizer and schedule named on the command line,
 * checkpoints in the training-checkpoint format with the model's own settings in the metadata,
 * and the preparation of a resumed run (the copies of a resumed run's files go through
 * {@link AtomicFiles}). Stateless and thread-safe.
 */
final class RnnRuns {
    private RnnRuns() {}

    /** The optimizer {@code cfg} names over {@code params} (any of {@code nabla train --optimizer}). */
    static Optimizer optimizer(RunConfig cfg, List<Parameter> params) {
        return Optimizers.create(cfg.optimizer, params, cfg.lr, cfg.weightDecay);
    }

    /** The per-epoch learning-rate schedule {@code cfg} names (null for none), set to {@code doneEpochs} when resuming. */
    static LrScheduler schedule(RunConfig cfg, Optimizer opt, int doneEpochs) {
        LrScheduler s = Optimizers.schedule(cfg.schedule, opt, cfg.epochs);
        if (s != null && doneEpochs > 0) {
            s.setEpoch(doneEpochs);
        }
        return s;
    }

    /** Prints how to continue a run stopped early by {@code --stop-after}. */
    static void reportStop(RunContext ctx) {
        if (ctx.lastEpoch() < ctx.config.epochs) {
            ctx.out.printf(Locale.ROOT, "stopped after epoch %d of %d; continue with: nabla train --resume %s%n",
                    ctx.lastEpoch(), ctx.config.epochs, ctx.dir());
        }
    }

    /**
     * Writes a training checkpoint: model state, optimizer state, {@code trainer} (history and loop
     * state), the run's settings plus {@code epoch}, and {@code extra} metadata (model settings).
     */
    static void save(Path file, Module model, Optimizer opt, Map<String, NDArray> trainer, RunConfig cfg, int epoch,
                     Map<String, String> extra) throws IOException {
        RunFiles.saveCheckpoint(file, model, opt, trainer, cfg, epoch, extra);
    }

    /** Opens the per-step log {@code metrics_steps.*} (columns {@link Trainer#STEP_COLUMNS}), kept up to epoch {@code keep} (-1: fresh). */
    static MetricsLog openSteps(Path dir, int keep) throws IOException {
        return MetricsLog.open(dir, Trainer.STEPS_JSONL, Trainer.STEPS_CSV, Trainer.STEP_COLUMNS, keep);
    }

    /**
     * Reads the {@code last.safetensors} of the run to resume and, when the new run writes to
     * another directory, copies the metric logs and best checkpoint there first (so they continue).
     */
    static Checkpoints.Contents resume(RunContext ctx) throws IOException {
        Path ckpt = ctx.resumeDir.resolve(Checkpoints.LAST);
        if (!Files.isRegularFile(ckpt)) {
            throw new IllegalArgumentException("--resume: " + ckpt + " does not exist; pass the directory of a run started by "
                    + "`nabla train " + ctx.config.model + "`");
        }
        Checkpoints.Contents c = Checkpoints.load(ckpt);
        Path dir = ctx.dir();
        if (!ctx.resumeDir.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
            Files.createDirectories(dir);
            for (String f : new String[] {MetricsLog.JSONL, MetricsLog.CSV, Trainer.STEPS_JSONL, Trainer.STEPS_CSV,
                    Checkpoints.BEST}) {
                if (Files.exists(ctx.resumeDir.resolve(f))) {
                    AtomicFiles.copy(ctx.resumeDir.resolve(f), dir.resolve(f));
                }
            }
        }
        ctx.out.printf(Locale.ROOT, "resumed from %s at epoch %d%n", ckpt, c.epoch());
        return c;
    }

    /**
     * The checkpoint a path designates: the file itself, or in a run directory
     * {@code best.safetensors} (else {@code last.safetensors}).
     */
    static Path checkpointOf(String op, Path path) {
        if (Files.isDirectory(path)) {
            for (String name : new String[] {Checkpoints.BEST, Checkpoints.LAST}) {
                if (Files.isRegularFile(path.resolve(name))) {
                    return path.resolve(name);
                }
            }
            throw new IllegalArgumentException(op + ": " + path + " holds neither " + Checkpoints.BEST + " nor "
                    + Checkpoints.LAST + "; pass the directory of a run started by `nabla train`");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(op + ": " + path + " does not exist");
        }
        return path;
    }

    /** An integer from checkpoint metadata, failing with the key and file named. */
    static int intMeta(Map<String, String> meta, String key, Path file) {
        String v = meta.get(key);
        if (v == null) {
            throw new IllegalArgumentException(file + ": checkpoint metadata lacks \"" + key + "\"; it was not written by "
                    + "this example (metadata keys: " + Checkpoints.keyList(meta.keySet()) + ")");
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": checkpoint metadata \"" + key + "\" is not an integer: \"" + v + "\"", e);
        }
    }

    /** An integer from checkpoint metadata in {@code [min, max]}, failing with the key, the value and the file named. */
    static int intMeta(Map<String, String> meta, String key, Path file, int min, int max) {
        int v = intMeta(meta, key, file);
        if (v < min || v > max) {
            throw new IllegalArgumentException(file + ": checkpoint metadata \"" + key + "\" is " + v + ", outside ["
                    + min + ", " + max + "]; the file is damaged or was not written by this example");
        }
        return v;
    }

    /** A finite number from checkpoint metadata that is {@code > 0}, failing with the key, the value and the file named. */
    static double positiveMeta(Map<String, String> meta, String key, Path file) {
        double v = doubleMeta(meta, key, file);
        if (!(v > 0 && v < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(file + ": checkpoint metadata \"" + key + "\" is " + v + ", not a finite"
                    + " number > 0; the file is damaged or was not written by this example");
        }
        return v;
    }

    /**
     * Checks that state-dict entry {@code key} exists with exactly {@code expected} shape, before a
     * model is built from sizes in the metadata: a damaged metadata size then fails with both figures
     * instead of allocating a model of that size.
     */
    static void checkShape(Map<String, NDArray> model, String key, int[] expected, String why, Path file, String op) {
        NDArray t = model.get(key);
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + file + " lacks the model tensor \"model." + key + "\" (model keys: "
                    + Checkpoints.keyList(model.keySet()) + "); it was not written by this example, or is damaged");
        }
        if (!java.util.Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(op + ": " + file + ": the model tensor \"model." + key + "\" has shape "
                    + Shapes.str(t.shape()) + " but the metadata (" + why + ") implies " + Shapes.str(expected)
                    + "; the metadata and the tensors disagree, so the file is damaged");
        }
    }

    /** A number from checkpoint metadata, failing with the key and file named. */
    static double doubleMeta(Map<String, String> meta, String key, Path file) {
        String v = meta.get(key);
        if (v == null) {
            throw new IllegalArgumentException(file + ": checkpoint metadata lacks \"" + key + "\"; it was not written by "
                    + "this example (metadata keys: " + Checkpoints.keyList(meta.keySet()) + ")");
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": checkpoint metadata \"" + key + "\" is not a number: \"" + v + "\"", e);
        }
    }

    /** Checks that a checkpoint was written by {@code model}'s training. */
    static void checkModel(Map<String, String> meta, String model, Path file, String op) {
        if (!model.equals(meta.get("model"))) {
            throw new IllegalArgumentException(op + ": " + file + " is a checkpoint of \"" + meta.get("model") + "\", not of "
                    + model + "; pass a run directory or checkpoint written by `nabla train " + model + "`");
        }
    }
}
