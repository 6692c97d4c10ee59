package dev.nabla.autograd;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Arrays;

/**
 * The bodies of the forward-mode and mixed-mode transforms of {@link Autograd} (jvp, jacfwd, jacrev,
 * the forward-over-reverse hessian and hvp), kept apart so Autograd stays a readable list of entry
 * points. Stateless and thread-safe: grad mode and forward-AD levels are per thread.
 */
final class Transforms {
    private Transforms() {}

    static void checkTangents(String op, Variable[] primals, Variable[] tangents) {
        if (tangents.length != primals.length) {
            throw new IllegalArgumentException(op + ": expected one tangent per input (" + primals.length
                    + ") but got " + tangents.length);
        }
        for (int i = 0; i < primals.length; i++) {
            if (primals[i] == null || tangents[i] == null) {
                throw new IllegalArgumentException(op + ": input " + i + " or its tangent is null");
            }
            if (!Arrays.equals(primals[i].shape(), tangents[i].shape())) {
                throw new IllegalArgumentException(op + ": tangent " + i + " has shape " + Shapes.str(tangents[i].shape())
                        + " but input " + i + " has shape " + Shapes.str(primals[i].shape()) + "; they must match");
            }
        }
    }

    static Autograd.JvpResult jvp(Autograd.MultiFn f, Variable[] primals, Variable[] tangents, boolean createGraph,
                                  boolean strict) {
        checkTangents("jvp", primals, tangents);
        try (Autograd.Scope s = Autograd.setGradEnabled(createGraph);
             ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
            Variable[] in = new Variable[primals.length];
            for (int i = 0; i < in.length; i++) {
                in[i] = ForwardAD.makeDual(primals[i], tangents[i], level);
            }
            Variable[] ys = f.apply(in);
            Variable[] outs = new Variable[ys.length];
            Variable[] ts = new Variable[ys.length];
            for (int j = 0; j < ys.length; j++) {
                ForwardAD.Dual d = ForwardAD.unpackDual(ys[j], level);
                outs[j] = d.primal();
                ts[j] = d.tangent();
                if (ts[j] == null) {
                    if (strict) {
                        throw new IllegalStateException("jvp: output " + j + " of the user-provided function is "
                                + "independent of the inputs (its tangent is zero). This is not allowed in strict "
                                + "mode; pass strict=false to get zeros");
                    }
                    ts[j] = new Variable(NDArray.zeros(ys[j].dtype(), ys[j].shape()));
                }
            }
            return new Autograd.JvpResult(outs, ts);
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] s = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, s, a.length, b.length);
        return s;
    }

    private static String independent(int j, int i) {
        return "Output " + j + " of the user-provided function is independent of input " + i
                + ". This is not allowed in strict mode; pass strict=false to get a zero block";
    }

    /** The basis of {@code x}'s space: {@code (size, shape)}, row k the k-th unit tangent, in x's dtype. */
    private static NDArray basis(NDArray x) {
        return NDArray.eye(x.size()).astype(x.dtype()).reshape(concat(new int[] {x.size()}, x.shape()));
    }

    /**
     * The Jacobian blocks {@code J[j][i]} (output j, input i) by forward mode, one batched pass per
     * input: the jvp vmapped over the basis of the input's space (every direction at once).
     */
    static NDArray[][] jacfwd(Autograd.MultiFn f, NDArray[] xs, boolean strict) {
        int n = xs.length;
        Variable[] base = Autograd.constants(xs);
        NDArray[] ys;
        try (Autograd.Scope s = Autograd.noGrad()) {
            ys = Autograd.values(f.apply(base));
        }
        NDArray[][] jac = new NDArray[ys.length][n];
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (int i = 0; i < n; i++) {
                int m = xs[i].size();
                int input = i;
                boolean[] reached = new boolean[ys.length];
                Variable[] cols = m == 0 ? null : Autograd.vmap(v -> {
                    try (ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
                        Variable[] in = base.clone();
                        in[input] = ForwardAD.makeDual(base[input], v[0], level);
                        Variable[] out = f.apply(in);
                        Variable[] t = new Variable[out.length];
                        for (int j = 0; j < out.length; j++) {
                            t[j] = out[j].tangentAt(level);
                            reached[j] = t[j] != null;
                            if (t[j] == null) {
                                t[j] = Variable.constant(NDArray.zeros(ys[j].dtype(), ys[j].shape()));
                            }
                        }
                        return t;
                    }
                }, new int[] {0}, null).apply(Variable.constant(basis(xs[i])));
                for (int j = 0; j < ys.length; j++) {
                    if (strict && !reached[j]) {
                        throw new IllegalStateException("jacobian: " + independent(j, i));
                    }
                    int[] shape = concat(ys[j].shape(), xs[i].shape());
                    // cols[j] is (m, y shape): row k is J e_k, the k-th column of the block
                    jac[j][i] = m == 0 ? NDArray.zeros(shape) // float64, as the blocks always were
                            : cols[j].data().astype(DType.FLOAT64).reshape(m, ys[j].size()).transpose().copy().reshape(shape);
                }
            }
        }
        return jac;
    }

    /** The Jacobian blocks {@code J[j][i]} (output j, input i) by one forward-mode pass per input element. */
    static NDArray[][] jacfwdByColumns(Autograd.MultiFn f, NDArray[] xs, boolean strict) {
        int n = xs.length;
        Variable[] base = Autograd.constants(xs);
        NDArray[] ys;
        try (Autograd.Scope s = Autograd.noGrad()) {
            ys = Autograd.values(f.apply(base));
        }
        double[][][] blocks = new double[ys.length][n][];
        for (int j = 0; j < ys.length; j++) {
            for (int i = 0; i < n; i++) {
                blocks[j][i] = new double[ys[j].size() * xs[i].size()];
            }
        }
        boolean[][] reached = new boolean[ys.length][n];
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (int i = 0; i < n; i++) {
                int m = xs[i].size();
                for (int k = 0; k < m; k++) {
                    NDArray e = NDArray.zerosLike(xs[i]);
                    e.setFlat(k, 1.0);
                    try (ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
                        Variable[] in = base.clone();
                        in[i] = ForwardAD.makeDual(base[i], new Variable(e), level);
                        Variable[] out = f.apply(in);
                        for (int j = 0; j < out.length; j++) {
                            Variable t = out[j].tangentAt(level);
                            if (t == null) {
                                continue;
                            }
                            reached[j][i] = true;
                            NDArray td = t.data();
                            for (int r = 0; r < td.size(); r++) {
                                blocks[j][i][r * m + k] = td.getFlat(r);
                            }
                        }
                    }
                }
            }
        }
        return assemble(ys, xs, blocks, reached, strict);
    }

    private static NDArray[][] assemble(NDArray[] ys, NDArray[] xs, double[][][] blocks, boolean[][] reached,
                                        boolean strict) {
        NDArray[][] jac = new NDArray[ys.length][xs.length];
        for (int j = 0; j < ys.length; j++) {
            for (int i = 0; i < xs.length; i++) {
                if (strict && !reached[j][i]) {
                    throw new IllegalStateException("jacobian: " + independent(j, i));
                }
                jac[j][i] = NDArray.of(blocks[j][i], concat(ys[j].shape(), xs[i].shape()));
            }
        }
        return jac;
    }

    /**
     * The Jacobian blocks {@code J[j][i]} by reverse mode, one batched backward pass per output: the
     * vjp vmapped over the basis of the output's space (every row of the Jacobian at once).
     */
    static NDArray[][] jacrev(Autograd.MultiFn f, NDArray[] xs, boolean strict) {
        try (Autograd.Scope s = Autograd.enableGrad()) {
            int n = xs.length;
            Variable[] in = new Variable[n];
            for (int i = 0; i < n; i++) {
                in[i] = new Variable(xs[i].copy(), true);
            }
            Variable[] out = f.apply(in);
            NDArray[] ys = Autograd.values(out);
            NDArray[][] jac = new NDArray[ys.length][n];
            for (int j = 0; j < ys.length; j++) {
                Variable y = out[j];
                int rows = ys[j].size();
                boolean[] reached = new boolean[n];
                Variable[] g = !y.requiresGrad() || rows == 0 ? new Variable[n] : Autograd.vmap(v -> {
                    Variable[] gs = Engine.run(new Variable[] {y}, new Variable[] {v[0]}, true, false, in);
                    for (int i = 0; i < n; i++) {
                        reached[i] = gs[i] != null;
                        if (gs[i] == null) {
                            gs[i] = Variable.constant(NDArray.zeros(xs[i].dtype(), xs[i].shape()));
                        }
                    }
                    return gs;
                }, new int[] {0}, null).apply(Variable.constant(basis(ys[j])));
                for (int i = 0; i < n; i++) {
                    if (strict && !reached[i]) {
                        throw new IllegalStateException("jacobian: " + independent(j, i));
                    }
                    int[] shape = concat(ys[j].shape(), xs[i].shape());
                    // g[i] is (rows, x shape): row r is e_rᵀ J, the r-th row of the block
                    jac[j][i] = g[i] == null ? NDArray.zeros(shape) // float64, as the blocks always were
                            : g[i].data().astype(DType.FLOAT64).reshape(shape);
                }
            }
            return jac;
        }
    }

    /** The Jacobian blocks {@code J[j][i]} by one backward pass per output element (the graph retained). */
    static NDArray[][] jacrevByRows(Autograd.MultiFn f, NDArray[] xs, boolean strict) {
        try (Autograd.Scope s = Autograd.enableGrad()) {
            int n = xs.length;
            Variable[] in = new Variable[n];
            for (int i = 0; i < n; i++) {
                in[i] = new Variable(xs[i].copy(), true);
            }
            Variable[] out = f.apply(in);
            NDArray[] ys = Autograd.values(out);
            double[][][] blocks = new double[ys.length][n][];
            boolean[][] reached = new boolean[ys.length][n];
            for (int j = 0; j < ys.length; j++) {
                for (int i = 0; i < n; i++) {
                    blocks[j][i] = new double[ys[j].size() * xs[i].size()];
                }
                if (!out[j].requiresGrad()) {
                    continue; // independent of every input: zero blocks
                }
                for (int r = 0; r < ys[j].size(); r++) {
                    NDArray e = NDArray.zerosLike(ys[j]);
                    e.setFlat(r, 1.0);
                    Variable[] g = Engine.run(new Variable[] {out[j]}, new Variable[] {new Variable(e)}, true, false, in);
                    for (int i = 0; i < n; i++) {
                        if (g[i] == null) {
                            continue;
                        }
                        reached[j][i] = true;
                        int m = xs[i].size();
                        for (int k = 0; k < m; k++) {
                            blocks[j][i][r * m + k] = g[i].data().getFlat(k);
                        }
                    }
                }
            }
            return assemble(ys, xs, blocks, reached, strict);
        }
    }

    private static Variable scalar(String op, Autograd.Fn f, Variable[] in) {
        Variable y = f.apply(in);
        if (y.size() != 1) {
            throw new IllegalArgumentException(op + ": f must return a single value, got shape " + Shapes.str(y.shape())
                    + "; reduce it (e.g. sum()) first");
        }
        return y;
    }

    /**
     * Forward over reverse: the tangents of the gradient of scalar {@code f} with respect to every
     * input, when input {@code i} moves along {@code v[i]} (null: does not move) — that is, {@code H v}.
     */
    static NDArray[] hvpForwardOverReverse(String op, Autograd.Fn f, NDArray[] xs, NDArray[] v) {
        int n = xs.length;
        try (Autograd.Scope s = Autograd.enableGrad(); ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
            Variable[] leaves = new Variable[n];
            Variable[] in = new Variable[n];
            for (int i = 0; i < n; i++) {
                leaves[i] = new Variable(xs[i].copy(), true);
                in[i] = v[i] == null ? leaves[i] : ForwardAD.makeDual(leaves[i], new Variable(v[i]), level);
            }
            Variable y = scalar(op, f, in);
            NDArray[] out = new NDArray[n];
            Variable[] g = y.requiresGrad() ? Engine.run(new Variable[] {y}, new Variable[1], false, false,
                    leaves) : new Variable[n];
            for (int i = 0; i < n; i++) {
                Variable t = g[i] == null ? null : g[i].tangentAt(level);
                out[i] = t == null ? NDArray.zerosLike(xs[i]) : t.data().copy();
            }
            return out;
        }
    }

    static NDArray[] hvp(String op, Autograd.Fn f, NDArray[] xs, NDArray[] v) {
        if (v.length != xs.length) {
            throw new IllegalArgumentException(op + ": expected one vector per input (" + xs.length + ") but got "
                    + v.length);
        }
        for (int i = 0; i < xs.length; i++) {
            if (!xs[i].hasShape(v[i].shape())) {
                throw new IllegalArgumentException(op + ": v[" + i + "] has shape " + Shapes.str(v[i].shape())
                        + " but input " + i + " has shape " + Shapes.str(xs[i].shape()) + "; they must match");
            }
        }
        NDArray[] vs = new NDArray[v.length];
        for (int i = 0; i < v.length; i++) {
            vs[i] = v[i].astype(xs[i].dtype());
        }
        return hvpForwardOverReverse(op, f, xs, vs);
    }

    /** The Hessian blocks {@code H[i][j] = ∂²f/∂x_i∂x_j} by one forward-over-reverse pass per element of x_j. */
    static NDArray[][] hessian(Autograd.Fn f, NDArray[] xs) {
        int n = xs.length;
        double[][][] blocks = new double[n][n][];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                blocks[i][j] = new double[xs[i].size() * xs[j].size()];
            }
        }
        for (int j = 0; j < n; j++) {
            int m = xs[j].size();
            for (int k = 0; k < m; k++) {
                NDArray[] v = new NDArray[n];
                v[j] = NDArray.zerosLike(xs[j]);
                v[j].setFlat(k, 1.0);
                NDArray[] col = hvpForwardOverReverse("hessian", f, xs, v);
                for (int i = 0; i < n; i++) {
                    for (int r = 0; r < col[i].size(); r++) {
                        blocks[i][j][r * m + k] = col[i].getFlat(r);
                    }
                }
            }
        }
        int total = 0;
        for (NDArray x : xs) {
            total += x.size();
        }
        if (total == 0) {
            scalarCheck(f, xs);
        }
        NDArray[][] h = new NDArray[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h[i][j] = NDArray.of(blocks[i][j], concat(xs[i].shape(), xs[j].shape()));
            }
        }
        return h;
    }

    /** With no element to perturb no pass runs; still reject a non-scalar f, as the passes would. */
    private static void scalarCheck(Autograd.Fn f, NDArray[] xs) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            scalar("hessian", f, Autograd.constants(xs));
        }
    }
}
