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
     * {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g²; p -= lr·sqrt(1-b2^t)/(1-b1^t) · m / (sqrt(v) + eps)}.
     */
    static final class Adam extends TinyOptim {
        private final double lr;
        private final double beta1 = 0.9;
        private final double beta2 = 0.999;
        private final double eps = 1e-8;
        private final NDArray[] m;
        private final NDArray[] v;
        private int t;

        Adam(List<Parameter> params, double lr) {
            super(params);
            this.lr = lr;
            m = new NDArray[params.size()];
            v = new NDArray[params.size()];
            for (int i = 0; i < m.length; i++) {
                m[i] = NDArray.zerosLike(params.get(i).data());
                v[i] = NDArray.zerosLike(params.get(i).data());
            }
        }

        @Override
        void step() {
            t++;
            double lrt = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
            for (int i = 0; i < m.length; i++) {
                Parameter p = params.get(i);
                if (p.grad() == null) {
                    continue;
                }
                NDArray g = p.grad().data();
                m[i].mulInPlace(beta1).addInPlace(g, 1 - beta1);
                v[i].mulInPlace(beta2).addInPlace(g.mul(g), 1 - beta2);
                p.data().addInPlace(m[i].div(v[i].sqrt().add(eps)), -lrt);
            }
        }
    }
}
