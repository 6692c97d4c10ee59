package dev.nabla.examples.train;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.Safetensors;
import dev.nabla.ndarray.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Training checkpoints in the safetensors format (readable from Python). One file holds the
 * model's state dict under {@code model.<key>}, the optimizer's state under {@code optim.<key>},
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
    /** The format marker in the metadata. */
    public static final String FORMAT = "nabla-checkpoint/1";

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
