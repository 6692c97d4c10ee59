package dev.nabla.nn;

import dev.nabla.autograd.F;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Arrays;

/**
 * The implementations behind the losses of {@link Functional} (the public entry points, with the
 * Javadoc of each definition). Stable fused forms: log-sum-exp inside cross-entropy, the softplus
 * form of BCE with logits. Stateless and thread-safe.
 */
final class Losses {
    private Losses() {}

    /** The floor PyTorch applies to the logarithms inside BCE. */
    static final double BCE_LOG_FLOOR = -100.0;

    // ---------------------------------------------------------------- elementwise

    /** Reduces elementwise losses {@code v}: the mean over every element, the sum, or {@code v} itself. */
    static Variable reduce(Variable v, Reduction r) {
        switch (r) {
            case MEAN:
                return v.mean();
            case SUM:
                return v.sum();
            default:
                return v;
        }
    }

    static Variable mse(Variable y, Variable t, Reduction r) {
        requireSameShape("mseLoss", y, t);
        Variable d = y.sub(t);
        return reduce(d.mul(d), r);
    }

    static Variable l1(Variable y, Variable t, Reduction r) {
        requireSameShape("l1Loss", y, t);
        return reduce(y.sub(t).abs(), r);
    }

    static Variable huber(Variable y, Variable t, double delta, Reduction r) {
        requireSameShape("huberLoss", y, t);
        if (!(delta > 0)) {
            throw new IllegalArgumentException("huberLoss: delta must be positive, got " + delta);
        }
        Variable d = y.sub(t);
        Variable a = d.abs();
        Variable inside = a.lt(Variable.constant(delta, a.dtype()));
        Variable quad = d.mul(d).mul(0.5);
        Variable lin = a.sub(0.5 * delta).mul(delta);
        return reduce(F.where(inside, quad, lin), r);
    }

    static Variable smoothL1(Variable y, Variable t, double beta, Reduction r) {
        requireSameShape("smoothL1Loss", y, t);
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("smoothL1Loss: beta must be non-negative, got " + beta);
        }
        if (beta == 0) {
            return reduce(y.sub(t).abs(), r);
        }
        Variable d = y.sub(t);
        Variable a = d.abs();
        Variable inside = a.lt(Variable.constant(beta, a.dtype()));
        Variable quad = d.mul(d).mul(0.5 / beta);
        Variable lin = a.sub(0.5 * beta);
        return reduce(F.where(inside, quad, lin), r);
    }

    static Variable bce(Variable p, Variable t, NDArray weight, Reduction r) {
        requireSameShape("binaryCrossEntropy", p, t);
        NDArray pd = dev.nabla.autograd.Vmap.values(p); // every example's values under vmap
        for (int i = 0; i < pd.size(); i++) {
            double v = pd.getFlat(i);
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("binaryCrossEntropy: all elements of the input should be between 0 and 1, "
                        + "but element " + i + " of shape " + Shapes.str(pd.shape()) + " is " + v
                        + "; apply sigmoid first or use binaryCrossEntropyWithLogits");
            }
        }
        Variable floor = Variable.constant(BCE_LOG_FLOOR);
        Variable tiny = Variable.constant(Double.MIN_NORMAL);
        Variable logP = p.maximum(tiny).log().maximum(floor);
        Variable log1mP = p.rsub(1.0).maximum(tiny).log().maximum(floor);
        Variable v = t.mul(logP).add(t.rsub(1.0).mul(log1mP));
        if (weight != null) {
            v = v.mul(weightConstant("binaryCrossEntropy", "weight", weight, p));
        }
        return r == Reduction.MEAN ? v.mean().neg() : reduce(v.neg(), r);
    }

    static Variable bceWithLogits(Variable x, Variable t, NDArray weight, NDArray posWeight, Reduction r) {
        requireSameShape("binaryCrossEntropyWithLogits", x, t);
        Variable v;
        if (posWeight == null) {
            v = Functional.softplus(x).sub(x.mul(t));
        } else {
            // pw·t·softplus(-x) + (1 - t)(x + softplus(-x)) = (1 - t) x + (1 + (pw - 1) t) softplus(-x)
            Variable pw = weightConstant("binaryCrossEntropyWithLogits", "posWeight", posWeight, x);
            Variable coef = pw.sub(1.0).mul(t).add(1.0);
            v = t.rsub(1.0).mul(x).add(coef.mul(Functional.softplus(x.neg())));
        }
        if (weight != null) {
            v = v.mul(weightConstant("binaryCrossEntropyWithLogits", "weight", weight, x));
        }
        return reduce(v, r);
    }

    /** A non-differentiable weight array as a constant of x's dtype, checked to broadcast against x. */
    private static Variable weightConstant(String op, String name, NDArray w, Variable x) {
        if (!Shapes.broadcastable(w.shape(), x.shape())) {
            throw new IllegalArgumentException(op + ": " + name + " of shape " + Shapes.str(w.shape())
                    + " must broadcast to the input shape " + Shapes.str(x.shape())
                    + " (e.g. one value per class on the last axis)");
        }
        return Variable.constant(w.astype(x.dtype()));
    }

    // ---------------------------------------------------------------- classification

    /** Cross-entropy of logits (N, C) against class indices, with PyTorch's weight/ignore/reduction/smoothing. */
    static Variable crossEntropy(Variable logits, int[] targets, CrossEntropyOptions o) {
        checkClassification("crossEntropy", logits, targets);
        return classLoss("crossEntropy", F.logSoftmax(logits, 1), targets, o);
    }

    /** NLL of log-probabilities (N, C) against class indices. */
    static Variable nll(Variable logProbs, int[] targets, CrossEntropyOptions o) {
        checkClassification("nllLoss", logProbs, targets);
        if (o.labelSmoothing() != 0.0) {
            throw new IllegalArgumentException("nllLoss: label smoothing is defined for crossEntropy only (got "
                    + o.labelSmoothing() + "); use crossEntropy on the logits, or labelSmoothing(0)");
        }
        return classLoss("nllLoss", logProbs, targets, o);
    }

    /**
     * {@code (1 - ε)·nll + ε/C·smooth} as PyTorch's {@code cross_entropy} computes it (LossNLL.cpp):
     * nll_i = -w[t_i]·logp[i, t_i], smooth_i = -Σ_c w_c·logp[i, c], both 0 for ignored samples; the
     * mean divides both sums by Σ_i w[t_i] over the non-ignored samples (NaN if there are none).
     */
    private static Variable classLoss(String op, Variable logp, int[] t, CrossEntropyOptions o) {
        int n = t.length;
        int c = logp.shape(1);
        int ignore = o.ignoreIndex();
        NDArray weight = o.weightUnsafe();
        if (weight != null && weight.size() != c) {
            throw new IllegalArgumentException(op + ": weight has " + weight.size() + " elements but the input has " + c
                    + " classes " + Shapes.str(logp.shape()) + "; pass one weight per class");
        }
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (t[i] == ignore) {
                continue;
            }
            if (t[i] < 0 || t[i] >= c) {
                throw new IndexOutOfBoundsException(op + ": target " + t[i] + " at position " + i
                        + " is out of bounds for " + c + " classes (valid targets are 0.." + (c - 1)
                        + ", or the ignore index " + ignore + ")");
            }
            kept++;
        }
        if (o.isDefault()) {
            return meanNll(logp, t, ignore, kept);
        }
        int[] rows = new int[n];
        int[] cols = new int[n];
        double[] w = new double[n];
        double wsum = 0;
        for (int i = 0; i < n; i++) {
            rows[i] = i;
            boolean skip = t[i] == ignore;
            cols[i] = skip ? 0 : t[i];
            w[i] = skip ? 0.0 : weight == null ? 1.0 : weight.getFlat(t[i]);
            wsum += w[i];
        }
        DType dt = logp.dtype();
        Variable nll = logp.getItem(Index.of(rows), Index.of(cols)).mul(Variable.constant(NDArray.of(w, n).astype(dt))).neg();
        Variable loss = reduceSamples(nll, o.reduction(), wsum);
        double eps = o.labelSmoothing();
        if (eps == 0.0) {
            return loss;
        }
        double[] mask = new double[n];
        for (int i = 0; i < n; i++) {
            mask[i] = t[i] == ignore ? 0.0 : 1.0;
        }
        Variable weighted = weight == null ? logp : logp.mul(Variable.constant(weight.astype(dt)));
        Variable smooth = weighted.sum(new int[] {1}, false).mul(Variable.constant(NDArray.of(mask, n).astype(dt))).neg();
        return loss.mul(1.0 - eps).add(reduceSamples(smooth, o.reduction(), wsum).mul(eps / c));
    }

    /** The unweighted mean over kept rows, the historical fast path (bitwise what it always gave). */
    private static Variable meanNll(Variable logp, int[] t, int ignore, int kept) {
        if (kept == 0) {
            return logp.sum().mul(0.0).div(0.0);
        }
        int[] rows = new int[kept];
        int[] cols = new int[kept];
        for (int i = 0, k = 0; i < t.length; i++) {
            if (t[i] != ignore) {
                rows[k] = i;
                cols[k++] = t[i];
            }
        }
        return logp.getItem(Index.of(rows), Index.of(cols)).sum().div(-(double) kept);
    }

    private static Variable reduceSamples(Variable v, Reduction r, double weightSum) {
        switch (r) {
            case MEAN:
                return v.sum().div(weightSum); // 0/0 = NaN when every sample is ignored, as PyTorch
            case SUM:
                return v.sum();
            default:
                return v;
        }
    }

    /**
     * Cross-entropy against class probabilities (N, C), PyTorch's probability-target form: with
     * smoothing the target becomes {@code t(1 - ε) + ε/C}; the class weight scales each class's
     * term; the mean divides by N (not by weights), as PyTorch does for probability targets.
     */
    static Variable crossEntropyProbs(Variable logits, Variable probs, CrossEntropyOptions o) {
        if (logits.ndim() != 2) {
            throw new IllegalArgumentException("crossEntropy: expected logits of shape (N, C), got "
                    + Shapes.str(logits.shape()) + "; reshape sequence outputs to (N*T, C)");
        }
        requireSameShape("crossEntropy (probability targets)", logits, probs);
        int n = logits.shape(0);
        int c = logits.shape(1);
        Variable logp = F.logSoftmax(logits, 1);
        if (o.isDefault()) {
            return logp.mul(probs).sum().div(-(double) n); // the historical form, bit for bit
        }
        Variable t = o.labelSmoothing() == 0.0 ? probs : probs.mul(1.0 - o.labelSmoothing()).add(o.labelSmoothing() / c);
        NDArray weight = o.weightUnsafe();
        if (weight != null) {
            if (weight.size() != c) {
                throw new IllegalArgumentException("crossEntropy: weight has " + weight.size() + " elements but the input has "
                        + c + " classes " + Shapes.str(logits.shape()) + "; pass one weight per class");
            }
            logp = logp.mul(Variable.constant(weight.astype(logits.dtype())));
        }
        Variable perSample = logp.mul(t).sum(new int[] {1}, false).neg();
        switch (o.reduction()) {
            case MEAN:
                return perSample.sum().div(n);
            case SUM:
                return perSample.sum();
            default:
                return perSample;
        }
    }

    // ---------------------------------------------------------------- checks

    /**
     * Throws unless {@code y} and {@code t} have equal shapes, naming {@code op}, both shapes and the
     * fix; for elementwise losses, where broadcasting a prediction against a target would give a
     * wrong loss instead of an error.
     */
    static void requireSameShape(String op, Variable y, Variable t) {
        if (!Arrays.equals(y.shape(), t.shape())) {
            throw new IllegalArgumentException(op + ": input shape " + Shapes.str(y.shape()) + " and target shape "
                    + Shapes.str(t.shape()) + " differ; they must be equal (reshape one of them, e.g. "
                    + "t.reshape(y.shape()), rather than relying on broadcasting, which would give a wrong loss)");
        }
    }

    /**
     * The input check of every loss over class indices: {@code x} is {@code (N, C)} and there is one
     * label per row, else an exception naming {@code op}, the shapes and the fix.
     */
    static void checkClassification(String op, Variable x, int[] labels) {
        if (x.ndim() != 2) {
            throw new IllegalArgumentException(op + ": expected input of shape (N, C), got " + Shapes.str(x.shape())
                    + "; reshape sequence outputs to (N*T, C) and their targets to (N*T)");
        }
        if (labels.length != x.shape(0)) {
            throw new IllegalArgumentException(op + ": expected input batch size (" + x.shape(0)
                    + ") to match target batch size (" + labels.length + "), input shape " + Shapes.str(x.shape()));
        }
    }

    /**
     * The class indices held by an integer {@code labels} array of shape (N) (INT64 as PyTorch's
     * targets, or INT32, INT16, INT8, UINT8). Refuses float and bool arrays, other shapes, and
     * values beyond int, naming {@code op}, PyTorch's function {@code torchName} (or null) and the fix.
     */
    static int[] classIndices(String op, String torchName, NDArray labels) {
        if (labels == null) {
            throw new IllegalArgumentException(op + ": labels must not be null");
        }
        if (!labels.dtype().isInteger()) {
            throw new IllegalArgumentException(op + ": target dtype " + labels.dtype().numpyName() + " (shape "
                    + Shapes.str(labels.shape()) + "); class indices must be int64 (or int32)"
                    + (torchName == null ? "" : ", as PyTorch's " + torchName + " expects")
                    + "; convert them with labels.astype(DType.INT64)"
                    + (labels.dtype().isFloatingPoint() ? " (for class probabilities pass a Variable of shape (N, C))" : ""));
        }
        if (labels.ndim() != 1) {
            throw new IllegalArgumentException(op + ": expected class indices of shape (N), got shape "
                    + Shapes.str(labels.shape()) + "; flatten sequence targets to (N*T) with labels.flatten()");
        }
        int[] out = new int[labels.size()];
        for (int i = 0; i < out.length; i++) {
            long v = labels.getFlatLong(i);
            if (v != (int) v) {
                throw new IndexOutOfBoundsException(op + ": target " + v + " at position " + i
                        + " is out of bounds: no class index is that large");
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** Fraction of rows of {@code logits} (N, C) whose argmax equals the label (0 for an empty batch). */
    static double accuracy(NDArray logits, int[] labels) {
        if (logits.ndim() != 2) {
            throw new IllegalArgumentException("accuracy: expected logits of shape (N, C), got " + Shapes.str(logits.shape()));
        }
        int rows = logits.shape()[0];
        int classes = logits.shape()[1];
        if (labels.length != rows) {
            throw new IllegalArgumentException("accuracy: expected one label per row of logits " + Shapes.str(logits.shape())
                    + " (" + rows + " labels) but got " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IndexOutOfBoundsException("accuracy: label " + labels[i] + " at position " + i
                        + " is out of bounds for " + classes + " classes (valid labels are 0.." + (classes - 1) + ")");
            }
        }
        if (rows == 0) {
            return 0;
        }
        NDArray pred = logits.argmax(1);
        int ok = 0;
        for (int i = 0; i < labels.length; i++) {
            ok += pred.getFlatLong(i) == labels[i] ? 1 : 0;
        }
        return (double) ok / labels.length;
    }

    // ---------------------------------------------------------------- penalties

    static Variable l2Penalty(Iterable<? extends Variable> params, double lambda) {
        Variable sum = null;
        for (Variable p : params) {
            Variable s = p.mul(p).sum();
            sum = sum == null ? s : sum.add(s);
        }
        return sum == null ? Variable.constant(0.0) : sum.mul(0.5 * lambda);
    }

    static Variable l1Penalty(Iterable<? extends Variable> params, double lambda) {
        Variable sum = null;
        for (Variable p : params) {
            Variable s = p.abs().sum();
            sum = sum == null ? s : sum.add(s);
        }
        return sum == null ? Variable.constant(0.0) : sum.mul(lambda);
    }
}
