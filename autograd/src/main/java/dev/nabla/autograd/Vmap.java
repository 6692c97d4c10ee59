package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Vectorizing map (JAX's {@code jax.vmap}, PyTorch's {@code torch.func.vmap}) by batching rules,
 * in functorch's design: inside {@link #vmap}, each batched input is a <em>batched value</em> that
 * holds a physical {@link Variable} with the batch axis first and the level (one per open vmap, so
 * vmaps nest) while its {@link Variable#shape()} and {@link Variable#ndim()} report the logical,
 * per-example shape. Code written for one example therefore runs unchanged: when {@link Node#apply}
 * sees an input batched at the innermost level it calls the node's batching rule
 * ({@link Node#batch}), which expresses the op with ordinary operations on the physical values (so
 * one batched pass, never a loop over examples), and wraps the result again. The physical operations
 * are recorded as usual, so {@code grad}/{@code jvp} outside vmap work; when a logical input requires
 * grad (a gradient taken inside the vmapped function) the node is also recorded on the logical
 * values, and its backward, itself made of Variable operations, runs batched too: per-example
 * gradients, {@code vmap(x -> grad(loss(params, x), params))}.
 *
 * <p>What is refused, with a message: {@link Variable#data()} and {@link Variable#item()} of a
 * batched value (per-example values are not materialized: data-dependent control flow cannot be
 * vectorized), random ops (functorch's default {@code randomness='error'}), in-place updates of a
 * batched value, and custom {@link Function}s (they have no batching rule: there is no silent
 * per-example fallback).
 *
 * <p>Thread-safety: the transform is stateless; levels are per thread (a batched value belongs to
 * the thread and the vmap call that made it, and is invalid after that call returns).
 */
public final class Vmap {
    /** The in- or out-axis of an input or output that is not batched (JAX's {@code None}). */
    public static final int NOT_BATCHED = Integer.MIN_VALUE;

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Vmap() {}

    /**
     * One open vmap: its nesting depth (1 for the outermost) and batch size. Not thread-safe: it
     * belongs to the thread running its vmap.
     */
    static final class Level {
        final int depth;
        final int size;
        boolean closed;

        Level(int depth, int size) {
            this.depth = depth;
            this.size = size;
        }

        @Override
        public String toString() {
            return depth + " (batch size " + size + ")";
        }
    }

    /** The transform behind {@link Autograd#vmap(Autograd.MultiFn, int[], int[])}. */
    static Autograd.MultiFn vmap(Autograd.MultiFn f, int[] inAxes, int[] outAxes) {
        if (f == null) {
            throw new IllegalArgumentException("vmap: the function must not be null");
        }
        int[] in = inAxes == null ? null : inAxes.clone();
        int[] out = outAxes == null ? null : outAxes.clone();
        return xs -> call(f, in, out, xs);
    }

    private static String axisName(int a) {
        return a == NOT_BATCHED ? "NOT_BATCHED" : Integer.toString(a);
    }

    private static Variable[] call(Autograd.MultiFn f, int[] inAxes, int[] outAxes, Variable[] xs) {
        int n = xs.length;
        if (inAxes != null && inAxes.length != n && inAxes.length != 1) {
            throw new IllegalArgumentException("vmap: in_axes has " + inAxes.length + " entries "
                    + Arrays.toString(inAxes) + " but the function got " + n + " inputs; give one axis per input "
                    + "(Vmap.NOT_BATCHED for an input that is not batched) or a single axis for all");
        }
        int[] axes = new int[n];
        int size = -1;
        int first = -1;
        StringBuilder sizes = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (xs[i] == null) {
                throw new IllegalArgumentException("vmap: input " + i + " is null");
            }
            int a = inAxes == null ? 0 : inAxes.length == 1 ? inAxes[0] : inAxes[i];
            if (a == NOT_BATCHED) {
                axes[i] = NOT_BATCHED;
                continue;
            }
            int r = xs[i].ndim();
            if (a < -r || a >= r) {
                throw new IllegalArgumentException("vmap: in_axes[" + i + "] = " + a + " is out of range for input " + i
                        + " of shape " + Shapes.str(xs[i].shape()) + " (expected an axis in [" + (-r) + ", " + (r - 1)
                        + "] or Vmap.NOT_BATCHED" + (r == 0 ? ": a 0-d input cannot be batched" : "") + ")");
            }
            axes[i] = a < 0 ? a + r : a;
            int s = xs[i].shape(axes[i]);
            sizes.append(sizes.length() == 0 ? "" : ", ").append("input ").append(i).append(" has size ").append(s)
                    .append(" in axis ").append(axes[i]);
            if (size < 0) {
                size = s;
                first = i;
            } else if (s != size) {
                throw new IllegalArgumentException("vmap: Expected all tensors to have the same size in the mapped "
                        + "dimension, got sizes " + size + " (input " + first + ") and " + s + " (input " + i
                        + ") for the mapped dimension: " + sizes + "; make the batch sizes agree or mark an input "
                        + "Vmap.NOT_BATCHED");
            }
        }
        if (size < 0) {
            throw new IllegalArgumentException("vmap: at least one input must be batched, but in_axes is "
                    + (inAxes == null ? "empty" : Arrays.toString(inAxes).replace(String.valueOf(NOT_BATCHED), "NOT_BATCHED"))
                    + " for " + n + " inputs; give a batch axis for at least one input");
        }
        int[] depth = DEPTH.get();
        Level level = new Level(depth[0] + 1, size);
        depth[0]++;
        try {
            Variable[] in = new Variable[n];
            for (int i = 0; i < n; i++) {
                in[i] = axes[i] == NOT_BATCHED ? xs[i] : Variable.batched(moveToFront(xs[i], axes[i]), level);
            }
            Variable[] ys = f.apply(in);
            if (ys == null) {
                throw new IllegalStateException("vmap: the function returned null; return its outputs");
            }
            if (outAxes != null && outAxes.length != ys.length && outAxes.length != 1) {
                throw new IllegalArgumentException("vmap: out_axes has " + outAxes.length + " entries "
                        + Arrays.toString(outAxes) + " but the function returned " + ys.length + " outputs; give one "
                        + "axis per output or a single axis for all");
            }
            Variable[] out = new Variable[ys.length];
            for (int j = 0; j < ys.length; j++) {
                int a = outAxes == null ? 0 : outAxes.length == 1 ? outAxes[0] : outAxes[j];
                out[j] = unwrap(ys[j], j, a, level);
            }
            return out;
        } finally {
            level.closed = true;
            depth[0]--;
        }
    }

    /** {@code x} with axis {@code a} moved first. */
    private static Variable moveToFront(Variable x, int a) {
        if (a == 0) {
            return x;
        }
        int r = x.ndim();
        int[] perm = new int[r];
        perm[0] = a;
        for (int i = 1, j = 0; i < r; i++, j++) {
            perm[i] = j == a ? ++j : j;
        }
        return x.permute(perm);
    }

    /** {@code x} with its first axis moved to {@code a}. */
    private static Variable moveFromFront(Variable x, int a) {
        if (a == 0) {
            return x;
        }
        int r = x.ndim();
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) {
            perm[i] = i < a ? i + 1 : i == a ? 0 : i;
        }
        return x.permute(perm);
    }

    private static Variable unwrap(Variable y, int j, int outAxis, Level level) {
        if (y == null) {
            throw new IllegalStateException("vmap: output " + j + " of the function is null");
        }
        boolean batched = y.batchLevel() == level;
        if (outAxis == NOT_BATCHED) {
            if (batched) {
                throw new IllegalArgumentException("vmap: out_axes[" + j + "] is NOT_BATCHED but output " + j
                        + " depends on the batched inputs (its per-example values differ); give it an out axis");
            }
            return y;
        }
        int r = y.ndim() + 1;
        if (outAxis < -r || outAxis >= r) {
            throw new IllegalArgumentException("vmap: out_axes[" + j + "] = " + outAxis + " is out of range for output "
                    + j + " of per-example shape " + Shapes.str(y.shape()) + " (expected an axis in [" + (-r) + ", "
                    + (r - 1) + "])");
        }
        Variable p;
        if (batched) {
            p = y.physical();
        } else {
            // independent of the batch: every example's output is the same, as JAX broadcasts it
            int[] s = y.shape();
            int[] t = new int[s.length + 1];
            t[0] = level.size;
            System.arraycopy(s, 0, t, 1, s.length);
            p = y.unsqueeze(0).broadcastTo(t);
        }
        return moveFromFront(p, outAxis < 0 ? outAxis + r : outAxis);
    }

    // ------------------------------------------------------------------ dispatch (called by Node.apply)

    /** The innermost level any of {@code xs} is batched at, or null when none is batched. */
    static Level innermost(Variable[] xs) {
        Level best = null;
        for (Variable x : xs) {
            Level l = x.batchLevel();
            if (l != null && (best == null || l.depth > best.depth)) {
                best = l;
            }
        }
        if (best != null && best.closed) {
            throw new IllegalStateException("vmap: a batched value is used after its vmap returned (level " + best
                    + "); do not let batched values escape the vmapped function (return them instead)");
        }
        return best;
    }

    /** Runs {@code node}'s batching rule at the innermost level; the batched output (or the rule's decomposition). */
    static Variable applyRule(Node node, Batch b, Level level) {
        Variable p = node.batch(b);
        if (b.decomposedResult() != null) {
            return b.decomposedResult();
        }
        if (p == null || p.ndim() == 0 || p.shape(0) != level.size) {
            throw new IllegalStateException("vmap: the batching rule of " + node.name() + " returned "
                    + (p == null ? "null" : "shape " + Shapes.str(p.shape())) + "; it must return the physical output "
                    + "with the batch axis (size " + level.size + ") first");
        }
        return Variable.batched(p, level);
    }

    /** The error for reading the per-example array of a batched value. */
    static IllegalStateException dataError(String what, Variable x) {
        return new IllegalStateException("vmap: " + what + " of a batched value (per-example shape "
                + Shapes.str(x.shape()) + ", level " + x.batchLevel() + ") is not available: inside vmap a value holds "
                + "the whole batch, so reading its array (or item(), or branching on its data) cannot be vectorized; "
                + "express the computation with Variable operations (comparisons, F.where, ...), or move the "
                + "data-dependent part outside vmap");
    }

    /**
     * A constant (not differentiated) computed from the values of {@code xs} by {@code f}, batched
     * where an input is: {@code f.apply(k)} receives the arrays with {@code k} leading batch axes, of
     * the batch size or 1, in front of their logical shapes (padded with 1s to the largest logical
     * rank, so they broadcast), and must treat those axes as batch axes (shift any axis argument by
     * {@code k}). Without batched inputs it is {@code f.apply(0)} on the plain arrays. This is how a
     * rule that needs values (a mask, the position of a maximum) stays vectorized under vmap.
     */
    public static Variable constant(IntFunction<Function<NDArray[], NDArray>> f, Variable... xs) {
        return constant("Constant", f, xs);
    }

    /**
     * {@link #constant(IntFunction, Variable...)} under a name: outside vmap it is one node (so a
     * compiled step's replay recomputes it from new values rather than keep the first step's).
     */
    static Variable constant(String name, IntFunction<Function<NDArray[], NDArray>> f, Variable... xs) {
        Level level = innermost(xs);
        if (level == null) {
            Variable[] a = new Variable[xs.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = xs[i].detach();
            }
            return new DerivedNode(name, f).apply(a);
        }
        int rank = 0;
        for (Variable x : xs) {
            rank = Math.max(rank, x.ndim());
        }
        Variable[] p = new Variable[xs.length];
        for (int i = 0; i < xs.length; i++) {
            Variable x = xs[i];
            boolean batched = x.batchLevel() == level;
            Variable v = batched ? x.physical().detach() : x.detach();
            int[] s = x.shape();
            int[] t = new int[rank + 1];
            Arrays.fill(t, 1);
            t[0] = batched ? level.size : 1;
            System.arraycopy(s, 0, t, rank + 1 - s.length, s.length);
            p[i] = v.reshape(t);
        }
        return Variable.batched(constant(name, k -> f.apply(k + 1), p), level);
    }

    /**
     * The array holding {@code x}'s values for every example (its innermost physical array under
     * vmap, with the batch axes first; {@code x.data()} otherwise): for checks that look at each
     * element whatever example it belongs to (a domain check, say), never for per-example shapes.
     */
    public static NDArray values(Variable x) {
        return x.storage();
    }

    /** Whether a vmap is running on this thread (the function being vmapped is executing). */
    public static boolean isActive() {
        return DEPTH.get()[0] > 0;
    }

    /**
     * Refuses a random op inside vmap, functorch's default {@code randomness='error'}: whether each
     * example should draw its own values or share one draw is ambiguous, so a random op (dropout,
     * say) must say which. Call at the top of an op that draws random numbers.
     *
     * @throws IllegalStateException naming {@code op} when a vmap is running on this thread
     */
    public static void refuseRandomness(String op) {
        if (isActive()) {
            throw new IllegalStateException("vmap: called random operation " + op + " while in randomness error mode "
                    + "(the default): per-example and shared random values are both plausible, so vmap refuses to "
                    + "guess; draw the random values (a dropout mask, say) outside vmap and pass them in as a batched "
                    + "input, or evaluate without randomness (training=false)");
        }
    }

    /** Whether any element of the BOOL {@code v} is true, in any example of any level. */
    static boolean any(Variable v) {
        while (v.batchLevel() != null) {
            v = v.physical();
        }
        for (boolean b : v.data().toBooleanArray()) {
            if (b) {
                return true;
            }
        }
        return false;
    }
}
