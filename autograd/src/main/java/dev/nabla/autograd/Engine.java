package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backward engine: processes nodes by descending generation with a priority queue (no
 * recursion, so a graph a million nodes deep works), accumulating gradients out of place. Every
 * gradient is delivered in the dtype of the variable it belongs to: a backward that produced
 * another dtype (a float64 constant mixed into a float32 graph, say) is converted, as PyTorch does.
 */
final class Engine {
    private Engine() {}

    private static final AtomicInteger EPOCH = new AtomicInteger();

    /**
     * Backpropagates from {@code outputs} seeded with {@code seeds}. With {@code wanted == null}
     * gradients accumulate into leaves' (and retainGrad intermediates') {@code .grad}; otherwise
     * the gradients of {@code wanted} are returned and no {@code .grad} is touched.
     */
    static Variable[] run(Variable[] outputs, Variable[] seeds, boolean retainGraph, boolean createGraph,
                          Variable[] wanted) {
        int epoch = EPOCH.incrementAndGet();
        List<Variable> touched = new ArrayList<>();
        PriorityQueue<Node> queue = new PriorityQueue<>((a, b) -> Integer.compare(b.generation, a.generation));
        if (wanted != null) {
            for (Variable w : wanted) {
                w.wanted = epoch;
            }
        }
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
                    if (y.data().size() != 1) {
                        throw new IllegalArgumentException("grad can be implicitly created only for scalar outputs; "
                                + "output " + i + " has shape " + Shapes.str(y.shape())
                                + ": pass a gradient of that shape, e.g. y.backward(ones)");
                    }
                    seed = new Variable(NDArray.onesLike(y.data())); // in the output's dtype
                } else if (!Arrays.equals(seed.shape(), y.shape())) {
                    throw new IllegalArgumentException("Mismatch in shape: grad_output[" + i + "] has a shape of "
                            + Shapes.str(seed.shape()) + " and output[" + i + "] has a shape of " + Shapes.str(y.shape()));
                } else {
                    seed = seed.astype(y.dtype());
                }
                accumulate(y, seed, epoch, touched, queue);
            }
            while (!queue.isEmpty()) {
                Node f = queue.poll();
                Variable y = f.outputVariable();
                if (f.isReleased() || y == null) {
                    f.runBackward(null); // throws the retainGraph message
                }
                Variable gy = y.pending;
                Variable[] xs = f.inputs();
                Variable[] gxs = f.runBackward(gy);
                if (gxs.length != xs.length) {
                    throw new IllegalStateException(f.name() + "Backward returned " + gxs.length
                            + " gradients but the node has " + xs.length + " inputs");
                }
                if (y.retainsGrad() && wanted == null) {
                    y.grad = y.grad == null ? gy : y.grad.add(gy);
                }
                if (y.wanted != epoch) {
                    y.pending = null;
                }
                for (int i = 0; i < xs.length; i++) {
                    Variable x = xs[i];
                    Variable gx = gxs[i];
                    if (gx == null || !x.requiresGrad()) {
                        continue;
                    }
                    if (!sameShape(gx.data(), x.data())) {
                        throw new IllegalStateException("Function " + f.name() + "Backward returned an invalid gradient at index "
                                + i + " - got " + Shapes.str(gx.shape()) + " but expected shape compatible with "
                                + Shapes.str(x.shape()));
                    }
                    if (gx.data().dtype() != x.data().dtype()) {
                        gx = gx.astype(x.data().dtype());
                    }
                    if (Autograd.isDetectAnomaly() && hasNaN(gx.data())) {
                        throw new IllegalStateException("Function '" + f.name() + "Backward' returned nan values in its "
                                + i + "th output (the gradient of input " + i + " of the forward " + f.name() + ")"
                                + (f.forwardTrace == null ? "" : "; the cause shows where that forward " + f.name()
                                + " was called"), f.forwardTrace);
                    }
                    accumulate(x, gx, epoch, touched, queue);
                }
                if (!retainGraph) {
                    f.release();
                }
            }
            Variable[] result = null;
            if (wanted != null) {
                result = new Variable[wanted.length];
                for (int i = 0; i < wanted.length; i++) {
                    result[i] = wanted[i].seen == epoch ? wanted[i].pending : null;
                }
            } else {
                for (Variable v : touched) {
                    if (v.creator() == null && v.pending != null) {
                        v.grad = v.grad == null ? v.pending : v.grad.add(v.pending).astype(v.dtype());
                    }
                }
            }
            return result;
        } finally {
            for (Variable v : touched) {
                v.pending = null;
            }
        }
    }

    private static void accumulate(Variable x, Variable g, int epoch, List<Variable> touched, PriorityQueue<Node> queue) {
        if (x.seen != epoch) {
            x.seen = epoch;
            x.pending = g;
            touched.add(x);
        } else {
            x.pending = x.pending == null ? g : x.pending.add(g);
        }
        Node c = x.creator();
        if (c != null && c.visited != epoch) {
            c.visited = epoch;
            queue.add(c);
        }
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
