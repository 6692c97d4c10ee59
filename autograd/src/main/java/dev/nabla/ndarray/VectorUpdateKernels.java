package dev.nabla.ndarray;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API bodies of {@link UpdateKernels}' Adam and SGD loops: the same float64 operations
 * on each element in the same order (multiply, add, square root and divide are correctly rounded
 * per lane, and Java never contracts a multiply-add), so the results are bitwise those of the
 * scalar loops; a float32 parameter's lanes are widened to float64 and rounded once on the store,
 * as there. Each method updates whole vectors from {@code from} and returns where it stopped; the
 * caller's scalar loop does the rest. Loaded only when the JVM has {@code jdk.incubator.vector}.
 * Stateless and thread-safe (callers split disjoint ranges across threads).
 */
final class VectorUpdateKernels {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** The float species with as many lanes as {@link #D}, so one float vector widens to one double vector. */
    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

    private VectorUpdateKernels() {}

    /** Fails with a LinkageError when the module is missing, so the caller can fall back to the scalar loops. */
    static boolean available() {
        return D.length() >= 2 && F.length() == D.length();
    }

    private static DoubleVector widen(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(F, a, i).convertShape(VectorOperators.F2D, D, 0);
    }

    private static void narrow(DoubleVector x, float[] a, int i) {
        ((FloatVector) x.convertShape(VectorOperators.D2F, F, 0)).intoArray(a, i);
    }

    /** Adam on a float32 parameter ({@link UpdateKernels#adam}'s formula); returns the first element not updated. */
    static int adamFloat(float[] w, float[] g, double[] m, double[] v, double[] vmax, double stepSize, double sqrtBc2,
                         double shrink, double coupled, boolean decoupled, double b1, double b2, double e, int from, int to) {
        int l = D.length();
        int i = from;
        for (; i <= to - l; i += l) {
            DoubleVector wi = widen(w, i);
            DoubleVector gi = widen(g, i);
            DoubleVector r = adamLanes(wi, gi, m, v, vmax, stepSize, sqrtBc2, shrink, coupled, decoupled, b1, b2, e, i);
            narrow(r, w, i);
        }
        return i;
    }

    /** Adam on a float64 parameter; returns the first element not updated. */
    static int adamDouble(double[] w, double[] g, double[] m, double[] v, double[] vmax, double stepSize, double sqrtBc2,
                          double shrink, double coupled, boolean decoupled, double b1, double b2, double e, int from,
                          int to) {
        int l = D.length();
        int i = from;
        for (; i <= to - l; i += l) {
            DoubleVector wi = DoubleVector.fromArray(D, w, i);
            DoubleVector gi = DoubleVector.fromArray(D, g, i);
            adamLanes(wi, gi, m, v, vmax, stepSize, sqrtBc2, shrink, coupled, decoupled, b1, b2, e, i).intoArray(w, i);
        }
        return i;
    }

    /** One vector of Adam: updates m, v (and vmax) at {@code i} and returns the new parameter lanes. */
    private static DoubleVector adamLanes(DoubleVector wi, DoubleVector gi, double[] m, double[] v, double[] vmax,
                                          double stepSize, double sqrtBc2, double shrink, double coupled,
                                          boolean decoupled, double b1, double b2, double e, int i) {
        if (coupled != 0) {
            gi = gi.add(wi.mul(coupled));
        }
        if (decoupled) {
            wi = wi.mul(shrink);
        }
        // scalar: b1 * m + (1 - b1) * g and b2 * v + (1 - b2) * g * g, evaluated left to right
        DoubleVector mi = DoubleVector.fromArray(D, m, i).mul(b1).add(gi.mul(1 - b1));
        DoubleVector vi = DoubleVector.fromArray(D, v, i).mul(b2).add(gi.mul(1 - b2).mul(gi));
        mi.intoArray(m, i);
        vi.intoArray(v, i);
        if (vmax != null) {
            // Math.max: NaN if either is NaN; v is never -0.0 against +0.0 here (a sum of a product and a square)
            vi = DoubleVector.fromArray(D, vmax, i).max(vi);
            vi.intoArray(vmax, i);
        }
        // scalar: w - stepSize * m / (sqrt(v) / sqrtBc2 + eps)
        return wi.sub(mi.mul(stepSize).div(vi.sqrt().div(sqrtBc2).add(e)));
    }

    /** Plain SGD ({@code w -= lr·(g + wd·w)}) on a float32 parameter; returns the first element not updated. */
    static int sgdFloat(float[] w, float[] g, double lr, double wd, int from, int to) {
        int l = D.length();
        int i = from;
        for (; i <= to - l; i += l) {
            DoubleVector wi = widen(w, i);
            DoubleVector gi = widen(g, i);
            if (wd != 0) {
                gi = gi.add(wi.mul(wd));
            }
            narrow(wi.sub(gi.mul(lr)), w, i);
        }
        return i;
    }

    /** Plain SGD on a float64 parameter; returns the first element not updated. */
    static int sgdDouble(double[] w, double[] g, double lr, double wd, int from, int to) {
        int l = D.length();
        int i = from;
        for (; i <= to - l; i += l) {
            DoubleVector wi = DoubleVector.fromArray(D, w, i);
            DoubleVector gi = DoubleVector.fromArray(D, g, i);
            if (wd != 0) {
                gi = gi.add(wi.mul(wd));
            }
            wi.sub(gi.mul(lr)).intoArray(w, i);
        }
        return i;
    }

    /** SGD with momentum (and Nesterov) on a float32 parameter; returns the first element not updated. */
    static int momentumFloat(float[] w, float[] g, double[] b, boolean first, double lr, double wd, double mu,
                             double keep, boolean nesterov, int from, int to) {
        int l = D.length();
        int i = from;
        for (; i <= to - l; i += l) {
            DoubleVector wi = widen(w, i);
            narrow(momentumLanes(wi, widen(g, i), b, first, lr, wd, mu, keep, nesterov, i), w, i);
        }
        return i;
    }

    /** SGD with momentum (and Nesterov) on a float64 parameter; returns the first element not updated. */
    static int momentumDouble(double[] w, double[] g, double[] b, boolean first, double lr, double wd, double mu,
                              double keep, boolean nesterov, int from, int to) {
        int l = D.length();
        int i = from;
        for (; i <= to - l; i += l) {
            DoubleVector wi = DoubleVector.fromArray(D, w, i);
            momentumLanes(wi, DoubleVector.fromArray(D, g, i), b, first, lr, wd, mu, keep, nesterov, i).intoArray(w, i);
        }
        return i;
    }

    private static DoubleVector momentumLanes(DoubleVector wi, DoubleVector gi, double[] b, boolean first, double lr,
                                              double wd, double mu, double keep, boolean nesterov, int i) {
        if (wd != 0) {
            gi = gi.add(wi.mul(wd));
        }
        DoubleVector bi = first ? gi : DoubleVector.fromArray(D, b, i).mul(mu).add(gi.mul(keep));
        bi.intoArray(b, i);
        DoubleVector step = nesterov ? gi.add(bi.mul(mu)) : bi;
        return wi.sub(step.mul(lr));
    }
}
