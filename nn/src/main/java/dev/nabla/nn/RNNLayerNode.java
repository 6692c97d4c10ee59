package dev.nabla.nn;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Batch;
import dev.nabla.autograd.F;
import dev.nabla.autograd.ForwardAD;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.autograd.Vmap;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.RowKernels;
import dev.nabla.ndarray.Shapes;

/**
 * One layer and one direction of {@link RNN} over a whole sequence as a single graph node (the
 * fused form of T {@link Functional#rnnCell} steps): inputs x {@code (T, N, I)} (or
 * {@code (N, T, I)} when built batch-first), h0 {@code (N, H)}, weight_ih {@code (H, I)},
 * weight_hh {@code (H, H)} and, with biases, bias_ih and bias_hh {@code (H,)} (the node's arity is
 * 4 without biases, 6 with them); output the hidden sequence {@code (T, N, H)}, time-first, step t
 * at index t whatever the direction (the reverse direction runs from the last step to the first).
 *
 * <p>Why: the unrolled layer records about ten nodes per step, so a short sequence of a small layer
 * is all per-op overhead. The forward here runs the steps on raw arrays with the very calls of the
 * unrolled cell ({@code x_t W_ihᵀ} plus {@code b_ih} in place as {@link LinearNode}, the same for
 * {@code h W_hhᵀ + b_hh}, one add, then tanh or relu), so its values are bitwise those of the
 * unrolled steps. Backward with grad mode off (a plain {@code backward()}) is backpropagation
 * through time on raw arrays inside one {@link Backward} node (recorded by a compiled step's
 * tracer like any node, so a replay recomputes it); with grad mode on (createGraph), under a
 * forward-AD level or inside vmap it is the same recurrence written with Variable operations, so
 * it is differentiable to any order. Both use the unrolled backward's per-step operations, and sum
 * the weight and bias gradients over the steps in the order the engine reaches the unrolled steps
 * (the last computed step first); see {@code RNNLayerNodeTest} for what is bitwise equal to the
 * unrolled gradients. The tangent rule is the forward-mode recurrence from Variable operations;
 * the batching rule decomposes into the unrolled cell steps on the logical inputs.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread;
 * once recorded, several threads may backpropagate through it with retainGraph (backward only
 * reads what forward saved).
 */
public final class RNNLayerNode extends Node {
    private final RNNCell.Nonlinearity act;
    private final boolean reverse;
    private final boolean batchFirst;

    /**
     * A layer node with activation {@code act}, running from the last step to the first when
     * {@code reverse}, reading x as {@code (N, T, I)} when {@code batchFirst}.
     */
    public RNNLayerNode(RNNCell.Nonlinearity act, boolean reverse, boolean batchFirst) {
        if (act == null) {
            throw new IllegalArgumentException("RNNLayer: nonlinearity must be TANH or RELU, got null");
        }
        this.act = act;
        this.reverse = reverse;
        this.batchFirst = batchFirst;
    }

    /**
     * Checks the operands and applies a new node: biases both null or both given (the 4- or
     * 6-input form). Bad shapes fail naming the op, the shapes and the expected layout.
     */
    static Variable layer(Variable x, Variable h0, Variable wIh, Variable wHh, Variable bIh, Variable bHh,
                          RNNCell.Nonlinearity act, boolean reverse, boolean batchFirst) {
        if ((bIh == null) != (bHh == null)) {
            throw new IllegalArgumentException("RNNLayer: pass both biases or neither, got bias_ih "
                    + (bIh == null ? "null" : Shapes.str(bIh.shape())) + " and bias_hh "
                    + (bHh == null ? "null" : Shapes.str(bHh.shape())));
        }
        if (x.ndim() != 3 || x.shape(0) == 0 || x.shape(1) == 0) {
            throw new IllegalArgumentException("RNNLayer: expected a non-empty 3-D input of shape "
                    + (batchFirst ? "(N, T, inputSize)" : "(T, N, inputSize)") + " but got " + Shapes.str(x.shape()));
        }
        int n = x.shape(batchFirst ? 0 : 1);
        Variable xt = batchFirst ? x.getItem(Index.all(), Index.at(0)) : x.getItem(Index.at(0));
        RNNSupport.checkStep("RNNLayer", 1, xt, new Variable[] {h0}, new String[] {"h0"}, wIh, wHh, bIh, bHh);
        if (h0.shape(0) != n) {
            throw new IllegalArgumentException("RNNLayer: expected h0 of shape (" + n + ", H) but got " + Shapes.str(h0.shape()));
        }
        RNNLayerNode node = new RNNLayerNode(act, reverse, batchFirst);
        return bIh == null ? node.apply(x, h0, wIh, wHh) : node.apply(x, h0, wIh, wHh, bIh, bHh);
    }

    /**
     * The reference: the same layer as {@link Functional#rnnCell} steps (each a few nodes) stacked
     * time-first; the batching rule uses it, and the tests compare against it.
     */
    static Variable unrolled(Variable x, Variable h0, Variable wIh, Variable wHh, Variable bIh, Variable bHh,
                             RNNCell.Nonlinearity act, boolean reverse, boolean batchFirst) {
        int t = x.shape(batchFirst ? 1 : 0);
        Variable[] out = new Variable[t];
        Variable h = h0;
        for (int j = 0; j < t; j++) {
            int i = reverse ? t - 1 - j : j;
            Variable xt = batchFirst ? x.getItem(Index.all(), Index.at(i)) : x.getItem(Index.at(i));
            h = RNNCell.step(xt, h, wIh, wHh, bIh, bHh, act);
            out[i] = h;
        }
        return F.stack(0, out);
    }

    // ---------------------------------------------------------------- forward

    @Override
    protected NDArray forward(NDArray... in) {
        NDArray x = in[0];
        boolean bias = in.length == 6;
        int t = x.shape()[batchFirst ? 1 : 0];
        NDArray[] out = new NDArray[t];
        NDArray h = in[1];
        // x W_ihᵀ + b_ih for all T·N rows in one product: the GEMM computes every element with the same
        // operations in the same order whatever the number of rows (BlockedGemm), so each step's rows
        // are bitwise the unrolled step's product
        int[] xs = x.shape();
        NDArray xw = linear(x.reshape(xs[0] * xs[1], xs[2]), in[2], bias ? in[4] : null).reshape(xs[0], xs[1], -1);
        for (int j = 0; j < t; j++) {
            int i = reverse ? t - 1 - j : j;
            // xw_i is a fresh gather; adding in place is the unrolled add (a + 1·b is a + b)
            NDArray pre = slice(xw, i, batchFirst).addInPlace(linear(h, in[3], bias ? in[5] : null));
            h = act == RNNCell.Nonlinearity.RELU ? pre.leakyRelu(0.0) : pre.tanh();
            out[i] = h;
        }
        return NDArray.stack(0, out);
    }

    /** {@link LinearNode}'s forward (or the bias-free matmul): bitwise the unrolled cell's products. */
    private static NDArray linear(NDArray x, NDArray w, NDArray b) {
        NDArray y = x.matmul(w, false, true);
        if (b == null) {
            return y;
        }
        if (RowKernels.supports(y, b)) {
            RowKernels.addRowInPlace(y, b);
            return y;
        }
        return y.add(b);
    }

    private static NDArray slice(NDArray x, int i, boolean batchFirst) {
        return batchFirst ? x.getItem(Index.all(), Index.at(i)) : x.getItem(Index.at(i));
    }

    // ---------------------------------------------------------------- backward

    @Override
    protected Variable[] backward(Variable gy) {
        int k = arity();
        boolean[] need = new boolean[k];
        for (int i = 0; i < k; i++) {
            need[i] = needsInputGrad(i);
        }
        if (!Autograd.isGradEnabled() && !ForwardAD.isEnabled() && !Vmap.isActive() && rawDType(gy)) {
            Variable packed = new Backward(act, reverse, batchFirst, need)
                    .apply(gy, input(0), input(1), input(2), input(3), output());
            return unpack(packed, need, input(0).shape(), input(1).shape(), input(2).shape(), input(3).shape());
        }
        return bptt(gy, input(0), input(1), input(2), input(3), output(), need, act, reverse, batchFirst);
    }

    /** The raw path runs only when every array has the same float32 or float64 dtype. */
    private boolean rawDType(Variable gy) {
        DType d = gy.dtype();
        if (d != DType.FLOAT32 && d != DType.FLOAT64) {
            return false;
        }
        for (int i = 0; i < arity(); i++) {
            if (input(i).dtype() != d) {
                return false;
            }
        }
        return output().dtype() == d;
    }

    /**
     * Backpropagation through time with Variable operations (differentiable): the unrolled
     * backward's operations, step by step, in the engine's order. {@code need} has one flag per
     * input (4 or 6); returns one gradient per input, null where not needed.
     */
    static Variable[] bptt(Variable gy, Variable x, Variable h0, Variable wIh, Variable wHh, Variable out,
                           boolean[] need, RNNCell.Nonlinearity act, boolean reverse, boolean batchFirst) {
        int t = out.shape(0);
        int hs = out.shape(2);
        Variable dh = null;
        Variable gWih = null;
        Variable gWhh = null;
        Variable gbIh = null;
        Variable gbHh = null;
        Variable[] dxs = need[0] ? new Variable[t] : null;
        for (int j = 0; j < t; j++) {
            int i = reverse ? j : t - 1 - j; // the step computed last comes first
            Variable g = gy.getItem(Index.at(i));
            if (dh != null) {
                g = g.add(dh);
            }
            Variable y = out.getItem(Index.at(i));
            Variable dpre = act == RNNCell.Nonlinearity.RELU
                    ? g.mul(Vmap.constant(q -> a -> a[0].leakyReluDerivative(0.0), y))
                    : g.mul(y.mul(y).rsub(1.0));
            boolean first = j == t - 1; // the first step computed reads h0
            Variable hPrev = first ? h0 : out.getItem(Index.at(reverse ? i + 1 : i - 1));
            Variable xt = batchFirst ? x.getItem(Index.all(), Index.at(i)) : x.getItem(Index.at(i));
            if (need[3]) {
                gWhh = acc(gWhh, dpre.matmul(hPrev, true, false));
            }
            if (need[2]) {
                gWih = acc(gWih, dpre.matmul(xt, true, false));
            }
            if (need.length == 6 && need[4]) {
                gbIh = acc(gbIh, dpre.sumTo(hs));
            }
            if (need.length == 6 && need[5]) {
                gbHh = acc(gbHh, dpre.sumTo(hs));
            }
            if (need[0]) {
                dxs[i] = dpre.matmul(wIh, false, false);
            }
            dh = !first || need[1] ? dpre.matmul(wHh, false, false) : null;
        }
        Variable dx = need[0] ? F.stack(batchFirst ? 1 : 0, dxs) : null;
        Variable dh0 = need[1] ? dh : null;
        return need.length == 6 ? new Variable[] {dx, dh0, gWih, gWhh, gbIh, gbHh} : new Variable[] {dx, dh0, gWih, gWhh};
    }

    private static Variable acc(Variable sum, Variable g) {
        return sum == null ? g : sum.add(g);
    }

    /** Splits {@link Backward}'s flat output into the gradients, in input order. */
    private static Variable[] unpack(Variable packed, boolean[] need, int[] xs, int[] h0s, int[] wIhs, int[] wHhs) {
        int[][] shapes = {xs, h0s, wIhs, wHhs, {wHhs[0]}, {wHhs[0]}};
        Variable[] g = new Variable[need.length];
        int at = 0;
        for (int i = 0; i < need.length; i++) {
            if (need[i]) {
                int size = Shapes.size(shapes[i]);
                g[i] = packed.getItem(Index.range(at, at + size)).reshape(shapes[i]);
                at += size;
            }
        }
        return g;
    }

    // ---------------------------------------------------------------- tangent and batching

    /** The forward-mode rule, beside backward: the tangent recurrence {@code ḣ_t = act'(h_t) ⊙ (ẋ_t W_ihᵀ + x_t Ẇ_ihᵀ + ḃ_ih + ḣ_{t-1} W_hhᵀ + h_{t-1} Ẇ_hhᵀ + ḃ_hh)}. */
    @Override
    protected Variable tangent(Variable[] tg) {
        Variable x = input(0);
        Variable wIh = input(2);
        Variable wHh = input(3);
        Variable out = output();
        boolean bias = tg.length == 6;
        int t = out.shape(0);
        int[] step = {out.shape(1), out.shape(2)};
        Variable[] ts = new Variable[t];
        Variable th = tg[1];
        boolean any = false;
        for (int j = 0; j < t; j++) {
            int i = reverse ? t - 1 - j : j;
            Variable hPrev = j == 0 ? input(1) : out.getItem(Index.at(reverse ? i + 1 : i - 1));
            Variable d = null;
            if (tg[0] != null) {
                Variable txt = batchFirst ? tg[0].getItem(Index.all(), Index.at(i)) : tg[0].getItem(Index.at(i));
                d = acc(d, txt.matmul(wIh, false, true));
            }
            if (tg[2] != null) {
                Variable xt = batchFirst ? x.getItem(Index.all(), Index.at(i)) : x.getItem(Index.at(i));
                d = acc(d, xt.matmul(tg[2], false, true));
            }
            if (bias && tg[4] != null) {
                d = acc(d, tg[4].broadcastTo(step));
            }
            if (th != null) {
                d = acc(d, th.matmul(wHh, false, true));
            }
            if (tg[3] != null) {
                d = acc(d, hPrev.matmul(tg[3], false, true));
            }
            if (bias && tg[5] != null) {
                d = acc(d, tg[5].broadcastTo(step));
            }
            if (d != null) {
                Variable y = out.getItem(Index.at(i));
                th = act == RNNCell.Nonlinearity.RELU
                        ? d.mul(Vmap.constant(q -> a -> a[0].leakyReluDerivative(0.0), y))
                        : d.mul(y.mul(y).rsub(1.0));
                any = true;
            } else {
                th = null;
            }
            ts[i] = th;
        }
        if (!any) {
            return null;
        }
        for (int i = 0; i < t; i++) {
            if (ts[i] == null) {
                ts[i] = new Variable(NDArray.zeros(out.dtype(), step));
            }
        }
        return F.stack(0, ts);
    }

    /** The batching rule, beside tangent: decomposes into the unrolled cell steps on the logical inputs. */
    @Override
    protected Variable batch(Batch b) {
        boolean bias = b.arity() == 6;
        return b.decomposed(unrolled(b.logical(0), b.logical(1), b.logical(2), b.logical(3),
                bias ? b.logical(4) : null, bias ? b.logical(5) : null, act, reverse, batchFirst));
    }

    @Override
    protected boolean savesOutput() {
        return true;
    }

    @Override
    public String name() {
        return "RNNLayer";
    }

    /**
     * The raw backpropagation through time of one {@link RNNLayerNode}, applied by its backward
     * when grad mode is off: inputs gy {@code (T, N, H)}, x, h0, weight_ih, weight_hh and the
     * layer's output; output the gradients that are needed (flags fixed at construction, in input
     * order x, h0, weight_ih, weight_hh, bias_ih, bias_hh), flattened and concatenated into one
     * 1-D array that the layer's backward slices. Being a node, a compiled step's tracer records it
     * and a replay recomputes it from the replayed arrays. Its values are bitwise those of
     * {@link RNNLayerNode#bptt} (the same array operations in the same order); its tangent and
     * batching rules run that Variable form, and it is never recorded for a backward of its own
     * (it is applied with grad mode off only).
     * Not thread-safe: one application per instance, on one thread.
     */
    static final class Backward extends Node {
        private final RNNCell.Nonlinearity act;
        private final boolean reverse;
        private final boolean batchFirst;
        private final boolean[] need;

        Backward(RNNCell.Nonlinearity act, boolean reverse, boolean batchFirst, boolean[] need) {
            this.act = act;
            this.reverse = reverse;
            this.batchFirst = batchFirst;
            this.need = need.clone();
        }

        @Override
        protected NDArray forward(NDArray... in) {
            NDArray gy = in[0];
            NDArray x = in[1];
            NDArray h0 = in[2];
            NDArray wIh = in[3];
            NDArray wHh = in[4];
            NDArray out = in[5];
            int t = out.shape()[0];
            int hs = out.shape()[2];
            NDArray one = NDArray.scalar(out.dtype(), 1.0);
            NDArray dh = null;
            NDArray gWih = null;
            NDArray gWhh = null;
            NDArray gbIh = null;
            NDArray gbHh = null;
            NDArray[] dxs = need[0] ? new NDArray[t] : null;
            boolean bias = need.length == 6;
            for (int j = 0; j < t; j++) {
                int i = reverse ? j : t - 1 - j;
                NDArray g = gy.getItem(Index.at(i)); // a fresh gather: sums accumulate in place (x + 1·y is x + y)
                if (dh != null) {
                    g.addInPlace(dh);
                }
                NDArray y = out.getItem(Index.at(i));
                NDArray dpre = act == RNNCell.Nonlinearity.RELU ? g.mul(y.leakyReluDerivative(0.0))
                        : g.mul(one.sub(y.mul(y)));
                boolean first = j == t - 1;
                NDArray hPrev = first ? h0 : out.getItem(Index.at(reverse ? i + 1 : i - 1));
                if (need[3]) {
                    NDArray gw = dpre.matmul(hPrev, true, false);
                    gWhh = gWhh == null ? gw : gWhh.addInPlace(gw);
                }
                if (need[2]) {
                    NDArray gw = dpre.matmul(slice(x, i, batchFirst), true, false);
                    gWih = gWih == null ? gw : gWih.addInPlace(gw);
                }
                if (bias && need[4]) {
                    NDArray gb = dpre.sumTo(hs);
                    gbIh = gbIh == null ? gb.copy() : gbIh.addInPlace(gb); // a copy: never mutate what sumTo may share
                }
                if (bias && need[5]) {
                    NDArray gb = dpre.sumTo(hs);
                    gbHh = gbHh == null ? gb.copy() : gbHh.addInPlace(gb);
                }
                if (need[0]) {
                    dxs[i] = dpre.matmul(wIh, false, false);
                }
                dh = !first || need[1] ? dpre.matmul(wHh, false, false) : null;
            }
            NDArray[] parts = new NDArray[need.length];
            int count = 0;
            NDArray[] all = {need[0] ? NDArray.stack(batchFirst ? 1 : 0, dxs) : null, need[1] ? dh : null, gWih, gWhh,
                    bias ? gbIh : null, bias ? gbHh : null};
            for (int i = 0; i < need.length; i++) {
                if (need[i]) {
                    parts[count++] = all[i].reshape(-1);
                }
            }
            return count == 1 ? parts[0] : NDArray.concat(0, java.util.Arrays.copyOf(parts, count));
        }

        /** Packs {@link RNNLayerNode#bptt}'s gradients as this node's forward does. */
        private Variable packed(Variable[] v) {
            Variable[] g = RNNLayerNode.bptt(v[0], v[1], v[2], v[3], v[4], v[5], need, act, reverse, batchFirst);
            java.util.List<Variable> parts = new java.util.ArrayList<>();
            for (int i = 0; i < need.length; i++) {
                if (need[i]) {
                    parts.add(g[i].reshape(-1));
                }
            }
            return parts.size() == 1 ? parts.get(0) : F.concat(0, parts.toArray(new Variable[0]));
        }

        /** Never called: the node is applied with grad mode off, so it is not recorded. */
        @Override
        protected Variable[] backward(Variable gy) {
            throw new IllegalStateException("RNNLayerBackward is applied with grad mode off only and is never recorded; "
                    + "a differentiable backward of nn.RNN goes through RNNLayerNode.bptt (run backward with createGraph)");
        }

        /** The forward-mode rule: the tangent of {@link RNNLayerNode#bptt}'s packed gradients, at a nested dual level. */
        @Override
        protected Variable tangent(Variable[] tg) {
            try (ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
                Variable[] v = new Variable[6];
                for (int i = 0; i < 6; i++) {
                    v[i] = tg[i] == null ? input(i) : ForwardAD.makeDual(input(i), tg[i], level);
                }
                return ForwardAD.unpackDual(packed(v), level).tangent();
            }
        }

        /** The batching rule: {@link RNNLayerNode#bptt} on the logical inputs, packed. */
        @Override
        protected Variable batch(Batch b) {
            Variable[] v = new Variable[6];
            for (int i = 0; i < 6; i++) {
                v[i] = b.logical(i);
            }
            return b.decomposed(packed(v));
        }

        @Override
        public String name() {
            return "RNNLayerBackward";
        }
    }
}
