package dev.nabla.examples.rnn;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Functional;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.RNN;
import dev.nabla.optim.GradClip;
import dev.nabla.optim.Optimizer;
import java.util.Arrays;
import java.util.Random;

/**
 * Next-value prediction on a series: a tanh {@link RNN} reads the series one value per step and a
 * linear head maps each hidden state to the prediction of the following value. Training draws
 * random windows from the series; evaluation runs over a whole series from a zero state and
 * compares each prediction with the value that actually came next.
 * Not thread-safe, like every {@link dev.nabla.nn.Module}: confine it to one thread at a time.
 */
public final class SineRnn extends Module {
    private final RNN rnn;
    private final Linear head;

    /** A model with {@code hiddenSize} tanh units, initialised from {@code rng}. */
    public SineRnn(int hiddenSize, Random rng) {
        this.rnn = registerModule("rnn", new RNN(1, hiddenSize, rng));
        this.head = registerModule("head", new Linear(hiddenSize, 1, rng));
    }

    /** Predictions {@code (T, N, 1)} for inputs {@code (T, N, 1)}, from a zero state. */
    @Override
    public Variable forward(Variable x) {
        if (x.ndim() != 3 || x.shape(2) != 1) {
            throw new IllegalArgumentException("SineRnn: expected inputs of shape (T, N, 1), got "
                    + dev.nabla.ndarray.Shapes.str(x.shape()));
        }
        Variable h = rnn.forward(x);
        int t = x.shape(0);
        int n = x.shape(1);
        return head.call(h.reshape(t * n, -1)).reshape(t, n, 1);
    }

    /**
     * One optimisation step on {@code batchSize} windows of {@code windowLength + 1} values drawn
     * uniformly from {@code series} with {@code rng}: values 0..T−1 of a window are the inputs,
     * 1..T the targets, the loss the mean squared error over every step. Gradients are clipped to
     * global norm {@code clipNorm} before {@code opt} steps. Returns the loss.
     */
    public double trainStep(double[] series, int windowLength, int batchSize, double clipNorm, Optimizer opt, Random rng) {
        int t = windowLength;
        if (t < 1 || batchSize < 1) {
            throw new IllegalArgumentException("SineRnn.trainStep: windowLength and batchSize must be positive, got " + t
                    + " and " + batchSize);
        }
        if (series.length < t + 1) {
            throw new IllegalArgumentException("SineRnn.trainStep: the series has " + series.length
                    + " values but a window needs windowLength + 1 = " + (t + 1));
        }
        int n = batchSize;
        double[] xs = new double[t * n];
        double[] ys = new double[t * n];
        for (int b = 0; b < n; b++) {
            int start = rng.nextInt(series.length - t);
            for (int i = 0; i < t; i++) {
                xs[i * n + b] = series[start + i];
                ys[i * n + b] = series[start + i + 1];
            }
        }
        Variable pred = forward(new Variable(NDArray.of(xs, t, n, 1)));
        Variable loss = Functional.mseLoss(pred, new Variable(NDArray.of(ys, t, n, 1)));
        opt.zeroGrad();
        loss.backward();
        GradClip.clipGradNorm(opt.params(), clipNorm);
        opt.step();
        return loss.item();
    }

    /**
     * One-step-ahead predictions over {@code series} from a zero state: element t is the
     * prediction of {@code series[t + 1]} having seen {@code series[0..t]}; length is
     * {@code series.length - 1}.
     */
    public double[] predictNext(double[] series) {
        if (series.length < 2) {
            throw new IllegalArgumentException("SineRnn.predictNext: need at least 2 values, got " + series.length);
        }
        int t = series.length - 1;
        boolean wasTraining = isTraining();
        eval();
        try (Autograd.Scope s = Autograd.noGrad()) {
            return forward(new Variable(NDArray.of(Arrays.copyOf(series, t), t, 1, 1))).data().toArray();
        } finally {
            train(wasTraining);
        }
    }

    /**
     * Mean squared error of the one-step-ahead predictions of {@code target[from..]} made from the
     * observed {@code series} (all of it read as context, from a zero state); {@code target} is
     * what is compared with (the observed series itself, or a noise-free version of it).
     */
    public double mse(double[] series, double[] target, int from) {
        if (target.length != series.length || from < 1 || from >= series.length) {
            throw new IllegalArgumentException("SineRnn.mse: need target of the series' length " + series.length
                    + " and 1 <= from < " + series.length + ", got " + target.length + " and " + from);
        }
        double[] p = predictNext(series);
        double s = 0;
        for (int i = from; i < series.length; i++) {
            double d = p[i - 1] - target[i];
            s += d * d;
        }
        return s / (series.length - from);
    }

    /**
     * Mean squared error of the one-step-ahead predictions over {@code series} against the observed
     * next values, skipping the first {@code warmup} predictions (made with too little context).
     */
    public double evaluate(double[] series, int warmup) {
        return mse(series, series, warmup + 1);
    }

    /** The recurrent layer. */
    public RNN rnn() {
        return rnn;
    }
}
