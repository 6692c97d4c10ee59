package dev.nabla.examples.bench;

import dev.nabla.autograd.Parameter;
import dev.nabla.ndarray.NDArray;
import java.util.List;

/**
 * Minimal in-place update rules for the benchmarks, written on {@link Parameter#data()} with
 * NDArray's in-place methods, so that the workloads depend on the autograd core only (the optim
 * module has the real optimizers).
 */
abstract class TinyOptim {
    final List<Parameter> params;

    TinyOptim(List<Parameter> params) {
        this.params = params;
    }

    /** Clears every parameter's gradient before a step's backward. */
    final void zeroGrad() {
        for (Parameter p : params) {
            p.clearGrad();
        }
    }

    /** Applies one update from the current gradients. */
    abstract void step();

    /** Plain SGD: {@code p -= lr * g}. */
    static final class Sgd extends TinyOptim {
        private final double lr;

        Sgd(List<Parameter> params, double lr) {
            super(params);
            this.lr = lr;
        }

        @Override
        void step() {
            for (Parameter p : params) {
                if (p.grad() != null) {
                    p.data().addInPlace(p.grad().data(), -lr);
                }
            }
        }
    }

    /**
     * Adam (Kingma and Ba 2015, Algorithm 1 with the efficient bias correction of section 2):
     * {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g²; p -= lr·sqrt(1-b2^t)/(1-b1^t) · m / (sqrt(v) + eps)},
     * fused into one pass per parameter (moments in plain arrays, the parameter written with
     * {@link NDArray#setFlat}, which keeps its version counter honest).
     */
    static final class Adam extends TinyOptim {
        private final double lr;
        private final double beta1 = 0.9;
        private final double beta2 = 0.999;
        private final double eps = 1e-8;
        private final double[][] m;
        private final double[][] v;
        private int t;

        Adam(List<Parameter> params, double lr) {
            super(params);
            this.lr = lr;
            m = new double[params.size()][];
            v = new double[params.size()][];
            for (int i = 0; i < m.length; i++) {
                m[i] = new double[params.get(i).size()];
                v[i] = new double[params.get(i).size()];
            }
        }

        @Override
        void step() {
            t++;
            double lrt = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
            for (int k = 0; k < m.length; k++) {
                Parameter p = params.get(k);
                if (p.grad() == null) {
                    continue;
                }
                NDArray g = p.grad().data();
                NDArray w = p.data();
                double[] mk = m[k];
                double[] vk = v[k];
                for (int i = 0; i < mk.length; i++) {
                    double gi = g.getFlat(i);
                    double mi = beta1 * mk[i] + (1 - beta1) * gi;
                    double vi = beta2 * vk[i] + (1 - beta2) * gi * gi;
                    mk[i] = mi;
                    vk[i] = vi;
                    w.setFlat(i, w.getFlat(i) - lrt * mi / (Math.sqrt(vi) + eps));
                }
            }
        }
    }
}
