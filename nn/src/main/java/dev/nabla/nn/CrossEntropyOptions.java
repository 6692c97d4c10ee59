package dev.nabla.nn;

import dev.nabla.ndarray.NDArray;
import java.util.Objects;

/**
 * The settings of {@link Functional#crossEntropy} and {@link Functional#nllLoss} beside the
 * logits and targets, PyTorch's keyword arguments of {@code F.cross_entropy}: a per-class
 * {@code weight} (shape (C), or null for none), {@code ignoreIndex} (default -100), the
 * {@link Reduction} (default mean) and {@code labelSmoothing} in [0, 1] (default 0). Each
 * {@code with}-method returns a new instance; {@link #defaults()} is PyTorch's defaults.
 * <pre>{@code
 * Functional.crossEntropy(logits, labels, CrossEntropyOptions.defaults().labelSmoothing(0.1).reduction(Reduction.SUM));
 * }</pre>
 * Immutable and thread-safe (the weight array is copied in and never handed out to be changed).
 */
public final class CrossEntropyOptions {
    /** PyTorch's default {@code ignore_index}: a target that contributes nothing. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    private static final CrossEntropyOptions DEFAULTS =
            new CrossEntropyOptions(null, DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.0);

    private final NDArray weight;
    private final int ignoreIndex;
    private final Reduction reduction;
    private final double labelSmoothing;

    private CrossEntropyOptions(NDArray weight, int ignoreIndex, Reduction reduction, double labelSmoothing) {
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
        this.labelSmoothing = labelSmoothing;
    }

    /** PyTorch's defaults: no weight, ignore index -100, mean reduction, no label smoothing. */
    public static CrossEntropyOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A manual rescaling weight per class, shape (C), floating point and non-negative (PyTorch's
     * {@code weight}); null removes it. With mean reduction the sum is divided by the summed
     * weights of the (non-ignored) targets, as PyTorch does.
     */
    public CrossEntropyOptions weight(NDArray w) {
        if (w != null) {
            if (w.ndim() != 1 || !w.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("crossEntropy: weight must be a floating-point array of shape (C), got "
                        + w.dtype().numpyName() + " of shape " + dev.nabla.ndarray.Shapes.str(w.shape())
                        + "; pass one weight per class, e.g. NDArray.of(new double[] {1, 2, 1})");
            }
            for (int i = 0; i < w.size(); i++) {
                double v = w.getFlat(i);
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("crossEntropy: weight[" + i + "] = " + v
                            + "; class weights must be finite and non-negative");
                }
            }
            w = w.copy();
        }
        return new CrossEntropyOptions(w, ignoreIndex, reduction, labelSmoothing);
    }

    /** The target value whose samples contribute nothing (PyTorch's {@code ignore_index}). */
    public CrossEntropyOptions ignoreIndex(int index) {
        return new CrossEntropyOptions(weight, index, reduction, labelSmoothing);
    }

    /** How per-sample losses are reduced. */
    public CrossEntropyOptions reduction(Reduction r) {
        Objects.requireNonNull(r, "crossEntropy: reduction must be NONE, MEAN or SUM, not null");
        return new CrossEntropyOptions(weight, ignoreIndex, r, labelSmoothing);
    }

    /**
     * Label smoothing {@code ε} in [0, 1] (PyTorch's {@code label_smoothing}): the target becomes
     * {@code (1 - ε)·onehot + ε/C}, as in Szegedy et al. (2016), "Rethinking the Inception
     * Architecture"; only cross-entropy accepts it, not NLL.
     */
    public CrossEntropyOptions labelSmoothing(double eps) {
        if (!(eps >= 0.0 && eps <= 1.0)) {
            throw new IllegalArgumentException("crossEntropy: label_smoothing must be between 0.0 and 1.0. Got: " + eps);
        }
        return new CrossEntropyOptions(weight, ignoreIndex, reduction, eps);
    }

    /** The class weights (a copy), or null. */
    public NDArray weight() {
        return weight == null ? null : weight.copy();
    }

    /** The class weights without copying, for the loss itself (never modified). */
    NDArray weightUnsafe() {
        return weight;
    }

    /** The ignored target value. */
    public int ignoreIndex() {
        return ignoreIndex;
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    /** The label smoothing ε. */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    /** Whether these are exactly PyTorch's defaults. */
    boolean isDefault() {
        return weight == null && ignoreIndex == DEFAULT_IGNORE_INDEX && reduction == Reduction.MEAN && labelSmoothing == 0.0;
    }

    @Override
    public String toString() {
        return "CrossEntropyOptions(weight=" + (weight == null ? "None" : weight.toString()) + ", ignoreIndex=" + ignoreIndex
                + ", reduction=" + reduction.torchName() + ", labelSmoothing=" + labelSmoothing + ")";
    }
}
