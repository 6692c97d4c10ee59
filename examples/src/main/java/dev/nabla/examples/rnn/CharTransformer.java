package dev.nabla.examples.rnn;

import dev.nabla.nn.Functional;
import dev.nabla.nn.CrossEntropyOptions;
import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Embedding;
import dev.nabla.nn.LayerNorm;
import dev.nabla.nn.LearnedPositionalEmbedding;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.SinusoidalPositionalEncoding;
import dev.nabla.nn.TransformerActivation;
import dev.nabla.nn.TransformerEncoder;
import dev.nabla.nn.TransformerEncoderLayer;
import dev.nabla.ndarray.Shapes;
import dev.nabla.optim.GradClip;
import dev.nabla.optim.Optimizer;
import java.util.Arrays;
import java.util.Random;

/**
 * A decoder-only (GPT-style) character language model: token {@link Embedding} plus positions
 * (fixed sinusoidal or learned) over a context of {@code context} tokens, a stack of pre-norm
 * {@link TransformerEncoderLayer}s with causal self-attention (ReLU feed-forward), a final
 * {@link LayerNorm} and a {@link Linear} head giving next-token logits. State-dict keys:
 * {@code embedding.weight}, {@code position.pe} (sinusoidal) or {@code position.weight} (learned),
 * {@code encoder.layers.K.*} (PyTorch's
 * transformer layer keys), {@code encoder.norm.*}, {@code head.*}. It works on plain {@code int[]}
 * token ids in {@code [0, vocabSize)}, batch-major; each window is attended within itself only
 * (no state is carried between windows).
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class CharTransformer extends Module {
    private final int vocabSize;
    private final int context;
    private final Embedding embedding;
    private final Module position;
    private final CausalShift shift;
    private final TransformerEncoder encoder;
    private final Linear head;

    /**
     * A model over {@code vocabSize} tokens: width {@code dModel}, {@code numHeads} heads,
     * {@code numLayers} layers with feed-forward width {@code dimFeedforward}, windows of at most
     * {@code context} tokens, dropout {@code dropout} (its masks drawn from {@code rng} too), and
     * trained positions ({@link LearnedPositionalEmbedding}, N(0, 1) as the token embedding) or the
     * fixed sinusoidal ones ({@link SinusoidalPositionalEncoding}).
     */
    public CharTransformer(int vocabSize, int dModel, int numHeads, int numLayers, int dimFeedforward, int context,
                           double dropout, boolean learnedPositions, int shiftTaps, Random rng) {
        if (vocabSize < 1 || context < 1) {
            throw new IllegalArgumentException("CharTransformer: vocabSize and context must be positive, got " + vocabSize
                    + " and " + context);
        }
        this.vocabSize = vocabSize;
        this.context = context;
        this.embedding = registerModule("embedding", new Embedding(vocabSize, dModel, rng));
        this.position = registerModule("position", learnedPositions
                ? new LearnedPositionalEmbedding(context, dModel, true, 1.0, rng)
                : new SinusoidalPositionalEncoding(dModel, context, true));
        this.shift = shiftTaps > 0 ? registerModule("shift", new CausalShift(shiftTaps, dModel, rng)) : null;
        this.encoder = registerModule("encoder", new TransformerEncoder(i -> new TransformerEncoderLayer(dModel, numHeads,
                dimFeedforward, dropout, TransformerActivation.RELU, 1e-5, true, true, rng), numLayers,
                new LayerNorm(dModel)));
        this.head = registerModule("head", new Linear(dModel, vocabSize, rng));
    }

    /**
     * Next-token logits {@code (n * T, vocabSize)} for {@code n} windows of {@code T} tokens laid out
     * batch-major ({@code tokens[i * T + t]} is position t of window i), {@code T <= context}.
     */
    public Variable logits(int[] tokens, int n) {
        if (n < 1 || tokens.length == 0 || tokens.length % n != 0) {
            throw new IllegalArgumentException("CharTransformer: expected n * T tokens with n = " + n + ", got "
                    + tokens.length + " tokens");
        }
        int t = tokens.length / n;
        if (t > context) {
            throw new IllegalArgumentException("CharTransformer: windows of " + t + " tokens exceed the context of "
                    + context + "; cut the input into windows of at most " + context);
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabSize) {
                throw new IndexOutOfBoundsException("CharTransformer: token " + tokens[i] + " at position " + i
                        + " is out of range for vocabSize " + vocabSize);
            }
        }
        Variable x = position.call(embedding.forward(tokens).reshape(n, t, -1));
        if (shift != null) {
            x = shift.call(x);
        }
        Variable h = encoder.forward(x, null, null, true);
        return head.call(h.reshape(n * t, -1));
    }

    /** Logits {@code (N, T, vocabSize)} for token ids {@code (N, T)} held as numbers (the Module form). */
    @Override
    public Variable forward(Variable ids) {
        if (ids.ndim() != 2) {
            throw new IllegalArgumentException("CharTransformer: expected token ids of shape (N, T), got "
                    + Shapes.str(ids.shape()));
        }
        double[] d = ids.data().toArray();
        int[] tokens = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            tokens[i] = (int) d[i];
            if (tokens[i] != d[i]) {
                throw new IllegalArgumentException("CharTransformer: token ids must be whole numbers, got " + d[i]);
            }
        }
        return logits(tokens, ids.shape(0)).reshape(ids.shape(0), ids.shape(1), vocabSize);
    }

    /** {@code tokens[t * n + i]} (time-major, as {@link StreamBatches} gives) as {@code out[i * T + t]}. */
    static int[] batchMajor(int[] tokens, int n) {
        int t = tokens.length / n;
        int[] out = new int[tokens.length];
        for (int s = 0; s < t; s++) {
            for (int i = 0; i < n; i++) {
                out[i * t + s] = tokens[s * n + i];
            }
        }
        return out;
    }

    /**
     * One training step on {@code n} windows (batch-major inputs and their next tokens): mean
     * next-token cross-entropy, backward, gradients clipped to global norm {@code clipNorm},
     * {@code opt} steps. Returns the loss.
     */
    public double trainStep(int[] inputs, int[] targets, int n, double clipNorm, Optimizer opt) {
        if (targets.length != inputs.length) {
            throw new IllegalArgumentException("CharTransformer.trainStep: " + inputs.length + " inputs but "
                    + targets.length + " targets; each input token needs the token that follows it");
        }
        Variable loss = Functional.crossEntropy(logits(inputs, n), targets);
        opt.zeroGrad();
        loss.backward();
        GradClip.clipGradNorm(opt.params(), clipNorm);
        opt.step();
        return loss.item();
    }

    /**
     * Mean next-token cross-entropy over {@code stream} in nats per token, without gradients: the
     * stream is cut as {@link StreamBatches} does into {@code batchSize} contiguous parallel streams,
     * each read in windows of {@code context} tokens that overlap by half (the strided evaluation of
     * a fixed-context model): the first window scores all its tokens, every later one only the
     * tokens after the previous window, so every token but the last of each parallel stream is
     * scored once, with at least {@code context / 2} tokens of context after the first window.
     */
    public double evaluate(int[] stream, int batchSize) {
        int span = stream.length / Math.max(1, batchSize);
        if (batchSize < 1 || span < 2) {
            throw new IllegalArgumentException("CharTransformer.evaluate: a stream of " + stream.length + " tokens is too "
                    + "short for " + batchSize + " parallel streams of at least 2 tokens");
        }
        int stride = Math.max(1, context / 2);
        boolean wasTraining = isTraining();
        eval();
        try (Autograd.Scope scope = Autograd.noGrad()) {
            double total = 0;
            long count = 0;
            int scoredUpTo = 0; // targets [0, scoredUpTo) of every parallel stream are scored
            for (int start = 0; scoredUpTo < span - 1; start += stride) {
                int end = Math.min(start + context, span - 1);
                int len = end - start;
                int[] x = new int[batchSize * len];
                int[] y = new int[batchSize * len];
                for (int i = 0; i < batchSize; i++) {
                    for (int t = 0; t < len; t++) {
                        int k = i * span + start + t;
                        x[i * len + t] = stream[k];
                        y[i * len + t] = start + t >= scoredUpTo ? stream[k + 1] : CrossEntropyOptions.DEFAULT_IGNORE_INDEX;
                    }
                }
                int scored = end - Math.max(start, scoredUpTo);
                total += Functional.crossEntropy(logits(x, batchSize), y).item() * scored;
                count += scored;
                scoredUpTo = end;
            }
            return total / count;
        } finally {
            train(wasTraining);
        }
    }

    /**
     * Feeds {@code prime} (at least one token) and samples {@code length} tokens, each from
     * {@code softmax(logits / temperature)} with {@code rng}, the model seeing the last
     * {@code context} tokens each time.
     */
    public int[] sample(int[] prime, int length, double temperature, Random rng) {
        if (prime.length == 0) {
            throw new IllegalArgumentException("CharTransformer.sample: give at least one token to start from");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("CharTransformer.sample: temperature must be positive and finite, got "
                    + temperature);
        }
        if (length < 0) {
            throw new IllegalArgumentException("CharTransformer.sample: length must be >= 0, got " + length);
        }
        int[] all = Arrays.copyOf(prime, prime.length + length);
        boolean wasTraining = isTraining();
        eval();
        try (Autograd.Scope scope = Autograd.noGrad()) {
            for (int i = 0; i < length; i++) {
                int end = prime.length + i;
                int start = Math.max(0, end - context);
                int[] window = Arrays.copyOfRange(all, start, end);
                NDArray logits = logits(window, 1).data();
                NDArray last = logits.slice(0, window.length - 1, window.length).reshape(vocabSize);
                all[end] = CharLstm.draw(last, temperature, rng);
            }
        } finally {
            train(wasTraining);
        }
        return Arrays.copyOfRange(all, prime.length, all.length);
    }

    /** Number of distinct tokens. */
    public int vocabSize() {
        return vocabSize;
    }

    /** The longest window the model attends over. */
    public int context() {
        return context;
    }
}
