package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The backward engine: processes nodes by descending generation with a priority queue (no
 * recursion, so a graph a million nodes deep works), accumulating gradients out of place. A
 * multi-output node (behind a {@link Function}) is queued once per pass, when its first output gets
 * a gradient, and runs once with every output's gradient (null for an output no path reached). Every
 * gradient is delivered in the dtype of the variable it belongs to: a backward that produced
 * another dtype (a float64 constant mixed into a float32 graph, say) is converted, as PyTorch does.
 */
final class Engine {
    private Engine() {}

    /**
     * Claims a variable's scratch field {@link Variable#pending} for one run. A run owns the
     * variables it reaches first; a variable another run (on another thread, or a backward nested
     * inside a node's backward) already owns is kept in the run's own overflow map instead, so
     * concurrent and nested passes over shared leaves and shared retained intermediates never see
     * each other's partial sums.
     */
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(Variable.class, "runOwner", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The state of one backward pass; confined to the thread that runs it. */
    private static final class Run {
        /** Variables whose {@code pending} field this run owns (released in {@link #release}). */
        final ArrayList<Variable> owned = new ArrayList<>();
        /** Pending gradients of variables owned by another run; null until the first conflict. */
        IdentityHashMap<Variable, Variable> overflow;
        /** Multi-output nodes ({@link Function}s) already queued in this run; null until the first. */
        Set<Node> queuedMulti;
        final PriorityQueue<Node> queue = new PriorityQueue<>((a, b) -> Integer.compare(b.generation, a.generation));

        /** Adds {@code g} to x's pending gradient; the first gradient of x schedules its creator. */
        void accumulate(Variable x, Variable g) {
            if (x.runOwner == this) {
                Variable p = x.pending;
                x.pending = p == null ? g : p.add(g);
                return;
            }
            if (overflow != null && overflow.containsKey(x)) {
                Variable p = overflow.get(x);
                overflow.put(x, p == null ? g : p.add(g));
                return;
            }
            if (OWNER.compareAndSet(x, null, this)) {
                x.pending = g;
                owned.add(x);
            } else {
                if (overflow == null) {
                    overflow = new IdentityHashMap<>();
                }
                overflow.put(x, g);
            }
            Node c = x.creator();
            if (c != null && (c.outputVariables() == null || firstOfMulti(c))) {
                queue.add(c); // this is x's first gradient, and x is c's only output or c's first reached one
            }
        }

        /** Whether multi-output node {@code c} is seen for the first time in this run. */
        private boolean firstOfMulti(Node c) {
            if (queuedMulti == null) {
                queuedMulti = Collections.newSetFromMap(new IdentityHashMap<>());
            }
            return queuedMulti.add(c);
        }

        /** The gradient accumulated for {@code x} in this run, or null. */
        Variable pending(Variable x) {
            if (x.runOwner == this) {
                return x.pending;
            }
            return overflow == null ? null : overflow.get(x);
        }

        /** Whether {@code x} received a gradient in this run. */
        boolean reached(Variable x) {
            return x.runOwner == this || (overflow != null && overflow.containsKey(x));
        }

        /** Drops x's pending gradient once its creator has consumed it (x stays reached). */
        void consumed(Variable x) {
            if (x.runOwner == this) {
                x.pending = null;
            } else if (overflow != null) {
                overflow.put(x, null);
            }
        }

        /** Replaces x's pending gradient (after its hooks ran); x must have been reached. */
        void setPending(Variable x, Variable g) {
            if (x.runOwner == this) {
                x.pending = g;
            } else {
                overflow.put(x, g);
            }
        }

        /**
         * Adds this run's gradients of reached leaves into their {@code .grad}, atomically per leaf,
         * after the leaves' gradient hooks.
         */
        void accumulateLeaves() {
            for (Variable v : owned) {
                if (v.creator() == null && v.pending != null) {
                    v.accumulateGrad(v.applyHooks(v.pending));
                }
            }
            if (overflow != null) {
                for (Map.Entry<Variable, Variable> e : overflow.entrySet()) {
                    if (e.getKey().creator() == null && e.getValue() != null) {
                        e.getKey().accumulateGrad(e.getKey().applyHooks(e.getValue()));
                    }
                }
            }
        }

        /** Clears and gives back every owned variable (their next run may be on another thread). */
        void release() {
            for (int i = 0, n = owned.size(); i < n; i++) {
                Variable v = owned.get(i);
                v.pending = null;
                OWNER.setRelease(v, null);
            }
        }
    }

    /**
     * Backpropagates from {@code outputs} seeded with {@code seeds}. With {@code wanted == null}
     * gradients accumulate into leaves' (and retainGrad intermediates') {@code .grad}; otherwise
     * the gradients of {@code wanted} are returned and no {@code .grad} is touched. Safe to call
     * from several threads at once over graphs that share leaves, or (with {@code retainGraph})
     * intermediate nodes: every pass keeps its partial sums to itself, and the final addition into
     * each {@code .grad} is atomic per variable.
     */
    static Variable[] run(Variable[] outputs, Variable[] seeds, boolean retainGraph, boolean createGraph,
                          Variable[] wanted) {
        Run run = new Run();
        Set<Variable> keep = wanted == null || wanted.length == 0 ? null : identitySet(wanted);
        try (Autograd.Scope scope = Autograd.setGradEnabled(createGraph)) {
            for (int i = 0; i < outputs.length; i++) {
                Variable y = outputs[i];
                if (!y.requiresGrad()) {
                    throw new IllegalStateException("element " + i + " of outputs does not require grad and does not "
                            + "have a creator: nothing to differentiate (did you build it under noGrad() or from "
                            + "inputs that do not require grad?)");
                }
                Variable seed = seeds[i];
                if (seed == null) {
                    if (y.size() != 1) {
                        throw new IllegalArgumentException("grad can be implicitly created only for scalar outputs; "
                                + "output " + i + " has shape " + Shapes.str(y.shape())
                                + ": pass a gradient of that shape, e.g. y.backward(ones)");
                    }
                    seed = new Variable(NDArray.ones(y.dtype(), y.shape())); // in the output's dtype (unbatched under vmap)
                } else if (!Arrays.equals(seed.shape(), y.shape())) {
                    throw new IllegalArgumentException("Mismatch in shape: grad_output[" + i + "] has a shape of "
                            + Shapes.str(seed.shape()) + " and output[" + i + "] has a shape of " + Shapes.str(y.shape()));
                } else {
                    seed = seed.astype(y.dtype());
                }
                run.accumulate(y, seed);
            }
            PriorityQueue<Node> queue = run.queue;
            while (!queue.isEmpty()) {
                Node f = queue.poll();
                Variable y = f.outputVariable();
                Variable[] ys = f.outputVariables();
                Variable[] xs = f.inputs();
                if (f.isReleased() || y == null || xs == null) { // freed by an earlier backward, maybe on another thread
                    throw f.freedError(null);
                }
                boolean multi = ys != null;
                if (!multi) {
                    ys = new Variable[] {y};
                }
                // every output's gradient is complete: each consumer has a higher generation
                Variable[] gys = new Variable[ys.length];
                for (int j = 0; j < ys.length; j++) {
                    if (run.reached(ys[j])) {
                        Variable gy = run.pending(ys[j]);
                        Variable hooked = ys[j].applyHooks(gy);
                        if (hooked != gy) {
                            gy = hooked;
                            run.setPending(ys[j], gy);
                        }
                        gys[j] = gy;
                    }
                }
                Variable[] gxs;
                try {
                    gxs = multi ? f.runBackwardOutputs(gys) : f.runBackward(gys[0]);
                } catch (NullPointerException e) {
                    if (f.isReleased() || f.inputs() == null) { // freed by another thread while this one ran it
                        throw f.freedError(e);
                    }
                    throw e;
                }
                if (gxs.length != xs.length) {
                    throw new IllegalStateException(f.name() + "Backward returned " + gxs.length
                            + " gradients but the node has " + xs.length + " inputs");
                }
                for (int j = 0; j < ys.length; j++) {
                    if (gys[j] == null) {
                        continue;
                    }
                    if (ys[j].retainsGrad() && wanted == null) {
                        ys[j].accumulateGrad(gys[j]);
                    }
                    if (keep == null || !keep.contains(ys[j])) {
                        run.consumed(ys[j]);
                    }
                }
                for (int i = 0; i < xs.length; i++) {
                    Variable x = xs[i];
                    Variable gx = gxs[i];
                    if (gx == null || !x.requiresGrad()) {
                        continue;
                    }
                    if (!Arrays.equals(gx.shape(), x.shape())) {
                        throw new IllegalStateException("Function " + f.name() + "Backward returned an invalid gradient at index "
                                + i + " - got " + Shapes.str(gx.shape()) + " but expected shape compatible with "
                                + Shapes.str(x.shape()));
                    }
                    if (gx.dtype() != x.dtype()) {
                        gx = gx.astype(x.dtype());
                    }
                    if (Autograd.isDetectAnomaly() && hasNaN(gx.storage())) {
                        throw new IllegalStateException("Function '" + f.name() + "Backward' returned nan values in its "
                                + i + "th output (the gradient of input " + i + " of the forward " + f.name() + ")"
                                + (f.forwardTrace == null ? "" : "; the cause shows where that forward " + f.name()
                                + " was called"), f.forwardTrace);
                    }
                    run.accumulate(x, gx);
                }
                if (!retainGraph) {
                    f.release();
                }
            }
            Variable[] result = null;
            if (wanted != null) {
                result = new Variable[wanted.length];
                for (int i = 0; i < wanted.length; i++) {
                    Variable w = wanted[i];
                    // a leaf's hooks run here (an intermediate's ran when its creator was processed)
                    result[i] = run.reached(w) ? (w.isLeaf() ? w.applyHooks(run.pending(w)) : run.pending(w)) : null;
                }
            } else {
                run.accumulateLeaves();
            }
            return result;
        } finally {
            run.release();
        }
    }

    private static Set<Variable> identitySet(Variable[] vs) {
        Set<Variable> s = Collections.newSetFromMap(new IdentityHashMap<>());
        Collections.addAll(s, vs);
        return s;
    }

    /** Shape equality without copying either shape (this check runs once per gradient edge). */
    private static boolean sameShape(NDArray a, NDArray b) {
        int n = a.ndim();
        if (n != b.ndim()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (a.shape(i) != b.shape(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasNaN(NDArray a) {
        for (int i = 0; i < a.size(); i++) {
            if (Double.isNaN(a.getFlat(i))) {
                return true;
            }
        }
        return false;
    }
}
