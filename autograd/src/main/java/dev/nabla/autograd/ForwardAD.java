package dev.nabla.autograd;

import dev.nabla.ndarray.Shapes;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forward-mode automatic differentiation with dual values, PyTorch's
 * {@code torch.autograd.forward_ad}: inside a {@link #dualLevel()} scope, {@link #makeDual} attaches
 * a tangent to a primal value; every operation then computes its output's tangent from its inputs'
 * tangents as the program runs (each primitive {@link Node}'s {@link Node#tangent} rule, each custom
 * {@link Function}'s {@code jvp}), without recording a backward graph for it, and
 * {@link #unpackDual} reads the result's tangent back. Composites get their tangents for free.
 *
 * <pre>{@code
 * try (ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
 *     Variable x = ForwardAD.makeDual(Variable.constant(xs), Variable.constant(v));
 *     Variable y = x.sin().mul(x);
 *     NDArray jv = ForwardAD.unpackDual(y).tangent().data(); // J_f(xs) v, one forward pass
 * }
 * }</pre>
 *
 * <p>Forward mode is independent of grad mode (it also runs under {@link Autograd#noGrad()}), and
 * composes with reverse mode: a tangent rule is built from {@link Variable} operations, so with grad
 * mode on a tangent is itself recorded (reverse-over-forward), and a backward pass run on dual
 * values propagates tangents through the backward's operations (forward-over-reverse, how
 * {@link Autograd#hvp} and {@link Autograd#hessian} work). Levels nest (unlike PyTorch, which allows
 * one): a tangent at an inner level may carry a tangent at an outer one, so {@code jvp} of
 * {@code jvp} gives second directional derivatives. A tangent rule for level L runs with levels L and
 * deeper hidden (its operations see only the outer levels' tangents), which keeps levels from
 * confusing each other.
 *
 * <p>{@link Variable#detach()} drops tangents too (a detached value is a constant in both modes).
 * Not supported: in-place modification of a dual value's array (the tangent is not updated),
 * and several tangent directions per level (one jvp per direction; {@link Autograd#jacfwd} loops).
 * Thread-safe in the sense of grad mode: levels are per thread, so dual values made on one thread
 * carry no visible tangent on another; a dual value must not be shared between threads while its
 * level is open.
 */
public final class ForwardAD {
    private ForwardAD() {}

    /** Open levels over all threads: zero makes {@link Node#apply}'s check one volatile read. */
    private static final AtomicInteger OPEN = new AtomicInteger();

    /** One thread's stack of open levels and the depth above which tangents are hidden. */
    static final class State {
        final ArrayList<DualLevel> stack = new ArrayList<>();
        int limit = Integer.MAX_VALUE;
    }

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    /**
     * An open forward-AD level (PyTorch's {@code dual_level}): tangents made at it are visible until
     * it is closed; closing forgets them (values keep their primals). Close levels innermost first,
     * on the thread that opened them (try-with-resources does both).
     * Not thread-safe: confined to the thread that opened it.
     */
    public static final class DualLevel implements AutoCloseable {
        final State state;
        final int depth;
        private boolean closed;

        private DualLevel(State state, int depth) {
            this.state = state;
            this.depth = depth;
        }

        /** The nesting depth: 0 for the outermost open level. */
        public int depth() {
            return depth;
        }

        /** Whether this level was closed. */
        public boolean isClosed() {
            return closed;
        }

        /** Closes the level; its tangents are no longer visible. Closing twice is a no-op. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (STATE.get() != state) {
                throw new IllegalStateException("ForwardAD: a dual level must be closed on the thread that opened it");
            }
            int last = state.stack.size() - 1;
            if (last < 0 || state.stack.get(last) != this) {
                throw new IllegalStateException("ForwardAD: dual level " + depth + " is not the innermost open level ("
                        + last + "); close nested levels first (use try-with-resources)");
            }
            state.stack.remove(last);
            closed = true;
            OPEN.decrementAndGet();
        }

        boolean visible() {
            return !closed && depth < state.limit && STATE.get() == state;
        }

        @Override
        public String toString() {
            return "DualLevel(" + depth + (closed ? ", closed" : "") + ")";
        }
    }

    /**
     * A dual value split into its primal and its tangent at one level (PyTorch's {@code UnpackedDualTensor}).
     * Immutable and thread-safe (the variables follow their own rules).
     */
    public static final class Dual {
        private final Variable primal;
        private final Variable tangent;

        Dual(Variable primal, Variable tangent) {
            this.primal = primal;
            this.tangent = tangent;
        }

        /** The value without the level's tangent (it keeps tangents of other levels and its graph). */
        public Variable primal() {
            return primal;
        }

        /** The tangent at the level, or null when the value has none there (a zero tangent). */
        public Variable tangent() {
            return tangent;
        }
    }

    /** Opens a new (nested) forward-AD level on this thread; close it with try-with-resources. */
    public static DualLevel dualLevel() {
        State s = STATE.get();
        DualLevel level = new DualLevel(s, s.stack.size());
        s.stack.add(level);
        OPEN.incrementAndGet();
        return level;
    }

    /** Whether a forward-AD level is open on this thread. */
    public static boolean isEnabled() {
        return OPEN.get() > 0 && !STATE.get().stack.isEmpty();
    }

    /** The innermost open level of this thread, or an error saying how to open one. */
    private static DualLevel innermost(String op) {
        State s = STATE.get();
        if (s.stack.isEmpty()) {
            throw new IllegalStateException("ForwardAD." + op + ": no forward AD level is open on this thread; "
                    + "wrap the code in try (ForwardAD.DualLevel l = ForwardAD.dualLevel()) { ... }");
        }
        return s.stack.get(s.stack.size() - 1);
    }

    /** {@link #makeDual(Variable, Variable, DualLevel)} at the innermost open level. */
    public static Variable makeDual(Variable primal, Variable tangent) {
        return makeDual(primal, tangent, innermost("makeDual"));
    }

    /**
     * A dual value: a new variable with {@code primal}'s value, connected to {@code primal} in the
     * backward graph (an identity op, so gradients flow back to it), carrying {@code tangent} at
     * {@code level} (replacing any tangent {@code primal} had there) and {@code primal}'s tangents at
     * the other levels. The tangent must have the primal's shape; it is converted to its dtype.
     */
    public static Variable makeDual(Variable primal, Variable tangent, DualLevel level) {
        if (primal == null || tangent == null) {
            throw new IllegalArgumentException("ForwardAD.makeDual: primal and tangent must not be null");
        }
        if (level == null || level.closed || STATE.get() != level.state) {
            throw new IllegalStateException("ForwardAD.makeDual: the level " + level + " is not open on this thread; "
                    + "make dual values inside try (ForwardAD.DualLevel l = ForwardAD.dualLevel()) { ... }");
        }
        if (!primal.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("ForwardAD.makeDual: expected primal to be floating point, but got "
                    + primal.dtype().numpyName() + " (shape " + Shapes.str(primal.shape()) + "); convert it with astype");
        }
        if (!java.util.Arrays.equals(primal.shape(), tangent.shape())) {
            throw new IllegalArgumentException("ForwardAD.makeDual: Trying to set a forward gradient that has a "
                    + "different size than that of the original Tensor: the tangent has shape "
                    + Shapes.str(tangent.shape()) + " but the primal has shape " + Shapes.str(primal.shape())
                    + "; pass a tangent of the primal's shape");
        }
        Variable dual = new ReshapeNode(primal.shape()).apply(primal); // identity: a view in PyTorch
        dual.setTangent(level, tangent.dtype() == primal.dtype() ? tangent : tangent.astype(primal.dtype()));
        return dual;
    }

    /** {@link #unpackDual(Variable, DualLevel)} at the innermost open level. */
    public static Dual unpackDual(Variable x) {
        return unpackDual(x, innermost("unpackDual"));
    }

    /**
     * Splits {@code x} into its primal (a new variable with x's value, connected to x in the backward
     * graph, without the tangent at {@code level}) and its tangent there (null: none, a zero tangent).
     */
    public static Dual unpackDual(Variable x, DualLevel level) {
        Variable t = x.tangentAt(level);
        if (t == null) {
            return new Dual(x, null);
        }
        Variable primal = new ReshapeNode(x.shape()).apply(x);
        primal.removeTangent(level);
        return new Dual(primal, t);
    }

    /** The tangent of {@code x} at the innermost open level, or null (a zero tangent, or no level open). */
    public static Variable tangent(Variable x) {
        State s = STATE.get();
        return s.stack.isEmpty() ? null : x.tangentAt(s.stack.get(s.stack.size() - 1));
    }

    // ------------------------------------------------------------------ propagation (called by Node/Function)

    /** Whether any level is open on any thread: the cheap test before {@link #propagate}. */
    static boolean anyOpen() {
        return OPEN.get() > 0;
    }

    /**
     * Computes {@code y}'s tangent at every visible level where an input has one, outermost first (an
     * inner level's rule may use the output's outer tangents), each with that level and deeper
     * hidden while the rule runs.
     */
    static void propagate(Node node, Variable[] xs, Variable y) {
        State s = STATE.get();
        int levels = Math.min(s.stack.size(), s.limit);
        if (levels == 0 || !y.dtype().isFloatingPoint()) {
            return;
        }
        boolean saved = false;
        try {
            for (int d = 0; d < levels; d++) {
                DualLevel level = s.stack.get(d);
                Variable[] ts = tangentsAt(level, xs);
                if (ts == null) {
                    continue;
                }
                if (!saved) {
                    node.saveForTangent(xs, y);
                    saved = true;
                }
                int old = s.limit;
                s.limit = d;
                Variable t;
                try {
                    t = node.tangent(ts);
                } finally {
                    s.limit = old;
                }
                if (t != null) {
                    y.setTangent(level, checked(node.name(), t, y));
                }
            }
        } finally {
            if (saved) {
                node.doneWithTangent();
            }
        }
    }

    /** The tangents of {@code xs} at {@code level} (null entries for none), or null when none carries one. */
    private static Variable[] tangentsAt(DualLevel level, Variable[] xs) {
        Variable[] ts = null;
        for (int i = 0; i < xs.length; i++) {
            Variable t = xs[i].tangentAt(level);
            if (t != null) {
                if (ts == null) {
                    ts = new Variable[xs.length];
                }
                ts[i] = t;
            }
        }
        return ts;
    }

    /**
     * Computes the tangents of a {@link Function}'s outputs through its {@code jvp} (see
     * {@link Function#apply}); {@code differentiable[j]} says whether output j may carry one.
     */
    static void propagate(Function fn, FunctionContext ctx, Variable[] xs, Variable[] ys, boolean[] differentiable) {
        State s = STATE.get();
        int levels = Math.min(s.stack.size(), s.limit);
        for (int d = 0; d < levels; d++) {
            DualLevel level = s.stack.get(d);
            Variable[] ts = tangentsAt(level, xs);
            if (ts == null) {
                continue;
            }
            if (ctx.materializeGrads()) {
                for (int i = 0; i < ts.length; i++) {
                    if (ts[i] == null) {
                        ts[i] = new Variable(dev.nabla.ndarray.NDArray.zeros(xs[i].dtype(), xs[i].shape()));
                    }
                }
            }
            int old = s.limit;
            s.limit = d;
            Variable[] out;
            try {
                out = fn.jvp(ctx, ts);
            } finally {
                s.limit = old;
            }
            if (out == null || out.length != ys.length) {
                throw new IllegalStateException("function " + fn.name() + ".jvp returned "
                        + (out == null ? "null" : out.length + " tangents") + " but the function has " + ys.length
                        + " outputs; return one tangent per output (null for a zero tangent)");
            }
            for (int j = 0; j < ys.length; j++) {
                if (out[j] != null && differentiable[j]) {
                    ys[j].setTangent(level, checked(fn.name(), out[j], ys[j]));
                }
            }
        }
    }

    /** Checks a rule's tangent against its output's shape and converts it to the output's dtype. */
    private static Variable checked(String op, Variable t, Variable y) {
        if (!java.util.Arrays.equals(t.shape(), y.shape())) {
            throw new IllegalStateException("Forward AD: the tangent rule of " + op + " returned a tangent of shape "
                    + Shapes.str(t.shape()) + " but its output has shape " + Shapes.str(y.shape())
                    + "; a tangent must have the shape of the value it belongs to (broadcast or sum it to that shape)");
        }
        return t.dtype() == y.dtype() ? t : t.astype(y.dtype());
    }
}
