package dev.nabla.optim;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves and restores an optimizer's state as a safetensors file, so that training resumes bitwise
 * identically. The tensors are {@link Optimizer#stateDict()} ({@code "lr"}, {@code "step"},
 * {@code "state.<i>.step"}, {@code "state.<i>.<buffer>"}, with several parameter groups also
 * {@code "group.<g>.lr"}, {@code "group.<g>.params"} and the group's options, all F64); the metadata names the format,
 * the optimizer, its learning rate, step count, parameter and group counts and hyper-parameters ({@code "hp.*"}),
 * readable from Python with {@code safetensors.safe_open(path, "np").metadata()}. Writes are atomic.
 * Stateless and thread-safe itself; save or load an optimizer only while no other thread steps it.
 */
public final class OptimizerCheckpoint {
    /** The value of the {@code "format"} metadata entry. */
    public static final String FORMAT = "nabla.optimizer.v1";

    private OptimizerCheckpoint() {}

    /** Atomically writes {@code optimizer}'s state to {@code path}. */
    public static void save(Path path, Optimizer optimizer) throws IOException {
        save(path, optimizer, Map.of());
    }

    /**
     * Atomically writes {@code optimizer}'s state to {@code path}, with {@code extra} metadata (for
     * example a scheduler's epoch) stored beside it under keys starting with {@code "user."}.
     */
    public static void save(Path path, Optimizer optimizer, Map<String, String> extra) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("optimizer", optimizer.name());
        meta.put("lr", Double.toString(optimizer.lr()));
        meta.put("step", Long.toString(optimizer.stepCount()));
        meta.put("params", Integer.toString(optimizer.params().size()));
        meta.put("groups", Integer.toString(optimizer.groupCount()));
        for (Map.Entry<String, String> e : optimizer.hyperParameters().entrySet()) {
            meta.put("hp." + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : extra.entrySet()) {
            meta.put("user." + e.getKey(), e.getValue());
        }
        Safetensors.save(path, optimizer.stateDict(), meta);
    }

    /**
     * Restores {@code optimizer}'s state (learning rate, step counts, buffers) from {@code path}. The
     * optimizer must be of the same kind and over parameters of the same shapes in the same order;
     * otherwise nothing changes and the exception names the file and the mismatch.
     *
     * @return the {@code extra} metadata given to {@link #save(Path, Optimizer, Map)}
     */
    public static Map<String, String> load(Path path, Optimizer optimizer) throws IOException {
        Map<String, NDArray> tensors = Safetensors.load(path);
        Map<String, String> meta = Safetensors.loadMetadata(path);
        String where = "OptimizerCheckpoint.load: file '" + path + "': ";
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException(where + "not an optimizer checkpoint (metadata format is "
                    + (meta.containsKey("format") ? "'" + meta.get("format") + "'" : "missing") + ", expected '" + FORMAT
                    + "'); was it saved with OptimizerCheckpoint.save?");
        }
        if (!optimizer.name().equals(meta.get("optimizer"))) {
            throw new IllegalArgumentException(where + "the checkpoint holds " + meta.get("optimizer")
                    + " state but the optimizer is " + optimizer.name() + "; build a " + meta.get("optimizer") + " to resume");
        }
        String n = Integer.toString(optimizer.params().size());
        if (!n.equals(meta.get("params"))) {
            throw new IllegalArgumentException(where + "the checkpoint was saved for " + meta.get("params")
                    + " parameters but the optimizer has " + n);
        }
        String groups = meta.getOrDefault("groups", "1"); // checkpoints from before parameter groups hold one
        if (!groups.equals(Integer.toString(optimizer.groupCount()))) {
            throw new IllegalArgumentException(where + "the checkpoint was saved with " + groups + " parameter group(s) but "
                    + "the optimizer has " + optimizer.groupCount() + "; build it with the same parameter groups");
        }
        try {
            optimizer.loadStateDict(tensors);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
        Map<String, String> extra = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (e.getKey().startsWith("user.")) {
                extra.put(e.getKey().substring(5), e.getValue());
            }
        }
        return extra;
    }
}
