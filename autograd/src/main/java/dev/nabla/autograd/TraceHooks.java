package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * The few hooks the compiled-step tracer ({@link dev.nabla.autograd.compile}) needs inside
 * autograd: it is told of every {@link Node#apply} (the node, its input arrays, its output array)
 * and of every custom {@link Function} (which it cannot replay), and it may re-run a recorded
 * node's forward and re-point a variable at a new array. Zero-cost when no trace runs: one static
 * flag check in {@link Node#apply}. Not a user API: use {@code dev.nabla.autograd.compile.Compiled}.
 * Thread-safe: the recorder is per thread.
 */
public final class TraceHooks {
    private TraceHooks() {}

    /** What a trace is told while it records on its thread. */
    public interface Recorder {
        /** {@code node} computed {@code out} from {@code in} (called after its forward). */
        void applied(Node node, NDArray[] in, NDArray out);

        /** A custom Function named {@code name} ran: its forward is user code the tape cannot replay. */
        void function(String name);

        /** Called around a node's forward: reads of values inside a forward are the kernel's own. */
        void enterForward();

        /** Ends what {@link #enterForward} began. */
        void exitForward();
    }

    /** True while any thread traces (a plain field: the tracing thread sets it itself). */
    static boolean active;
    private static final ThreadLocal<Recorder> RECORDER = new ThreadLocal<>();
    private static int tracers;

    /** Installs {@code r} as the calling thread's recorder (null removes it). */
    public static synchronized void record(Recorder r) {
        Recorder old = RECORDER.get();
        if (old == null && r != null) {
            tracers++;
        } else if (old != null && r == null) {
            tracers--;
        }
        if (r == null) {
            RECORDER.remove();
        } else {
            RECORDER.set(r);
        }
        active = tracers > 0;
    }

    /** Re-runs {@code node}'s forward on {@code xs} (a replay), refreshing what the node saves. */
    public static NDArray forward(Node node, NDArray[] xs) {
        return node.forward(xs);
    }

    /** Points variable {@code v} (a gradient the tape owns) at {@code a}, without creating a Variable. */
    public static void rebind(Variable v, NDArray a) {
        v.rebindData(a);
    }

    /** Node.apply's forward while tracing: bracketed and recorded. */
    static NDArray tracedForward(Node node, NDArray[] xs) {
        Recorder r = RECORDER.get();
        if (r == null) {
            return node.forward(xs);
        }
        r.enterForward();
        NDArray y;
        try {
            y = node.forward(xs);
        } finally {
            r.exitForward();
        }
        r.applied(node, xs.clone(), y);
        return y;
    }

    /** Function.apply while tracing. */
    static void function(String name) {
        Recorder r = RECORDER.get();
        if (r != null) {
            r.function(name);
        }
    }
}
