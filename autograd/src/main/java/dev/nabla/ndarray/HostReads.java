package dev.nabla.ndarray;

/**
 * The hook through which a compiled-step trace ({@code dev.nabla.autograd.compile}) sees values
 * read from an array to the host (getFlat, item, toArray, ...): a replay cannot see such reads,
 * so the tracer guards on them or refuses to compile. Zero-cost when no trace runs: one static
 * flag check. Not a user API.
 * Thread-safe: the listener is per thread; the flag only says that some thread traces.
 */
public final class HostReads {
    private HostReads() {}

    /** Receives the arrays read to the host on the tracing thread. */
    public interface Listener {
        /** Called with the array whose values are being read. */
        void read(NDArray a);
    }

    /** True while any thread traces (a plain field: the tracing thread sets it itself, others need not see it). */
    static boolean tracing;
    private static final ThreadLocal<Listener> LISTENER = new ThreadLocal<>();
    private static int tracers;

    /** Installs {@code l} for the calling thread (null removes it). */
    public static synchronized void listen(Listener l) {
        Listener old = LISTENER.get();
        if (old == null && l != null) {
            tracers++;
        } else if (old != null && l == null) {
            tracers--;
        }
        if (l == null) {
            LISTENER.remove();
        } else {
            LISTENER.set(l);
        }
        tracing = tracers > 0;
    }

    static void read(NDArray a) {
        Listener l = LISTENER.get();
        if (l != null) {
            l.read(a);
        }
    }
}
