package dev.nabla.examples.train;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.io.JsonWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The resolved settings of one run: the command-line options with every unset one replaced by the
 * model's default. It is recorded in {@code config.json} and in every checkpoint's metadata so that
 * {@code nabla eval} and {@code --resume} rebuild exactly the same model. A run has at least one
 * epoch. Immutable and thread-safe.
 */
public final class RunConfig {
    /** The model or study name. */
    public final String model;
    /** Number of epochs to train (in total, counting epochs done before a resume). */
    public final int epochs;
    /** Mini-batch size. */
    public final int batchSize;
    /** Learning rate. */
    public final double lr;
    /** Optimizer name: sgd, momentum, adagrad, rmsprop, adam or adamw. */
    public final String optimizer;
    /** Weight decay (L2 for sgd/momentum/adagrad/rmsprop/adam, decoupled for adamw). */
    public final double weightDecay;
    /** Learning-rate schedule: none, cosine or step (see {@link Optimizers#schedule}). */
    public final String schedule;
    /** The seed every random choice derives from. */
    public final long seed;
    /** Where outputs go. */
    public final Path outDir;
    /** Directory with the data files, or null for the copies shipped with Nabla. */
    public final Path dataDir;
    /** Use only the first n training samples (0: all). */
    public final int trainLimit;
    /** Use only the first n test samples (0: all). */
    public final int testLimit;
    /** The dtype of the model's parameters and inputs (float64 unless {@code --dtype float32}). */
    public final DType dtype;

    /** A float64 config with every other field given. */
    public RunConfig(String model, int epochs, int batchSize, double lr, String optimizer, double weightDecay,
                     String schedule, long seed, Path outDir, Path dataDir, int trainLimit, int testLimit) {
        this(model, epochs, batchSize, lr, optimizer, weightDecay, schedule, seed, outDir, dataDir, trainLimit, testLimit,
                DType.FLOAT64);
    }

    /** A config with every field given. */
    public RunConfig(String model, int epochs, int batchSize, double lr, String optimizer, double weightDecay,
                     String schedule, long seed, Path outDir, Path dataDir, int trainLimit, int testLimit, DType dtype) {
        if (dtype == null) {
            throw new IllegalArgumentException("--dtype must be float64 or float32");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1 (a run trains at least one epoch and writes its "
                    + "checkpoints after each), got " + epochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("--lr must be a positive finite number, got " + lr);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("--weight-decay must be a finite number >= 0, got " + weightDecay);
        }
        if (!Optimizers.NAMES.contains(optimizer.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("--optimizer: unknown optimizer \"" + optimizer + "\"; expected one of "
                    + String.join(", ", Optimizers.NAMES));
        }
        if (!Optimizers.SCHEDULES.contains(schedule.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("--schedule: unknown schedule \"" + schedule + "\"; expected one of "
                    + String.join(", ", Optimizers.SCHEDULES));
        }
        if (trainLimit < 0 || testLimit < 0) {
            throw new IllegalArgumentException("--train-limit and --test-limit must be >= 0 (0 means all), got "
                    + trainLimit + " and " + testLimit);
        }
        this.model = model;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.lr = lr;
        this.optimizer = optimizer.toLowerCase(Locale.ROOT);
        this.weightDecay = weightDecay;
        this.schedule = schedule.toLowerCase(Locale.ROOT);
        this.seed = seed;
        this.outDir = outDir;
        this.dataDir = dataDir;
        this.trainLimit = trainLimit;
        this.testLimit = testLimit;
        this.dtype = dtype;
    }

    /** A copy with a different number of epochs. */
    public RunConfig withEpochs(int e) {
        return new RunConfig(model, e, batchSize, lr, optimizer, weightDecay, schedule, seed, outDir, dataDir, trainLimit, testLimit,
                dtype);
    }

    /** A copy with another learning rate, weight decay and optimizer (hyperparameter search, comparisons). */
    public RunConfig withOptimizer(String opt, double learningRate, double decay) {
        return new RunConfig(model, epochs, batchSize, learningRate, opt, decay, schedule, seed, outDir, dataDir, trainLimit, testLimit,
                dtype);
    }

    /** A copy writing to another directory. */
    public RunConfig withOutDir(Path dir) {
        return new RunConfig(model, epochs, batchSize, lr, optimizer, weightDecay, schedule, seed, dir, dataDir, trainLimit, testLimit,
                dtype);
    }

    /** The settings that define the training trajectory, as string pairs (checkpoint metadata). */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("epochs", Integer.toString(epochs));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("lr", Double.toString(lr));
        m.put("optimizer", optimizer);
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("schedule", schedule);
        m.put("seed", Long.toString(seed));
        m.put("train_limit", Integer.toString(trainLimit));
        m.put("test_limit", Integer.toString(testLimit));
        m.put("dtype", dtype.numpyName());
        return m;
    }

    /**
     * The config recorded in checkpoint metadata, with {@code outDir} and {@code dataDir} supplied
     * by the caller; fails with the missing key named.
     */
    public static RunConfig fromMetadata(Map<String, String> m, Path outDir, Path dataDir) {
        return new RunConfig(req(m, "model"), intOf("epochs", req(m, "epochs")), intOf("batch_size", req(m, "batch_size")),
                doubleOf("lr", req(m, "lr")), req(m, "optimizer"), doubleOf("weight_decay", req(m, "weight_decay")),
                m.getOrDefault("schedule", "none"),
                longOf("seed", req(m, "seed")), outDir, dataDir, intOf("train_limit", m.getOrDefault("train_limit", "0")),
                intOf("test_limit", m.getOrDefault("test_limit", "0")), dtypeOf(m.getOrDefault("dtype", "float64")));
    }

    private static IllegalArgumentException malformed(String key, String v, String what) {
        return new IllegalArgumentException("checkpoint metadata \"" + key + "\" is \"" + v + "\", not " + what
                + "; the checkpoint was not written by `nabla train` or is damaged");
    }

    private static DType dtypeOf(String v) {
        for (DType d : new DType[] {DType.FLOAT64, DType.FLOAT32}) { // the dtypes a model trains in
            if (d.numpyName().equalsIgnoreCase(v)) {
                return d;
            }
        }
        throw malformed("dtype", v, "float64 or float32");
    }

    private static int intOf(String key, String v) {
        long l = longOf(key, v);
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw malformed(key, v, "an int");
        }
        return (int) l;
    }

    private static long longOf(String key, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw malformed(key, v, "an integer");
        }
    }

    private static double doubleOf(String key, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw malformed(key, v, "a number");
        }
    }

    /** {@code float64} or {@code float32} (as NumPy and PyTorch name them) to a DType; anything else fails. */
    public static DType parseDtype(String name) {
        for (DType d : new DType[] {DType.FLOAT64, DType.FLOAT32}) { // the dtypes a model trains in
            if (d.numpyName().equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("--dtype: unknown dtype \"" + name + "\"; expected float64 or float32");
    }

    private static String req(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("checkpoint metadata lacks \"" + key + "\"; it was not written by "
                    + "`nabla train` (metadata keys: " + m.keySet() + ")");
        }
        return v;
    }

    /**
     * The config as an indented JSON object (for {@code config.json}), written by the project's one
     * {@link JsonWriter}: numbers as numbers, names and paths as strings (a run called
     * {@code 2026-12-02} stays a string), {@code data_dir} null for the shipped copies.
     */
    public String toJson() {
        return JsonWriter.writeIndented(toMap());
    }

    /** The settings of {@link #toJson} as an ordered map (numbers, strings, null). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("lr", lr);
        m.put("optimizer", optimizer);
        m.put("weight_decay", weightDecay);
        m.put("schedule", schedule);
        m.put("seed", seed);
        m.put("train_limit", trainLimit);
        m.put("test_limit", testLimit);
        m.put("dtype", dtype.numpyName());
        m.put("out_dir", String.valueOf(outDir));
        m.put("data_dir", dataDir == null ? null : dataDir.toString());
        return m;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: epochs=%d batch=%d optimizer=%s lr=%s weight_decay=%s schedule=%s seed=%d%s%s%s",
                model, epochs, batchSize, optimizer, lr, weightDecay, schedule, seed,
                trainLimit > 0 ? " train_limit=" + trainLimit : "", testLimit > 0 ? " test_limit=" + testLimit : "",
                dtype == DType.FLOAT64 ? "" : " dtype=" + dtype.numpyName());
    }
}
