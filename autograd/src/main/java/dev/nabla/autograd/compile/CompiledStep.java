package dev.nabla.autograd.compile;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A training step compiled by {@link Compiled#step}: {@link #run} either replays a recorded tape
 * (no Variables, no Nodes, no autograd engine) or, when no tape fits the call's guards, runs the
 * step eagerly once while recording a new one. Every call has the effect of one eager step: the
 * parameters' gradients are cleared, forward and backward run, the gradients are set, the update
 * instruction runs, and the loss is returned.
 * Not thread-safe: one thread calls {@link #run} at a time (replays refresh state saved in nodes).
 */
public final class CompiledStep {
    private final List<? extends Variable> params;
    private final StepFunction fn;
    private final Runnable update;
    private final Supplier<?> guard;
    private final int maxTraces;
    private final boolean strict;
    private final Map<List<Object>, List<Tape>> cache = new LinkedHashMap<>(16, 0.75f, true);
    /** Guard keys that broke the graph (run eager when not strict), with the reason. */
    private final Map<List<Object>, String> broken = new LinkedHashMap<>();
    private int tapes;
    private long traces;
    private long replays;
    private long eagerRuns;
    private long clock;
    private String lastBreak;
    /** The tracer of the trace under way, for {@link #keep}; null otherwise. */
    private Tracer tracing;
    private final List<Variable> keptNow = new ArrayList<>();
    private NDArray[] kept = new NDArray[0];

    CompiledStep(List<? extends Variable> params, StepFunction fn, Runnable update, Supplier<?> guard, int maxTraces,
                 boolean strict) {
        this.params = List.copyOf(params);
        this.fn = fn;
        this.update = update;
        this.guard = guard;
        this.maxTraces = maxTraces;
        this.strict = strict;
    }

    /**
     * One training step on {@code inputs} (each wrapped as a constant Variable for the step
     * function): returns the loss, a new array each call.
     *
     * @throws IllegalStateException on a graph break when the step is strict (the default); the
     *     step that found it has run eagerly, so its effects stand
     */
    public NDArray run(NDArray... inputs) {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new IllegalArgumentException("CompiledStep.run: input " + i + " is null; pass one array per input");
            }
        }
        NDArray[] bound = new NDArray[inputs.length + params.size()];
        System.arraycopy(inputs, 0, bound, 0, inputs.length);
        for (int p = 0; p < params.size(); p++) {
            bound[inputs.length + p] = params.get(p).data();
        }
        List<Object> key = key(inputs);
        if (broken.containsKey(key)) {
            eagerRuns++;
            return eager(inputs);
        }
        List<Tape> candidates = cache.get(key);
        if (candidates != null) {
            for (Tape t : candidates) {
                if (t.guardsHold(bound) && !t.verified) {
                    return verify(key, t, inputs, bound);
                }
                if (t.guardsHold(bound)) {
                    t.lastUsed = ++clock;
                    replays++;
                    NDArray loss = t.replay(bound, params);
                    kept = t.kept;
                    update.run();
                    return loss;
                }
            }
        }
        return trace(key, inputs, bound);
    }

    /** The guard key: every input's dtype and shape, every parameter's dtype, shape and requires-grad flag, grad mode, the user guard. */
    private List<Object> key(NDArray[] inputs) {
        List<Object> k = new ArrayList<>(2 * (inputs.length + params.size()) + 3);
        k.add(inputs.length);
        for (NDArray a : inputs) {
            k.add(a.dtype());
            k.add(Shapes.str(a.shape()));
        }
        for (Variable p : params) {
            k.add(p.dtype());
            k.add(Shapes.str(p.shape()));
            k.add(p.requiresGrad());
        }
        k.add(Autograd.isGradEnabled());
        k.add(guard == null ? null : guard.get());
        return k;
    }

    private NDArray trace(List<Object> key, NDArray[] inputs, NDArray[] bound) {
        Tracer tracer = new Tracer(bound);
        Variable loss;
        tracing = tracer;
        tracer.start();
        try {
            loss = forwardBackward(inputs);
            kept = keptArrays();
            tracer.opaque(update);
        } finally {
            tracer.stop();
            tracing = null;
        }
        traces++;
        if (tracer.graphBreak != null) {
            lastBreak = tracer.graphBreak;
            broken.put(key, tracer.graphBreak);
            if (strict) {
                throw new IllegalStateException("Compiled.step: " + tracer.graphBreak + " (this step ran eagerly; "
                        + "build the CompiledStep with Compiled.builder(...).fallbackToEager() to keep running such "
                        + "steps eagerly)");
            }
            return loss.data();
        }
        Tape tape = tracer.finish(loss, params);
        tape.lastUsed = ++clock;
        cache.computeIfAbsent(key, k -> new ArrayList<>()).add(tape);
        tapes++;
        evict();
        return loss.data();
    }

    /**
     * The second call of a tape's guards traces again and compares: every constant the first trace
     * captured must be bitwise the same. One that differs was computed on the host from changing
     * values outside any node (a shift, a mask, a Random draw), which a replay would not recompute:
     * a graph break. Otherwise the new tape replaces the old one, verified.
     */
    private NDArray verify(List<Object> key, Tape old, NDArray[] inputs, NDArray[] bound) {
        Tracer tracer = new Tracer(bound);
        Variable loss;
        tracing = tracer;
        tracer.start();
        try {
            loss = forwardBackward(inputs);
            kept = keptArrays();
            tracer.opaque(update);
        } finally {
            tracer.stop();
            tracing = null;
        }
        traces++;
        List<Tape> list = cache.get(key);
        list.remove(old);
        tapes--;
        String why = tracer.graphBreak;
        Tape tape = null;
        if (why == null) {
            tape = tracer.finish(loss, params);
            why = tape.differsFrom(old);
        }
        if (why != null) {
            if (list.isEmpty()) {
                cache.remove(key);
            }
            lastBreak = why;
            broken.put(key, why);
            if (strict) {
                throw new IllegalStateException("Compiled.step: " + why + " (this step ran eagerly; build the "
                        + "CompiledStep with Compiled.builder(...).fallbackToEager() to keep running such steps eagerly)");
            }
            return loss.data();
        }
        tape.verified = true;
        tape.lastUsed = ++clock;
        list.add(tape);
        tapes++;
        return loss.data();
    }

    private Variable forwardBackward(NDArray[] inputs) {
        keptNow.clear();
        for (Variable p : params) {
            p.clearGrad();
        }
        Variable[] xs = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            xs[i] = new Variable(inputs[i]);
        }
        Variable loss = fn.loss(xs);
        if (loss == null || loss.data().size() != 1) {
            throw new IllegalArgumentException("Compiled.step: the step function must return a one-element loss, got "
                    + (loss == null ? "null" : "shape " + Shapes.str(loss.shape())));
        }
        loss.backward();
        return loss;
    }

    private NDArray eager(NDArray[] inputs) {
        Variable loss = forwardBackward(inputs);
        kept = keptArrays();
        update.run();
        return loss.data();
    }

    private NDArray[] keptArrays() {
        NDArray[] a = new NDArray[keptNow.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = keptNow.get(i).data();
        }
        return a;
    }

    /**
     * Called inside the step function: keeps {@code v} (a model output, say) so that
     * {@link #kept(int)} gives its value after each call, replays included. Returns {@code v}.
     */
    public Variable keep(Variable v) {
        keptNow.add(v);
        if (tracing != null) {
            tracing.keep(v.data());
        }
        return v;
    }

    /**
     * The value of the {@code i}-th variable the step function kept (in {@link #keep} order),
     * as computed by the last call; valid until the next call.
     */
    public NDArray kept(int i) {
        if (i < 0 || i >= kept.length) {
            throw new IndexOutOfBoundsException("CompiledStep.kept: index " + i + " but the step function kept "
                    + kept.length + " values; call step.keep(variable) inside the step function");
        }
        return kept[i];
    }

    /** Drops the least recently used tapes beyond the bound. */
    private void evict() {
        while (tapes > maxTraces) {
            List<Object> victimKey = null;
            Tape victim = null;
            for (Map.Entry<List<Object>, List<Tape>> e : cache.entrySet()) {
                for (Tape t : e.getValue()) {
                    if (victim == null || t.lastUsed < victim.lastUsed) {
                        victim = t;
                        victimKey = e.getKey();
                    }
                }
            }
            List<Tape> list = cache.get(victimKey);
            list.remove(victim);
            if (list.isEmpty()) {
                cache.remove(victimKey);
            }
            tapes--;
        }
    }

    /** How many calls recorded a tape (each ran eagerly). */
    public long traces() {
        return traces;
    }

    /** How many calls replayed a tape. */
    public long replays() {
        return replays;
    }

    /** How many calls ran eagerly because their guard key broke the graph (non-strict steps only). */
    public long eagerRuns() {
        return eagerRuns;
    }

    /** How many tapes the cache holds now (at most the bound it was built with). */
    public int cachedTapes() {
        return tapes;
    }

    /** The last graph break's message, or null if none was seen. */
    public String lastGraphBreak() {
        return lastBreak;
    }

    @Override
    public String toString() {
        return "CompiledStep(traces=" + traces + ", replays=" + replays + ", eager=" + eagerRuns + ", tapes=" + tapes
                + (lastBreak == null ? "" : ", " + lastBreak) + ")";
    }

    static void checkPositive(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Compiled.builder: maxTraces must be at least 1, got " + n);
        }
    }

    static <T> T nonNull(T t, String what) {
        return Objects.requireNonNull(t, "Compiled.step: " + what + " must not be null");
    }
}
