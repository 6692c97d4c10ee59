package dev.nabla.examples.train;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.AtomicFiles;
import dev.nabla.ndarray.io.JsonWriter;
import dev.nabla.nn.Module;
import dev.nabla.optim.Optimizer;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.ModelExport;
import dev.nabla.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files every model's run directory shares, written the same way whether the common
 * {@link Trainer} or a model's own loop trained it: {@code config.json} (the resolved settings),
 * {@code summary.json} (the final figures, one object with the keys {@code model}, {@code epochs},
 * {@code test_loss}, {@code test_acc}, {@code best_epoch}, {@code wall_s} and model-specific ones after
 * them) and {@code model.safetensors} ({@link ModelExport}). All through the project's one
 * {@link JsonWriter} and written atomically. Stateless and thread-safe.
 */
public final class RunFiles {
    /** The file name of a run's final figures. */
    public static final String SUMMARY = "summary.json";

    private RunFiles() {}

    /** Writes {@code config.json} of {@code cfg} into its run directory (as the trainer does). */
    public static void writeConfig(RunConfig cfg) throws IOException {
        Files.createDirectories(cfg.outDir);
        AtomicFiles.writeString(cfg.outDir.resolve(Trainer.CONFIG_JSON), JsonWriter.writeIndented(cfg.toMap()));
    }

    /**
     * The common keys of {@code summary.json}, in order; a figure that does not apply or diverged (NaN,
     * e.g. the accuracy of a regression) becomes {@code null}. Callers may add model-specific keys to the
     * returned (mutable) map. {@code bestEpoch} is null for a model without a validation score (no best checkpoint).
     */
    public static Map<String, Object> summary(String model, int epochs, double testLoss, double testAcc, Integer bestEpoch,
                                              double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("epochs", epochs);
        m.put("test_loss", testLoss);
        m.put("test_acc", testAcc);
        m.put("best_epoch", bestEpoch);
        m.put("wall_s", Math.round(seconds * 10) / 10.0);
        return m;
    }

    /** {@code summary} as the text of {@code summary.json}: one object on one line. */
    public static String summaryJson(Map<String, Object> summary) {
        return JsonWriter.write(summary) + "\n";
    }

    /** Writes {@code summary.json} into {@code dir}. */
    public static void writeSummary(Path dir, Map<String, Object> summary) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(SUMMARY), summaryJson(summary));
    }

    /**
     * Writes {@code model.safetensors} of {@code model} into the run directory of {@code cfg}: its state dict,
     * {@code extras} ({@code preprocess.*} tensors), metadata {@code model}, {@code dtype}, {@code epoch} and
     * {@code extraMeta} (e.g. the sizes needed to rebuild the model).
     */
    public static void exportModel(RunConfig cfg, Module model, int epoch, Map<String, NDArray> extras,
                                   Map<String, String> extraMeta) throws IOException {
        Files.createDirectories(cfg.outDir);
        ModelExport.save(model, cfg.outDir.resolve(ModelExport.FILE), extras, exportMeta(cfg, epoch, extraMeta));
    }

    /** {@link #exportModel(RunConfig, Module, int, Map, Map)} of a state dict (e.g. a best checkpoint's model part). */
    public static void exportModel(RunConfig cfg, Map<String, NDArray> state, int epoch, Map<String, String> extraMeta)
            throws IOException {
        Files.createDirectories(cfg.outDir);
        ModelExport.save(state, cfg.outDir.resolve(ModelExport.FILE), Map.of(), exportMeta(cfg, epoch, extraMeta));
    }

    /**
     * Writes a training checkpoint ({@link Checkpoints} format) of a model trained by its own loop: model and
     * optimizer state, {@code trainer} (history, loop state), the settings of {@code cfg} plus {@code epoch}
     * and {@code extraMeta} in the metadata.
     */
    public static void saveCheckpoint(Path file, Module model, Optimizer opt, Map<String, NDArray> trainer, RunConfig cfg,
                                      int epoch, Map<String, String> extraMeta) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(cfg.toMetadata());
        meta.put("epoch", Integer.toString(epoch));
        meta.putAll(extraMeta);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Checkpoints.save(file, new Checkpoints.Contents(model.stateDict(), opt.stateDict(), trainer, meta));
    }

    /** The metadata of a model export: the model's name, dtype and epoch, then {@code extraMeta}. */
    private static Map<String, String> exportMeta(RunConfig cfg, int epoch, Map<String, String> extraMeta) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", cfg.model);
        meta.put("dtype", cfg.dtype.numpyName());
        meta.put("epoch", Integer.toString(epoch));
        meta.putAll(extraMeta);
        return meta;
    }
}
