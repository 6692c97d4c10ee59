package dev.nabla.examples.rnn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal Adam (Kingma &amp; Ba, with bias correction) and global-norm gradient clipping for the
 * recurrent examples; a stand-in until they are wired to the optim module's optimizers.
 */
final class LocalAdam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final List<Parameter> params;
    private final double lr;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private int t;

    LocalAdam(List<Parameter> params, double lr) {
        this.params = List.copyOf(params);
        this.lr = lr;
        for (Parameter p : this.params) {
            m.add(NDArray.zeros(p.shape()));
            v.add(NDArray.zeros(p.shape()));
        }
    }

    /** One update of every parameter that has a gradient. */
    void step() {
        t++;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            if (p.grad() == null) {
                continue;
            }
            NDArray g = p.grad().data();
            NDArray mi = m.get(i).mulInPlace(BETA1).addInPlace(g, 1 - BETA1);
            NDArray vi = v.get(i).mulInPlace(BETA2).addInPlace(g.mul(g), 1 - BETA2);
            NDArray update = mi.div(c1).div(vi.div(c2).sqrt().add(EPS));
            p.data().addInPlace(update, -lr);
        }
    }

    /** Clears every parameter's gradient. */
    void zeroGrad() {
        for (Parameter p : params) {
            p.clearGrad();
        }
    }

    /** Rescales all gradients together so their global L2 norm is at most {@code maxNorm}; returns the norm before. */
    static double clipGradNorm(List<Parameter> params, double maxNorm) {
        double sq = 0;
        for (Parameter p : params) {
            if (p.grad() != null) {
                NDArray g = p.grad().data();
                sq += g.mul(g).sum().item();
            }
        }
        double norm = Math.sqrt(sq);
        if (norm > maxNorm) {
            double scale = maxNorm / (norm + 1e-12);
            for (Parameter p : params) {
                if (p.grad() != null) {
                    p.setGrad(new Variable(p.grad().data().mul(scale)));
                }
            }
        }
        return norm;
    }
}
