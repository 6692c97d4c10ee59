package dev.nabla.optim;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Parallel;
import dev.nabla.ndarray.UpdateKernels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optimizer shared by {@link Adam} and {@link AdamW}: moments, bias correction, AMSGrad, state
 * names and hyperparameters. The two differ only in how weight decay enters ({@code decoupled}).
 */
abstract class AdamRule extends Optimizer {
    final double beta1;
    final double beta2;
    final double eps;
    final double weightDecay;
    final boolean amsgrad;
    final boolean decoupled;

    AdamRule(String name, AdamOptions<?, ?> o, boolean decoupled) {
        super(name, o.groups, o.lr);
        this.beta1 = check("beta1", o.beta1);
        this.beta2 = check("beta2", o.beta2);
        this.eps = check("eps", o.eps);
        this.weightDecay = check("weight_decay", o.weightDecay);
        this.amsgrad = o.amsgrad;
        this.decoupled = decoupled;
        checkGroupOptions(this::check);
    }

    private double check(String key, double v) {
        return key.startsWith("beta") ? checkRange(key, v, 0, 1, true) : checkRange(key, v, 0, Double.MAX_VALUE, false);
    }

    @Override
    protected final void update(NDArray p, NDArray grad, ParamState st) {
        double lr = groupLr();
        double beta1 = option("beta1", this.beta1);
        double beta2 = option("beta2", this.beta2);
        double eps = option("eps", this.eps);
        double weightDecay = option("weight_decay", this.weightDecay);
        long t = st.step();
        double bc1 = 1 - Math.pow(beta1, t);
        double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, t));
        double stepSize = lr / bc1;
        double shrink = decoupled ? 1 - lr * weightDecay : 1;
        double coupled = decoupled ? 0 : weightDecay;
        double[] m = st.buffer("exp_avg", 0);
        double[] v = st.buffer("exp_avg_sq", 0);
        double[] vmax = amsgrad ? st.buffer("max_exp_avg_sq", 0) : null;
        if (UpdateKernels.supports(p, grad)) { // one pass over the parameter's own storage, the same bits
            UpdateKernels.adam(p, grad, m, v, vmax, stepSize, sqrtBc2, shrink, coupled, decoupled, beta1, beta2, eps);
            return;
        }
        double[] out = st.out();
        int threads = Parallel.threadsFor(out.length);
        if (threads == 1) {
            step(p, grad, m, v, vmax, out, stepSize, sqrtBc2, shrink, coupled, 0, out.length, beta1, beta2, eps);
        } else {
            Parallel.forRange(out.length, threads, (from, to) -> step(p, grad, m, v, vmax, out, stepSize, sqrtBc2, shrink,
                    coupled, from, to, beta1, beta2, eps));
        }
        st.commit(p);
    }

    /** The update of elements {@code [from, to)}; each element depends only on its own state. */
    private void step(NDArray p, NDArray grad, double[] m, double[] v, double[] vmax, double[] out, double stepSize,
            double sqrtBc2, double shrink, double coupled, int from, int to, double b1, double b2, double e) {
        boolean dec = decoupled;
        for (int i = from; i < to; i++) {
            double w = p.getFlat(i);
            double g = grad.getFlat(i);
            if (coupled != 0) {
                g += coupled * w;
            }
            if (dec) {
                w *= shrink;
            }
            double mi = b1 * m[i] + (1 - b1) * g;
            double vi = b2 * v[i] + (1 - b2) * g * g;
            m[i] = mi;
            v[i] = vi;
            if (vmax != null) {
                vi = Math.max(vmax[i], vi);
                vmax[i] = vi;
            }
            out[i] = w - stepSize * mi / (Math.sqrt(vi) / sqrtBc2 + e);
        }
    }

    @Override
    protected final List<String> bufferNames() {
        return amsgrad ? List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq") : List.of("exp_avg", "exp_avg_sq");
    }

    @Override
    public final Map<String, String> hyperParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("beta1", Double.toString(beta1));
        m.put("beta2", Double.toString(beta2));
        m.put("eps", Double.toString(eps));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("amsgrad", Boolean.toString(amsgrad));
        return m;
    }
}
