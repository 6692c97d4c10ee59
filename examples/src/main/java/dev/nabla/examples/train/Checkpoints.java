package dev.nabla.examples.train;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Training checkpoints in the safetensors format (readable from Python). One file holds the
 * model's state dict under {@code model.<key>}, the optimizer's state under {@code optim.<key>},
 * the trainer's own state (metric history, best score) under {@code trainer.<key>}, and the run's
 * settings plus {@code epoch} in the string metadata. Writes are atomic, so a crash while saving
 * leaves the previous checkpoint intact.
 * Stateless and thread-safe itself (files are written atomically); save a model only while no other
 * thread trains it.
 */
public final class Checkpoints {
    private Checkpoints() {}

    /** The checkpoint written after every epoch. */
    public static final String LAST = "last.safetensors";
    /** The checkpoint of the epoch with the best validation score so far. */
    public static final String BEST = "best.safetensors";
    /** The format marker in the metadata. */
    public static final String FORMAT = "nabla-checkpoint/1";

    private static final String MODEL = "model.";
    private static final String OPTIM = "optim.";
    private static final String TRAINER = "trainer.";

    /**
     * What a checkpoint holds, split by owner.
     * Not thread-safe: plain maps of mutable arrays; read it on one thread or treat it as
     * read-only.
     */
    public static final class Contents {
        /** The model state dict. */
        public final Map<String, NDArray> model;
        /** The optimizer state. */
        public final Map<String, NDArray> optimizer;
        /** The trainer state (history, best score). */
        public final Map<String, NDArray> trainer;
        /** Settings and epoch. */
        public final Map<String, String> metadata;

        /** A checkpoint's contents. */
        public Contents(Map<String, NDArray> model, Map<String, NDArray> optimizer, Map<String, NDArray> trainer,
                        Map<String, String> metadata) {
            this.model = model;
            this.optimizer = optimizer;
            this.trainer = trainer;
            this.metadata = metadata;
        }

        /** The epoch the checkpoint was written after. */
        public int epoch() {
            String e = metadata.get("epoch");
            if (e == null) {
                throw new IllegalArgumentException("checkpoint metadata lacks \"epoch\"; it was not written by `nabla train`");
            }
            return Integer.parseInt(e);
        }
    }

    /** Writes a checkpoint atomically to {@code file}. */
    public static void save(Path file, Contents c) throws IOException {
        Map<String, NDArray> all = new LinkedHashMap<>();
        put(all, MODEL, c.model);
        put(all, OPTIM, c.optimizer);
        put(all, TRAINER, c.trainer);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata);
        meta.put("format", FORMAT);
        Safetensors.save(file, all, meta);
    }

    private static void put(Map<String, NDArray> all, String prefix, Map<String, NDArray> part) {
        if (part != null) {
            for (Map.Entry<String, NDArray> e : part.entrySet()) {
                all.put(prefix + e.getKey(), e.getValue());
            }
        }
    }

    /** Reads a whole checkpoint. */
    public static Contents load(Path file) throws IOException {
        Map<String, String> meta = readMetadata(file);
        Map<String, NDArray> model = new LinkedHashMap<>();
        Map<String, NDArray> optim = new LinkedHashMap<>();
        Map<String, NDArray> trainer = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : Safetensors.load(file).entrySet()) {
            String k = e.getKey();
            if (k.startsWith(MODEL)) {
                model.put(k.substring(MODEL.length()), e.getValue());
            } else if (k.startsWith(OPTIM)) {
                optim.put(k.substring(OPTIM.length()), e.getValue());
            } else if (k.startsWith(TRAINER)) {
                trainer.put(k.substring(TRAINER.length()), e.getValue());
            } else {
                model.put(k, e.getValue());
            }
        }
        return new Contents(model, optim, trainer, meta);
    }

    /** The metadata of a checkpoint, checked to come from {@code nabla train}. */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        Map<String, String> meta = Safetensors.loadMetadata(file);
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException(file + " is a safetensors file but not a nabla training checkpoint "
                    + "(metadata \"format\" is " + (meta.get("format") == null ? "missing" : "\"" + meta.get("format") + "\"")
                    + ", expected \"" + FORMAT + "\"); pass a run directory or a last/best.safetensors written by `nabla train`");
        }
        return meta;
    }
}
