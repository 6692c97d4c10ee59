package dev.nabla.optim;

import dev.nabla.autograd.Parameter;
import dev.nabla.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classic momentum SGD (Polyak's heavy ball, as in <i>Deep Learning from Scratch</i>): a velocity
 * that decays by γ and accumulates the scaled negative gradient,
 * <pre>
 *   v ← γ·v − η·(∇ + λW)
 *   W ← W + v
 * </pre>
 * with v starting at zero. Unlike {@link SGD}'s PyTorch form, the learning rate is folded into the
 * velocity, so a learning-rate change only affects new contributions.
 * Not thread-safe, like every {@link Optimizer}: step it on one thread, after the backward passes
 * have finished.
 */
public final class Momentum extends Optimizer {
    private final double gamma;
    private final double weightDecay;

    /** Momentum with factor {@code gamma} (commonly 0.9) and no weight decay. */
    public Momentum(Iterable<Parameter> params, double lr, double gamma) {
        this(params, lr, gamma, 0);
    }

    /** Momentum with factor {@code gamma} and L2 weight decay {@code weightDecay} added to the gradient. */
    public Momentum(Iterable<Parameter> params, double lr, double gamma, double weightDecay) {
        this(lr, gamma, weightDecay, params == null ? null : List.of(ParamGroup.group(params)));
    }

    /**
     * Momentum over parameter groups; {@code lr}, {@code gamma} and {@code weightDecay} are the
     * defaults of groups that do not set {@code lr}, {@code momentum} or {@code weight_decay}.
     */
    public Momentum(double lr, double gamma, double weightDecay, ParamGroup... groups) {
        this(lr, gamma, weightDecay, java.util.Arrays.asList(groups));
    }

    private Momentum(double lr, double gamma, double weightDecay, List<ParamGroup> groups) {
        super("Momentum", groups, lr);
        this.gamma = check("momentum", gamma);
        this.weightDecay = check("weight_decay", weightDecay);
        checkGroupOptions(this::check);
    }

    private double check(String key, double v) {
        return key.equals("momentum") ? checkRange(key, v, 0, 1, true) : checkRange(key, v, 0, Double.MAX_VALUE, false);
    }

    @Override
    protected void update(NDArray p, NDArray grad, ParamState st) {
        double lr = groupLr();
        double gamma = option("momentum", this.gamma);
        double weightDecay = option("weight_decay", this.weightDecay);
        double[] v = st.buffer("velocity", 0);
        double[] out = st.out();
        for (int i = 0; i < out.length; i++) {
            double w = p.getFlat(i);
            double g = grad.getFlat(i);
            if (weightDecay != 0) {
                g += weightDecay * w;
            }
            double vi = gamma * v[i] - lr * g;
            v[i] = vi;
            out[i] = w + vi;
        }
        st.commit(p);
    }

    @Override
    protected List<String> bufferNames() {
        return List.of("velocity");
    }

    @Override
    public Map<String, String> hyperParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("momentum", Double.toString(gamma));
        m.put("weight_decay", Double.toString(weightDecay));
        return m;
    }
}
