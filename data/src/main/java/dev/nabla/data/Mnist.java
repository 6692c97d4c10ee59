package dev.nabla.data;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The MNIST handwritten digits (60,000 training and 10,000 test images of 28x28, labels 0-9),
 * loaded from the copy shipped in this module's resources or from another directory with the
 * standard file names. Inputs are flat rows of 784 pixels scaled to [0, 1] in float64
 * ({@code (N, 784)}, row-major image order); {@code load(...).reshape(1, 28, 28)} gives images for a
 * convolutional network without a copy.
 * Stateless and thread-safe.
 */
public final class Mnist {
    /** Image height. */
    public static final int ROWS = 28;
    /** Image width. */
    public static final int COLS = 28;
    /** Number of classes (digits 0-9). */
    public static final int CLASSES = 10;
    /** Number of training images of the standard split. */
    public static final int TRAIN_SIZE = 60_000;
    /** Number of test images of the standard split. */
    public static final int TEST_SIZE = 10_000;

    private static final List<String> NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private Mnist() {
    }

    /** The shipped split: no network, no files outside the project. */
    public static ArrayDataset load(Split split) {
        String images = imagesFile(split) + ".gz";
        String labels = labelsFile(split) + ".gz";
        InputStream li = DataFiles.openResource("mnist/" + labels);
        int[] l = Idx.readLabels(li, "classpath:" + DataFiles.RESOURCE_ROOT + "mnist/" + labels);
        InputStream ii = DataFiles.openResource("mnist/" + images);
        Idx.Images x = Idx.readImagesRaw(ii, "classpath:" + DataFiles.RESOURCE_ROOT + "mnist/" + images);
        return build(split, x, images, l, labels);
    }

    /**
     * A split from {@code dir}, which holds {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
     * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each gzip-compressed
     * ({@code .gz}) or raw. Works for any data in this format (Fashion-MNIST, for one).
     */
    public static ArrayDataset load(Path dir, Split split) {
        Path images = find(dir, imagesFile(split));
        Path labels = find(dir, labelsFile(split));
        int[] l = Idx.readLabels(labels);
        Idx.Images x = Idx.readImagesRaw(DataFiles.open(images), images.toString());
        return build(split, x, images.getFileName().toString(), l, labels.getFileName().toString());
    }

    private static ArrayDataset build(Split split, Idx.Images images, String imagesName, int[] labels,
                                      String labelsName) {
        int n = images.count;
        if (labels.length != n) {
            throw new MalformedDataException(imagesName + " / " + labelsName, "counts do not match: " + imagesName
                    + " holds " + n + " images but " + labelsName + " holds " + labels.length
                    + " labels; the two files of the " + split.name().toLowerCase() + " split must belong together");
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] >= CLASSES) {
                throw new MalformedDataException(labelsName, "label " + labels[i] + " at position " + i
                        + " is not a digit 0-9");
            }
        }
        // the decoded pixel array becomes the dataset's storage without a copy
        return new ArrayDataset(images.pixels, n, new int[] {images.rows * images.cols}, labels, null, null, NAMES);
    }

    private static String imagesFile(Split split) {
        return (split == Split.TRAIN ? "train" : "t10k") + "-images-idx3-ubyte";
    }

    private static String labelsFile(Split split) {
        return (split == Split.TRAIN ? "train" : "t10k") + "-labels-idx1-ubyte";
    }

    private static Path find(Path dir, String base) {
        List<Path> tried = new ArrayList<>();
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
            tried.add(p);
        }
        throw new UncheckedIOException(new NoSuchFileException(dir.toString(), null,
                "MNIST: neither " + tried.get(0).getFileName() + " nor " + tried.get(1).getFileName()
                        + " is in this directory"));
    }
}
