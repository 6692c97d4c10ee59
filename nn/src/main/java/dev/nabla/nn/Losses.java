package dev.nabla.nn;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.F;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * Loss functions and weight penalties. Each returns a 0-d {@link Variable}; each method's Javadoc
 * states its reduction and the PyTorch function it matches (with that function's default
 * reduction {@code 'mean'} unless said otherwise). Inputs {@code y} are predictions, {@code t}
 * targets; elementwise losses require equal shapes (no silent broadcasting) and name both shapes
 * otherwise. Stable fused forms are used where they matter: log-sum-exp inside cross-entropy, the
 * softplus form of BCE with logits.
 * Stateless and thread-safe.
 */
public final class Losses {
    private Losses() {}

    /** PyTorch's default {@code ignore_index} for cross-entropy and NLL (the same as {@link F#DEFAULT_IGNORE_INDEX}). */
    public static final int DEFAULT_IGNORE_INDEX = F.DEFAULT_IGNORE_INDEX;

    /** The floor PyTorch applies to the logarithms inside BCE. */
    static final double BCE_LOG_FLOOR = -100.0;

    // ---------------------------------------------------------------- regression

    /**
     * Mean squared error {@code mean((y - t)²)} over every element; PyTorch's {@code F.mse_loss}.
     * Delegates to {@link F#mse}, the one implementation (equal shapes required).
     */
    public static Variable mse(Variable y, Variable t) {
        return F.mse(y, t);
    }

    /**
     * The classic sum of squares {@code ½ Σ (y - t)²} over every element (no averaging), as in
     * <em>Deep Learning from Scratch</em>; equals {@code F.mse_loss(y, t, reduction='sum') / 2}.
     * Its gradient with respect to {@code y} is exactly {@code y - t}.
     */
    public static Variable sumOfSquares(Variable y, Variable t) {
        sameShape("sumOfSquares", y, t);
        Variable d = y.sub(t);
        return d.mul(d).sum().mul(0.5);
    }

    /** Mean absolute error {@code mean(|y - t|)}; PyTorch's {@code F.l1_loss}. Not differentiable where y = t (gradient 0 there). */
    public static Variable l1(Variable y, Variable t) {
        sameShape("l1", y, t);
        return y.sub(t).abs().mean();
    }

    /**
     * Huber loss, mean over elements, PyTorch's {@code F.huber_loss(y, t, delta=delta)}: with
     * {@code d = y - t}, {@code ½d²} where {@code |d| < delta}, {@code delta·(|d| - ½delta)} elsewhere.
     * Once differentiable everywhere; the second derivative jumps at {@code |d| = delta}.
     */
    public static Variable huber(Variable y, Variable t, double delta) {
        sameShape("huber", y, t);
        if (!(delta > 0)) {
            throw new IllegalArgumentException("huber: delta must be positive, got " + delta);
        }
        Variable d = y.sub(t);
        Variable a = d.abs();
        NDArray inside = a.data().lt(delta);
        Variable quad = d.mul(d).mul(0.5);
        Variable lin = a.sub(0.5 * delta).mul(delta);
        return F.where(inside, quad, lin).mean();
    }

    /**
     * Smooth L1 loss, mean over elements, PyTorch's {@code F.smooth_l1_loss(y, t, beta=beta)}:
     * {@code ½d²/beta} where {@code |d| < beta}, {@code |d| - ½beta} elsewhere; it equals
     * {@code huber(y, t, beta) / beta}, and {@code beta = 0} gives {@link #l1}.
     */
    public static Variable smoothL1(Variable y, Variable t, double beta) {
        sameShape("smoothL1", y, t);
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("smoothL1: beta must be non-negative, got " + beta);
        }
        if (beta == 0) {
            return l1(y, t);
        }
        Variable d = y.sub(t);
        Variable a = d.abs();
        NDArray inside = a.data().lt(beta);
        Variable quad = d.mul(d).mul(0.5 / beta);
        Variable lin = a.sub(0.5 * beta);
        return F.where(inside, quad, lin).mean();
    }

    // ---------------------------------------------------------------- classification

    /**
     * Cross-entropy of logits {@code (N, C)} against class indices, fused with log-softmax
     * (log-sum-exp, stable for large logits): {@code -Σ_i log softmax(x_i)[t_i] / N}, averaged
     * over the batch; PyTorch's {@code F.cross_entropy(x, t)} with {@code ignore_index=-100}.
     * Delegates to {@link F#softmaxCrossEntropy(Variable, int[])}, the one implementation (its
     * errors name {@code softmaxCrossEntropy}).
     */
    public static Variable crossEntropy(Variable logits, int[] targets) {
        return F.softmaxCrossEntropy(logits, targets, DEFAULT_IGNORE_INDEX);
    }

    /**
     * Cross-entropy as {@link #crossEntropy(Variable, int[])}, where rows whose target equals
     * {@code ignoreIndex} contribute nothing and the mean is over the remaining rows (PyTorch's
     * {@code ignore_index}); if every row is ignored the result is NaN (0/0), as in PyTorch.
     */
    public static Variable crossEntropy(Variable logits, int[] targets, int ignoreIndex) {
        return F.softmaxCrossEntropy(logits, targets, ignoreIndex);
    }

    /**
     * {@link #crossEntropy(Variable, int[])} with the class indices in an INT64 (or INT32) array
     * of shape (N), PyTorch's long target tensor: the same value and gradient as the int[] form.
     */
    public static Variable crossEntropy(Variable logits, NDArray targets) {
        return F.softmaxCrossEntropy(logits, targets, DEFAULT_IGNORE_INDEX);
    }

    /** {@link #crossEntropy(Variable, int[], int)} with INT64 (or INT32) class indices of shape (N). */
    public static Variable crossEntropy(Variable logits, NDArray targets, int ignoreIndex) {
        return F.softmaxCrossEntropy(logits, targets, ignoreIndex);
    }

    /**
     * Cross-entropy of logits {@code (N, C)} against class probabilities {@code (N, C)} (soft
     * labels, each row a distribution): {@code -Σ_{i,c} t_ic log softmax(x_i)_c / N}, averaged
     * over the batch; PyTorch's {@code F.cross_entropy} with probability targets. Differentiable
     * with respect to both arguments. As in PyTorch, an integer target (INT64 class indices of
     * shape (N), a constant) selects the class-index form instead.
     */
    public static Variable crossEntropy(Variable logits, Variable targetProbs) {
        if (targetProbs.dtype().isInteger()) {
            return crossEntropy(logits, targetProbs.data());
        }
        if (logits.ndim() != 2) {
            throw new IllegalArgumentException("crossEntropy: expected logits of shape (N, C), got " + Shapes.str(logits.shape()));
        }
        sameShape("crossEntropy (probability targets)", logits, targetProbs);
        return F.logSoftmax(logits, 1).mul(targetProbs).sum().div(-(double) logits.shape(0));
    }

    /**
     * Negative log-likelihood of log-probabilities {@code (N, C)} (e.g. a log-softmax output)
     * against class indices: {@code -Σ_i x[i, t_i] / N}, averaged over the batch; PyTorch's
     * {@code F.nll_loss} with {@code ignore_index=-100}.
     */
    public static Variable nll(Variable logProbs, int[] targets) {
        return nll(logProbs, targets, DEFAULT_IGNORE_INDEX);
    }

    /** {@link #nll(Variable, int[])} with INT64 (or INT32) class indices of shape (N). */
    public static Variable nll(Variable logProbs, NDArray targets) {
        return F.nll(logProbs, targets, DEFAULT_IGNORE_INDEX);
    }

    /** {@link #nll(Variable, int[], int)} with INT64 (or INT32) class indices of shape (N). */
    public static Variable nll(Variable logProbs, NDArray targets, int ignoreIndex) {
        return F.nll(logProbs, targets, ignoreIndex);
    }

    /** NLL as {@link #nll(Variable, int[])}, skipping rows whose target is {@code ignoreIndex} (mean over the rest; NaN if none remain). */
    public static Variable nll(Variable logProbs, int[] targets, int ignoreIndex) {
        return F.nll(logProbs, targets, ignoreIndex);
    }

    /**
     * Binary cross-entropy of probabilities {@code p} in [0, 1] against targets {@code t} (in
     * [0, 1]), mean over elements: {@code -mean(t·log p + (1 - t)·log(1 - p))}; PyTorch's
     * {@code F.binary_cross_entropy}. As in PyTorch each logarithm is clamped to be ≥ -100, so
     * p = 0 or 1 gives a finite loss; where a logarithm is clamped its gradient is 0. Probabilities
     * outside [0, 1] are rejected. Prefer {@link #bceWithLogits} on raw scores.
     */
    public static Variable bce(Variable p, Variable t) {
        sameShape("bce", p, t);
        NDArray pd = p.data();
        for (int i = 0; i < pd.size(); i++) {
            double v = pd.getFlat(i);
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("bce: all elements of the input should be between 0 and 1, but element "
                        + i + " of shape " + Shapes.str(pd.shape()) + " is " + v + "; apply sigmoid first or use bceWithLogits");
            }
        }
        Variable floor = Variable.constant(BCE_LOG_FLOOR);
        Variable tiny = Variable.constant(Double.MIN_NORMAL);
        Variable logP = p.maximum(tiny).log().maximum(floor);
        Variable log1mP = p.rsub(1.0).maximum(tiny).log().maximum(floor);
        return t.mul(logP).add(t.rsub(1.0).mul(log1mP)).mean().neg();
    }

    /**
     * Binary cross-entropy on logits {@code x} (sigmoid fused in), mean over elements:
     * {@code mean(softplus(x) - x·t)} with {@code softplus(x) = max(x, 0) + log(1 + e^-|x|)}, which
     * equals {@code -mean(t·log σ(x) + (1 - t)·log(1 - σ(x)))} and stays exact for |x| ~ 1000;
     * PyTorch's {@code F.binary_cross_entropy_with_logits}. The gradient is {@code (σ(x) - t)/n}.
     */
    public static Variable bceWithLogits(Variable x, Variable t) {
        sameShape("bceWithLogits", x, t);
        return F.softplus(x).sub(x.mul(t)).mean();
    }

    /**
     * The textbook "softmax-with-loss" layer: softmax of {@code x} {@code (N, C)} followed by
     * cross-entropy against class indices, averaged over the batch, as one node whose backward is
     * written directly as {@code (softmax(x) - onehot(t)) / N}. Same value as
     * {@link #crossEntropy(Variable, int[])} (without ignore index); the backward is itself built
     * from differentiable operations, so second derivatives work.
     */
    public static Variable softmaxWithLoss(Variable x, int[] targets) {
        F.checkClassification("softmaxWithLoss", x, targets);
        int c = x.shape(1);
        double[] onehot = new double[targets.length * c];
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0 || targets[i] >= c) {
                throw new IndexOutOfBoundsException("softmaxWithLoss: target " + targets[i] + " at position " + i
                        + " is out of bounds for " + c + " classes");
            }
            onehot[i * c + targets[i]] = 1.0;
        }
        return new SoftmaxWithLossNode(NDArray.of(onehot, x.shape()).astype(x.dtype())).apply(x);
    }

    /**
     * Softmax-with-loss against one-hot (or probability) targets {@code t} of shape {@code (N, C)}
     * whose rows each sum to 1: loss {@code -Σ t log softmax(x) / N}, input gradient
     * {@code (softmax(x) - t) / N}. Rows not summing to 1 (within 1e-6) are rejected, because the
     * gradient formula assumes it. An integer {@code t} (INT64 or INT32 class indices of shape
     * (N), as PyTorch's long targets) selects {@link #softmaxWithLoss(Variable, int[])} instead.
     */
    public static Variable softmaxWithLoss(Variable x, NDArray t) {
        if (t.dtype().isInteger()) {
            return softmaxWithLoss(x, F.classIndices("softmaxWithLoss", "cross_entropy", t));
        }
        if (x.ndim() != 2 || !t.hasShape(x.shape())) {
            throw new IllegalArgumentException("softmaxWithLoss: expected logits (N, C) and targets of the same shape, got "
                    + Shapes.str(x.shape()) + " and " + Shapes.str(t.shape()));
        }
        NDArray rowSums = t.sum(new int[] {1}, false);
        for (int i = 0; i < rowSums.size(); i++) {
            if (Math.abs(rowSums.getFlat(i) - 1.0) > 1e-6) {
                throw new IllegalArgumentException("softmaxWithLoss: target row " + i + " sums to " + rowSums.getFlat(i)
                        + " but must sum to 1 (one-hot or a probability distribution)");
            }
        }
        return new SoftmaxWithLossNode(t.copy().astype(x.dtype())).apply(x);
    }

    /** Fused softmax + cross-entropy with the hand-written gradient {@code (softmax(x) - t) / N}. */
    static final class SoftmaxWithLossNode extends Node {
        private final NDArray target;

        SoftmaxWithLossNode(NDArray target) {
            this.target = target;
        }

        @Override
        public String name() {
            return "SoftmaxWithLoss";
        }

        @Override
        protected NDArray forward(NDArray... xs) {
            // the value is the probability-target cross-entropy (one formula); only the backward is hand-written
            try (Autograd.Scope s = Autograd.noGrad()) {
                return crossEntropy(Variable.constant(xs[0]), Variable.constant(target)).data();
            }
        }

        @Override
        protected Variable[] backward(Variable gy) {
            Variable x = input(0);
            Variable y = F.softmax(x, 1);
            return new Variable[] {y.sub(Variable.constant(target)).mul(gy).div(x.shape(0))};
        }
    }

    // ---------------------------------------------------------------- penalties

    /**
     * The L2 penalty (weight decay term) {@code ½λ Σ_W ‖W‖²} summed over {@code params}; add it to
     * a loss to get the gradient {@code λW}. Pass only the weights to leave biases undecayed, as the
     * textbooks do. An empty collection gives 0.
     */
    public static Variable l2Penalty(Iterable<? extends Variable> params, double lambda) {
        Variable sum = null;
        for (Variable p : params) {
            Variable s = p.mul(p).sum();
            sum = sum == null ? s : sum.add(s);
        }
        return sum == null ? Variable.constant(0.0) : sum.mul(0.5 * lambda);
    }

    /** The L1 penalty {@code λ Σ_W Σ|w|} over {@code params} (gradient {@code λ·sign(w)}, 0 at 0). An empty collection gives 0. */
    public static Variable l1Penalty(Iterable<? extends Variable> params, double lambda) {
        Variable sum = null;
        for (Variable p : params) {
            Variable s = p.abs().sum();
            sum = sum == null ? s : sum.add(s);
        }
        return sum == null ? Variable.constant(0.0) : sum.mul(lambda);
    }

    private static void sameShape(String op, Variable y, Variable t) {
        F.requireSameShape(op, y, t);
    }
}
