package dev.nabla.examples.rnn;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import dev.nabla.nn.Embedding;
import dev.nabla.nn.Functional;
import dev.nabla.nn.LSTM;
import dev.nabla.nn.LSTMOutput;
import dev.nabla.nn.LSTMState;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.RNNOptions;
import dev.nabla.optim.GradClip;
import dev.nabla.optim.Optimizer;
import java.util.Random;

/**
 * A character-level (or any token-level) language model: an {@link Embedding} of the token ids,
 * a stacked {@link LSTM}, and a {@link Linear} head giving next-token logits. It works on plain
 * {@code int[]} token streams (ids in {@code [0, vocabSize)}); mapping text to ids is the
 * caller's. Training follows the classic char-rnn scheme (see {@link StreamBatches}): parallel
 * contiguous streams walked in blocks, the LSTM state carried from block to block and detached in
 * between (truncated backpropagation through time).
 * Not thread-safe, like every {@link dev.nabla.nn.Module}: confine it to one thread at a time.
 */
public final class CharLstm extends Module {
    private final int vocabSize;
    private final Embedding embedding;
    private final LSTM lstm;
    private final Linear head;

    /** A model over {@code vocabSize} tokens with the given embedding width, hidden size and depth. */
    public CharLstm(int vocabSize, int embedSize, int hiddenSize, int numLayers, Random rng) {
        if (vocabSize < 1) {
            throw new IllegalArgumentException("CharLstm: vocabSize must be positive, got " + vocabSize);
        }
        this.vocabSize = vocabSize;
        this.embedding = registerModule("embedding", new Embedding(vocabSize, embedSize, rng));
        this.lstm = registerModule("lstm", new LSTM(embedSize, hiddenSize, RNNOptions.defaults().numLayers(numLayers), rng));
        this.head = registerModule("head", new Linear(hiddenSize, vocabSize, rng));
    }

    /**
     * Logits of the next token at every position, and the LSTM state after the last one.
     * Shallowly immutable (a record): safe to share as a holder, but the
     * {@link dev.nabla.autograd.Variable}s it holds follow Variable's rules.
     */
    public record Step(Variable logits, LSTMState state) {}

    /**
     * Runs the model over {@code tokens} laid out time-major, {@code tokens[t * n + i]} being step
     * t of stream i, from {@code state} (null: zeros). Logits are {@code (T * n, vocabSize)} in the
     * same order.
     */
    public Step forward(int[] tokens, int n, LSTMState state) {
        if (n < 1 || tokens.length == 0 || tokens.length % n != 0) {
            throw new IllegalArgumentException("CharLstm.forward: expected a non-empty time-major block of T * n tokens"
                    + " with n = " + n + ", got " + tokens.length + " tokens");
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabSize) {
                throw new IndexOutOfBoundsException("CharLstm.forward: token " + tokens[i] + " at position " + i
                        + " is out of range for vocabSize " + vocabSize);
            }
        }
        int t = tokens.length / n;
        Variable x = embedding.forward(tokens).reshape(t, n, -1);
        LSTMOutput out = lstm.forward(x, state);
        Variable logits = head.call(out.output().reshape(t * n, -1));
        return new Step(logits, out.state());
    }

    /**
     * Logits {@code (T, N, vocabSize)} for token ids {@code (T, N)} stored as numbers in a
     * Variable, from zero states (the Module form of {@link #forward(int[], int, LSTMState)}).
     */
    @Override
    public Variable forward(Variable ids) {
        if (ids.ndim() != 2) {
            throw new IllegalArgumentException("CharLstm: expected token ids of shape (T, N), got " + Shapes.str(ids.shape()));
        }
        double[] d = ids.data().toArray();
        int[] tokens = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            tokens[i] = (int) d[i];
            if (tokens[i] != d[i]) {
                throw new IllegalArgumentException("CharLstm: token ids must be whole numbers, got " + d[i]);
            }
        }
        return forward(tokens, ids.shape(1), null).logits().reshape(ids.shape(0), ids.shape(1), vocabSize);
    }

    /**
     * The mean loss of one training step and the carried state after it (detached from the graph).
     * Shallowly immutable (a record): safe to share as a holder, but the
     * {@link dev.nabla.autograd.Variable}s it holds follow Variable's rules.
     */
    public record TrainResult(double loss, LSTMState state) {}

    /**
     * One step of truncated backpropagation through time: runs the time-major block
     * {@code inputs} ({@code T * n} tokens) from {@code state} (null: zeros), takes the mean
     * next-token cross-entropy against {@code targets}, backpropagates through these T steps only
     * (the carried state enters as a constant), clips the gradients to global norm
     * {@code clipNorm} and lets {@code opt} step. Returns the loss and the final state, detached,
     * to carry into the next block.
     */
    public TrainResult trainStep(int[] inputs, int[] targets, int n, LSTMState state, double clipNorm, Optimizer opt) {
        if (targets.length != inputs.length) {
            throw new IllegalArgumentException("CharLstm.trainStep: " + inputs.length + " inputs but " + targets.length
                    + " targets; each input token needs the token that follows it");
        }
        Step s = forward(inputs, n, state == null ? null : state.detach());
        Variable loss = Functional.crossEntropy(s.logits(), targets);
        opt.zeroGrad();
        loss.backward();
        GradClip.clipGradNorm(opt.params(), clipNorm);
        opt.step();
        return new TrainResult(loss.item(), s.state().detach());
    }

    /**
     * Mean next-token cross-entropy over {@code stream} in nats per token: one pass of
     * {@link StreamBatches} blocks ({@code batchSize} parallel streams, {@code seqLen} steps) with
     * the state carried through, no gradients. Every token but the last of each parallel stream is
     * scored.
     */
    public double evaluate(int[] stream, int batchSize, int seqLen) {
        StreamBatches blocks = new StreamBatches("CharLstm.evaluate", stream, batchSize, seqLen, 0);
        boolean wasTraining = isTraining();
        eval();
        try (Autograd.Scope scope = Autograd.noGrad()) {
            LSTMState state = null;
            double total = 0;
            long count = 0;
            for (StreamBatches.Block b = blocks.nextInPass(); b != null; b = blocks.nextInPass()) {
                Step s = forward(b.inputs(), batchSize, state);
                total += Functional.crossEntropy(s.logits(), b.targets()).item() * b.steps();
                count += b.steps();
                state = s.state();
            }
            return total / count;
        } finally {
            train(wasTraining);
        }
    }

    /**
     * Feeds {@code prime} (at least one token) and then samples {@code length} tokens, each drawn
     * from {@code softmax(logits / temperature)} with {@code rng}: a low temperature sharpens the
     * distribution towards the most likely token, a high one flattens it.
     */
    public int[] sample(int[] prime, int length, double temperature, Random rng) {
        if (prime.length == 0) {
            throw new IllegalArgumentException("CharLstm.sample: give at least one token to start from");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("CharLstm.sample: temperature must be positive and finite, got " + temperature);
        }
        if (length < 0) {
            throw new IllegalArgumentException("CharLstm.sample: length must be >= 0, got " + length);
        }
        int[] out = new int[length];
        try (Autograd.Scope scope = Autograd.noGrad()) {
            Step s = forward(prime, 1, null);
            NDArray last = s.logits().data().getItem(Index.at(prime.length - 1));
            LSTMState state = s.state();
            for (int i = 0; i < length; i++) {
                out[i] = draw(last, temperature, rng);
                s = forward(new int[] {out[i]}, 1, state);
                state = s.state();
                last = s.logits().data().reshape(vocabSize);
            }
        }
        return out;
    }

    /** Samples an index from {@code softmax(logits / temperature)}, computed stably. */
    static int draw(NDArray logits, double temperature, Random rng) {
        double[] z = logits.toArray();
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            z[i] = Math.exp((z[i] - max) / temperature);
            sum += z[i];
        }
        double u = rng.nextDouble() * sum;
        for (int i = 0; i < z.length; i++) {
            u -= z[i];
            if (u < 0) {
                return i;
            }
        }
        return z.length - 1;
    }

    /** Number of distinct tokens. */
    public int vocabSize() {
        return vocabSize;
    }

    /** The recurrent layers. */
    public LSTM lstm() {
        return lstm;
    }
}
