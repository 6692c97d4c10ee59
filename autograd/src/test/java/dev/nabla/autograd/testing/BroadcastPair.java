package dev.nabla.autograd.testing;

import dev.nabla.ndarray.Shapes;

/** Two shapes that broadcast together under NumPy's rules, as drawn by {@link NablaArbitraries#broadcastPairs()}. */
public final class BroadcastPair {
    private final int[] a;
    private final int[] b;

    /** A pair of shapes (not validated; the arbitraries only build compatible ones). */
    public BroadcastPair(int[] a, int[] b) {
        this.a = a.clone();
        this.b = b.clone();
    }

    /** The first shape. */
    public int[] a() {
        return a.clone();
    }

    /** The second shape. */
    public int[] b() {
        return b.clone();
    }

    /** The broadcast result shape. */
    public int[] result() {
        return Shapes.broadcast("BroadcastPair", a, b);
    }

    @Override
    public String toString() {
        return Shapes.str(a) + " & " + Shapes.str(b);
    }
}
