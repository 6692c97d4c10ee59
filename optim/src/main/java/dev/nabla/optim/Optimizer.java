package dev.nabla.optim;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Base class of the gradient-descent optimizers: a fixed, ordered list of parameters, a learning
 * rate that schedules may change between steps, and per-parameter state (step count and named
 * buffers such as Adam's {@code exp_avg}) created lazily on a parameter's first update.
 *
 * <p>{@link #step()} updates each parameter's {@code data()} in place from its current gradient and
 * skips parameters whose gradient is null (they were not used in the forward pass), as PyTorch
 * does. {@link #stateDict()} and {@link #loadStateDict(Map)} expose the whole state as float64
 * arrays keyed {@code "state.<param index>.<buffer>"}, plus {@code "lr"} and {@code "step"}, so a
 * checkpoint (see {@link OptimizerCheckpoint}) resumes bitwise identically.
 * Not thread-safe: {@link #step()} and {@link #zeroGrad()} must run on one thread, after every
 * backward pass into the parameters has finished and before the next forward pass (step updates
 * parameter data in place). The backward passes themselves may run on several threads at once:
 * gradient accumulation is atomic per {@link Parameter}.
 */
public abstract class Optimizer {
    private final String name;
    private final List<Parameter> params;
    private final ParamState[] states;
    /** Per group: lr, initial lr and numeric options; per parameter: its group. */
    private final Group[] groups;
    private final int[] groupOf;
    private long steps;
    /** The group whose parameter {@link #update} is updating (read by {@link #groupLr()} and {@link #option}). */
    private Group current;
    private java.util.function.BiConsumer<String, Double> optionCheck;

    /** One resolved parameter group. */
    private static final class Group {
        final int size;
        double lr;
        final double initialLr;
        final Map<String, Double> options;

        Group(int size, double lr, Map<String, Double> options) {
            this.size = size;
            this.lr = lr;
            this.initialLr = lr;
            this.options = options;
        }
    }

    /**
     * @param name   the optimizer's name, used in messages (for example {@code "Adam"})
     * @param params the parameters to update, in a fixed order (state is keyed by position)
     * @param lr     the initial learning rate, finite and non-negative
     */
    protected Optimizer(String name, Iterable<Parameter> params, double lr) {
        this(name, params == null ? null : List.of(ParamGroup.group(params)), lr);
    }

    /**
     * An optimizer over parameter groups (PyTorch's {@code param_groups}); state is keyed by the
     * position of a parameter in the groups' concatenation.
     *
     * @param groups the groups, in order; a group's unset learning rate is {@code lr}
     * @param lr     the default learning rate, finite and non-negative
     */
    protected Optimizer(String name, List<ParamGroup> groups, double lr) {
        this.name = name;
        if (groups == null || groups.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException(name + ": params must not be null; pass model.parameters()");
        }
        List<Parameter> list = new ArrayList<>();
        Map<Parameter, Integer> seen = new IdentityHashMap<>();
        this.groups = new Group[groups.size()];
        List<Integer> ownerList = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            int start = list.size();
            for (Parameter p : g.params) {
                if (p == null) {
                    throw new IllegalArgumentException(name + ": parameter " + list.size() + " is null");
                }
                Integer prev = seen.put(p, list.size());
                if (prev != null) {
                    if (prev < start) {
                        throw new IllegalArgumentException(name + ": some parameters appear in more than one parameter "
                                + "group (parameter " + list.size() + describe(p) + " of group " + gi
                                + " is also parameter " + prev + "); put each parameter in one group");
                    }
                    throw new IllegalArgumentException(name + ": parameter " + list.size() + describe(p)
                            + " appears more than once (also at index " + prev + "); pass each parameter once");
                }
                list.add(p);
                ownerList.add(gi);
            }
            double glr = checkLr(g.lr == null ? lr : g.lr);
            this.groups[gi] = new Group(list.size() - start, glr, new LinkedHashMap<>(g.options));
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException(name + ": got an empty parameter list");
        }
        checkLr(lr);
        this.params = Collections.unmodifiableList(list);
        this.states = new ParamState[list.size()];
        this.groupOf = ownerList.stream().mapToInt(Integer::intValue).toArray();
        this.current = this.groups[0];
    }

    /**
     * Validates every group's options with {@code check} (which throws for a bad value) and refuses
     * option names this optimizer does not have; subclasses call it at the end of their constructor.
     */
    protected final void checkGroupOptions(java.util.function.BiConsumer<String, Double> check) {
        Map<String, String> hp = hyperParameters();
        for (int gi = 0; gi < groups.length; gi++) {
            for (Map.Entry<String, Double> e : groups[gi].options.entrySet()) {
                String v = hp.get(e.getKey());
                if (v == null || v.equals("true") || v.equals("false")) {
                    List<String> numeric = new ArrayList<>();
                    hp.forEach((k, x) -> {
                        if (!x.equals("true") && !x.equals("false")) {
                            numeric.add(k);
                        }
                    });
                    throw new IllegalArgumentException(name + ": parameter group " + gi + " sets '" + e.getKey()
                            + "', which is not a per-group option of " + name + " (it has lr and " + numeric + ")");
                }
                check.accept(e.getKey(), e.getValue());
            }
        }
        this.optionCheck = check;
    }

    /** The value of hyperparameter {@code key} for the group being updated, or {@code fallback} (the optimizer's). */
    protected final double option(String key, double fallback) {
        Double v = current.options.get(key);
        return v == null ? fallback : v;
    }

    /** Whether some group's {@code key} differs from 0, or {@code fallback} does (for state names). */
    protected final boolean anyNonZero(String key, double fallback) {
        for (Group g : groups) {
            if (g.options.getOrDefault(key, fallback) != 0) {
                return true;
            }
        }
        return false;
    }

    /** The learning rate of the group being updated (use it in {@link #update} instead of {@link #lr()}). */
    protected final double groupLr() {
        return current.lr;
    }

    private static String describe(Parameter p) {
        return p.name() == null ? "" : " '" + p.name() + "'";
    }

    /** Checks that {@code value} is a finite, non-negative number; returns it. */
    protected final double checkLr(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + ": invalid learning rate " + value + " (must be finite and >= 0)");
        }
        return value;
    }

    /** Checks a hyper-parameter lies in {@code [lo, hi]} (or {@code [lo, hi)} when {@code hiOpen}); returns it. */
    protected final double checkRange(String what, double value, double lo, double hi, boolean hiOpen) {
        boolean ok = value >= lo && (hiOpen ? value < hi : value <= hi);
        if (!ok) {
            throw new IllegalArgumentException(name + ": invalid " + what + " " + value + " (must be in [" + lo + ", " + hi
                    + (hiOpen ? ")" : "]") + ")");
        }
        return value;
    }

    // ---------------------------------------------------------------- public API

    /** The optimizer's name, as used in messages and checkpoints ({@code "SGD"}, {@code "Adam"}, ...). */
    public final String name() {
        return name;
    }

    /** The parameters, in the order given at construction (state is keyed by this position). */
    public final List<Parameter> params() {
        return params;
    }

    /** The learning rate of the first parameter group (the only one unless groups were given). */
    public final double lr() {
        return groups[0].lr;
    }

    /** Sets the learning rate of every group for the next {@link #step()}; schedules use {@link #setLr(int, double)}. */
    public final void setLr(double lr) {
        checkLr(lr);
        for (Group g : groups) {
            g.lr = lr;
        }
    }

    /** The number of parameter groups (1 unless groups were given). */
    public final int groupCount() {
        return groups.length;
    }

    /** The learning rate of parameter group {@code group}. */
    public final double lr(int group) {
        return groups[checkGroup(group)].lr;
    }

    /** Sets the learning rate of parameter group {@code group}. */
    public final void setLr(int group, double lr) {
        groups[checkGroup(group)].lr = checkLr(lr);
    }

    /** The learning rate group {@code group} had at construction (PyTorch's {@code initial_lr}, for schedules). */
    public final double initialLr(int group) {
        return groups[checkGroup(group)].initialLr;
    }

    /** The parameters of group {@code group}, in order (a view of {@link #params()}). */
    public final List<Parameter> groupParams(int group) {
        int from = 0;
        for (int g = 0; g < checkGroup(group); g++) {
            from += groups[g].size;
        }
        return params.subList(from, from + groups[group].size);
    }

    /** Group {@code group}'s own hyperparameter values (those not set take the optimizer's). */
    public final Map<String, Double> groupOptions(int group) {
        return Collections.unmodifiableMap(groups[checkGroup(group)].options);
    }

    private int checkGroup(int group) {
        if (group < 0 || group >= groups.length) {
            throw new IndexOutOfBoundsException(name + ": parameter group " + group + " does not exist (there are "
                    + groups.length + ")");
        }
        return group;
    }

    /** How many times {@link #step()} has been called (restored by {@link #loadStateDict(Map)}). */
    public final long stepCount() {
        return steps;
    }

    /** Clears every parameter's gradient (sets it to null, as PyTorch's {@code zero_grad(set_to_none=True)}). */
    public final void zeroGrad() {
        zeroGrad(true);
    }

    /**
     * PyTorch's {@code zero_grad(set_to_none)}: with {@code setToNull} gradients become null (the
     * parameters are then skipped by {@link #step()}); otherwise existing gradients are replaced by
     * zeros, so a step still applies weight decay and momentum to them.
     */
    public final void zeroGrad(boolean setToNull) {
        for (Parameter p : params) {
            Variable g = p.grad();
            if (setToNull) {
                p.clearGrad();
            } else if (g != null) {
                p.setGrad(new Variable(NDArray.zerosLike(g.data())));
            }
        }
    }

    /**
     * Updates every parameter that has a gradient, in place, by this optimizer's rule. Parameters
     * whose gradient is null, and frozen ones ({@code requiresGrad(false)}), are skipped and their
     * state is neither created nor advanced.
     */
    public final void step() {
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            if (!p.requiresGrad()) {
                continue; // frozen: no update, no weight decay, no state (even with a stale .grad)
            }
            Variable g = p.grad();
            if (g == null) {
                continue;
            }
            NDArray data = p.data();
            NDArray grad = g.data();
            if (!grad.hasShape(data.shape())) {
                throw new IllegalStateException(name + ".step: parameter " + i + describe(p) + " has shape "
                        + Arrays.toString(data.shape()) + " but its gradient has shape " + Arrays.toString(grad.shape()));
            }
            ParamState st = states[i];
            if (st == null) {
                st = new ParamState(data);
                states[i] = st;
            }
            st.step++;
            current = groups[groupOf[i]];
            update(data, grad, st);
        }
        current = groups[0];
        steps++;
    }

    /**
     * Applies this optimizer's rule to one parameter: {@code st.step} has already been incremented
     * (it is 1 on the first update). Implementations compute new values into {@link ParamState#out()}
     * and finish with {@link ParamState#commit(NDArray)}, or update {@code param} in place directly.
     */
    protected abstract void update(NDArray param, NDArray grad, ParamState st);

    /**
     * The names of the buffers this optimizer, as configured, keeps for every parameter it has
     * updated (for example {@code ["exp_avg", "exp_avg_sq"]}); used to validate state dicts.
     */
    protected abstract List<String> bufferNames();

    /**
     * The buffers kept for a parameter of group {@code group} (those depend on the group's options,
     * e.g. no momentum buffer where its momentum is 0); the default is {@link #bufferNames()}.
     */
    protected List<String> bufferNames(int group) {
        return bufferNames();
    }

    /** This optimizer's hyper-parameters other than the learning rate, for checkpoint metadata and messages. */
    public abstract Map<String, String> hyperParameters();

    // ---------------------------------------------------------------- state

    /**
     * A copy of the full state: {@code "lr"} and {@code "step"} (0-d), and for every parameter that
     * has been updated {@code "state.<i>.step"} (0-d) and {@code "state.<i>.<buffer>"} (the
     * parameter's shape).
     */
    public final Map<String, NDArray> stateDict() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put("lr", NDArray.scalar(groups[0].lr));
        out.put("step", NDArray.scalar(steps));
        if (groups.length > 1) {
            for (int g = 0; g < groups.length; g++) {
                out.put("group." + g + ".params", NDArray.scalar(groups[g].size));
                out.put("group." + g + ".lr", NDArray.scalar(groups[g].lr));
                for (Map.Entry<String, Double> o : groups[g].options.entrySet()) {
                    out.put("group." + g + "." + o.getKey(), NDArray.scalar(o.getValue()));
                }
            }
        }
        for (int i = 0; i < states.length; i++) {
            ParamState st = states[i];
            if (st == null) {
                continue;
            }
            out.put("state." + i + ".step", NDArray.scalar(st.step));
            for (Map.Entry<String, double[]> b : st.buffers.entrySet()) {
                out.put("state." + i + "." + b.getKey(), NDArray.of(b.getValue().clone(), st.shape.clone()));
            }
        }
        return out;
    }

    /**
     * Replaces the whole state with {@code state} (as produced by {@link #stateDict()} of an optimizer
     * of the same kind and configuration over parameters of the same shapes, in the same order). Keys
     * and shapes are checked first; on any error nothing changes and the message names the missing,
     * unexpected or mis-shaped entries.
     */
    public final void loadStateDict(Map<String, NDArray> state) {
        String where = name + ".loadStateDict: ";
        List<String> problems = new ArrayList<>();
        Set<String> unexpected = new TreeSet<>();
        Map<Integer, Map<String, NDArray>> perParam = new LinkedHashMap<>();
        Map<Integer, Long> perParamStep = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : state.entrySet()) {
            String key = e.getKey();
            if (key.equals("lr") || key.equals("step") || key.startsWith("group.")) {
                continue;
            }
            String[] parts = key.split("\\.", 3);
            int index = -1;
            if (parts.length == 3 && parts[0].equals("state")) {
                try {
                    index = Integer.parseInt(parts[1]);
                } catch (NumberFormatException ignored) {
                    index = -1;
                }
            }
            if (index < 0 || index >= params.size()
                    || !(parts[2].equals("step") || bufferNames().contains(parts[2]))) {
                unexpected.add(key);
                continue;
            }
            NDArray v = e.getValue();
            if (parts[2].equals("step")) {
                long s = nonNegativeInteger(v);
                if (s < 0) {
                    problems.add("'" + key + "' must be a 0-d non-negative integer but is " + v);
                } else {
                    perParamStep.put(index, s);
                }
            } else {
                int[] want = params.get(index).data().shape();
                if (!v.hasShape(want)) {
                    problems.add("'" + key + "' has shape " + Arrays.toString(v.shape()) + " but parameter " + index
                            + describe(params.get(index)) + " has shape " + Arrays.toString(want));
                }
                perParam.computeIfAbsent(index, k -> new LinkedHashMap<>()).put(parts[2], v);
            }
        }
        if (!unexpected.isEmpty()) {
            problems.add("unexpected keys " + unexpected + " (this " + name + " has " + params.size()
                    + " parameters and buffers " + bufferNames() + ")");
        }
        Set<String> missing = new TreeSet<>();
        for (String k : new String[] {"lr", "step"}) {
            if (!state.containsKey(k)) {
                missing.add(k);
            }
        }
        NDArray lrArr = state.get("lr");
        if (lrArr != null && (lrArr.size() != 1 || lrArr.ndim() != 0 || !(lrArr.item() >= 0) || Double.isInfinite(lrArr.item()))) {
            problems.add("'lr' must be a 0-d finite non-negative number but is " + lrArr);
        }
        NDArray stepArr = state.get("step");
        if (stepArr != null && nonNegativeInteger(stepArr) < 0) {
            problems.add("'step' must be a 0-d non-negative integer but is " + stepArr);
        }
        Set<Integer> indices = new TreeSet<>(perParam.keySet());
        indices.addAll(perParamStep.keySet());
        for (int i : indices) {
            if (!perParamStep.containsKey(i) && !unexpected.contains("state." + i + ".step")) {
                missing.add("state." + i + ".step");
            }
            Map<String, NDArray> bufs = perParam.getOrDefault(i, Map.of());
            for (String b : bufferNames(groupOf[i])) {
                if (!bufs.containsKey(b)) {
                    missing.add("state." + i + "." + b);
                }
            }
        }
        if (!missing.isEmpty()) {
            problems.add("missing keys " + missing);
        }
        Map<Integer, Map<String, Double>> groupState = loadGroups(state, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(where + String.join("; ", problems)
                    + ". Load a state dict saved from the same optimizer over the same parameters in the same order");
        }
        // validated: replace everything
        Arrays.fill(states, null);
        for (int i : indices) {
            ParamState st = new ParamState(params.get(i).data());
            st.step = perParamStep.get(i);
            for (String b : bufferNames(groupOf[i])) {
                st.buffers.put(b, perParam.get(i).get(b).toArray());
            }
            states[i] = st;
        }
        if (groupState.isEmpty()) {
            for (Group g : groups) {
                g.lr = lrArr.item();
            }
        } else {
            for (int g = 0; g < groups.length; g++) {
                Map<String, Double> gs = new LinkedHashMap<>(groupState.get(g));
                groups[g].lr = gs.remove("lr");
                gs.remove("params");
                groups[g].options.clear();
                groups[g].options.putAll(gs);
            }
        }
        this.steps = nonNegativeInteger(stepArr);
    }

    /**
     * Reads and checks the {@code group.<g>.*} entries: none means one group (a checkpoint from
     * before parameter groups); otherwise their count and sizes must match this optimizer's.
     */
    private Map<Integer, Map<String, Double>> loadGroups(Map<String, NDArray> state, List<String> problems) {
        Map<Integer, Map<String, Double>> out = new java.util.TreeMap<>();
        for (Map.Entry<String, NDArray> e : state.entrySet()) {
            if (!e.getKey().startsWith("group.")) {
                continue;
            }
            String[] parts = e.getKey().split("\\.", 3);
            int g;
            try {
                g = parts.length == 3 ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException ex) {
                g = -1;
            }
            if (g < 0 || e.getValue().size() != 1) {
                problems.add("unexpected key '" + e.getKey() + "'");
                continue;
            }
            out.computeIfAbsent(g, k -> new LinkedHashMap<>()).put(parts[2], e.getValue().item());
        }
        int saved = out.isEmpty() ? 1 : out.size();
        if (saved != groups.length || !out.isEmpty() && !out.keySet().equals(new TreeSet<>(
                java.util.stream.IntStream.range(0, groups.length).boxed().toList()))) {
            problems.add("the state dict holds " + saved + " parameter group(s) but this " + name + " has "
                    + groups.length + "; build the optimizer with the same parameter groups");
            return out;
        }
        for (Map.Entry<Integer, Map<String, Double>> e : out.entrySet()) {
            Map<String, Double> gs = e.getValue();
            int g = e.getKey();
            Double n = gs.get("params");
            Double glr = gs.get("lr");
            if (n == null || n != groups[g].size) {
                problems.add("parameter group " + g + " was saved with " + (n == null ? "no" : Long.toString(n.longValue()))
                        + " parameters but has " + groups[g].size + " here");
            }
            if (glr == null || !(glr >= 0) || Double.isInfinite(glr)) {
                problems.add("'group." + g + ".lr' must be a finite non-negative number but is " + glr);
            }
            for (Map.Entry<String, Double> o : gs.entrySet()) {
                if (o.getKey().equals("lr") || o.getKey().equals("params")) {
                    continue;
                }
                try {
                    if (optionCheck == null || !hyperParameters().containsKey(o.getKey())) {
                        throw new IllegalArgumentException("'" + o.getKey() + "' is not a per-group option of " + name);
                    }
                    optionCheck.accept(o.getKey(), o.getValue());
                } catch (IllegalArgumentException ex) {
                    problems.add("parameter group " + g + ": " + ex.getMessage());
                }
            }
        }
        return out;
    }

    private static long nonNegativeInteger(NDArray v) {
        if (v.ndim() != 0) {
            return -1;
        }
        double d = v.item();
        if (!(d >= 0) || d != Math.rint(d) || d > 0x1p53) {
            return -1;
        }
        return (long) d;
    }

    /**
     * One parameter's optimizer state: its update count and named float64 buffers of the parameter's
     * size, plus a scratch array the update rule writes the new values into before
     * {@link #commit(NDArray)}.
     */
    protected static final class ParamState {
        /** Number of updates applied to this parameter, including the current one. */
        long step;
        final int[] shape;
        final Map<String, double[]> buffers = new LinkedHashMap<>();
        private final double[] out;
        private final NDArray outView;

        ParamState(NDArray param) {
            this.shape = param.shape();
            this.out = new double[param.size()];
            this.outView = NDArray.of(out, shape);
        }

        /** The update count, 1 on a parameter's first update. */
        public long step() {
            return step;
        }

        /** True when the buffer exists (it is created by {@link #buffer(String, double)}). */
        public boolean has(String name) {
            return buffers.containsKey(name);
        }

        /** The named buffer, created filled with {@code init} the first time it is asked for. */
        public double[] buffer(String name, double init) {
            double[] b = buffers.get(name);
            if (b == null) {
                b = new double[out.length];
                if (init != 0) {
                    Arrays.fill(b, init);
                }
                buffers.put(name, b);
            }
            return b;
        }

        /** Scratch array for the parameter's new values, to be followed by {@link #commit(NDArray)}. */
        public double[] out() {
            return out;
        }

        /** Copies {@link #out()} into {@code param} in place (one version bump). */
        public void commit(NDArray param) {
            param.copyFrom(outView);
        }
    }
}
