package dev.nabla.ndarray;

/**
 * One-pass, in-place optimizer updates on a parameter's own storage: each element of the parameter
 * is read, updated together with its optimizer state, and written back in the same loop, with one
 * version bump per call (no scratch copy of the new values, no per-element dtype dispatch). The
 * arithmetic is the published rules' in float64 (a float32 parameter's element is widened, updated
 * and rounded once on the store), so the results are bitwise those of the element-by-element
 * formulas in {@code dev.nabla.optim}; the state arrays are float64. With the Vector API module the
 * loops run on whole vectors first ({@link VectorUpdateKernels}), lane by lane the same operations. Large parameters are split
 * across threads like every elementwise kernel ({@link Parallel}); every element depends only on
 * its own state, so the split changes no bit.
 * Stateless and thread-safe; a call must not run concurrently with other writers of the same arrays.
 */
public final class UpdateKernels {
    /**
     * Whether the loops run on whole vectors first ({@link VectorUpdateKernels}, same bits): true when
     * the JVM has {@code jdk.incubator.vector}.
     */
    private static final boolean VECTOR = vectorAvailable();

    private UpdateKernels() {}

    /** Whether the Vector API loops are in use (tests check that they exercise them). */
    static boolean vectorized() {
        return VECTOR;
    }

    private static boolean vectorAvailable() {
        if (!ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            return false;
        }
        try {
            return VectorUpdateKernels.available();
        } catch (LinkageError e) {
            return false;
        }
    }

    /**
     * Whether the one-pass kernels apply: {@code p} and {@code grad} are float64 or float32 arrays of
     * one dtype and size (otherwise an optimizer takes its general path).
     */
    public static boolean supports(NDArray p, NDArray grad) {
        return p.dtype() == grad.dtype() && p.size() == grad.size()
                && (p.data != null && grad.data != null || p.fdata != null && grad.fdata != null);
    }

    /**
     * Adam/AdamW for every element: {@code g += coupled·w}; {@code w *= shrink} (when
     * {@code decoupled}); {@code m = β1·m + (1-β1)·g}; {@code v = β2·v + (1-β2)·g²};
     * with {@code vmax} non-null {@code v̂ = vmax = max(vmax, v)}; then
     * {@code w -= stepSize·m / (√v̂ / sqrtBc2 + eps)}. {@code m}, {@code v}, {@code vmax} have the
     * parameter's size. Requires {@link #supports}.
     */
    public static void adam(NDArray p, NDArray grad, double[] m, double[] v, double[] vmax, double stepSize,
                            double sqrtBc2, double shrink, double coupled, boolean decoupled, double beta1, double beta2,
                            double eps) {
        int n = p.size();
        int t = Parallel.threadsFor(n);
        if (t == 1) {
            adamRange(p, grad, m, v, vmax, stepSize, sqrtBc2, shrink, coupled, decoupled, beta1, beta2, eps, 0, n);
        } else {
            Parallel.forRange(n, t, (from, to) -> adamRange(p, grad, m, v, vmax, stepSize, sqrtBc2, shrink, coupled,
                    decoupled, beta1, beta2, eps, from, to));
        }
        p.bumpVersion();
    }

    private static void adamRange(NDArray p, NDArray grad, double[] m, double[] v, double[] vmax, double stepSize,
                                  double sqrtBc2, double shrink, double coupled, boolean decoupled, double b1, double b2,
                                  double e, int from, int to) {
        if (p.fdata != null) {
            adamFloat(p.fdata, grad.fdata, m, v, vmax, stepSize, sqrtBc2, shrink, coupled, decoupled, b1, b2, e, from, to);
        } else {
            adamDouble(p.data, grad.data, m, v, vmax, stepSize, sqrtBc2, shrink, coupled, decoupled, b1, b2, e, from, to);
        }
    }

    // One method per storage type, so that the JIT compiles each loop on its own profile.
    private static void adamFloat(float[] w, float[] g, double[] m, double[] v, double[] vmax, double stepSize,
                                  double sqrtBc2, double shrink, double coupled, boolean decoupled, double b1, double b2,
                                  double e, int from, int to) {
        if (VECTOR) {
            from = VectorUpdateKernels.adamFloat(w, g, m, v, vmax, stepSize, sqrtBc2, shrink, coupled, decoupled, b1, b2, e, from, to);
        }
        for (int i = from; i < to; i++) {
            double wi = w[i];
            double gi = g[i];
            if (coupled != 0) {
                gi += coupled * wi;
            }
            if (decoupled) {
                wi *= shrink;
            }
            double mi = b1 * m[i] + (1 - b1) * gi;
            double vi = b2 * v[i] + (1 - b2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            if (vmax != null) {
                vi = Math.max(vmax[i], vi);
                vmax[i] = vi;
            }
            w[i] = (float) (wi - stepSize * mi / (Math.sqrt(vi) / sqrtBc2 + e));
        }
    }

    private static void adamDouble(double[] w, double[] g, double[] m, double[] v, double[] vmax, double stepSize,
                                   double sqrtBc2, double shrink, double coupled, boolean decoupled, double b1, double b2,
                                   double e, int from, int to) {
        if (VECTOR) {
            from = VectorUpdateKernels.adamDouble(w, g, m, v, vmax, stepSize, sqrtBc2, shrink, coupled, decoupled, b1, b2, e, from, to);
        }
        for (int i = from; i < to; i++) {
            double wi = w[i];
            double gi = g[i];
            if (coupled != 0) {
                gi += coupled * wi;
            }
            if (decoupled) {
                wi *= shrink;
            }
            double mi = b1 * m[i] + (1 - b1) * gi;
            double vi = b2 * v[i] + (1 - b2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            if (vmax != null) {
                vi = Math.max(vmax[i], vi);
                vmax[i] = vi;
            }
            w[i] = wi - stepSize * mi / (Math.sqrt(vi) / sqrtBc2 + e);
        }
    }

    /**
     * SGD for every element: {@code g += wd·w}; with {@code buf} non-null
     * {@code b = first ? g : μ·b + keep·g} and {@code g = nesterov ? g + μ·b : b}; then
     * {@code w -= lr·g}. {@code buf} has the parameter's size (null: no momentum). Requires
     * {@link #supports}.
     */
    public static void sgd(NDArray p, NDArray grad, double[] buf, boolean first, double lr, double weightDecay,
                           double momentum, double keep, boolean nesterov) {
        int n = p.size();
        int t = Parallel.threadsFor(n);
        if (t == 1) {
            sgdRange(p, grad, buf, first, lr, weightDecay, momentum, keep, nesterov, 0, n);
        } else {
            Parallel.forRange(n, t, (from, to) -> sgdRange(p, grad, buf, first, lr, weightDecay, momentum, keep, nesterov,
                    from, to));
        }
        p.bumpVersion();
    }

    private static void sgdRange(NDArray p, NDArray grad, double[] buf, boolean first, double lr, double wd, double mu,
                                 double keep, boolean nesterov, int from, int to) {
        if (p.fdata != null) {
            if (buf == null) {
                sgdFloat(p.fdata, grad.fdata, lr, wd, from, to);
            } else {
                momentumFloat(p.fdata, grad.fdata, buf, first, lr, wd, mu, keep, nesterov, from, to);
            }
        } else if (buf == null) {
            sgdDouble(p.data, grad.data, lr, wd, from, to);
        } else {
            momentumDouble(p.data, grad.data, buf, first, lr, wd, mu, keep, nesterov, from, to);
        }
    }

    private static void sgdFloat(float[] w, float[] g, double lr, double wd, int from, int to) {
        if (VECTOR) {
            from = VectorUpdateKernels.sgdFloat(w, g, lr, wd, from, to);
        }
        for (int i = from; i < to; i++) {
            double wi = w[i];
            double gi = g[i];
            if (wd != 0) {
                gi += wd * wi;
            }
            w[i] = (float) (wi - lr * gi);
        }
    }

    private static void sgdDouble(double[] w, double[] g, double lr, double wd, int from, int to) {
        if (VECTOR) {
            from = VectorUpdateKernels.sgdDouble(w, g, lr, wd, from, to);
        }
        for (int i = from; i < to; i++) {
            double wi = w[i];
            double gi = g[i];
            if (wd != 0) {
                gi += wd * wi;
            }
            w[i] = wi - lr * gi;
        }
    }

    private static void momentumFloat(float[] w, float[] g, double[] b, boolean first, double lr, double wd, double mu,
                                      double keep, boolean nesterov, int from, int to) {
        if (VECTOR) {
            from = VectorUpdateKernels.momentumFloat(w, g, b, first, lr, wd, mu, keep, nesterov, from, to);
        }
        for (int i = from; i < to; i++) {
            double wi = w[i];
            double gi = g[i];
            if (wd != 0) {
                gi += wd * wi;
            }
            double bi = first ? gi : mu * b[i] + keep * gi;
            b[i] = bi;
            w[i] = (float) (wi - lr * (nesterov ? gi + mu * bi : bi));
        }
    }

    private static void momentumDouble(double[] w, double[] g, double[] b, boolean first, double lr, double wd, double mu,
                                       double keep, boolean nesterov, int from, int to) {
        if (VECTOR) {
            from = VectorUpdateKernels.momentumDouble(w, g, b, first, lr, wd, mu, keep, nesterov, from, to);
        }
        for (int i = from; i < to; i++) {
            double wi = w[i];
            double gi = g[i];
            if (wd != 0) {
                gi += wd * wi;
            }
            double bi = first ? gi : mu * b[i] + keep * gi;
            b[i] = bi;
            w[i] = wi - lr * (nesterov ? gi + mu * bi : bi);
        }
    }
}
