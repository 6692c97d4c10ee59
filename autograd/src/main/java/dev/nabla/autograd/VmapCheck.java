package dev.nabla.autograd;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Arrays;
import java.util.Random;

/**
 * The vmap check of one registry case (the generic property of {@link Vmap} over {@link Ops},
 * {@link ExtraOps} and nn's registry): a random batch size 1–4 and a random in-axis per input
 * (or {@link Vmap#NOT_BATCHED} for some inputs of a multi-input op), per-example inputs that are
 * permutations of the drawn ones (so they stay in the op's domain; rows only, or copies, where the op
 * refuses a permuted input), then {@code vmap(f)} of the
 * stacked inputs against stacking {@code f} over the examples, and the per-example gradients
 * through vmap ({@code vmap(xs -> grad(<f(xs), w>, xs))}) against gradients computed one example
 * at a time, and the gradient of the vmapped function itself (grad outside vmap, through the recorded
 * physical ops) against the examples' gradients (summed for an input they share, within 1e-10 of
 * the largest of them, as the batched backward sums in another order); in float64, within 1e-12 relative (of the element, or of the output's largest
 * magnitude near zero). Stateless and thread-safe.
 */
public final class VmapCheck {
    /** The relative tolerance of every comparison. */
    public static final double TOLERANCE = 1e-12;

    private VmapCheck() {}

    /**
     * Checks {@code op}'s case drawn from {@code seed}; returns null when it passes, else what
     * differs (op, case, batch size, in-axes, element).
     */
    public static String check(OpInfo op, long seed) {
        OpCase c = op.sample(new Random(seed));
        Random r = new Random(seed ^ 0x5DEECE66DL);
        NDArray[] in = c.inputs();
        int n = in.length;
        int size = 1 + r.nextInt(4);
        int[] axes = new int[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            boolean batched = n == 1 || r.nextInt(3) > 0 || (i == n - 1 && !any);
            axes[i] = batched ? r.nextInt(in[i].ndim() + 1) : Vmap.NOT_BATCHED;
            any |= batched;
        }
        NDArray[][] examples = new NDArray[n][size];
        NDArray[] stacked = new NDArray[n];
        for (int i = 0; i < n; i++) {
            examples[i][0] = in[i];
        }
        for (int b = 1; b < size; b++) {
            // each example: the elements permuted (in the domain); if the op refuses that (structured
            // inputs, boxes say), the rows permuted; else a copy of the drawn case
            for (int mode = 0; mode < 3; mode++) {
                for (int i = 0; i < n; i++) {
                    examples[i][b] = axes[i] == Vmap.NOT_BATCHED || mode == 2 ? in[i]
                            : mode == 0 ? permuted(in[i], r) : rowsPermuted(in[i], r);
                }
                if (mode == 2 || accepts(c, examples, b)) {
                    break;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            stacked[i] = axes[i] == Vmap.NOT_BATCHED ? in[i] : NDArray.stack(axes[i], examples[i]);
        }
        String where = op.name() + " " + c + ": batch size " + size + ", in_axes "
                + Arrays.toString(Arrays.stream(axes).mapToObj(a -> a == Vmap.NOT_BATCHED ? "NOT_BATCHED"
                : Integer.toString(a)).toArray());
        // forward: vmap(f)(stacked) == stack_b f(x_b)
        NDArray[] perExample = new NDArray[size];
        boolean differentiable;
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (int b = 0; b < size; b++) {
                Variable[] xs = new Variable[n];
                for (int i = 0; i < n; i++) {
                    xs[i] = Variable.constant(examples[i][b]);
                }
                perExample[b] = c.fn().apply(xs).data();
            }
            Variable[] xs = Autograd.constants(stacked);
            NDArray got = Autograd.vmap(z -> new Variable[] {c.fn().apply(z)}, axes, null).apply(xs)[0].data();
            String d = compare(NDArray.stack(0, perExample), got);
            if (d != null) {
                return where + ": vmap(f) differs from stacking f over the examples: " + d;
            }
            differentiable = got.dtype().isFloatingPoint();
        }
        if (!differentiable) {
            return null;
        }
        // per-example gradients of <f(x_b), w_b>: one by one, and in one vmap
        NDArray[] w = new NDArray[size];
        NDArray[][] grads = new NDArray[n][size];
        boolean reached = false;
        for (int b = 0; b < size; b++) {
            w[b] = NDArray.randn(r, perExample[b].shape());
            Variable[] xs = new Variable[n];
            for (int i = 0; i < n; i++) {
                xs[i] = new Variable(examples[i][b].copy(), true);
            }
            Variable y = c.fn().apply(xs);
            if (!y.requiresGrad()) {
                return null; // a constant output: nothing to differentiate
            }
            reached = true;
            Variable[] g = Autograd.grad(y.mul(Variable.constant(w[b])).sum(), xs);
            for (int i = 0; i < n; i++) {
                grads[i][b] = g[i].data();
            }
        }
        if (!reached) {
            return null;
        }
        int[] gradAxes = Arrays.copyOf(axes, n + 1);
        Variable[] args = Arrays.copyOf(Autograd.constants(stacked), n + 1);
        args[n] = Variable.constant(NDArray.stack(0, w));
        Variable[] got = Autograd.vmap(z -> {
            Variable[] leaves = new Variable[n];
            for (int i = 0; i < n; i++) {
                leaves[i] = z[i].detach().requiresGrad(true);
            }
            Variable y = c.fn().apply(leaves);
            return Autograd.grad(y.mul(z[n]).sum(), leaves);
        }, gradAxes, null).apply(args);
        for (int i = 0; i < n; i++) {
            String d = compare(NDArray.stack(0, grads[i]), got[i].data());
            if (d != null) {
                return where + ": the per-example gradient of input " + i + " through vmap differs from the "
                        + "gradients one example at a time: " + d;
            }
        }
        // grad outside vmap, through the recorded physical ops: d/dX of <vmap(f)(X), W> per batched input
        Variable[] leaves = new Variable[n];
        for (int i = 0; i < n; i++) {
            leaves[i] = new Variable(stacked[i].copy(), true);
        }
        Variable y = Autograd.vmap(z -> new Variable[] {c.fn().apply(z)}, axes, null).apply(leaves)[0];
        if (!y.requiresGrad()) {
            return where + ": vmap(f) of inputs that require grad does not require grad";
        }
        Variable[] outer = Autograd.grad(y.mul(Variable.constant(NDArray.stack(0, w))).sum(), leaves);
        for (int i = 0; i < n; i++) {
            NDArray want;
            NDArray scale = null;
            if (axes[i] == Vmap.NOT_BATCHED) { // shared by every example: the examples' gradients add up
                want = grads[i][0];
                double big = 0;
                for (int b = 0; b < size; b++) {
                    want = b == 0 ? want : want.add(grads[i][b]);
                    for (int k = 0; k < grads[i][b].size(); k++) {
                        double v = Math.abs(grads[i][b].getFlat(k));
                        big = Double.isFinite(v) ? Math.max(big, v) : big;
                    }
                }
                // the batch sum runs in another order, inside the backward of the batched ops: its
                // rounding is relative to the gradients' size, within 1e-10 of the largest term
                scale = NDArray.full(100 * big, want.shape());
            } else {
                want = NDArray.stack(axes[i], grads[i]);
            }
            String d = compare(want, outer[i].data(), scale);
            if (d != null) {
                return where + ": the gradient of input " + i + " outside vmap (through the physical ops) differs "
                        + "from the examples' gradients: " + d;
            }
        }
        return null;
    }

    /** Whether the case's function runs on example {@code b} without refusing it. */
    private static boolean accepts(OpCase c, NDArray[][] examples, int b) {
        Variable[] xs = new Variable[examples.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = Variable.constant(examples[i][b]);
        }
        try (Autograd.Scope s = Autograd.noGrad()) {
            c.fn().apply(xs);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code x} with its first axis in a random order (rows stay whole); a 0-d {@code x} as it is. */
    private static NDArray rowsPermuted(NDArray x, Random r) {
        if (x.ndim() == 0 || x.shape(0) < 2) {
            return x;
        }
        int rows = x.shape(0);
        int len = x.size() / rows;
        NDArray out = x.copy();
        int[] p = shuffled(rows, r);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < len; j++) {
                out.setFlat(i * len + j, x.getFlat(p[i] * len + j));
            }
        }
        return out;
    }

    private static int[] shuffled(int m, Random r) {
        int[] p = new int[m];
        for (int i = 0; i < m; i++) {
            p[i] = i;
        }
        for (int i = m - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** {@code x} with its elements in a random order (same shape and dtype, values in its domain). */
    private static NDArray permuted(NDArray x, Random r) {
        int m = x.size();
        int[] p = shuffled(m, r);
        NDArray out = x.copy();
        for (int i = 0; i < m; i++) {
            out.setFlat(i, x.getFlat(p[i]));
        }
        return out;
    }

    /** Null when {@code got} equals {@code want} (shape, dtype, values within the tolerance), else what differs. */
    static String compare(NDArray want, NDArray got) {
        return compare(want, got, null);
    }

    /** As {@link #compare(NDArray, NDArray)}, relative also to {@code terms} (the absolute terms of a sum; null: none). */
    static String compare(NDArray want, NDArray got, NDArray terms) {
        if (!Arrays.equals(want.shape(), got.shape())) {
            return "shape " + Shapes.str(got.shape()) + ", expected " + Shapes.str(want.shape());
        }
        if (want.dtype() != got.dtype()) {
            return "dtype " + got.dtype().numpyName() + ", expected " + want.dtype().numpyName();
        }
        if (want.dtype() == DType.BOOL) {
            return Arrays.equals(want.toBooleanArray(), got.toBooleanArray()) ? null : "bool values differ";
        }
        double scale = 0;
        for (int k = 0; k < want.size(); k++) {
            double v = Math.abs(want.getFlat(k));
            if (Double.isFinite(v)) {
                scale = Math.max(scale, v);
            }
        }
        for (int k = 0; k < want.size(); k++) {
            double a = want.getFlat(k);
            double b = got.getFlat(k);
            if (Double.compare(a, b) == 0 || (Double.isNaN(a) && Double.isNaN(b))) {
                continue;
            }
            double err = Math.abs(a - b);
            double t = terms == null ? 0 : terms.getFlat(k);
            if (!(err <= TOLERANCE * Math.max(Math.max(Math.abs(a), Math.abs(b)), t) || err <= TOLERANCE * 1e-3 * scale)) {
                return "element " + k + " is " + b + ", expected " + a + " (|error| " + err + ")";
            }
        }
        return null;
    }
}
