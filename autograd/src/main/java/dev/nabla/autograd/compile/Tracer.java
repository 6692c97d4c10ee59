package dev.nabla.autograd.compile;

import dev.nabla.autograd.Node;
import dev.nabla.autograd.TraceHooks;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.HostReads;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Records one eager training step into a {@link Tape}: every node application (forward and
 * backward alike: backward runs nodes too), with its inputs resolved to slots (an array some
 * recorded node produced, or one of the step's bound inputs) or constants (any other array: a
 * seed, a scalar, an index set). It also watches host reads: a read of a bound input's values
 * outside a node's forward becomes a value guard (the trace is valid only for those values); a
 * read of a computed value is a graph break, since a replay cannot take the branch the host took.
 * Not thread-safe: it records on the thread that created it.
 */
final class Tracer implements TraceHooks.Recorder, HostReads.Listener {
    private final IdentityHashMap<NDArray, Integer> slots = new IdentityHashMap<>();
    private final List<String> producerList = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<int[]> ins = new ArrayList<>();
    private final List<Integer> outs = new ArrayList<>();
    private final List<NDArray> constants = new ArrayList<>();
    private final IdentityHashMap<NDArray, Integer> constantIndex = new IdentityHashMap<>();
    private final List<Integer> guardSlots = new ArrayList<>();
    private final List<NDArray> guardValues = new ArrayList<>();
    private final int inputCount;
    private int next;
    private int depth;
    /** The first graph break seen, or null. */
    String graphBreak;

    Tracer(NDArray[] bound) {
        inputCount = bound.length;
        for (int i = 0; i < bound.length; i++) {
            slots.putIfAbsent(bound[i], i);
            producerList.add(null);
        }
        next = bound.length;
    }

    void start() {
        TraceHooks.record(this);
        HostReads.listen(this);
    }

    void stop() {
        TraceHooks.record(null);
        HostReads.listen(null);
    }

    /** Runs {@code r} as a re-executed instruction: nothing inside it is recorded or guarded. */
    void opaque(Runnable r) {
        depth++;
        try {
            r.run();
        } finally {
            depth--;
        }
    }

    @Override
    public void applied(Node node, NDArray[] in, NDArray out) {
        if (depth > 0) {
            return;
        }
        if (graphBreak == null && !node.getClass().getName().startsWith("dev.nabla.")) {
            graphBreak = "graph break: " + node.name() + " is a user Node whose backward the tape cannot vouch for (a "
                    + "backward that computes arrays on the host from saved values, outside a node, would replay stale "
                    + "values); run this step eager";
        }
        int[] s = new int[in.length];
        for (int k = 0; k < in.length; k++) {
            Integer slot = slots.get(in[k]);
            if (slot != null) {
                s[k] = slot;
            } else {
                Integer c = constantIndex.get(in[k]);
                if (c == null) {
                    c = constants.size();
                    constants.add(in[k]);
                    constantIndex.put(in[k], c);
                }
                s[k] = -1 - c;
            }
        }
        nodes.add(node);
        ins.add(s);
        int o = next++;
        outs.add(o);
        slots.put(out, o);
        producerList.add(node.name());
    }

    @Override
    public void function(String name) {
        if (depth == 0 && graphBreak == null) {
            graphBreak = "graph break: custom Function " + name + " runs its own forward code, which a replay cannot "
                    + "re-run; run this step eager (or write " + name + " as a Node)";
        }
    }

    @Override
    public void enterForward() {
        depth++;
    }

    @Override
    public void exitForward() {
        depth--;
    }

    @Override
    public void read(NDArray a) {
        if (depth > 0) {
            return;
        }
        Integer s = slots.get(a);
        if (s == null) {
            return; // a constant: the same at every replay
        }
        if (s < inputCount) {
            if (!guardSlots.contains(s)) {
                guardSlots.add(s);
                guardValues.add(a.copy());
            }
        } else if (graphBreak == null) {
            graphBreak = "graph break: the output of " + producerList.get(s) + " is read to the host (item(), getFlat, "
                    + "toArray, argmax to int, a data-dependent shape) while the step is traced, so a replay cannot "
                    + "follow what the host did with it; run this step eager, or move the read after the step";
        }
    }

    private final List<Integer> keptSlots = new ArrayList<>();

    /** Keeps the slot of {@code a} (a kept output) alive to the end of a replay. */
    void keep(NDArray a) {
        Integer s = slots.get(a);
        if (s == null && graphBreak == null) {
            graphBreak = "graph break: a kept value was not computed by a recorded operation; keep only values "
                    + "computed inside the step function";
        }
        keptSlots.add(s == null ? 0 : s);
    }

    /** Whether {@code a} is a recorded slot. */
    Integer slotOf(NDArray a) {
        return slots.get(a);
    }

    Tape finish(Variable loss, List<? extends Variable> params) {
        Integer ls = slots.get(loss.data());
        if (ls == null || ls < inputCount) {
            throw new IllegalStateException("Compiled.step: the loss was not computed by a recorded operation from the "
                    + "step's inputs and parameters; return the loss built inside the step function");
        }
        int[] gradSlots = new int[params.size()];
        Variable[] gradVars = new Variable[params.size()];
        for (int p = 0; p < params.size(); p++) {
            Variable g = params.get(p).grad();
            gradVars[p] = g;
            if (g == null) {
                gradSlots[p] = -1;
            } else {
                Integer gs = slots.get(g.data());
                gradSlots[p] = gs == null ? -2 : gs;
            }
        }
        int[] o = new int[outs.size()];
        for (int i = 0; i < o.length; i++) {
            o[i] = outs.get(i);
        }
        int[] gs = new int[guardSlots.size()];
        for (int i = 0; i < gs.length; i++) {
            gs[i] = guardSlots.get(i);
        }
        int[] ks = new int[keptSlots.size()];
        for (int i = 0; i < ks.length; i++) {
            ks[i] = keptSlots.get(i);
        }
        return new Tape(nodes, ins, o, constants, next, inputCount, gradSlots, gradVars, ls, gs,
                guardValues.toArray(new NDArray[0]), ks);
    }
}
