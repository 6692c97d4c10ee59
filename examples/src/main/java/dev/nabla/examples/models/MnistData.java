package dev.nabla.examples.models;

import dev.nabla.data.ArrayDataset;
import dev.nabla.data.MalformedDataException;
import dev.nabla.data.Mnist;
import dev.nabla.data.Split;
import dev.nabla.examples.train.RunConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * MNIST as the examples use it: the shipped copy (or {@code --data-dir}), the 60,000 training images
 * split into the first 55,000 for training and the last 5,000 for validation (a fixed split, the
 * same for every seed, so runs compare on the same images), and the 10,000 test images. Loaded once
 * per JVM and shared.
 * Thread-safe: the raw data cache is synchronized, and the splits are immutable datasets.
 */
public final class MnistData {
    /** Size of the validation part cut from the end of the training set. */
    public static final int VALIDATION = 5_000;

    private static final Map<String, ArrayDataset[]> CACHE = new HashMap<>();

    /** Training part. */
    public final ArrayDataset train;
    /** Validation part. */
    public final ArrayDataset validation;
    /** Test set. */
    public final ArrayDataset test;

    private MnistData(ArrayDataset train, ArrayDataset validation, ArrayDataset test) {
        this.train = train;
        this.validation = validation;
        this.test = test;
    }

    /**
     * The splits for {@code cfg}: {@code trainLimit} keeps the first n training images, and
     * {@code testLimit} the first n validation and test images.
     */
    public static MnistData load(RunConfig cfg) {
        ArrayDataset[] all = raw(cfg.dataDir);
        int n = all[0].size();
        if (n <= VALIDATION) {
            throw new MalformedDataException(cfg.dataDir == null ? "MNIST" : cfg.dataDir.toString(), "the training set "
                    + "holds " + n + " images, but the validation split alone takes its last " + VALIDATION + "; give the "
                    + "full training set (60,000 images; at least " + (VALIDATION + 1) + ") in --data-dir");
        }
        ArrayDataset train = all[0].range(0, n - VALIDATION);
        ArrayDataset val = all[0].range(n - VALIDATION, n);
        ArrayDataset test = all[1];
        if (cfg.trainLimit > 0 && cfg.trainLimit < train.size()) {
            train = train.range(0, cfg.trainLimit);
        }
        if (cfg.testLimit > 0) {
            val = cfg.testLimit < val.size() ? val.range(0, cfg.testLimit) : val;
            test = cfg.testLimit < test.size() ? test.range(0, cfg.testLimit) : test;
        }
        return new MnistData(train, val, test);
    }

    /** The raw training and test sets, cached. */
    static synchronized ArrayDataset[] raw(Path dataDir) {
        String key = dataDir == null ? "" : dataDir.toAbsolutePath().normalize().toString();
        return CACHE.computeIfAbsent(key, k -> new ArrayDataset[] {
            dataDir == null ? Mnist.load(Split.TRAIN) : Mnist.load(dataDir, Split.TRAIN),
            dataDir == null ? Mnist.load(Split.TEST) : Mnist.load(dataDir, Split.TEST)});
    }

    /** The same splits with each image as {@code (1, 28, 28)} (for convolutional networks). */
    public MnistData images() {
        return new MnistData(train.reshape(1, 28, 28), validation.reshape(1, 28, 28), test.reshape(1, 28, 28));
    }
}
