package dev.nabla.data;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An in-memory dataset: a features array of shape {@code (N, ...)} and, per sample, either an
 * integer class label or a target array ({@code (N, ...)}). The storage is one contiguous
 * {@code double[]}, so that a {@link DataLoader} collates a batch with array copies.
 * Instances are immutable; the arrays they return are views to be treated as read-only values.
 * Thread-safe for reads (it is immutable).
 */
public final class ArrayDataset implements Dataset {
    private final double[] x;
    private final int[] sampleShape;
    private final int sampleSize;
    private final int n;
    private final int[] labels;
    private final double[] targets;
    private final int[] targetShape;
    private final int targetSize;
    private final List<String> classNames;

    /**
     * Class labels must be below this (2^20 = 1,048,576 classes): a larger label cannot be a class
     * index of a classifier this library trains (its one-hot rows and per-class tables would not fit),
     * and {@code largest label + 1} must stay countable. Remap sparse ids to {@code 0..k-1} first.
     */
    public static final int MAX_CLASSES = 1 << 20;

    /** Wraps storage without copying; all public factories validate and copy. */
    ArrayDataset(double[] x, int n, int[] sampleShape, int[] labels, double[] targets, int[] targetShape,
                 List<String> classNames) {
        this.x = x;
        this.n = n;
        this.sampleShape = sampleShape.clone();
        this.sampleSize = Shapes.size(sampleShape);
        this.labels = labels;
        this.targets = targets;
        this.targetShape = targetShape == null ? null : targetShape.clone();
        this.targetSize = targetShape == null ? 0 : Shapes.size(targetShape);
        this.classNames = classNames == null ? List.of() : List.copyOf(classNames);
    }

    /** A classification dataset: {@code features} of shape {@code (N, ...)} and {@code N} labels {@code >= 0}. */
    public static ArrayDataset of(NDArray features, int[] labels) {
        int n = leading("ArrayDataset.of", features, "features");
        if (labels.length != n) {
            throw new IllegalArgumentException("ArrayDataset.of: features have " + n + " samples (shape "
                    + Shapes.str(features.shape()) + ") but " + labels.length + " labels were given");
        }
        checkLabels("ArrayDataset.of", labels);
        return new ArrayDataset(features.toArray(), n, tail(features.shape()), labels.clone(), null, null, null);
    }

    /** A dataset with target arrays: {@code features (N, ...)} and {@code targets (N, ...)}. */
    public static ArrayDataset of(NDArray features, NDArray targets) {
        int n = leading("ArrayDataset.of", features, "features");
        int m = leading("ArrayDataset.of", targets, "targets");
        if (m != n) {
            throw new IllegalArgumentException("ArrayDataset.of: features have " + n + " samples (shape "
                    + Shapes.str(features.shape()) + ") but targets have " + m + " (shape "
                    + Shapes.str(targets.shape()) + "); the leading dimensions must agree");
        }
        return new ArrayDataset(features.toArray(), n, tail(features.shape()), null, targets.toArray(),
                tail(targets.shape()), null);
    }

    static void checkLabels(String op, int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException(op + ": label " + labels[i] + " at position " + i
                        + " is negative; class labels must be integers >= 0");
            }
            if (labels[i] >= MAX_CLASSES) {
                throw new IllegalArgumentException(op + ": label " + labels[i] + " at position " + i
                        + " is too large; class labels must be below ArrayDataset.MAX_CLASSES = " + MAX_CLASSES
                        + " (remap sparse class ids to 0..k-1)");
            }
        }
    }

    private static int leading(String op, NDArray a, String what) {
        if (a.ndim() == 0) {
            throw new IllegalArgumentException(op + ": " + what + " must have a leading sample dimension (N, ...) but is a scalar");
        }
        return a.shape(0);
    }

    private static int[] tail(int[] shape) {
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    private static int[] withLeading(int n, int[] s) {
        int[] out = new int[s.length + 1];
        out[0] = n;
        System.arraycopy(s, 0, out, 1, s.length);
        return out;
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public Sample get(int index) {
        Dataset.checkIndex("ArrayDataset.get", index, n);
        NDArray xi = NDArray.of(Arrays.copyOfRange(x, index * sampleSize, (index + 1) * sampleSize), sampleShape);
        if (labels != null) {
            return Sample.of(xi, labels[index]);
        }
        return Sample.of(xi, NDArray.of(Arrays.copyOfRange(targets, index * targetSize, (index + 1) * targetSize),
                targetShape));
    }

    /** The shape of one sample's input (without the leading {@code N}). */
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** All inputs, shape {@code (N, ...)}: a view of the storage, not to be modified in place. */
    public NDArray features() {
        return NDArray.of(x, withLeading(n, sampleShape));
    }

    /** Whether samples carry class labels (otherwise target arrays). */
    public boolean hasLabels() {
        return labels != null;
    }

    /** The class labels (a copy); fails for a dataset of targets. */
    public int[] labels() {
        if (labels == null) {
            throw new IllegalStateException("ArrayDataset.labels: this dataset holds targets of shape "
                    + Shapes.str(withLeading(n, targetShape)) + ", not class labels; use targets()");
        }
        return labels.clone();
    }

    /** All targets, shape {@code (N, ...)} (a read-only view); fails for a dataset of class labels. */
    public NDArray targets() {
        if (targets == null) {
            throw new IllegalStateException("ArrayDataset.targets: this dataset holds class labels, not targets;"
                    + " use labels()");
        }
        return NDArray.of(targets, withLeading(n, targetShape));
    }

    /** The number of classes: the number of class names if known, else the largest label + 1. */
    public int numClasses() {
        if (labels == null) {
            throw new IllegalStateException("ArrayDataset.numClasses: this dataset holds targets, not class labels");
        }
        long max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        // labels are checked below MAX_CLASSES on the way in, so max + 1 cannot overflow; long keeps it so
        return (int) Math.min(Math.max(max + 1, classNames.size()), Integer.MAX_VALUE);
    }

    /** Class names by label, or an empty list when unknown. */
    public List<String> classNames() {
        return Collections.unmodifiableList(classNames);
    }

    /** The same data with class names attached (one per class). */
    public ArrayDataset withClassNames(List<String> names) {
        if (labels == null) {
            throw new IllegalStateException("ArrayDataset.withClassNames: this dataset holds targets, not class labels");
        }
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        if (names.size() <= max) {
            throw new IllegalArgumentException("ArrayDataset.withClassNames: " + names.size()
                    + " names given but the labels go up to " + max);
        }
        return new ArrayDataset(x, n, sampleShape, labels, targets, targetShape, names);
    }

    /** The same data with each sample's input viewed in a new shape of the same size, e.g. {@code (784)} to {@code (1, 28, 28)}. */
    public ArrayDataset reshape(int... newSampleShape) {
        int[] s = newSampleShape.clone();
        int known = 1;
        int infer = -1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1 && infer < 0) {
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0 && known > 0 && sampleSize % known == 0) {
            s[infer] = sampleSize / known;
        }
        for (int d : s) {
            if (d < 0) {
                throw new IllegalArgumentException("ArrayDataset.reshape: shape " + Arrays.toString(newSampleShape)
                        + " is invalid for samples of shape " + Shapes.str(sampleShape) + " (size " + sampleSize + ")");
            }
        }
        if (Shapes.size(s) != sampleSize) {
            throw new IllegalArgumentException("ArrayDataset.reshape: shape " + Arrays.toString(newSampleShape)
                    + " is invalid for samples of shape " + Shapes.str(sampleShape) + " (size " + sampleSize + ")");
        }
        return new ArrayDataset(x, n, s, labels, targets, targetShape, classNames);
    }

    /**
     * The same labels or targets with inputs {@code f(features())}; {@code f} must keep the leading
     * dimension {@code N}. Used to apply a fitted {@link Standardizer} or {@link MinMaxScaler}.
     */
    public ArrayDataset mapFeatures(UnaryOperator<NDArray> f) {
        NDArray out = f.apply(features());
        if (out.ndim() == 0 || out.shape(0) != n) {
            throw new IllegalArgumentException("ArrayDataset.mapFeatures: the function must keep the " + n
                    + " samples on the leading axis but returned shape " + Shapes.str(out.shape()));
        }
        return new ArrayDataset(out.toArray(), n, tail(out.shape()), labels, targets, targetShape, classNames);
    }

    /** A copy of the samples {@code from..to-1}, e.g. {@code range(0, 1000)} for a quick run on a subset. */
    public ArrayDataset range(int from, int to) {
        if (from < 0 || to > n || from > to) {
            throw new IndexOutOfBoundsException("ArrayDataset.range: [" + from + ", " + to
                    + ") is not a range of a dataset of size " + n);
        }
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return subset(idx);
    }

    /** A copy of the samples at the given positions (in that order). */
    @Override
    public ArrayDataset subset(int... indices) {
        int m = indices.length;
        double[] nx = new double[m * sampleSize];
        int[] nl = labels == null ? null : new int[m];
        double[] nt = targets == null ? null : new double[m * targetSize];
        for (int j = 0; j < m; j++) {
            int i = indices[j];
            Dataset.checkIndex("ArrayDataset.subset", i, n);
            System.arraycopy(x, i * sampleSize, nx, j * sampleSize, sampleSize);
            if (nl != null) {
                nl[j] = labels[i];
            } else {
                System.arraycopy(targets, i * targetSize, nt, j * targetSize, targetSize);
            }
        }
        return new ArrayDataset(nx, m, sampleShape, nl, nt, targetShape, classNames);
    }

    /** Collates the samples {@code order[from..to)} into a batch with array copies. */
    Batch batch(int[] order, int from, int to) {
        int m = to - from;
        int[] idx = Arrays.copyOfRange(order, from, to);
        double[] bx = new double[m * sampleSize];
        int[] bl = labels == null ? null : new int[m];
        double[] bt = targets == null ? null : new double[m * targetSize];
        for (int j = 0; j < m; j++) {
            int i = idx[j];
            System.arraycopy(x, i * sampleSize, bx, j * sampleSize, sampleSize);
            if (bl != null) {
                bl[j] = labels[i];
            } else {
                System.arraycopy(targets, i * targetSize, bt, j * targetSize, targetSize);
            }
        }
        return new Batch(NDArray.of(bx, withLeading(m, sampleShape)), bl,
                bt == null ? null : NDArray.of(bt, withLeading(m, targetShape)), idx);
    }
}
