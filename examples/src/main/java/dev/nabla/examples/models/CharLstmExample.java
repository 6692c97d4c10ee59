package dev.nabla.examples.models;

import dev.nabla.autograd.F;
import dev.nabla.autograd.Variable;
import dev.nabla.data.CharCorpus;
import dev.nabla.data.Vocabulary;
import dev.nabla.examples.Example;
import dev.nabla.examples.rnn.CharLstm;
import dev.nabla.examples.train.AtomicFiles;
import dev.nabla.examples.train.Checkpoints;
import dev.nabla.examples.train.MetricsLog;
import dev.nabla.examples.train.Optimizers;
import dev.nabla.examples.train.Plots;
import dev.nabla.examples.train.ProgressBar;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.examples.train.Seeds;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.LSTMState;
import dev.nabla.optim.GradClip;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A character-level LSTM language model ({@link CharLstm}: embedding 32, one LSTM layer of 256,
 * linear head) on Tiny Shakespeare, trained the char-rnn way: the first 90% of the text is cut into
 * {@code batch} parallel streams walked in chunks of 64 characters, the state carried from chunk to
 * chunk and detached in between (truncated BPTT), gradients clipped to global norm 5. The last 10%
 * validates; losses are in nats per character. Samples of generated text are printed during
 * training; checkpoints carry the vocabulary so that {@code nabla generate} can sample from them.
 */
public final class CharLstmExample implements Example {
    /** Characters per truncated-BPTT chunk. */
    public static final int SEQ_LEN = 64;
    /** Embedding width. */
    public static final int EMBED = 32;
    /** LSTM hidden units. */
    public static final int HIDDEN = 256;
    /** Gradient clipping norm. */
    public static final double CLIP = 5.0;
    /** Temperature of the samples printed during training. */
    public static final double TEMPERATURE = 0.8;
    private static final long SAMPLE_STREAM = 6;
    /** The metric columns. */
    public static final List<String> COLUMNS = List.of("train_loss", "val_loss", "lr", "time_s");

    @Override
    public String name() {
        return "char-lstm";
    }

    @Override
    public String description() {
        return "character-level LSTM (256) on Tiny Shakespeare, truncated BPTT; val loss in nats/char, text samples";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(1, 32, 0.003, "adam");
    }

    @Override
    public boolean canEvaluate() {
        return true;
    }

    /** The corpus: the shipped Tiny Shakespeare, or {@code tinyshakespeare.txt} under {@code --data-dir}. */
    static CharCorpus corpus(RunConfig cfg) {
        return cfg.dataDir == null ? CharCorpus.tinyShakespeare() : CharCorpus.load(cfg.dataDir.resolve("tinyshakespeare.txt"));
    }

    /** What a run reached. */
    public static final class Outcome {
        /** Validation loss per epoch (nats per character). */
        public final double[] valLoss;
        /** The last sample printed. */
        public final String sample;

        Outcome(double[] valLoss, String sample) {
            this.valLoss = valLoss;
            this.sample = sample;
        }
    }

    @Override
    public void train(RunContext ctx) throws IOException {
        run(ctx);
    }

    /** Trains as {@link #train} does and returns the figures. */
    public Outcome run(RunContext ctx) throws IOException {
        RunConfig cfg = ctx.config;
        long t0 = System.nanoTime();
        CharCorpus corpus = corpus(cfg);
        Vocabulary vocab = corpus.vocabulary();
        int[] train = corpus.trainIds(0.9);
        int[] val = corpus.validationIds(0.9);
        if (cfg.trainLimit > 0 && cfg.trainLimit < train.length) {
            train = java.util.Arrays.copyOf(train, cfg.trainLimit);
        }
        if (cfg.testLimit > 0 && cfg.testLimit < val.length) {
            val = java.util.Arrays.copyOf(val, cfg.testLimit);
        }
        CharLstm model = new CharLstm(vocab.size(), EMBED, HIDDEN, 1, Seeds.random(cfg.seed, Seeds.INIT, 0));
        Optimizer opt = Optimizers.create(cfg.optimizer, model.parameters(), cfg.lr, cfg.weightDecay);
        LrScheduler sched = Optimizers.schedule(cfg.schedule, opt, cfg.epochs);
        ctx.out.printf(Locale.ROOT, "corpus: %,d training and %,d validation characters, %d symbols; model: %,d parameters; "
                + "%d streams x %d steps per chunk%n", train.length, val.length, vocab.size(), model.numParameters(),
                cfg.batchSize, SEQ_LEN);
        Path dir = ctx.dir();
        List<double[]> history = new ArrayList<>();
        int start = 0;
        double best = Double.POSITIVE_INFINITY;
        if (ctx.resumeDir != null) {
            Checkpoints.Contents c = Checkpoints.load(ctx.resumeDir.resolve(Checkpoints.LAST));
            model.loadStateDict(c.model, true);
            opt.loadStateDict(c.optimizer);
            start = c.epoch();
            if (sched != null) {
                sched.setEpoch(start);
            }
            for (int e = 0; e < start; e++) {
                double[] row = new double[COLUMNS.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = c.trainer.get("history." + COLUMNS.get(i)).getFlat(e);
                }
                history.add(row);
                best = Math.min(best, row[1]);
            }
            ctx.out.printf(Locale.ROOT, "resumed from %s at epoch %d%n", ctx.resumeDir.resolve(Checkpoints.LAST), start);
        }
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve("config.json"), cfg.toJson());
        String sample = "";
        try (MetricsLog log = MetricsLog.open(dir, COLUMNS, ctx.resumeDir != null ? start : -1)) {
            for (int epoch = start + 1; epoch <= ctx.lastEpoch(); epoch++) {
                long e0 = System.nanoTime();
                double lr = opt.lr();
                Random sampler = Seeds.random(cfg.seed, SAMPLE_STREAM, epoch);
                double trainLoss = trainEpoch(ctx, model, opt, train, vocab, epoch, sampler);
                double valLoss = model.evaluate(val, Math.min(cfg.batchSize, Math.max(1, val.length / (SEQ_LEN + 1))), SEQ_LEN);
                if (sched != null) {
                    sched.step();
                }
                double seconds = (System.nanoTime() - e0) / 1e9;
                boolean improved = valLoss < best;
                best = Math.min(best, valLoss);
                ctx.out.printf(Locale.ROOT, "epoch %d/%d  train loss %.4f  val loss %.4f nats/char (%.3f bits)  %s%s%n", epoch,
                        cfg.epochs, trainLoss, valLoss, valLoss / Math.log(2), ProgressBar.formatDuration(seconds),
                        improved ? "  *" : "");
                sample = sample(model, vocab, "\n", 300, TEMPERATURE, sampler);
                ctx.out.println("--- sample (temperature " + TEMPERATURE + ") ---" + sample + "\n---");
                double[] row = {trainLoss, valLoss, lr, seconds};
                history.add(row);
                log.append(epoch, row);
                Checkpoints.Contents c = contents(cfg, model, opt, vocab, history, epoch);
                Checkpoints.save(dir.resolve(Checkpoints.LAST), c);
                if (improved) {
                    Checkpoints.save(dir.resolve(Checkpoints.BEST), c);
                }
                plot(dir, history);
            }
        }
        double[] v = new double[history.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = history.get(i)[1];
        }
        if (v.length > 0) {
            ctx.out.printf(Locale.ROOT, "final validation loss %.4f nats/char after %d epoch(s), %s wall time%n", v[v.length - 1],
                    v.length, ProgressBar.formatDuration((System.nanoTime() - t0) / 1e9));
        }
        if (ctx.lastEpoch() < cfg.epochs) {
            ctx.out.printf(Locale.ROOT, "stopped after epoch %d of %d; continue with: nabla train --resume %s%n", ctx.lastEpoch(),
                    cfg.epochs, dir);
        }
        ctx.out.println("outputs in " + dir + ": metrics.jsonl, metrics.csv, loss.png, last.safetensors, best.safetensors"
                + " (sample more with: nabla generate " + dir + ")");
        return new Outcome(v, sample);
    }

    /** One pass over {@code stream} in the char-rnn scheme; prints a sample every quarter of the epoch. Returns nats/char. */
    private static double trainEpoch(RunContext ctx, CharLstm model, Optimizer opt, int[] stream, Vocabulary vocab, int epoch,
                                     Random sampler) {
        RunConfig cfg = ctx.config;
        int n = cfg.batchSize;
        int span = stream.length / n;
        if (span < 2) {
            throw new IllegalArgumentException("char-lstm: " + stream.length + " training characters are too few for " + n
                    + " parallel streams; lower --batch-size or raise --train-limit");
        }
        int chunks = (span - 1 + SEQ_LEN - 1) / SEQ_LEN;
        int sampleEvery = Math.max(1, chunks / 4);
        ProgressBar bar = new ProgressBar(ctx.err, ctx.progress, String.format(Locale.ROOT, "epoch %d/%d", epoch, cfg.epochs),
                (long) n * (span - 1));
        LSTMState state = null;
        double total = 0;
        long count = 0;
        int k = 0;
        for (int s = 0; s + 1 < span; s += SEQ_LEN) {
            int len = Math.min(SEQ_LEN, span - 1 - s);
            CharLstm.Step step = model.forward(chunk(stream, n, span, s, len, 0), n, state);
            Variable loss = F.softmaxCrossEntropy(step.logits(), chunk(stream, n, span, s, len, 1));
            double l = loss.item();
            if (!Double.isFinite(l)) {
                bar.finish();
                throw new IllegalStateException("char-lstm diverged: the loss is " + l + " in epoch " + epoch
                        + "; lower the learning rate (--lr " + cfg.lr + ")");
            }
            model.zeroGrad();
            loss.backward();
            GradClip.clipGradNorm(model.parameters(), CLIP);
            opt.step();
            state = step.state().detach();
            total += l * len;
            count += len;
            bar.step(n * len, l);
            if (++k % sampleEvery == 0 && k + sampleEvery / 2 < chunks) {
                bar.finish();
                ctx.out.printf(Locale.ROOT, "  [epoch %d, %d%%, running loss %.4f] %s%n", epoch, 100 * k / chunks,
                        bar.runningLoss(), oneLine(sample(model, vocab, "\n", 120, TEMPERATURE, sampler)));
            }
        }
        bar.finish();
        return total / count;
    }

    private static String oneLine(String s) {
        return s.replace("\n", " / ");
    }

    /** Time-major chunk {@code [start, start+len)} of each of {@code n} streams of length {@code span}, shifted by {@code offset}. */
    static int[] chunk(int[] stream, int n, int span, int start, int len, int offset) {
        int[] out = new int[len * n];
        for (int t = 0; t < len; t++) {
            for (int i = 0; i < n; i++) {
                out[t * n + i] = stream[i * span + start + t + offset];
            }
        }
        return out;
    }

    /** {@code length} characters sampled after {@code prime} at {@code temperature}. */
    public static String sample(CharLstm model, Vocabulary vocab, String prime, int length, double temperature, Random rng) {
        int[] p = vocab.encode(prime);
        return vocab.decode(model.sample(p, length, temperature, rng));
    }

    private static Checkpoints.Contents contents(RunConfig cfg, CharLstm model, Optimizer opt, Vocabulary vocab,
                                                 List<double[]> history, int epoch) {
        Map<String, NDArray> trainer = new LinkedHashMap<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            double[] h = new double[history.size()];
            for (int e = 0; e < h.length; e++) {
                h[e] = history.get(e)[i];
            }
            trainer.put("history." + COLUMNS.get(i), NDArray.of(h, h.length));
        }
        Map<String, String> meta = new LinkedHashMap<>(cfg.toMetadata());
        meta.put("epoch", Integer.toString(epoch));
        meta.put("vocab", vocab.symbols());
        meta.put("embed", Integer.toString(EMBED));
        meta.put("hidden", Integer.toString(HIDDEN));
        return new Checkpoints.Contents(model.stateDict(), opt.stateDict(), trainer, meta);
    }

    private static void plot(Path dir, List<double[]> history) throws IOException {
        double[] e = new double[history.size()];
        double[] tr = new double[e.length];
        double[] va = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = i + 1;
            tr[i] = history.get(i)[0];
            va[i] = history.get(i)[1];
        }
        Plots.lines(dir.resolve("loss.png"), "char-lstm: loss (nats per character)", "epoch", "nats per character",
                List.of(new Plots.Series("train", e, tr), new Plots.Series("validation", e, va)), false);
    }

    /** The model and vocabulary stored in a checkpoint. */
    public static final class Loaded {
        /** The model with the checkpoint's weights. */
        public final CharLstm model;
        /** The vocabulary it was trained with. */
        public final Vocabulary vocab;

        Loaded(CharLstm model, Vocabulary vocab) {
            this.model = model;
            this.vocab = vocab;
        }
    }

    /** Loads a char-lstm checkpoint. */
    public static Loaded load(Path checkpoint) throws IOException {
        Checkpoints.Contents c = Checkpoints.load(checkpoint);
        String symbols = c.metadata.get("vocab");
        if (symbols == null || !"char-lstm".equals(c.metadata.get("model"))) {
            throw new IllegalArgumentException(checkpoint + " is a checkpoint of " + c.metadata.get("model")
                    + ", not of char-lstm; `nabla generate` samples from char-lstm runs (nabla train char-lstm)");
        }
        Vocabulary vocab = Vocabulary.of(symbols);
        CharLstm model = new CharLstm(vocab.size(), Integer.parseInt(c.metadata.get("embed")),
                Integer.parseInt(c.metadata.get("hidden")), 1, new Random(0));
        model.loadStateDict(c.model, true);
        return new Loaded(model, vocab);
    }

    @Override
    public void evaluate(RunContext ctx, Path checkpoint) throws IOException {
        Loaded l = load(checkpoint);
        int[] val = corpus(ctx.config).validationIds(0.9);
        if (ctx.config.testLimit > 0 && ctx.config.testLimit < val.length) {
            val = java.util.Arrays.copyOf(val, ctx.config.testLimit);
        }
        double loss = l.model.evaluate(val, Math.min(ctx.config.batchSize, Math.max(1, val.length / (SEQ_LEN + 1))), SEQ_LEN);
        ctx.out.printf(Locale.ROOT, "validation loss %.4f nats/char (%.3f bits) on %,d characters%n", loss, loss / Math.log(2),
                val.length);
    }
}
