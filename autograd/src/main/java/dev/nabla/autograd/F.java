package dev.nabla.autograd;

import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * The static facade of differentiable functions. Primitives delegate to their node; composites
 * (softmax, logsumexp, softplus, GELU, ...) are built from primitives and need no node of their own.
 * Every function keeps its input's dtype: constants are made in the dtype of the input.
 * Stateless and thread-safe: every function only reads its arguments and returns new variables
 * (grad mode is per thread); the usual rules of {@link Variable} and {@code NDArray} apply to the
 * arguments themselves.
 */
public final class F {
    private F() {}

    /** {@code a + b}. */
    public static Variable add(Variable a, Variable b) {
        return a.add(b);
    }

    /** {@code a - b}. */
    public static Variable sub(Variable a, Variable b) {
        return a.sub(b);
    }

    /** {@code a * b}. */
    public static Variable mul(Variable a, Variable b) {
        return a.mul(b);
    }

    /** {@code a / b}. */
    public static Variable div(Variable a, Variable b) {
        return a.div(b);
    }

    /** Matrix product. */
    public static Variable matmul(Variable a, Variable b) {
        return a.matmul(b);
    }

    /**
     * {@code y = x Wᵀ + b}, the affine map of a fully connected layer, in PyTorch's layout
     * ({@code torch.nn.functional.linear}): {@code W} has shape {@code (out_features, in_features)}
     * and {@code b} shape {@code (out_features)} or null. {@code x} has shape {@code (..., in)};
     * leading axes are flattened for the product and restored, so the result has shape
     * {@code (..., out)}. The product reads {@code W} transposed in place (one
     * {@link MatMulNode} with its transposed-operand flag, no copy), and so do its backward
     * products: {@code dx = dy W}, {@code dW = dyᵀ x}, {@code db = Σ dy}; they are recorded
     * MatMul nodes, so higher derivatives follow. The one implementation behind
     * {@code nn.Linear}, {@code nn.Functional.linear} and the recurrent layers and cells.
     */
    public static Variable linear(Variable x, Variable w, Variable b) {
        if (w.ndim() != 2) {
            throw new IllegalArgumentException("linear: weight must have shape (out_features, in_features), got "
                    + Shapes.str(w.shape()));
        }
        int out = w.shape(0);
        int in = w.shape(1);
        if (x.ndim() == 0 || x.shape(-1) != in) {
            throw new IllegalArgumentException("linear: expected input of shape (..., " + in + ") to match the weight "
                    + Shapes.str(w.shape()) + " (out_features=" + out + ", in_features=" + in + "), got "
                    + Shapes.str(x.shape()) + "; the last dimension of the input must equal in_features");
        }
        if (b != null && !b.data().hasShape(out)) {
            throw new IllegalArgumentException("linear: bias must have shape (" + out + ",) to match the weight "
                    + Shapes.str(w.shape()) + " (out_features=" + out + "), got " + Shapes.str(b.shape()));
        }
        Variable y;
        if (x.ndim() == 2) {
            y = x.matmul(w, false, true);
        } else {
            int[] os = x.shape().clone();
            os[os.length - 1] = out;
            y = x.reshape(-1, in).matmul(w, false, true).reshape(os);
        }
        return b == null ? y : y.add(b);
    }

    /** Exponential. */
    public static Variable exp(Variable x) {
        return x.exp();
    }

    /** Natural logarithm. */
    public static Variable log(Variable x) {
        return x.log();
    }

    /** Hyperbolic tangent. */
    public static Variable tanh(Variable x) {
        return x.tanh();
    }

    /** Logistic sigmoid. */
    public static Variable sigmoid(Variable x) {
        return x.sigmoid();
    }

    /** ReLU. */
    public static Variable relu(Variable x) {
        return x.relu();
    }

    /** Leaky ReLU with negative slope {@code slope}. */
    public static Variable leakyRelu(Variable x, double slope) {
        return x.leakyRelu(slope);
    }

    /** Selects {@code a} where the BOOL {@code cond} is true and {@code b} elsewhere (cond is not differentiated). */
    public static Variable where(NDArray cond, Variable a, Variable b) {
        return new WhereNode(cond).apply(a, b);
    }

    /** {@link #where(NDArray, Variable, Variable)} with the condition held by a (BOOL, non-differentiable) variable. */
    public static Variable where(Variable cond, Variable a, Variable b) {
        return where(cond.data(), a, b);
    }

    /** Index of the maximum of {@code x} along {@code axis} (first occurrence): an INT64 constant, not differentiable. */
    public static Variable argmax(Variable x, int axis) {
        return x.argmax(axis);
    }

    /** Concatenates along {@code axis}. */
    public static Variable concat(int axis, Variable... xs) {
        return new ConcatNode(axis).apply(xs);
    }

    /** Stacks equal shapes along a new axis. */
    public static Variable stack(int axis, Variable... xs) {
        Variable[] u = new Variable[xs.length];
        for (int i = 0; i < xs.length; i++) {
            u[i] = xs[i].unsqueeze(axis);
        }
        return concat(axis, u);
    }

    /**
     * Splits along {@code axis} into pieces of the given sizes, which must be non-negative and add
     * up to the axis size (the pieces tile the axis: no overlap, no gap).
     */
    public static Variable[] split(Variable x, int axis, int... sizes) {
        int a = Shapes.axis("split", axis, x.ndim());
        Shapes.checkSplitSizes("split", sizes, x.shape(), a);
        Variable[] out = new Variable[sizes.length];
        int start = 0;
        for (int i = 0; i < sizes.length; i++) {
            out[i] = x.slice(a, start, start + sizes[i]);
            start += sizes[i];
        }
        return out;
    }

    /** {@code log Σ exp(x)} over {@code axis}, stabilised by subtracting the (constant) maximum. */
    public static Variable logsumexp(Variable x, int axis, boolean keepDims) {
        int[] ax = {Shapes.axis("logsumexp", axis, x.ndim())};
        NDArray m = x.data().max(ax, true);
        m = m.map(v -> Double.isInfinite(v) ? 0.0 : v);
        Variable mc = Variable.constant(m);
        Variable s = x.sub(mc).exp().sum(ax, true).log().add(mc);
        return keepDims ? s : s.reshape(x.data().max(ax, false).shape());
    }

    /** Softmax along {@code axis}: {@code exp(x - max) / Σ exp(x - max)}. */
    public static Variable softmax(Variable x, int axis) {
        int[] ax = {Shapes.axis("softmax", axis, x.ndim())};
        Variable e = x.sub(Variable.constant(x.data().max(ax, true))).exp();
        return e.div(e.sum(ax, true));
    }

    /** Log-softmax along {@code axis}: {@code x - logsumexp(x)}. */
    public static Variable logSoftmax(Variable x, int axis) {
        return x.sub(logsumexp(x, axis, true));
    }

    /** {@code log(1 + e^x)} computed stably as {@code max(x, 0) + log(1 + e^-|x|)}. */
    public static Variable softplus(Variable x) {
        return x.maximum(Variable.constant(0.0, x.dtype())).add(x.abs().neg().exp().add(1.0).log());
    }

    /** {@code log σ(x) = -softplus(-x)}. */
    public static Variable logSigmoid(Variable x) {
        return softplus(x.neg()).neg();
    }

    /** GELU with the exact erf form {@code x Φ(x) = x (1 + erf(x/√2)) / 2}, PyTorch's default. */
    public static Variable gelu(Variable x) {
        return x.mul(x.div(Math.sqrt(2.0)).erf().add(1.0)).mul(0.5);
    }

    /** GELU's tanh approximation {@code x (1 + tanh(√(2/π)(x + 0.044715 x³))) / 2}. */
    public static Variable geluTanh(Variable x) {
        Variable inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2.0 / Math.PI));
        return x.mul(inner.tanh().add(1.0)).mul(0.5);
    }

    /** SiLU (swish): {@code x σ(x)}. */
    public static Variable silu(Variable x) {
        return x.mul(x.sigmoid());
    }

    /** ELU: x where positive, {@code alpha (e^x - 1)} elsewhere. */
    public static Variable elu(Variable x, double alpha) {
        NDArray pos = x.data().gt(0.0);
        return where(pos, x, x.minimum(Variable.constant(0.0, x.dtype())).exp().sub(1.0).mul(alpha));
    }

    /**
     * Mean squared error {@code mean((y - t)²)} over every element, PyTorch's {@code F.mse_loss};
     * {@code y} and {@code t} must have equal shapes (no broadcasting, which would silently give a
     * wrong loss). The one implementation behind {@code nn.Losses.mse}.
     */
    public static Variable mse(Variable y, Variable t) {
        requireSameShape("mse", y, t);
        Variable d = y.sub(t);
        return d.mul(d).mean();
    }

    /**
     * Throws unless {@code y} and {@code t} have equal shapes, naming {@code op}, both shapes and the
     * fix; for elementwise losses, where broadcasting a prediction against a target would give a
     * wrong loss instead of an error.
     */
    public static void requireSameShape(String op, Variable y, Variable t) {
        if (!java.util.Arrays.equals(y.shape(), t.shape())) {
            throw new IllegalArgumentException(op + ": input shape " + Shapes.str(y.shape()) + " and target shape "
                    + Shapes.str(t.shape()) + " differ; they must be equal (reshape one of them, e.g. "
                    + "t.reshape(y.shape()), rather than relying on broadcasting, which would give a wrong loss)");
        }
    }

    /** Picks {@code x[i, t[i]]} for every row i of a 2-D x. */
    public static Variable pick(Variable x, int[] t) {
        if (x.ndim() != 2 || x.shape(0) != t.length) {
            throw new IllegalArgumentException("pick: expected a 2-D input with one row per target, got shape "
                    + Shapes.str(x.shape()) + " and " + t.length + " targets");
        }
        int[] rows = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            rows[i] = i;
            if (t[i] < 0 || t[i] >= x.shape(1)) {
                throw new IndexOutOfBoundsException("pick: target " + t[i] + " at position " + i
                        + " is out of bounds for " + x.shape(1) + " classes");
            }
        }
        return x.getItem(Index.of(rows), Index.of(t));
    }

    /** PyTorch's default {@code ignore_index} for cross-entropy and NLL: a label that contributes nothing. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    /**
     * Softmax cross-entropy of logits (N, C) against class indices, averaged over the batch:
     * {@code -mean_i log softmax(x_i)[t_i]}, fused with log-sum-exp for stability; PyTorch's
     * {@code F.cross_entropy(x, t)} with {@code ignore_index=-100}. The one implementation behind
     * {@code nn.Losses.crossEntropy}.
     */
    public static Variable softmaxCrossEntropy(Variable logits, int[] labels) {
        return softmaxCrossEntropy(logits, labels, DEFAULT_IGNORE_INDEX);
    }

    /**
     * Softmax cross-entropy as {@link #softmaxCrossEntropy(Variable, int[])}, where rows whose label
     * equals {@code ignoreIndex} contribute nothing and the mean is over the remaining rows
     * (PyTorch's {@code ignore_index}); if every row is ignored the result is NaN (0/0), as in PyTorch.
     */
    public static Variable softmaxCrossEntropy(Variable logits, int[] labels, int ignoreIndex) {
        checkClassification("softmaxCrossEntropy", logits, labels);
        return nllOf("softmaxCrossEntropy", logSoftmax(logits, 1), labels, ignoreIndex);
    }

    /**
     * Negative log-likelihood of log-probabilities (N, C) (e.g. a log-softmax output) against class
     * indices: {@code -Σ_i x[i, t_i] / n} over the {@code n} rows whose label is not
     * {@code ignoreIndex} (NaN if none remain); PyTorch's {@code F.nll_loss}.
     */
    public static Variable nll(Variable logProbs, int[] labels, int ignoreIndex) {
        checkClassification("nll", logProbs, labels);
        return nllOf("nll", logProbs, labels, ignoreIndex);
    }

    /**
     * {@link #softmaxCrossEntropy(Variable, int[])} with the class indices in an INT64 (or INT32)
     * array of shape (N), PyTorch's target tensor; the same value and gradient as the int[] form.
     */
    public static Variable softmaxCrossEntropy(Variable logits, NDArray labels) {
        return softmaxCrossEntropy(logits, classIndices("softmaxCrossEntropy", "cross_entropy", labels), DEFAULT_IGNORE_INDEX);
    }

    /** {@link #softmaxCrossEntropy(Variable, int[], int)} with INT64 (or INT32) class indices of shape (N). */
    public static Variable softmaxCrossEntropy(Variable logits, NDArray labels, int ignoreIndex) {
        return softmaxCrossEntropy(logits, classIndices("softmaxCrossEntropy", "cross_entropy", labels), ignoreIndex);
    }

    /** {@link #nll(Variable, int[], int)} with INT64 (or INT32) class indices of shape (N). */
    public static Variable nll(Variable logProbs, NDArray labels, int ignoreIndex) {
        return nll(logProbs, classIndices("nll", "nll_loss", labels), ignoreIndex);
    }

    /**
     * The class indices held by an integer {@code labels} array of shape (N) (INT64 as PyTorch's
     * targets, or INT32, INT16, INT8, UINT8), for the int[] forms of the losses and metrics.
     * Refuses float and bool arrays, other shapes, and values that no class index can have (beyond
     * int), naming {@code op}, PyTorch's function {@code torchName} (or null), the dtype or value and the fix.
     */
    public static int[] classIndices(String op, String torchName, NDArray labels) {
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

    private static Variable nllOf(String op, Variable logProbs, int[] labels, int ignoreIndex) {
        int c = logProbs.shape(1);
        int kept = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == ignoreIndex) {
                continue;
            }
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IndexOutOfBoundsException(op + ": target " + labels[i] + " at position " + i
                        + " is out of bounds for " + c + " classes (valid targets are 0.." + (c - 1)
                        + ", or the ignore index " + ignoreIndex + ")");
            }
            kept++;
        }
        if (kept == 0) {
            return logProbs.sum().mul(0.0).div(0.0);
        }
        int[] rows = new int[kept];
        int[] cols = new int[kept];
        for (int i = 0, k = 0; i < labels.length; i++) {
            if (labels[i] != ignoreIndex) {
                rows[k] = i;
                cols[k++] = labels[i];
            }
        }
        return logProbs.getItem(Index.of(rows), Index.of(cols)).sum().div(-(double) kept);
    }

    /**
     * The input check of every loss over class indices (here and in {@code nn.Losses}): {@code x}
     * is {@code (N, C)} and there is one label per row, else an {@link IllegalArgumentException}
     * naming {@code op}, the shapes and the fix (PyTorch's wording for the batch sizes).
     */
    public static void checkClassification(String op, Variable x, int[] labels) {
        if (x.ndim() != 2) {
            throw new IllegalArgumentException(op + ": expected input of shape (N, C), got " + Shapes.str(x.shape())
                    + "; reshape sequence outputs to (N*T, C) and their targets to (N*T)");
        }
        if (labels.length != x.shape(0)) {
            throw new IllegalArgumentException(op + ": expected input batch size (" + x.shape(0)
                    + ") to match target batch size (" + labels.length + "), input shape " + Shapes.str(x.shape()));
        }
    }

    /** {@link #accuracy(NDArray, int[])} with the labels in an INT64 (or INT32) array of shape (N). */
    public static double accuracy(NDArray logits, NDArray labels) {
        return accuracy(logits, classIndices("accuracy", null, labels));
    }

    /**
     * Fraction of rows of {@code logits} (N, C) whose argmax equals the label; one label in
     * {@code [0, C)} per row is required (0 for an empty batch).
     */
    public static double accuracy(NDArray logits, int[] labels) {
        if (logits.ndim() != 2) {
            throw new IllegalArgumentException("accuracy: expected logits of shape (N, C), got "
                    + Shapes.str(logits.shape()));
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

    /**
     * PyTorch's {@code torch.einsum(equation, operands)}: subscripts {@code [a-zA-Z]}, optional
     * {@code ...}, explicit ({@code "ij,jk->ik"}) or implicit output (labels appearing once, in
     * ASCII order, after the ellipsis dimensions); a label repeated on one operand takes its
     * diagonal ({@code "ii->i"}, trace {@code "ii"}); size-1 dimensions broadcast. Ellipsis
     * dimensions left out of an explicit output are summed (NumPy's rule). Built from gather,
     * sum, broadcast, permute, reshape and batched matmul, so it is differentiable to any order.
     */
    public static Variable einsum(String equation, Variable... operands) {
        return Einsum.apply(equation, operands);
    }
}
