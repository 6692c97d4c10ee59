package dev.nabla.examples.rnn;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.F;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Module;
import dev.nabla.nn.RNN;
import dev.nabla.nn.RNNOutput;
import java.util.List;
import java.util.Random;

/**
 * Next-value prediction on a noisy sine wave: a tanh {@link RNN} reads the series one value per
 * step and a linear head maps each hidden state to the prediction of the following value. Training
 * draws random windows from the series (Adam, global-norm gradient clipping); evaluation runs over
 * a whole series and compares each prediction with the value that actually came next.
 */
public final class SineRnn extends Module {
    private final RNN rnn;
    private final Parameter headWeight;
    private final Parameter headBias;

    /** A model with {@code hiddenSize} tanh units, initialised from {@code rng}. */
    public SineRnn(int hiddenSize, Random rng) {
        this.rnn = registerModule("rnn", new RNN(1, hiddenSize, rng));
        double k = 1 / Math.sqrt(hiddenSize);
        this.headWeight = registerParameter("headWeight", new Parameter(NDArray.uniform(rng, -k, k, hiddenSize, 1)));
        this.headBias = registerParameter("headBias", new Parameter(NDArray.uniform(rng, -k, k, 1)));
    }

    /** Predictions {@code (T, N, 1)} for inputs {@code (T, N, 1)}, from a zero state. */
    @Override
    public Variable forward(Variable x) {
        RNNOutput out = rnn.forward(x, null);
        int t = x.shape(0);
        int n = x.shape(1);
        return out.output().reshape(t * n, -1).matmul(headWeight).add(headBias).reshape(t, n, 1);
    }

    /**
     * A sine of the given period (in samples) plus Gaussian noise of standard deviation
     * {@code noise}, starting at a random phase: {@code sin(2π t / period + φ) + ε_t}.
     */
    public static double[] noisySine(int length, double period, double noise, Random rng) {
        double phase = rng.nextDouble() * 2 * Math.PI;
        double[] s = new double[length];
        for (int t = 0; t < length; t++) {
            s[t] = Math.sin(2 * Math.PI * t / period + phase) + noise * rng.nextGaussian();
        }
        return s;
    }

    /** Settings of {@link #train}: optimisation steps, window length, windows per batch, Adam's rate, clipping norm. */
    public record TrainConfig(int steps, int windowLength, int batchSize, double learningRate, double clipNorm) {
        /** 300 steps of 16 windows of 24 values, rate 0.01, clipping at 1. */
        public static TrainConfig defaults() {
            return new TrainConfig(300, 24, 16, 0.01, 1.0);
        }
    }

    /**
     * Trains on random windows of {@code series}: each window's values 0..T−1 are the inputs and
     * 1..T the targets, the loss the mean squared error over every step. Returns the loss of every
     * step.
     */
    public double[] train(double[] series, TrainConfig cfg, Random rng) {
        int t = cfg.windowLength();
        if (series.length < t + 1) {
            throw new IllegalArgumentException("SineRnn.train: the series has " + series.length
                    + " values but a window needs windowLength + 1 = " + (t + 1));
        }
        List<Parameter> params = parameters();
        LocalAdam adam = new LocalAdam(params, cfg.learningRate());
        double[] losses = new double[cfg.steps()];
        int n = cfg.batchSize();
        for (int step = 0; step < cfg.steps(); step++) {
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
            Variable loss = F.mse(pred, new Variable(NDArray.of(ys, t, n, 1)));
            adam.zeroGrad();
            loss.backward();
            LocalAdam.clipGradNorm(params, cfg.clipNorm());
            adam.step();
            losses[step] = loss.item();
        }
        return losses;
    }

    /**
     * One-step-ahead predictions over {@code series} from a zero state: element t is the
     * prediction of {@code series[t + 1]} having seen {@code series[0..t]}; length is
     * {@code series.length - 1}.
     */
    public double[] predictNext(double[] series) {
        int t = series.length - 1;
        try (Autograd.Scope s = Autograd.noGrad()) {
            double[] in = java.util.Arrays.copyOf(series, t);
            return forward(new Variable(NDArray.of(in, t, 1, 1))).data().toArray();
        }
    }

    /**
     * Mean squared error of the one-step-ahead predictions against the observed next values,
     * skipping the first {@code warmup} predictions (made with too little context).
     */
    public double evaluate(double[] series, int warmup) {
        double[] p = predictNext(series);
        double s = 0;
        for (int i = warmup; i < p.length; i++) {
            double d = p[i] - series[i + 1];
            s += d * d;
        }
        return s / (p.length - warmup);
    }

    /** The recurrent layer. */
    public RNN rnn() {
        return rnn;
    }
}
