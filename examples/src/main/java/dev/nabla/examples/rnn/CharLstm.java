package dev.nabla.examples.rnn;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.F;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.LSTM;
import dev.nabla.nn.LSTMOutput;
import dev.nabla.nn.LSTMState;
import dev.nabla.nn.Module;
import dev.nabla.nn.RNNOptions;
import java.util.List;
import java.util.Random;

/**
 * A character-level (or any token-level) language model: an embedding table looked up by index,
 * a stacked {@link LSTM}, and a linear head giving next-token logits. It works on plain
 * {@code int[]} token streams (ids in {@code [0, vocabSize)}); mapping text to ids is the
 * caller's. Training follows the classic char-rnn scheme: the stream is cut into
 * {@code batchSize} contiguous parallel streams walked in chunks of {@code seqLen} steps, the
 * LSTM state carried from chunk to chunk and detached in between (truncated BPTT).
 */
public final class CharLstm extends Module {
    private final int vocabSize;
    private final Parameter embedding;
    private final LSTM lstm;
    private final Parameter headWeight;
    private final Parameter headBias;

    /** A model over {@code vocabSize} tokens with the given embedding width, hidden size and depth. */
    public CharLstm(int vocabSize, int embedSize, int hiddenSize, int numLayers, Random rng) {
        if (vocabSize < 1 || embedSize < 1) {
            throw new IllegalArgumentException("CharLstm: vocabSize and embedSize must be positive, got " + vocabSize
                    + " and " + embedSize);
        }
        this.vocabSize = vocabSize;
        this.embedding = registerParameter("embedding", new Parameter(NDArray.randn(rng, vocabSize, embedSize)));
        this.lstm = registerModule("lstm", new LSTM(embedSize, hiddenSize,
                RNNOptions.defaults().numLayers(numLayers), rng));
        double k = 1 / Math.sqrt(hiddenSize);
        this.headWeight = registerParameter("headWeight",
                new Parameter(NDArray.uniform(rng, -k, k, hiddenSize, vocabSize)));
        this.headBias = registerParameter("headBias", new Parameter(NDArray.uniform(rng, -k, k, vocabSize)));
    }

    /** Logits of the next token at every position, and the LSTM state after the last one. */
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
        Variable x = embedding.take(tokens).reshape(t, n, -1);
        LSTMOutput out = lstm.forward(x, state);
        Variable logits = out.output().reshape(t * n, -1).matmul(headWeight).add(headBias);
        return new Step(logits, out.state());
    }

    /**
     * Logits {@code (T, N, vocabSize)} for token ids {@code (T, N)} stored as numbers in a
     * Variable, from zero states (the Module form of {@link #forward(int[], int, LSTMState)}).
     */
    @Override
    public Variable forward(Variable ids) {
        if (ids.ndim() != 2) {
            throw new IllegalArgumentException("CharLstm: expected token ids of shape (T, N), got "
                    + dev.nabla.ndarray.Shapes.str(ids.shape()));
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

    /** Time-major chunk {@code [start, start + len)} of each of the {@code n} parallel streams, each {@code span} long. */
    private static int[] chunk(int[] stream, int n, int span, int start, int len, int offset) {
        int[] out = new int[len * n];
        for (int t = 0; t < len; t++) {
            for (int i = 0; i < n; i++) {
                out[t * n + i] = stream[i * span + start + t + offset];
            }
        }
        return out;
    }

    /**
     * One pass over {@code stream}: {@code batchSize} parallel streams, chunks of {@code seqLen}
     * steps, state carried and detached between chunks, gradients clipped to global norm
     * {@code clipNorm} before {@code optimizerStep} runs (it should update {@link #parameters()}
     * from their gradients). Returns the mean training loss in nats per token.
     */
    public double trainEpoch(int[] stream, int batchSize, int seqLen, double clipNorm, Runnable optimizerStep) {
        int span = spanOf("trainEpoch", stream, batchSize, seqLen);
        List<Parameter> params = parameters();
        LSTMState state = null;
        double total = 0;
        int count = 0;
        for (int start = 0; start + 1 < span; start += seqLen) {
            int len = Math.min(seqLen, span - 1 - start);
            Step s = forward(chunk(stream, batchSize, span, start, len, 0), batchSize, state);
            Variable loss = F.softmaxCrossEntropy(s.logits(), chunk(stream, batchSize, span, start, len, 1));
            zeroGrad();
            loss.backward();
            LocalAdam.clipGradNorm(params, clipNorm);
            optimizerStep.run();
            state = s.state().detach();
            total += loss.item() * len;
            count += len;
        }
        return total / count;
    }

    /** Mean next-token cross-entropy over {@code stream} in nats per token, with the same chunking and no gradients. */
    public double evaluate(int[] stream, int batchSize, int seqLen) {
        int span = spanOf("evaluate", stream, batchSize, seqLen);
        try (Autograd.Scope scope = Autograd.noGrad()) {
            LSTMState state = null;
            double total = 0;
            int count = 0;
            for (int start = 0; start + 1 < span; start += seqLen) {
                int len = Math.min(seqLen, span - 1 - start);
                Step s = forward(chunk(stream, batchSize, span, start, len, 0), batchSize, state);
                total += F.softmaxCrossEntropy(s.logits(), chunk(stream, batchSize, span, start, len, 1)).item() * len;
                count += len;
                state = s.state();
            }
            return total / count;
        }
    }

    private static int spanOf(String op, int[] stream, int batchSize, int seqLen) {
        if (batchSize < 1 || seqLen < 1) {
            throw new IllegalArgumentException("CharLstm." + op + ": batchSize and seqLen must be positive, got "
                    + batchSize + " and " + seqLen);
        }
        int span = stream.length / batchSize;
        if (span < 2) {
            throw new IllegalArgumentException("CharLstm." + op + ": a stream of " + stream.length + " tokens is too short"
                    + " for " + batchSize + " parallel streams of at least 2 tokens; use a smaller batchSize");
        }
        return span;
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
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("CharLstm.sample: temperature must be positive, got " + temperature);
        }
        int[] out = new int[length];
        try (Autograd.Scope scope = Autograd.noGrad()) {
            Step s = forward(prime, 1, null);
            NDArray last = s.logits().data().getItem(dev.nabla.ndarray.Index.at(prime.length - 1));
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
