package dev.nabla.train;

import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.RNNBase;
import dev.nabla.nn.RecurrentCell;
import dev.nabla.ndarray.io.Safetensors;
import dev.nabla.ndarray.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Training checkpoints in the safetensors format (readable from Python), format
 * {@value #FORMAT}. One file holds the model's state dict under {@code model.<key>} (PyTorch's
 * names and layouts, so {@code model.*} loads into the same PyTorch model), the optimizer's state under {@code optim.<key>},
 * the trainer's own state (metric history, best score) under {@code trainer.<key>}, and the run's
 * settings plus {@code epoch} in the string metadata. Writes are atomic, so a crash while saving
 * leaves the previous checkpoint intact.
 *
 * <p>Reproducible bytes: a checkpoint holds no wall-clock figure (the {@value #WALL_CLOCK_COLUMN}
 * column lives in the metrics log only, and {@link #save} refuses it), so two runs with the same
 * seed write byte-identical checkpoints.
 *
 * <p>Order of writes: after an improving epoch {@code best} is written <em>before</em>
 * {@code last}. A crash between the two leaves a {@code best} one epoch ahead of {@code last};
 * {@link #reconcileBest} on resume recognizes it (and also repairs a run written in the old order,
 * whose {@code last} says it is the best but whose {@code best} is older). Stateless and
 * thread-safe; concurrent writers of one run directory are not supported.
 */
public final class Checkpoints {
    private Checkpoints() {}

    /** The checkpoint written after every epoch. */
    public static final String LAST = "last.safetensors";
    /** The checkpoint of the epoch with the best validation score so far. */
    public static final String BEST = "best.safetensors";
    /**
     * The format marker in the metadata. Version 2 holds model tensors in PyTorch's layouts and
     * names ({@code Linear.weight} {@code (out, in)}, recurrent {@code weight_ih_l<k>} ...).
     */
    public static final String FORMAT = "nabla-checkpoint/2";

    /**
     * The format before PyTorch's layouts (issue 13): {@code Linear.weight} {@code (in, out)} and
     * recurrent layers holding cells {@code l<k>} with {@code weightIh} {@code (in, G·H)},
     * {@code weightHh} {@code (H, G·H)}, {@code biasIh}, {@code biasHh}. Still read, through
     * {@link #upgrade}.
     */
    public static final String FORMAT_V1 = "nabla-checkpoint/1";

    /** The one-line notice {@link #upgrade} gives when it converts a version-1 checkpoint. */
    public static final String V1_CONVERTED = "converted a nabla-checkpoint/1 checkpoint (Linear weights (in,out) -> "
            + "(out,in), recurrent keys -> PyTorch names); save again to write nabla-checkpoint/2";

    /** The metric column with the epoch's wall time: kept out of checkpoints (they must not depend on the clock). */
    public static final String WALL_CLOCK_COLUMN = "time_s";

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
            return epochOf(metadata);
        }
    }

    /** The epoch recorded in checkpoint metadata; a missing or malformed value fails with a message saying so. */
    public static int epochOf(Map<String, String> metadata) {
        String e = metadata.get("epoch");
        if (e == null) {
            throw new IllegalArgumentException("checkpoint metadata lacks \"epoch\"; it was not written by `nabla train`");
        }
        try {
            int epoch = Integer.parseInt(e);
            if (epoch >= 0) {
                return epoch;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("checkpoint metadata \"epoch\" is \"" + e + "\", not an epoch count >= 0; "
                + "the file is damaged or was not written by `nabla train`");
    }

    /** How many keys an error message lists before it says how many more there are. */
    static final int LISTED_KEYS = 10;

    /**
     * {@code keys} for an error message: all of them when there are at most {@value #LISTED_KEYS},
     * else the first ten and {@code "... and N more"}, so that a damaged file with a huge header
     * cannot flood the terminal.
     */
    public static String keyList(Collection<String> keys) {
        StringBuilder sb = new StringBuilder("[");
        Iterator<String> it = keys.iterator();
        for (int i = 0; i < LISTED_KEYS && it.hasNext(); i++) {
            sb.append(i > 0 ? ", " : "").append(it.next());
        }
        if (it.hasNext()) {
            sb.append(", ... and ").append(keys.size() - LISTED_KEYS).append(" more");
        }
        return sb.append(']').toString();
    }

    /**
     * The one number stored as trainer entry {@code key} (e.g. {@code best_score}) of a checkpoint
     * read from {@code file}; a missing entry, one that is not a single number, or NaN fails with an
     * {@link IllegalArgumentException} naming {@code op}, the file and the entry.
     */
    public static double trainerNumber(Contents c, String key, Path file, String op) {
        NDArray v = c.trainer == null ? null : c.trainer.get(key);
        if (v == null || v.size() != 1) {
            throw new IllegalArgumentException(op + ": " + file + " lacks the trainer state \"trainer." + key
                    + "\" (one number" + (v == null ? "" : "; it holds " + v.size()) + "); it was not written by `nabla train`"
                    + " of this version, or is damaged; start a new run");
        }
        double x = v.item();
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException(op + ": " + file + ": the trainer state \"trainer." + key
                    + "\" is NaN; the file is damaged; start a new run");
        }
        return x;
    }

    /**
     * An epoch number stored as trainer entry {@code key} (e.g. {@code best_epoch}): an integer in
     * {@code [0, c.epoch()]}, else an {@link IllegalArgumentException} naming the file and the value.
     */
    public static int trainerEpoch(Contents c, String key, Path file, String op) {
        double x = trainerNumber(c, key, file, op);
        int epoch = c.epoch();
        if (!(x >= 0 && x <= epoch && x == Math.rint(x))) {
            throw new IllegalArgumentException(op + ": " + file + ": the trainer state \"trainer." + key + "\" is " + x
                    + ", not an epoch in [0, " + epoch + "] (the checkpoint's epoch); the file is damaged; start a new run");
        }
        return (int) x;
    }

    /**
     * Writes a checkpoint atomically to {@code file}; refuses a trainer entry holding the wall-clock
     * column, which would make two runs with the same seed differ byte for byte.
     */
    public static void save(Path file, Contents c) throws IOException {
        if (c.trainer != null && c.trainer.containsKey("history." + WALL_CLOCK_COLUMN)) {
            throw new IllegalArgumentException("Checkpoints.save: " + file + ": the trainer state holds \"history."
                    + WALL_CLOCK_COLUMN + "\", a wall-clock figure; keep it in the metrics log only, so that the same seed "
                    + "gives the same checkpoint bytes");
        }
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

    /**
     * Brings {@code dir}'s {@code best.safetensors} in line with the run's {@code last} checkpoint
     * (contents {@code last}, whose trainer state names {@code lastBestEpoch} as its best epoch)
     * before a resumed run continues:
     *
     * <ul>
     *   <li>{@code best} is ahead of {@code last} (a crash after writing {@code best}, before
     *       {@code last}): it is kept and returned, and the caller adopts its best score and epoch, so
     *       the redone epoch does not count as an improvement over itself;</li>
     *   <li>{@code last} is its own best but {@code best} is older or missing (a crash between the two
     *       writes of the old order): {@code last} is copied to {@code best};</li>
     *   <li>otherwise nothing changes.</li>
     * </ul>
     *
     * @return the contents of a {@code best} that is ahead of {@code last}, or null
     */
    public static Contents reconcileBest(Path dir, Path lastFile, Contents last, int lastBestEpoch) throws IOException {
        Path best = dir.resolve(BEST);
        int lastEpoch = last.epoch();
        if (Files.isRegularFile(best)) {
            Map<String, String> meta = readMetadata(best);
            int bestEpoch = epochOf(meta);
            if (bestEpoch > lastEpoch) {
                return load(best);
            }
            if (bestEpoch == lastBestEpoch || lastBestEpoch != lastEpoch) {
                return null;
            }
        } else if (lastBestEpoch != lastEpoch || lastEpoch == 0) {
            return null;
        }
        AtomicFiles.copy(lastFile, best);
        return null;
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

    /**
     * The metadata of a checkpoint, checked to come from {@code nabla train}: format {@link #FORMAT}
     * or {@link #FORMAT_V1} (whose tensors {@link #upgrade} converts).
     */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        Map<String, String> meta = Safetensors.loadMetadata(file);
        if (!FORMAT.equals(meta.get("format")) && !FORMAT_V1.equals(meta.get("format"))) {
            throw new IllegalArgumentException(file + " is a safetensors file but not a nabla training checkpoint "
                    + "(metadata \"format\" is " + (meta.get("format") == null ? "missing" : "\"" + meta.get("format") + "\"")
                    + ", expected \"" + FORMAT + "\" or \"" + FORMAT_V1 + "\"); pass a run directory or a last/best.safetensors "
                    + "written by `nabla train`");
        }
        return meta;
    }

    /**
     * The contents of checkpoint {@code c} in the current format for a model with the module tree of
     * {@code structure}: a {@link #FORMAT} checkpoint is returned as it is; a {@link #FORMAT_V1} one
     * is converted and {@link #V1_CONVERTED} is passed to {@code notice} (e.g. the run's stderr).
     * Which tensors change is read from the module tree, never guessed from shapes (a square Linear
     * would look the same either way): the {@code weight} of every {@link Linear} is transposed
     * from {@code (in, out)} to {@code (out, in)}; every {@link RNNBase} layer's cell keys
     * {@code l<k>.weightIh}, {@code l<k>.weightHh}, {@code l<k>.biasIh}, {@code l<k>.biasHh}
     * become {@code weight_ih_l<k>}, {@code weight_hh_l<k>}, {@code bias_ih_l<k>},
     * {@code bias_hh_l<k>}, the weights transposed from {@code (in, G·H)} to {@code (G·H, in)} (the
     * gate blocks were already in PyTorch's order, as columns, so they become rows unchanged); a
     * standalone cell's {@code weightIh} ... become {@code weight_ih} ... likewise. Every other
     * tensor is kept. Optimizer moments ({@code state.<i>.<buffer>}) of a transposed parameter are
     * transposed too; parameter indices do not change, since every converted module registers its
     * parameters in the same order as before. {@code structure} supplies names and module types
     * only: a model of the same architecture with any sizes will do. The model tensors come back in
     * {@code structure}'s state-dict order. {@code c} is not modified.
     */
    public static Contents upgrade(Contents c, Module structure, Consumer<String> notice) {
        if (!FORMAT_V1.equals(c.metadata.get("format"))) {
            return c;
        }
        Map<String, String> renamed = new LinkedHashMap<>(); // old key -> new key
        java.util.Set<String> transposed = new java.util.HashSet<>(); // new keys
        for (Map.Entry<String, Module> e : structure.namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            Module m = e.getValue();
            if (m instanceof Linear) {
                renamed.put(prefix + "weight", prefix + "weight");
                transposed.add(prefix + "weight");
            } else if (m instanceof RNNBase) {
                for (int l = 0; l < ((RNNBase) m).numLayers(); l++) {
                    String cell = prefix + "l" + l + ".";
                    renameCell(renamed, transposed, cell, prefix, "_l" + l);
                }
            } else if (m instanceof RecurrentCell) {
                renameCell(renamed, transposed, prefix, prefix, "");
            }
        }
        Map<String, NDArray> converted = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : c.model.entrySet()) {
            String key = renamed.getOrDefault(e.getKey(), e.getKey());
            NDArray v = e.getValue();
            converted.put(key, transposed.contains(key) && v.ndim() == 2 ? v.transpose() : v);
        }
        // in the model's state-dict order (a file lists its tensors sorted), then any key the model lacks
        Map<String, NDArray> model = new LinkedHashMap<>();
        for (String key : structure.stateDict().keySet()) {
            NDArray v = converted.remove(key);
            if (v != null) {
                model.put(key, v);
            }
        }
        model.putAll(converted);
        java.util.Set<String> transposedIndex = new java.util.HashSet<>();
        int i = 0;
        for (String key : structure.namedParameters().keySet()) {
            if (transposed.contains(key)) {
                transposedIndex.add(Integer.toString(i));
            }
            i++;
        }
        Map<String, NDArray> optim = null;
        if (c.optimizer != null) {
            optim = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : c.optimizer.entrySet()) {
                String[] parts = e.getKey().split("\\.", 3);
                NDArray v = e.getValue();
                boolean moment = parts.length == 3 && parts[0].equals("state") && transposedIndex.contains(parts[1])
                        && !parts[2].equals("step") && v.ndim() == 2;
                optim.put(e.getKey(), moment ? v.transpose() : v);
            }
        }
        Map<String, String> meta = new LinkedHashMap<>(c.metadata);
        meta.put("format", FORMAT);
        if (notice != null) {
            notice.accept(V1_CONVERTED);
        }
        return new Contents(model, optim, c.trainer, meta);
    }

    /** The version-1 keys of one recurrent cell at {@code oldPrefix} and their PyTorch names at {@code newPrefix}. */
    private static void renameCell(Map<String, String> renamed, java.util.Set<String> transposed, String oldPrefix,
                                   String newPrefix, String suffix) {
        String[][] names = {{"weightIh", "weight_ih"}, {"weightHh", "weight_hh"}, {"biasIh", "bias_ih"}, {"biasHh", "bias_hh"}};
        for (String[] n : names) {
            renamed.put(oldPrefix + n[0], newPrefix + n[1] + suffix);
        }
        transposed.add(newPrefix + "weight_ih" + suffix);
        transposed.add(newPrefix + "weight_hh" + suffix);
    }
}
