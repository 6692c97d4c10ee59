package dev.nabla.autograd;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.Gather;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.IndexMaps;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A value in a computation graph: an {@link NDArray}, its gradient (itself a Variable, so that
 * gradients can be differentiated again), the {@link Node} that created it (none for a leaf), its
 * generation, whether it requires grad, and an optional name. Every fluent method records a node
 * when grad mode is on and an input requires grad.
 * Thread-safe for backward: several threads may backpropagate at once into shared leaves, and (with
 * retainGraph) through shared recorded graphs; each pass keeps its partial sums to itself and adds
 * into {@code .grad} atomically per variable, and {@link #grad()}, {@link #setGrad} and
 * {@link #clearGrad()} synchronize with that. The rest is not: set names, requiresGrad, retainGrad
 * and cut the graph (unchain) on one thread before sharing; its value follows {@link NDArray}'s
 * rules.
 */
public class Variable {
    /** Not final only so that {@link Parameter#setData} can change a leaf parameter's dtype. */
    private NDArray data;
    Variable grad;
    private Node creator;
    int generation;
    private boolean requiresGrad;
    private boolean retainGrad;
    private String name;
    /** Gradient hooks in registration order; null until the first {@link #registerHook}. */
    private volatile java.util.concurrent.CopyOnWriteArrayList<java.util.function.UnaryOperator<Variable>> hooks;
    // engine scratch: the run (Engine.Run) that owns `pending`, claimed by CAS, or null
    Object runOwner;
    Variable pending;
    /** Forward-mode tangents, one per {@link ForwardAD.DualLevel}; null for a plain value. */
    private Tangent tangents;
    // ---- vmap (see Vmap): a batched value holds its physical value (batch axis first) and its level; data is null
    private final Variable physical;
    private final Vmap.Level level;

    /** One forward-AD tangent of a value at one level: an immutable list cell. */
    private static final class Tangent {
        final ForwardAD.DualLevel level;
        final Variable value;
        final Tangent next;

        Tangent(ForwardAD.DualLevel level, Variable value, Tangent next) {
            this.level = level;
            this.value = value;
            this.next = next;
        }
    }

    /** A leaf that does not require grad (a constant), as PyTorch's default. */
    public Variable(NDArray data) {
        this(data, false);
    }

    /**
     * A leaf; with {@code requiresGrad} backward gives it a {@code .grad}. Only floating-point
     * arrays can require grad (PyTorch's rule): integer and bool variables are constants.
     *
     * @throws IllegalArgumentException if {@code requiresGrad} and the dtype is not floating point
     */
    public Variable(NDArray data, boolean requiresGrad) {
        if (data == null) {
            throw new IllegalArgumentException("Variable: data must not be null");
        }
        if (requiresGrad) {
            checkCanRequireGrad("Variable", data);
        }
        this.data = data;
        this.requiresGrad = requiresGrad;
        this.physical = null;
        this.level = null;
    }

    /** A batched value of {@code level} (see {@link Vmap}): {@code physical} has the batch axis first. */
    private Variable(Variable physical, Vmap.Level level) {
        this.data = null;
        this.physical = physical;
        this.level = level;
    }

    /** The batched value at {@code level} whose physical value (batch axis first) is {@code physical}. */
    static Variable batched(Variable physical, Vmap.Level level) {
        return new Variable(physical, level);
    }

    /** The vmap level this value is batched at, or null for a plain value. */
    Vmap.Level batchLevel() {
        return level;
    }

    /** The physical value (batch axis first) of a batched value; null for a plain value. */
    Variable physical() {
        return physical;
    }

    /** The innermost array holding this value (the physical one under vmap): what in-place versions track. */
    NDArray storage() {
        return physical == null ? data : physical.storage();
    }

    /** Throws PyTorch's error when {@code data} is not of a floating-point dtype. */
    static void checkCanRequireGrad(String op, NDArray data) {
        checkCanRequireGrad(op, data.dtype(), data.shape());
    }

    static void checkCanRequireGrad(String op, DType dtype, int[] shape) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": Only Tensors of floating point and complex dtype can require "
                    + "gradients, but the array has dtype " + dtype.numpyName() + " (shape "
                    + Shapes.str(shape) + "); convert it first, e.g. data.astype(DType.FLOAT64), or keep it a "
                    + "constant (requiresGrad false): integer and bool values have no gradient");
        }
    }

    /** A leaf that requires grad, holding a 1-D array of {@code values}. */
    public static Variable of(double... values) {
        return new Variable(NDArray.of(values), true);
    }

    /** A 0-d leaf that requires grad. */
    public static Variable scalar(double value) {
        return new Variable(NDArray.scalar(value), true);
    }

    /** A constant (no grad) wrapping {@code data}. */
    public static Variable constant(NDArray data) {
        return new Variable(data, false);
    }

    /** A 0-d constant. */
    public static Variable constant(double value) {
        return new Variable(NDArray.scalar(value), false);
    }

    /** A 0-d constant of {@code dtype} (rounded to float32 for FLOAT32). */
    public static Variable constant(double value, DType dtype) {
        return new Variable(NDArray.scalar(dtype, value), false);
    }

    /** A 0-d constant in this variable's dtype: how {@code double} arguments enter a graph without promoting it. */
    private Variable constantLike(double value) {
        return new Variable(NDArray.scalar(dtype(), value), false);
    }

    /**
     * Whether an op of this variable with a {@code double} would run unrecorded and unobserved, so
     * that {@link #add(double)} and the like may compute the value directly, without a Node, its
     * input arrays or a constant Variable: no vmap, no tracer, no open forward-AD level, and no
     * recording (this does not require grad, or grad mode is off on this thread). The value is the
     * one {@link Node#apply} would compute (the same kernel on the same arrays), bitwise.
     */
    private boolean unrecordedScalarOp() {
        return level == null && !TraceHooks.active && !(requiresGrad && Autograd.isGradEnabled())
                && !ForwardAD.anyOpen();
    }

    /**
     * Whether a binary op of this variable and {@code o} would run unrecorded and unobserved (as
     * {@link #unrecordedScalarOp}, for both operands), so that its value may be computed directly,
     * bitwise as {@link Node#apply} computes it, without a Node: for example each op of a backward
     * pass that does not create a graph, or of code under {@link Autograd#noGrad}.
     */
    private boolean unrecordedBinaryOp(Variable o) {
        return level == null && o.level == null && !TraceHooks.active
                && !((requiresGrad || o.requiresGrad) && Autograd.isGradEnabled()) && !ForwardAD.anyOpen();
    }

    /** The 0-d array of {@code value} in this variable's dtype, as {@link #constantLike} holds it. */
    private NDArray scalarLike(double value) {
        return NDArray.scalar(data.dtype(), value);
    }

    /** The tangent at {@code level} if that level is open and visible on this thread, else null. */
    Variable tangentAt(ForwardAD.DualLevel level) {
        for (Tangent t = tangents; t != null; t = t.next) {
            if (t.level == level) {
                return level.visible() ? t.value : null;
            }
        }
        return null;
    }

    /** Sets (or replaces) the tangent at {@code level}, dropping tangents of closed levels. */
    void setTangent(ForwardAD.DualLevel level, Variable tangent) {
        tangents = new Tangent(level, tangent, without(tangents, level));
    }

    /** Removes the tangent at {@code level}. */
    void removeTangent(ForwardAD.DualLevel level) {
        tangents = without(tangents, level);
    }

    private static Tangent without(Tangent list, ForwardAD.DualLevel level) {
        if (list == null) {
            return null;
        }
        Tangent rest = without(list.next, level);
        if (list.level == level || list.level.isClosed()) {
            return rest;
        }
        return rest == list.next ? list : new Tangent(list.level, list.value, rest);
    }

    void attach(Node node, int gen) {
        this.creator = node;
        this.generation = gen;
        this.requiresGrad = true;
    }

    // ---------------------------------------------------------------- state

    /**
     * The value. Inside {@link Vmap} a batched value has no per-example array (only its physical,
     * batched one), so asking for it is refused with a message: use Variable operations instead.
     */
    public NDArray data() {
        if (physical != null) {
            throw Vmap.dataError("data()", this);
        }
        return data;
    }

    /**
     * The accumulated gradient, or null. Synchronized with the engine's accumulation, so it sees
     * every backward pass that has finished, on any thread.
     */
    public synchronized Variable grad() {
        return grad;
    }

    /**
     * Adds {@code g} into {@code .grad} out of place (converted to this variable's dtype),
     * atomically: concurrent backward passes into one shared leaf each add their whole
     * contribution exactly once.
     */
    synchronized void accumulateGrad(Variable g) {
        grad = grad == null ? g : grad.add(g).astype(dtype());
    }

    /** Replaces the gradient (null clears it); it must have this variable's shape and dtype. */
    public synchronized void setGrad(Variable g) {
        if (g != null && !java.util.Arrays.equals(g.shape(), shape())) {
            throw new IllegalArgumentException("setGrad: assigned grad has shape " + Shapes.str(g.shape())
                    + " but the variable has shape " + Shapes.str(shape()));
        }
        if (g != null && g.dtype() != dtype()) {
            throw new IllegalArgumentException("setGrad: assigned grad has dtype " + g.dtype().numpyName()
                    + " but the variable has dtype " + dtype().numpyName() + "; convert it with astype(DType."
                    + dtype() + ")");
        }
        this.grad = g;
    }

    /**
     * Replaces this leaf's value with {@code value} of the same shape (any dtype) and clears its
     * gradient; for {@link Parameter#setData}. Graphs already recorded keep the old array.
     */
    synchronized void replaceData(String op, NDArray value) {
        if (creator != null) {
            throw new IllegalStateException(op + ": only a leaf's data can be replaced, but this variable was produced by "
                    + creator.name());
        }
        if (value == null || !value.hasShape(data.shape())) {
            throw new IllegalArgumentException(op + ": the new data must have the shape " + Shapes.str(shape())
                    + ", got " + (value == null ? "null" : Shapes.str(value.shape())));
        }
        this.data = value;
        this.grad = null;
    }

    /** Re-points this variable at {@code a} (a compiled step's replay of a gradient it owns). */
    synchronized void rebindData(NDArray a) {
        this.data = a;
    }

    /** Clears the gradient (DeZero's cleargrad). */
    public synchronized void clearGrad() {
        this.grad = null;
    }

    /** The node that produced this variable, or null for a leaf. */
    public Node creator() {
        return creator;
    }

    /** Graph depth used to order backward. */
    public int generation() {
        return generation;
    }

    /** Whether gradients flow to this variable. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Sets requiresGrad on a leaf; returns this. Only a floating-point variable can require grad. */
    public Variable requiresGrad(boolean on) {
        if (creator != null && !on) {
            throw new IllegalStateException("requiresGrad: you can only change requiresGrad flags of leaf variables; "
                    + "use detach() to get a non-requiring copy of " + describe());
        }
        if (on) {
            checkCanRequireGrad("requiresGrad", dtype(), shape());
        }
        this.requiresGrad = on;
        return this;
    }

    /** Keeps the gradient of this intermediate after backward (leaves always keep theirs). */
    public Variable retainGrad() {
        this.retainGrad = true;
        return this;
    }

    boolean retainsGrad() {
        return retainGrad;
    }

    /** The optional name, used in graph exports and errors. */
    public String name() {
        return name;
    }

    /** Names this variable; returns this. */
    public Variable named(String name) {
        this.name = name;
        return this;
    }

    /** A copy of the shape. */
    public int[] shape() {
        if (physical != null) {
            int[] p = physical.shape();
            return java.util.Arrays.copyOfRange(p, 1, p.length); // the logical, per-example shape
        }
        return data.shape();
    }

    /** Size of one axis. */
    public int shape(int axis) {
        if (physical != null) {
            return physical.shape(Shapes.axis("shape", axis, ndim()) + 1);
        }
        return data.shape(axis);
    }

    /** Number of axes. */
    public int ndim() {
        return physical != null ? physical.ndim() - 1 : data.ndim();
    }

    /** Number of elements. */
    public int size() {
        return physical != null ? Shapes.size(shape()) : data.size();
    }

    /** The element type of the value (FLOAT64 by default). */
    public DType dtype() {
        return physical != null ? physical.dtype() : data.dtype();
    }

    /** The single value of a one-element variable (refused inside {@link Vmap} for a batched value). */
    public double item() {
        return data().item();
    }

    /** Whether this is a leaf (no creator). */
    public boolean isLeaf() {
        return creator == null;
    }

    private String describe() {
        return (name == null ? "variable" : "'" + name + "'") + " of shape " + Shapes.str(shape());
    }

    // ---------------------------------------------------------------- backward

    /** Backpropagates from this scalar, seeding 1. */
    public void backward() {
        backward(null, false, false);
    }

    /** Backpropagates with an explicit seed gradient of this variable's shape. */
    public void backward(Variable gradient) {
        backward(gradient, false, false);
    }

    /**
     * Backpropagates; {@code retainGraph} keeps saved values for another backward, {@code createGraph}
     * records the backward pass so gradients can be differentiated again (implies retainGraph).
     */
    public void backward(Variable gradient, boolean retainGraph, boolean createGraph) {
        Engine.run(new Variable[] {this}, new Variable[] {gradient}, retainGraph || createGraph, createGraph, null);
    }

    /**
     * Registers a gradient hook (PyTorch's {@code Tensor.register_hook}): every backward pass calls
     * {@code hook} with this variable's whole gradient once it is known, before it is accumulated into
     * {@code .grad} (a leaf) or passed on to its creator (an intermediate); a non-null result replaces
     * the gradient (it must have this variable's shape). Hooks run in registration order, each on the
     * previous one's result, under the backward's grad mode (recorded with createGraph). Thread-safe:
     * hooks may be added and removed while other threads backpropagate (a pass sees the hooks present
     * when it reaches this variable), and a hook itself must be safe to call from every thread that
     * backpropagates through this variable.
     *
     * @throws IllegalStateException if this variable does not require grad (it never gets a gradient)
     */
    public RemovableHandle registerHook(java.util.function.UnaryOperator<Variable> hook) {
        if (hook == null) {
            throw new IllegalArgumentException("registerHook: hook must not be null");
        }
        if (!requiresGrad) {
            throw new IllegalStateException("registerHook: cannot register a hook on a variable that doesn't require "
                    + "gradient (" + describe() + "); call requiresGrad(true) on the leaf first");
        }
        synchronized (this) {
            if (hooks == null) {
                hooks = new java.util.concurrent.CopyOnWriteArrayList<>();
            }
        }
        // a distinct wrapper per registration, so removing one of two registrations of the same lambda removes one
        java.util.function.UnaryOperator<Variable> entry = g -> hook.apply(g);
        hooks.add(entry);
        return () -> hooks.remove(entry);
    }

    /** Runs the gradient hooks on {@code g}; returns the (possibly replaced) gradient. */
    Variable applyHooks(Variable g) {
        java.util.List<java.util.function.UnaryOperator<Variable>> hs = hooks;
        if (hs == null || hs.isEmpty() || g == null) {
            return g;
        }
        for (java.util.function.UnaryOperator<Variable> h : hs) {
            Variable r = h.apply(g);
            if (r != null) {
                if (!java.util.Arrays.equals(r.shape(), shape())) {
                    throw new IllegalStateException("hook registered on " + describe() + " has changed the size of value:"
                            + " it returned a gradient of shape " + Shapes.str(r.shape()) + "; return one of shape "
                            + Shapes.str(shape()) + " (or null to keep the gradient)");
                }
                g = r.dtype() == dtype() ? r : r.astype(dtype());
            }
        }
        return g;
    }

    /** A new leaf sharing this value, cut from the graph and not requiring grad. */
    public Variable detach() {
        if (physical != null) {
            return batched(physical.detach(), level);
        }
        return new Variable(data, false);
    }

    /** Cuts this variable from its creator (it becomes a leaf). */
    public void unchain() {
        creator = null;
    }

    /** Cuts every creator link reachable backward from here (truncated BPTT), without recursion. */
    public void unchainBackward() {
        Deque<Variable> stack = new ArrayDeque<>();
        Map<Node, Boolean> seenNodes = new IdentityHashMap<>();
        stack.push(this);
        while (!stack.isEmpty()) {
            Variable v = stack.pop();
            Node c = v.creator;
            v.creator = null;
            if (c != null && seenNodes.put(c, Boolean.TRUE) == null && c.inputs() != null) {
                for (Variable x : c.inputs()) {
                    stack.push(x);
                }
            }
        }
    }

    // ---------------------------------------------------------------- arithmetic

    /** {@code this + o} with broadcasting. */
    public Variable add(Variable o) {
        return unrecordedBinaryOp(o) ? new Variable(data.add(o.data)) : new AddNode().apply(this, o);
    }

    /** {@code this + s}; {@code s} takes this variable's dtype (a float32 graph stays float32). */
    public Variable add(double s) {
        return unrecordedScalarOp() ? new Variable(data.add(scalarLike(s))) : add(constantLike(s));
    }

    /** {@code this - o} with broadcasting. */
    public Variable sub(Variable o) {
        return unrecordedBinaryOp(o) ? new Variable(data.sub(o.data)) : new SubNode().apply(this, o);
    }

    /** {@code this - s}. */
    public Variable sub(double s) {
        return unrecordedScalarOp() ? new Variable(data.sub(scalarLike(s))) : sub(constantLike(s));
    }

    /** {@code s - this}. */
    public Variable rsub(double s) {
        return unrecordedScalarOp() ? new Variable(scalarLike(s).sub(data)) : constantLike(s).sub(this);
    }

    /** {@code this * o} with broadcasting. */
    public Variable mul(Variable o) {
        return unrecordedBinaryOp(o) ? new Variable(data.mul(o.data)) : new MulNode().apply(this, o);
    }

    /** {@code this * s}. */
    public Variable mul(double s) {
        return unrecordedScalarOp() ? new Variable(data.mul(scalarLike(s))) : mul(constantLike(s));
    }

    /** {@code this / o} with broadcasting. */
    public Variable div(Variable o) {
        return unrecordedBinaryOp(o) ? new Variable(data.div(o.data)) : new DivNode().apply(this, o);
    }

    /** {@code this / s}. */
    public Variable div(double s) {
        return unrecordedScalarOp() ? new Variable(data.div(scalarLike(s))) : div(constantLike(s));
    }

    /** {@code s / this}. */
    public Variable rdiv(double s) {
        return unrecordedScalarOp() ? new Variable(scalarLike(s).div(data)) : constantLike(s).div(this);
    }

    /** {@code -this}. */
    public Variable neg() {
        return new NegNode().apply(this);
    }

    /** {@code this ^ p} for a constant exponent. */
    public Variable pow(double p) {
        return new PowNode(p).apply(this);
    }

    /**
     * {@code this ^ o} elementwise with broadcasting, as PyTorch's {@code torch.pow}: a negative
     * base with an integer exponent gives the real power, with a non-integer exponent NaN; the
     * gradient is 0 with respect to the base where {@code o == 0} and with respect to the exponent
     * where the base is 0 and {@code o >= 0}. See {@link PowTensorNode}.
     */
    public Variable pow(Variable o) {
        return new PowTensorNode().apply(this, o);
    }

    /** {@code this * this}. */
    public Variable square() {
        return pow(2);
    }

    /** {@code e^this}. */
    public Variable exp() {
        return new ExpNode().apply(this);
    }

    /** Natural logarithm. */
    public Variable log() {
        return new LogNode().apply(this);
    }

    /** Square root. */
    public Variable sqrt() {
        return new SqrtNode().apply(this);
    }

    /** Absolute value (gradient 0 at 0). */
    public Variable abs() {
        return new AbsNode().apply(this);
    }

    /** Sine. */
    public Variable sin() {
        return new SinNode().apply(this);
    }

    /** Cosine. */
    public Variable cos() {
        return new CosNode().apply(this);
    }

    /** Hyperbolic tangent. */
    public Variable tanh() {
        return new TanhNode().apply(this);
    }

    /** Logistic sigmoid. */
    public Variable sigmoid() {
        return new SigmoidNode().apply(this);
    }

    /** {@code max(this, 0)} (gradient 0 at 0, as PyTorch). */
    public Variable relu() {
        return new LeakyReluNode(0.0).apply(this);
    }

    /** {@code this} where positive, {@code slope * this} elsewhere. */
    public Variable leakyRelu(double slope) {
        return new LeakyReluNode(slope).apply(this);
    }

    /** Error function. */
    public Variable erf() {
        return new ErfNode().apply(this);
    }

    /** Elementwise maximum (gradient split evenly on ties). */
    public Variable maximum(Variable o) {
        return new MaximumNode(true).apply(this, o);
    }

    /** Elementwise minimum (gradient split evenly on ties). */
    public Variable minimum(Variable o) {
        return new MaximumNode(false).apply(this, o);
    }

    /** Clamps into [lo, hi]; gradient passes where {@code lo <= x <= hi}. */
    public Variable clamp(double lo, double hi) {
        return new ClampNode(lo, hi).apply(this);
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of every element (0-d). */
    public Variable sum() {
        return new SumNode(null, false).apply(this);
    }

    /** Sum over {@code axes} (one or more, negative counting from the end), dropping them: PyTorch's {@code sum(dim)}. */
    public Variable sum(int... axes) {
        return sum(axes, false);
    }

    /** Sum over {@code axes}, keeping them as size 1 with {@code keepDims}. */
    public Variable sum(int[] axes, boolean keepDims) {
        return new SumNode(axes, keepDims).apply(this);
    }

    /** Mean of every element. */
    public Variable mean() {
        return mean(null, false);
    }

    /** Mean over {@code axes} (one or more), dropping them: PyTorch's {@code mean(dim)}. */
    public Variable mean(int... axes) {
        return mean(axes, false);
    }

    /** Mean over {@code axes} (null: all): sum divided by the count. */
    public Variable mean(int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("mean", axes, ndim());
        int count = 1;
        for (int a : ax) {
            count *= shape(a);
        }
        return sum(ax, keepDims).div(count);
    }

    /** Maximum over {@code axes} (null: all); the gradient is split evenly among ties. */
    public Variable max(int[] axes, boolean keepDims) {
        return new MaxNode(axes, keepDims).apply(this);
    }

    /** Maximum over {@code axes} (one or more), dropping them (PyTorch's {@code amax(dim)}). */
    public Variable max(int... axes) {
        return max(axes, false);
    }

    /** Maximum of every element. */
    public Variable max() {
        return max(null, false);
    }

    /** Minimum over {@code axes} (one or more), dropping them (PyTorch's {@code amin(dim)}). */
    public Variable min(int... axes) {
        return min(axes, false);
    }

    /** Minimum over {@code axes}, as {@code -max(-x)}. */
    public Variable min(int[] axes, boolean keepDims) {
        return neg().max(axes, keepDims).neg();
    }

    /** Population variance ({@code ddof = 0}) or sample variance ({@code ddof = 1}) over {@code axes}. */
    public Variable var(int[] axes, boolean keepDims, int ddof) {
        int[] ax = Shapes.axes("var", axes, ndim());
        int count = 1;
        for (int a : ax) {
            count *= shape(a);
        }
        Variable d = sub(mean(ax, true));
        return d.mul(d).sum(ax, keepDims).div(Math.max(count - ddof, 0));
    }

    // ---------------------------------------------------------------- shape

    /** The same values with a new shape (one dimension may be -1). */
    public Variable reshape(int... shape) {
        return new ReshapeNode(shape).apply(this);
    }

    /** Flattens every axis from 1 on: {@code (N, ...) -> (N, -1)}. */
    public Variable flatten() {
        return reshape(ndim() == 0 ? 1 : shape(0), -1);
    }

    /** Reverses the axes (a matrix's transpose). */
    public Variable transpose() {
        int n = ndim();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = n - 1 - i;
        }
        return permute(perm);
    }

    /** Swaps two axes. */
    public Variable transpose(int a, int b) {
        int n = ndim();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        int x = Shapes.axis("transpose", a, n);
        int y = Shapes.axis("transpose", b, n);
        perm[x] = y;
        perm[y] = x;
        return permute(perm);
    }

    /** Reorders axes: result axis i is this variable's axis {@code perm[i]}. */
    public Variable permute(int... perm) {
        return new PermuteNode(perm).apply(this);
    }

    /** Broadcasts to {@code shape}. */
    public Variable broadcastTo(int... shape) {
        if (java.util.Arrays.equals(shape(), shape)) {
            return this;
        }
        return new BroadcastToNode(shape).apply(this);
    }

    /** Sums down to {@code shape} (the adjoint of broadcastTo). */
    public Variable sumTo(int... shape) {
        if (java.util.Arrays.equals(shape(), shape)) {
            return this;
        }
        return new SumToNode(shape).apply(this);
    }

    /** Inserts a size-1 axis. */
    public Variable unsqueeze(int axis) {
        int[] s = shape();
        int a = Shapes.axis("unsqueeze", axis, s.length + 1);
        int[] t = new int[s.length + 1];
        for (int i = 0, j = 0; i < t.length; i++) {
            t[i] = i == a ? 1 : s[j++];
        }
        return reshape(t);
    }

    /** Removes every size-1 axis. */
    public Variable squeeze() {
        return reshape(java.util.Arrays.stream(shape()).filter(d -> d != 1).toArray());
    }

    // ---------------------------------------------------------------- indexing

    /** NumPy-style indexing; the backward scatter-adds into a zero array. */
    public Variable getItem(Index... index) {
        return new GetItemNode(index).apply(this);
    }

    /** Positions along axis 0, like {@code x[indices]} (rows may repeat). */
    public Variable take(int... indices) {
        return getItem(Index.of(indices));
    }

    /**
     * Rows at the positions of an integer index array (INT64, INT32, ...) of any shape, like
     * PyTorch's {@code x[indices]} with a long tensor: shape {@code indices.shape + shape[1:]}.
     * Differentiable in this variable (a gather, then a reshape); the indices are constants.
     */
    public Variable take(NDArray indices) {
        if (ndim() == 0) {
            throw new IllegalArgumentException("take: cannot index a 0-d variable (shape ()) along axis 0");
        }
        return getItem(Index.of(indices.flatten())).reshape(NDArray.takeShape(indices.shape(), shape()));
    }

    /**
     * The elements where the BOOL {@code mask} (broadcast with this shape) is true, as a 1-D
     * variable: PyTorch's {@code masked_select} / {@code x[mask]}; differentiable in this variable
     * (the gradient scatters back to the selected positions).
     */
    public Variable maskedSelect(NDArray mask) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("maskedSelect: expected a bool mask, but got dtype " + mask.dtype().numpyName()
                    + " (shape " + Shapes.str(mask.shape()) + "); make one with a comparison, e.g. x.gt(0)");
        }
        int[] s = Shapes.broadcast("maskedSelect", shape(), mask.shape());
        return broadcastTo(s).reshape(-1).getItem(Index.of(mask.broadcastTo(s).flatten()));
    }

    // ---------------------------------------------------------------- comparisons (not differentiable)

    /** {@code this == o} elementwise (broadcasting): a BOOL constant, never part of the graph, as in PyTorch. */
    public Variable eq(Variable o) {
        return Vmap.constant(k -> a -> a[0].eq(a[1]), this, o);
    }

    /** {@code this != o}: a BOOL constant. */
    public Variable ne(Variable o) {
        return Vmap.constant(k -> a -> a[0].ne(a[1]), this, o);
    }

    /** {@code this < o}: a BOOL constant. */
    public Variable lt(Variable o) {
        return Vmap.constant(k -> a -> a[0].lt(a[1]), this, o);
    }

    /** {@code this <= o}: a BOOL constant. */
    public Variable le(Variable o) {
        return Vmap.constant(k -> a -> a[0].le(a[1]), this, o);
    }

    /** {@code this > o}: a BOOL constant. */
    public Variable gt(Variable o) {
        return Vmap.constant(k -> a -> a[0].gt(a[1]), this, o);
    }

    /** {@code this >= o}: a BOOL constant. */
    public Variable ge(Variable o) {
        return Vmap.constant(k -> a -> a[0].ge(a[1]), this, o);
    }

    /** {@code this == s}: a BOOL constant. */
    public Variable eq(double s) {
        return Vmap.constant(k -> a -> a[0].eq(s), this);
    }

    /** {@code this < s}: a BOOL constant. */
    public Variable lt(double s) {
        return Vmap.constant(k -> a -> a[0].lt(s), this);
    }

    /** {@code this > s}: a BOOL constant. */
    public Variable gt(double s) {
        return Vmap.constant(k -> a -> a[0].gt(s), this);
    }

    /** Index of the maximum along {@code axis} (first occurrence): an INT64 constant, as PyTorch's argmax. */
    public Variable argmax(int axis) {
        int ax = Shapes.axis("argmax", axis, ndim());
        return Vmap.constant(k -> a -> a[0].argmax(ax + k), this);
    }

    /** Positions {@code start..stop-1} along {@code axis}. */
    public Variable slice(int axis, int start, int stop) {
        int a = Shapes.axis("slice", axis, ndim());
        Index[] ix = new Index[a + 1];
        java.util.Arrays.fill(ix, Index.all());
        ix[a] = Index.range(start, stop);
        return getItem(ix);
    }

    // ---------------------------------------------------------------- products

    /** Matrix product with NumPy's matmul rules (1-D operands are promoted and squeezed). */
    public Variable matmul(Variable o) {
        if (ndim() == 1 && o.ndim() == 1) {
            return reshape(1, -1).matmul(o.reshape(-1, 1)).reshape();
        }
        if (ndim() == 1) {
            Variable r = reshape(1, -1).matmul(o);
            int[] s = r.shape();
            int[] t = new int[s.length - 1];
            System.arraycopy(s, 0, t, 0, s.length - 2);
            t[t.length - 1] = s[s.length - 1];
            return r.reshape(t);
        }
        if (o.ndim() == 1) {
            Variable r = matmul(o.reshape(-1, 1));
            int[] s = r.shape();
            return r.reshape(java.util.Arrays.copyOf(s, s.length - 1));
        }
        return new MatMulNode().apply(this, o);
    }

    /**
     * {@code op(this) @ op(o)}, where {@code op} swaps the last two axes when its flag is set;
     * the same value as {@code transpose(-1, -2)} then {@link #matmul(Variable)}, without copying
     * the transpose (in the forward or the backward). Transposed operands need at least 2 axes.
     */
    public Variable matmul(Variable o, boolean transA, boolean transB) {
        if (!transA && !transB) {
            return matmul(o);
        }
        if (ndim() < 2 || o.ndim() < 2) {
            throw new IllegalArgumentException("matmul: a transposed product needs operands with at least 2 dimensions, "
                    + "but got shapes " + dev.nabla.ndarray.Shapes.str(shape()) + " and "
                    + dev.nabla.ndarray.Shapes.str(o.shape()) + "; reshape the 1-D operand to (1, n) or (n, 1) first");
        }
        return new MatMulNode(transA, transB).apply(this, o);
    }

    /**
     * This value converted to {@code dtype}, differentiably: the backward pass converts the
     * gradient back to this variable's dtype. Returns this variable itself when it already has
     * {@code dtype} (as PyTorch's {@code x.to(dtype)}).
     */
    public Variable astype(DType dtype) {
        if (dtype == dtype()) {
            return this;
        }
        return new AstypeNode(dtype).apply(this);
    }

    /** Short for {@link #transpose()}, DeZero's {@code x.T}. */
    public Variable T() {
        return transpose();
    }

    // ---------------------------------------------------------------- issue 15: missing ops (one block)

    /**
     * PyTorch's {@code gather(dim, index)}: {@code out[i][j] = x[index[i][j]][j]} for axis 0 (any
     * rank); {@code index} is an integer (INT64) array of this rank, no larger than this on other
     * axes. Differentiable in this variable (the gradient scatter-adds back).
     */
    public Variable gather(int axis, NDArray index) {
        checkRank("gather");
        return new GetItemNode(IndexMaps.alongAxis("gather", shape(), axis, index)).apply(this);
    }

    /**
     * Out-of-place PyTorch {@code scatter(dim, index, src)}: a copy of this with
     * {@code out[index[i][j]][j] = src[i][j]} (axis 0). Differentiable in both: this gets the
     * gradient where not overwritten (zero where overwritten), {@code src} gets it at the
     * positions it wrote. Repeated targets: PyTorch leaves the winner undefined; here the last
     * write in row-major order wins and the overwritten sources get zero gradient.
     */
    public Variable scatter(int axis, NDArray index, Variable src) {
        checkRank("scatter");
        if (src.dtype() != dtype()) {
            throw new IllegalArgumentException("scatter(): Expected self.dtype to be equal to src.dtype: got "
                    + dtype().numpyName() + " and " + src.dtype().numpyName() + "; convert src with astype");
        }
        int[][] ts = IndexMaps.scatter(shape(), axis, index, src.shape());
        return overwrite(ts[0], src, ts[1]);
    }

    /** {@link #scatter(int, NDArray, Variable)} writing the constant {@code value}. */
    public Variable scatter(int axis, NDArray index, double value) {
        checkRank("scatter");
        int[][] ts = IndexMaps.scatter(shape(), axis, index, index.shape());
        return maskAt(ts[0], value);
    }

    /**
     * Out-of-place index assignment, PyTorch's {@code x[index] = values} on a clone (its
     * {@code index_put}): {@code values} broadcasts to the indexed shape; gradients go to this
     * (zero where overwritten) and to {@code values} (summed over broadcast). With repeated
     * positions the last write wins.
     */
    public Variable indexPut(Index[] index, Variable values) {
        if (values.dtype() != dtype()) {
            throw new IllegalArgumentException("indexPut: Index put requires the source and destination dtypes match, "
                    + "got " + dtype().numpyName() + " for the destination and " + values.dtype().numpyName()
                    + " for the source; convert values with astype");
        }
        Gather g = Gather.resolve(shape(), index);
        int[] rs = g.resultShape();
        if (!Shapes.broadcastable(values.shape(), rs)) {
            throw new IllegalArgumentException("indexPut: shape mismatch: value tensor of shape " + Shapes.str(values.shape())
                    + " cannot be broadcast to indexing result of shape " + Shapes.str(rs));
        }
        Variable v = values.shape().length == rs.length && java.util.Arrays.equals(values.shape(), rs) ? values
                : values.broadcastTo(rs);
        int[] off = g.offsets();
        int[] src = new int[off.length];
        for (int i = 0; i < src.length; i++) {
            src[i] = i;
        }
        int[][] ts = IndexMaps.lastWins(size(), off, src);
        return overwrite(ts[0], v.reshape(-1), ts[1]);
    }

    /** Same as {@link #indexPut}: the out-of-place {@code x[index] = values}. */
    public Variable setItem(Index[] index, Variable values) {
        return indexPut(index, values);
    }

    /** The out-of-place {@code x[index] = value} with a constant. */
    public Variable setItem(Index[] index, double value) {
        return maskAt(Gather.resolve(shape(), index).offsets(), value);
    }

    /**
     * PyTorch's {@code masked_fill(mask, value)}, out of place: {@code value} where the BOOL
     * {@code mask} (broadcast to this shape) is true; differentiable in the unmasked entries.
     */
    public Variable maskedFill(NDArray mask, double value) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("maskedFill: only bool masks are supported, but got a mask of dtype "
                    + mask.dtype().numpyName() + " (shape " + Shapes.str(mask.shape()) + "); make one with a comparison, "
                    + "e.g. x.eq(0), or convert it with astype(DType.BOOL)");
        }
        if (!Shapes.broadcastable(mask.shape(), shape())) {
            throw new IllegalArgumentException("maskedFill: the mask of shape " + Shapes.str(mask.shape())
                    + " cannot be broadcast to the variable's shape " + Shapes.str(shape())
                    + " (each dimension must match or be 1, and the mask cannot have more dimensions)");
        }
        return F.where(mask, Variable.constant(value, dtype()), this);
    }

    /** PyTorch's {@code cumsum(dim)}: inclusive cumulative sum along {@code axis}; backward is the reverse cumsum. */
    public Variable cumsum(int axis) {
        return new CumsumNode(axis, false).apply(this);
    }

    /** Product of all elements, PyTorch's {@code prod()}: a 0-d result. */
    public Variable prod() {
        return prod(null, false);
    }

    /** PyTorch's {@code prod(dim)}: product along {@code axes} (one or more), dropping them. */
    public Variable prod(int... axes) {
        return prod(axes, false);
    }

    /**
     * Product over {@code axes} (null or empty: all), keeping them as size 1 with {@code keepDims};
     * the gradient is exact with zeros in the input (PyTorch's rule: one zero gives the product of
     * the others there and 0 elsewhere).
     */
    public Variable prod(int[] axes, boolean keepDims) {
        int[] s = shape();
        int[] ax = Shapes.axes("prod", axes, s.length);
        boolean[] red = new boolean[s.length];
        for (int a : ax) {
            red[a] = true;
        }
        int[] perm = new int[s.length];
        int k = 0;
        int m = 1;
        int n = 1;
        for (int a = 0; a < s.length; a++) {
            if (!red[a]) {
                perm[k++] = a;
                m *= s[a];
            }
        }
        for (int a : ax) {
            perm[k++] = a;
            n *= s[a];
        }
        int[] rs = new int[keepDims ? s.length : s.length - ax.length];
        for (int a = 0, r = 0; a < s.length; a++) {
            if (!red[a]) {
                rs[r++] = s[a];
            } else if (keepDims) {
                rs[r++] = 1;
            }
        }
        Variable t = s.length == 0 ? this : permute(perm);
        return new ProdNode().apply(t.reshape(m, n)).reshape(rs);
    }

    /** PyTorch's {@code flip(dims)}: reverses the element order along each of {@code axes}. */
    public Variable flip(int... axes) {
        return new GetItemNode(IndexMaps.flip(shape(), axes)).apply(this);
    }

    /** PyTorch's {@code roll(shifts)} without dims: rolls the flattened array by {@code shift}, keeping the shape. */
    public Variable roll(int shift) {
        return new GetItemNode(IndexMaps.roll(shape(), new int[] {shift}, null)).apply(this);
    }

    /**
     * PyTorch's {@code roll(shifts, dims)}: the element at {@code i} moves to {@code i + shift}
     * (wrapping around) along each axis; repeated axes roll repeatedly.
     */
    public Variable roll(int[] shifts, int[] axes) {
        checkRank("roll");
        return new GetItemNode(IndexMaps.roll(shape(), shifts, axes)).apply(this);
    }

    /**
     * PyTorch's {@code repeat(sizes)} (NumPy's {@code tile}): at least one count per axis, extra
     * leading counts add leading axes; each axis holds {@code sizes[a]} whole copies in a row.
     */
    public Variable repeat(int... sizes) {
        if (sizes.length < ndim()) {
            throw new IllegalArgumentException("repeat: Number of dimensions of repeat dims can not be smaller than number "
                    + "of dimensions of tensor: got " + java.util.Arrays.toString(sizes) + " for shape "
                    + Shapes.str(shape()) + "; give one count per dimension (or use tile)");
        }
        int[] s = new int[sizes.length];
        java.util.Arrays.fill(s, 1);
        System.arraycopy(shape(), 0, s, sizes.length - ndim(), ndim());
        Variable x = sizes.length == ndim() ? this : reshape(s);
        return new GetItemNode(IndexMaps.repeat(s, sizes)).apply(x);
    }

    /**
     * PyTorch's {@code tile(dims)}: as {@link #repeat} but fewer counts than axes are padded with
     * leading ones.
     */
    public Variable tile(int... reps) {
        if (reps.length >= ndim()) {
            return repeat(reps);
        }
        int[] r = new int[ndim()];
        java.util.Arrays.fill(r, 1);
        System.arraycopy(reps, 0, r, ndim() - reps.length, reps.length);
        return repeat(r);
    }

    /** PyTorch's {@code triu(diagonal)}: zero below the {@code k}-th diagonal of the last two axes. */
    public Variable triu(int k) {
        return triangle("triu", k, true);
    }

    /** PyTorch's {@code tril(diagonal)}: zero above the {@code k}-th diagonal of the last two axes. */
    public Variable tril(int k) {
        return triangle("tril", k, false);
    }

    /**
     * PyTorch's {@code F.pad(x, pad, mode, value)}: {@code pad} lists (left, right) pairs starting
     * from the last axis; {@code value} is used in constant mode; negative constant pads crop.
     * Reflect, replicate and circular are allowed on any number of trailing axes (PyTorch limits them to
     * the last 1-3 by kernel availability, not by definition).
     */
    public Variable pad(int[] pad, IndexMaps.PadMode mode, double value) {
        int[] s = shape();
        int[][] tables = IndexMaps.padTables(s, pad, mode);
        if (mode != IndexMaps.PadMode.CONSTANT) {
            return new GetItemNode(IndexMaps.separable(s, tables)).apply(this);
        }
        int[] out = new int[s.length];
        for (int a = 0; a < s.length; a++) {
            out[a] = tables[a].length;
        }
        int[][] ds = IndexMaps.constantPad(s, tables);
        int[] k = {ds[0].length};
        Variable picked = new GetItemNode(Gather.of(s, k, ds[1])).apply(this);
        Variable placed = new GetItemGradNode(Gather.of(out, k, ds[0])).apply(picked);
        if (value == 0) {
            return placed;
        }
        boolean[] in = new boolean[Shapes.size(out)];
        for (int d : ds[0]) {
            in[d] = true;
        }
        return F.where(NDArray.of(in, out), placed, Variable.constant(value, dtype()));
    }

    /** Constant zero padding: {@link #pad(int[], IndexMaps.PadMode, double)} with mode CONSTANT and value 0. */
    public Variable pad(int... pad) {
        return pad(pad, IndexMaps.PadMode.CONSTANT, 0.0);
    }

    /** The 2-norm of all elements (PyTorch's {@code norm()}, also the Frobenius norm of a matrix). */
    public Variable norm() {
        return norm(2, null, false);
    }

    /**
     * PyTorch's {@code linalg.vector_norm(x, ord=p, dim=axes, keepdim)}: {@code p} may be any
     * positive real, {@code +inf} (max |x|), {@code -inf} (min |x|) or 0 (the count of nonzeros,
     * zero gradient). The gradient at a zero norm is 0 (PyTorch's subgradient), never NaN.
     */
    public Variable norm(double p, int[] axes, boolean keepDims) {
        if (Double.isNaN(p) || (p < 0 && p != Double.NEGATIVE_INFINITY)) {
            throw new IllegalArgumentException("norm: expected ord to be a positive real, 0, inf or -inf, but got " + p);
        }
        if (!dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("norm: Expected a floating point input, but got dtype "
                    + dtype().numpyName() + "; convert with astype(DType.FLOAT64)");
        }
        if (p == Double.POSITIVE_INFINITY) {
            return abs().max(axes, keepDims);
        }
        if (p == Double.NEGATIVE_INFINITY) {
            return abs().min(axes, keepDims);
        }
        if (p == 0) {
            // the count of nonzeros is piecewise constant: PyTorch's gradient is zeros, so keep x in the graph at weight 0
            return abs().mul(0.0).sum(axes, keepDims).add(ne(Variable.constant(0.0, dtype())).astype(dtype()).detach().sum(axes, keepDims));
        }
        if (p == 1) {
            return abs().sum(axes, keepDims);
        }
        Variable s = (p == 2 ? mul(this) : abs().pow(p)).sum(axes, keepDims);
        Variable zero = s.eq(0.0);
        Variable safe = F.where(zero, Variable.constant(1.0, dtype()), s);
        Variable root = p == 2 ? safe.sqrt() : safe.pow(1.0 / p);
        return F.where(zero, Variable.constant(0.0, dtype()), root);
    }

    /**
     * PyTorch's {@code sort(dim, descending, stable=True)}: values (differentiable, the gradient
     * flows back to where each came from) and INT64 indices; equal values keep their order, NaN
     * sorts as the largest.
     */
    public Sorted sort(int axis, boolean descending) {
        if (physical != null) {
            return batchedSort(axis, descending, -1);
        }
        NDArray idx = argsort(axis, descending);
        Variable x = ndim() == 0 ? reshape(1) : this;
        Variable v = x.gather(axis, ndim() == 0 ? idx.reshape(1) : idx);
        return new Sorted(ndim() == 0 ? v.reshape() : v, idx);
    }

    /** PyTorch's {@code argsort(dim, descending, stable=True)}: the INT64 positions that sort each lane. */
    public NDArray argsort(int axis, boolean descending) {
        return NDArray.of(IndexMaps.argsort(data, axis, descending), shape());
    }

    /** PyTorch's {@code topk(k)}: the {@code k} largest along the last axis, sorted. */
    public Sorted topk(int k) {
        return topk(k, -1, true);
    }

    /**
     * PyTorch's {@code topk(k, dim, largest, sorted=True)}: the {@code k} largest (or smallest)
     * along {@code axis} in order, with INT64 indices; ties keep their input order.
     */
    public Sorted topk(int k, int axis, boolean largest) {
        int a = Shapes.axis("topk", axis, ndim());
        int d = ndim() == 0 ? 1 : shape(a);
        if (k < 0 || k > d) {
            throw new IllegalArgumentException("topk(): selected index k out of range: k = " + k + " for dimension "
                    + axis + " of size " + d + " (shape " + Shapes.str(shape()) + "); choose 0 <= k <= " + d);
        }
        if (ndim() == 0) {
            return sort(0, largest);
        }
        if (physical != null) {
            return batchedSort(a, largest, k);
        }
        NDArray all = argsort(axis, largest);
        Index[] ix = new Index[ndim()];
        java.util.Arrays.fill(ix, Index.all());
        ix[a] = Index.range(0, k);
        NDArray idx = all.getItem(ix);
        return new Sorted(gather(axis, idx), idx);
    }

    /**
     * sort ({@code k < 0}) or topk under vmap: the per-example argsort as a batched INT64 constant, and the
     * values taken at its flat positions ({@link TakeNode}, whose index may differ per example).
     */
    private Sorted batchedSort(int axis, boolean descending, int k) {
        if (ndim() == 0) {
            return new Sorted(reshape(), Variable.constant(NDArray.zeros(DType.INT64)));
        }
        int a = Shapes.axis("sort", axis, ndim());
        int[] s = shape();
        Variable idx = Vmap.constant(lead -> z -> NDArray.of(IndexMaps.argsort(z[0], a + lead, descending),
                z[0].shape()), this);
        if (k >= 0) {
            idx = idx.slice(a, 0, k);
        }
        Variable flat = Vmap.constant(lead -> z -> flatAlong(z[0], a, lead, s), idx);
        return new Sorted(new TakeNode().apply(this, flat), idx);
    }

    /**
     * The flat positions in an array of shape {@code src} of the entries of {@code idx} (with
     * {@code lead} leading batch axes before its logical ones), read as positions along {@code axis}.
     */
    private static NDArray flatAlong(NDArray idx, int axis, int lead, int[] src) {
        int[] s = idx.shape();
        int n = src.length;
        long[] v = idx.toLongArray();
        long[] out = new long[v.length];
        int[] c = new int[s.length];
        for (int k = 0; k < v.length; k++) {
            long f = 0;
            for (int j = 0; j < n; j++) {
                f = f * src[j] + (j == axis ? v[k] : c[lead + j]);
            }
            out[k] = f;
            for (int d = s.length - 1; d >= 0 && ++c[d] == s[d]; d--) {
                c[d] = 0;
            }
        }
        return NDArray.of(out, s);
    }

    private void checkRank(String op) {
        if (ndim() == 0) {
            throw new IllegalArgumentException(op + ": expected an input with at least 1 dimension, got a 0-d variable; "
                    + "reshape it with reshape(1)");
        }
    }

    private Variable maskAt(int[] offsets, double value) {
        boolean[] m = new boolean[size()];
        for (int o : offsets) {
            m[o] = true;
        }
        return maskedFill(NDArray.of(m, shape()), value);
    }

    /** This with the flat {@code targets} replaced by {@code src} at the flat {@code sources}, out of place. */
    private Variable overwrite(int[] targets, Variable src, int[] sources) {
        int[] s = shape();
        boolean[] keep = new boolean[size()];
        java.util.Arrays.fill(keep, true);
        for (int t : targets) {
            keep[t] = false;
        }
        Variable kept = F.where(NDArray.of(keep, s), this, Variable.constant(0.0, dtype()));
        int[] k = {targets.length};
        Variable picked = new GetItemNode(Gather.of(src.shape(), k, sources)).apply(src);
        Variable placed = new GetItemGradNode(Gather.of(s, k, targets)).apply(picked);
        return kept.add(placed);
    }

    private Variable triangle(String op, int k, boolean upper) {
        int[] s = shape();
        if (s.length < 2) {
            throw new IllegalArgumentException(op + ": input tensor must have at least 2 dimensions, got shape "
                    + Shapes.str(s) + "; reshape a vector to (1, n) first");
        }
        int r = s[s.length - 2];
        int c = s[s.length - 1];
        boolean[] m = new boolean[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                m[i * c + j] = upper ? j - i >= k : j - i <= k;
            }
        }
        return F.where(NDArray.of(m, r, c), this, Variable.constant(0.0, dtype()));
    }

    @Override
    public String toString() {
        if (physical != null) {
            return "batched(level=" + level + ", physical=" + physical + ")";
        }
        String d = data.toString();
        d = d.startsWith("array(") ? d.substring(6, d.length() - 1) : d; // keeps ", dtype=float32"
        return "variable(" + d + (name == null ? "" : ", name=" + name)
                + (creator != null ? ", creator=" + creator.name() : requiresGrad ? ", requiresGrad=true" : "") + ")";
    }
}
