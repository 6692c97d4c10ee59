package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * The core's tensor math as static functions (the counterpart of {@code torch.*}): arithmetic,
 * matmul, exp/log, where, argmax, concat/stack/split, logsumexp, softmax/logSoftmax and einsum.
 * Primitives delegate to their node; composites (softmax, logsumexp, ...) are built from
 * primitives and need no node of their own. Neural-network functions — activations, linear,
 * convolution, pooling, normalization, dropout, losses, attention — live in one place, the
 * {@code nn} module's {@code dev.nabla.nn.Functional} (as {@code torch.nn.functional}); the
 * elementwise primitives are methods of {@link Variable} ({@code x.tanh()}, {@code x.relu()}).
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

    /** Exponential. */
    public static Variable exp(Variable x) {
        return x.exp();
    }

    /** Natural logarithm. */
    public static Variable log(Variable x) {
        return x.log();
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
        // the shift is a constant computed by a node, so that a compiled step's replay recomputes it
        Variable mc = DerivedNode.of("LogsumexpShift", x, a -> a.max(ax, true).map(v -> Double.isInfinite(v) ? 0.0 : v));
        Variable s = x.sub(mc).exp().sum(ax, true).log().add(mc);
        return keepDims ? s : s.reshape(x.data().max(ax, false).shape());
    }

    /** Softmax along {@code axis}: {@code exp(x - max) / Σ exp(x - max)}. */
    public static Variable softmax(Variable x, int axis) {
        int[] ax = {Shapes.axis("softmax", axis, x.ndim())};
        Variable e = x.sub(DerivedNode.of("SoftmaxShift", x, a -> a.max(ax, true))).exp();
        return e.div(e.sum(ax, true));
    }

    /** Log-softmax along {@code axis}: {@code x - logsumexp(x)}. */
    public static Variable logSoftmax(Variable x, int axis) {
        return x.sub(logsumexp(x, axis, true));
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
