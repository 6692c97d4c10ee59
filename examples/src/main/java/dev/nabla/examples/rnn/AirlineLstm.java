package dev.nabla.examples.rnn;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import dev.nabla.nn.Functional;
import dev.nabla.nn.LSTM;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.optim.GradClip;
import dev.nabla.optim.Optimizer;
import java.util.Random;

/**
 * A window-to-next-value forecaster: an {@link LSTM} reads a window of past values (one feature
 * per step) and a linear head maps its last hidden state to the next value.
 * Not thread-safe, like every {@link dev.nabla.nn.Module}: confine it to one thread at a time.
 */
public final class AirlineLstm extends Module {
    private final LSTM lstm;
    private final Linear head;

    /** A one-layer LSTM of {@code hiddenSize} units and its head, initialised from {@code rng}. */
    public AirlineLstm(int hiddenSize, Random rng) {
        this.lstm = registerModule("lstm", new LSTM(1, hiddenSize, rng));
        this.head = registerModule("head", new Linear(hiddenSize, 1, rng));
    }

    /** The next value {@code (N, 1)} after each window of {@code x} {@code (W, N, 1)}, from zero states. */
    @Override
    public Variable forward(Variable x) {
        if (x.ndim() != 3 || x.shape(2) != 1) {
            throw new IllegalArgumentException("AirlineLstm: expected windows of shape (W, N, 1), got " + Shapes.str(x.shape()));
        }
        Variable h = lstm.forward(x);
        return head.call(h.getItem(Index.at(x.shape(0) - 1)));
    }

    /** Time-major windows {@code (W, N, 1)}: window i is {@code series[ends[i] - W .. ends[i])}. */
    static NDArray windows(double[] series, int[] ends, int w) {
        int n = ends.length;
        double[] x = new double[w * n];
        for (int i = 0; i < n; i++) {
            if (ends[i] < w || ends[i] > series.length) {
                throw new IllegalArgumentException("AirlineLstm.windows: a window of " + w + " values ending before index "
                        + ends[i] + " does not fit a series of " + series.length);
            }
            for (int t = 0; t < w; t++) {
                x[t * n + i] = series[ends[i] - w + t];
            }
        }
        return NDArray.of(x, w, n, 1);
    }

    /**
     * One optimisation step: the windows of {@code w} values before each index in {@code targets}
     * predict {@code series[target]}; mean squared error, gradients clipped to global norm
     * {@code clipNorm}, then {@code opt} steps. Returns the loss.
     */
    public double trainStep(double[] series, int[] targets, int w, double clipNorm, Optimizer opt) {
        double[] y = new double[targets.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = series[targets[i]];
        }
        Variable pred = forward(new Variable(windows(series, targets, w)));
        Variable loss = Functional.mseLoss(pred, new Variable(NDArray.of(y, y.length, 1)));
        opt.zeroGrad();
        loss.backward();
        GradClip.clipGradNorm(opt.params(), clipNorm);
        opt.step();
        return loss.item();
    }

    /** Predictions of {@code series[t]} for each t in {@code targets} from the {@code w} values before it. */
    public double[] predict(double[] series, int[] targets, int w) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            return forward(new Variable(windows(series, targets, w))).data().toArray();
        }
    }
}
