package dev.nabla.autograd.compile;

import dev.nabla.autograd.Node;
import dev.nabla.autograd.TraceHooks;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.List;

/**
 * One recorded training step: the node applications of forward and backward in the order they
 * ran, over numbered value slots (slots 0.. are the step's inputs, then the parameters' values,
 * then every node output), the gradient slot of each parameter, the loss slot, and the value
 * guards (input values the trace read to the host). Replay re-runs each node's forward on the
 * slots' current arrays, drops every slot after its last use, points the parameters' gradients at
 * their slots and runs the update instruction.
 * Not thread-safe: one replay at a time (its nodes' saved state is refreshed by the replay).
 */
final class Tape {
    /** The nodes, in execution order. */
    final Node[] nodes;
    /** Per node: the slot of each input, or -1 - k for constant k. */
    final int[][] ins;
    /** Per node: its output slot. */
    final int[] outs;
    final NDArray[] constants;
    /** Per node: the slots to drop once it ran. */
    final int[][] freeAfter;
    final int slotCount;
    final int inputCount;
    /** Per parameter: its gradient slot; -1 for none, -2 for a constant gradient. */
    final int[] gradSlots;
    /** Per parameter: the gradient variable the tape owns (re-pointed at each replay), or null. */
    final Variable[] gradVars;
    final int lossSlot;
    /** Slots of the values the step function kept, and their arrays after the last replay. */
    final int[] keptSlots;
    NDArray[] kept;
    /** Value guards: input slots whose values the trace read, and those values. */
    final int[] guardSlots;
    final NDArray[] guardValues;
    long lastUsed;
    /** Whether a second trace confirmed that every constant is the same from step to step. */
    boolean verified;

    Tape(List<Node> nodes, List<int[]> ins, int[] outs, List<NDArray> constants, int slotCount, int inputCount,
         int[] gradSlots, Variable[] gradVars, int lossSlot, int[] guardSlots, NDArray[] guardValues, int[] keptSlots) {
        this.keptSlots = keptSlots;
        this.kept = new NDArray[keptSlots.length];
        this.nodes = nodes.toArray(new Node[0]);
        this.ins = ins.toArray(new int[0][]);
        this.outs = outs;
        this.constants = constants.toArray(new NDArray[0]);
        this.slotCount = slotCount;
        this.inputCount = inputCount;
        this.gradSlots = gradSlots;
        this.gradVars = gradVars;
        this.lossSlot = lossSlot;
        this.guardSlots = guardSlots;
        this.guardValues = guardValues;
        this.freeAfter = liveness();
    }

    /** For each slot, the last node that reads it; slots read by nobody later are freed right after. */
    private int[][] liveness() {
        int[] last = new int[slotCount];
        java.util.Arrays.fill(last, -1);
        for (int i = 0; i < nodes.length; i++) {
            for (int s : ins[i]) {
                if (s >= 0) {
                    last[s] = i;
                }
            }
            if (last[outs[i]] < i) {
                last[outs[i]] = i; // an output nobody reads is dropped right away
            }
        }
        for (int s : gradSlots) {
            if (s >= 0) {
                last[s] = Integer.MAX_VALUE;
            }
        }
        last[lossSlot] = Integer.MAX_VALUE;
        for (int s : keptSlots) {
            last[s] = Integer.MAX_VALUE;
        }
        int[] counts = new int[nodes.length];
        for (int s = inputCount; s < slotCount; s++) {
            if (last[s] >= 0 && last[s] < nodes.length) {
                counts[last[s]]++;
            }
        }
        int[][] free = new int[nodes.length][];
        for (int i = 0; i < nodes.length; i++) {
            free[i] = new int[counts[i]];
            counts[i] = 0;
        }
        for (int s = inputCount; s < slotCount; s++) {
            if (last[s] >= 0 && last[s] < nodes.length) {
                free[last[s]][counts[last[s]]++] = s;
            }
        }
        return free;
    }

    /**
     * Why this tape (a later trace) differs from {@code first} in a way a replay cannot follow, or
     * null: another sequence of nodes, or a constant with other values.
     */
    String differsFrom(Tape first) {
        if (nodes.length != first.nodes.length) {
            return "graph break: the step ran " + nodes.length + " operations where its first trace ran "
                    + first.nodes.length + " (control flow that depends on host state); run this step eager";
        }
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i].getClass() != first.nodes[i].getClass() || !java.util.Arrays.equals(outs, first.outs)) {
                return "graph break: operation " + i + " is " + nodes[i].name() + " where the first trace ran "
                        + first.nodes[i].name() + " (control flow that depends on host state); run this step eager";
            }
            int[] a = ins[i];
            int[] b = first.ins[i];
            for (int k = 0; k < a.length; k++) {
                boolean ca = a[k] < 0;
                boolean cb = b[k] < 0;
                if (ca != cb || (!ca && a[k] != b[k])
                        || (ca && !constants[-1 - a[k]].equals(first.constants[-1 - b[k]]))) {
                    return "graph break: input " + k + " of " + nodes[i].name() + " is a constant computed on the host "
                            + "outside any node (from changing values, or a Random draw) and differs between steps, "
                            + "so a replay would reuse a stale value; run this step eager, or compute it with a Node";
                }
            }
        }
        return null;
    }

    /** Whether the values this trace read from the inputs are the current ones. */
    boolean guardsHold(NDArray[] bound) {
        for (int i = 0; i < guardSlots.length; i++) {
            if (!guardValues[i].equals(bound[guardSlots[i]])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Replays forward and backward with {@code bound} (inputs then parameter values, at least
     * {@link #inputCount} long), points the gradients at their new values and returns the loss.
     */
    NDArray replay(NDArray[] bound, List<? extends Variable> params) {
        NDArray[] v = new NDArray[slotCount];
        System.arraycopy(bound, 0, v, 0, inputCount);
        NDArray[] xs0 = null;
        for (int i = 0; i < nodes.length; i++) {
            int[] in = ins[i];
            NDArray[] xs = new NDArray[in.length];
            for (int k = 0; k < in.length; k++) {
                int s = in[k];
                xs[k] = s >= 0 ? v[s] : constants[-1 - s];
            }
            v[outs[i]] = TraceHooks.forward(nodes[i], xs);
            for (int s : freeAfter[i]) {
                v[s] = null;
            }
        }
        for (int p = 0; p < gradSlots.length; p++) {
            if (gradSlots[p] >= 0) {
                TraceHooks.rebind(gradVars[p], v[gradSlots[p]]);
            }
            params.get(p).setGrad(gradVars[p]);
        }
        NDArray[] k = new NDArray[keptSlots.length];
        for (int i = 0; i < k.length; i++) {
            k[i] = v[keptSlots[i]];
        }
        kept = k;
        return v[lossSlot];
    }
}
