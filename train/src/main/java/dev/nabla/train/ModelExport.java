package dev.nabla.train;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.Safetensors;
import dev.nabla.nn.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The trained model alone, for inference and for PyTorch: {@code model.safetensors} holds the
 * module's state dict under its own keys (PyTorch's names and layouts, so
 * {@code model.load_state_dict(safetensors.torch.load_file(f), strict=False)} — or strict after
 * dropping the extras — loads it), plus the preprocessing the model needs as extra tensors under
 * {@value #EXTRA_PREFIX} (e.g. a standardizer's {@code preprocess.mean} and {@code preprocess.std},
 * applied as {@code (x - mean) / std} before the model), and string metadata with
 * {@code format} = {@value #FORMAT}. No optimizer or trainer state: that is the training
 * checkpoint's ({@link Checkpoints}). Written atomically, as every safetensors file here.
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelExport {
    private ModelExport() {}

    /** The file name the trainer writes in the run directory. */
    public static final String FILE = "model.safetensors";
    /** The format marker in the metadata. */
    public static final String FORMAT = "nabla-model/1";
    /** The prefix every extra tensor's key must have. */
    public static final String EXTRA_PREFIX = "preprocess.";

    /**
     * What a model file holds besides the weights.
     * Not thread-safe: plain maps; treat them as read-only.
     */
    public static final class Extras {
        /** The extra tensors ({@code preprocess.*}). */
        public final Map<String, NDArray> tensors;
        /** The string metadata ({@code format} included). */
        public final Map<String, String> metadata;

        Extras(Map<String, NDArray> tensors, Map<String, String> metadata) {
            this.tensors = Collections.unmodifiableMap(tensors);
            this.metadata = Collections.unmodifiableMap(metadata);
        }
    }

    /** Writes {@code module.stateDict()} with {@code extras} and {@code metadata} to {@code file}. */
    public static void save(Module module, Path file, Map<String, NDArray> extras, Map<String, String> metadata)
            throws IOException {
        save(module.stateDict(), file, extras, metadata);
    }

    /** Writes the state dict {@code state} (e.g. a checkpoint's model part) with {@code extras} and {@code metadata}. */
    public static void save(Map<String, NDArray> state, Path file, Map<String, NDArray> extras, Map<String, String> metadata)
            throws IOException {
        Map<String, NDArray> all = new LinkedHashMap<>(state);
        for (Map.Entry<String, NDArray> e : extras.entrySet()) {
            if (!e.getKey().startsWith(EXTRA_PREFIX) || e.getKey().length() == EXTRA_PREFIX.length()) {
                throw new IllegalArgumentException("ModelExport.save: extra tensor \"" + e.getKey() + "\" must be named "
                        + EXTRA_PREFIX + "<name> (e.g. preprocess.mean), so it cannot be taken for a model weight");
            }
            if (state.containsKey(e.getKey())) {
                throw new IllegalArgumentException("ModelExport.save: extra tensor \"" + e.getKey()
                        + "\" has the key of a model tensor; rename it");
            }
            all.put(e.getKey(), e.getValue());
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("format", FORMAT);
        Safetensors.save(file, all, meta);
    }

    /**
     * Loads {@code file} into {@code module} (strict: every key of the module's state dict present
     * with its shape, no other model key) and returns the extras and metadata.
     */
    public static Extras load(Module module, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("ModelExport.load: " + file + " does not exist; a training run writes "
                    + FILE + " in its run directory at its end");
        }
        Map<String, String> meta = Safetensors.loadMetadata(file);
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException("ModelExport.load: " + file + " is not a model export (metadata \"format\" is "
                    + (meta.get("format") == null ? "missing" : "\"" + meta.get("format") + "\"") + ", expected \"" + FORMAT
                    + "\"); for a training checkpoint use Checkpoints.load");
        }
        Map<String, NDArray> weights = new LinkedHashMap<>();
        Map<String, NDArray> extras = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : Safetensors.load(file).entrySet()) {
            (e.getKey().startsWith(EXTRA_PREFIX) ? extras : weights).put(e.getKey(), e.getValue());
        }
        module.loadStateDict(weights, true);
        return new Extras(extras, meta);
    }

    /** The keys a model file of {@code module} with {@code extras} holds, sorted: the state dict's and the extras'. */
    public static java.util.SortedSet<String> keys(Module module, Map<String, NDArray> extras) {
        TreeSet<String> k = new TreeSet<>(module.stateDict().keySet());
        k.addAll(extras.keySet());
        return k;
    }

    /**
     * Writes {@value #FILE} in the run directory at the end of a run, from {@code best.safetensors}
     * (the model the run's test score is of), or from the model as it is when there is no best.
     * Not thread-safe: the trainer's thread only.
     */
    public static final class Callback implements dev.nabla.train.Callback {
        private final Map<String, NDArray> extras;
        private final Map<String, String> metadata;

        /** Writes {@code extras} and {@code metadata} with the weights. */
        public Callback(Map<String, NDArray> extras, Map<String, String> metadata) {
            this.extras = new LinkedHashMap<>(extras);
            this.metadata = new LinkedHashMap<>(metadata);
        }

        @Override
        public void onTrainEnd(TrainContext ctx) throws IOException {
            Path best = ctx.runDir().resolve(Checkpoints.BEST);
            Map<String, String> meta = new LinkedHashMap<>(metadata);
            Map<String, NDArray> state;
            if (Files.isRegularFile(best)) {
                Checkpoints.Contents c = Checkpoints.upgrade(Checkpoints.load(best), ctx.model(), null);
                state = c.model;
                meta.put("epoch", Integer.toString(c.epoch()));
            } else {
                state = ctx.model().stateDict();
                meta.put("epoch", Integer.toString(ctx.epoch()));
            }
            save(state, ctx.runDir().resolve(FILE), extras, meta);
        }
    }
}
