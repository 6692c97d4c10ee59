package dev.nabla.examples.rnn;

import dev.nabla.autograd.Variable;
import dev.nabla.data.CharCorpus;
import dev.nabla.data.Vocabulary;
import dev.nabla.examples.Example;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.MetricsLog;
import dev.nabla.train.ProgressBar;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunFiles;
import dev.nabla.examples.train.RunContext;
import dev.nabla.train.Seeds;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.LSTMState;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code nabla train char-lstm}: a character-level LSTM language model on the shipped Tiny
 * Shakespeare (first 90% trains, last 10% validates). Training is truncated backpropagation through
 * time over {@code batch} parallel streams in blocks of {@link Settings#seqLen} characters, the
 * state carried from block to block and detached, gradients clipped to a global norm, Adam with a
 * cosine learning-rate schedule by default (0.008 annealed over 5 epochs). An epoch is a fixed
 * number of steps ({@link Settings#stepsPerEpoch}, 200 by default: 409,600
 * characters at batch 32 × 64); after each the whole validation text is scored in nats per
 * character, a sample of generated text is printed, and {@code last.safetensors} and (when the
 * validation loss improved) {@code best.safetensors} are written. {@code nabla generate} samples
 * from them. {@code --data-dir DIR} reads {@code DIR/tinyshakespeare.txt} (or any text file given
 * as the path) instead; {@code --train-limit}/{@code --test-limit} keep the first N training or
 * validation characters.
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and data loader,
 * so separate runs may proceed on separate threads.
 */
public final class CharLstmExample implements Example {
    /** The part of the text that trains; the rest validates. */
    static final double TRAIN_FRACTION = 0.9;
    /** Seed stream of the samples printed after each epoch. */
    static final long SAMPLE_STREAM = 5;
    static final List<String> COLUMNS = List.of("train_loss", "val_loss", "val_bits_per_char", "lr", "time_s");

    /** The model and loop settings that the command line does not set (stored in checkpoints). */
    record Settings(int embedSize, int hiddenSize, int numLayers, int seqLen, int stepsPerEpoch, double clipNorm,
                    int sampleLength, double sampleTemperature, int evalBatchSize, int evalSeqLen) {

        /** The defaults: embedding 32, one LSTM layer of 128, blocks of 64, 200 steps per epoch, clipping at 5. */
        static Settings defaults() {
            return new Settings(32, 128, 1, 64, 200, 5.0, 300, 0.8, 32, 128);
        }

        Map<String, String> toMetadata() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("embed_size", Integer.toString(embedSize));
            m.put("hidden_size", Integer.toString(hiddenSize));
            m.put("num_layers", Integer.toString(numLayers));
            m.put("seq_len", Integer.toString(seqLen));
            m.put("steps_per_epoch", Integer.toString(stepsPerEpoch));
            m.put("clip_norm", Double.toString(clipNorm));
            m.put("sample_length", Integer.toString(sampleLength));
            m.put("sample_temperature", Double.toString(sampleTemperature));
            m.put("eval_batch_size", Integer.toString(evalBatchSize));
            m.put("eval_seq_len", Integer.toString(evalSeqLen));
            return m;
        }

        /** The settings stored in a checkpoint's metadata, each checked to be in a sane range (they are untrusted). */
        static Settings fromMetadata(Map<String, String> m, Path file) {
            return new Settings(RnnRuns.intMeta(m, "embed_size", file, 1, MAX_WIDTH),
                    RnnRuns.intMeta(m, "hidden_size", file, 1, MAX_WIDTH),
                    RnnRuns.intMeta(m, "num_layers", file, 1, MAX_LAYERS), RnnRuns.intMeta(m, "seq_len", file, 1, MAX_WIDTH),
                    RnnRuns.intMeta(m, "steps_per_epoch", file, 1, Integer.MAX_VALUE),
                    RnnRuns.positiveMeta(m, "clip_norm", file), RnnRuns.intMeta(m, "sample_length", file, 0, MAX_WIDTH),
                    RnnRuns.positiveMeta(m, "sample_temperature", file),
                    RnnRuns.intMeta(m, "eval_batch_size", file, 1, MAX_WIDTH),
                    RnnRuns.intMeta(m, "eval_seq_len", file, 1, MAX_WIDTH));
        }

        /**
         * Checks that the model tensors of a checkpoint have the shapes these settings and a vocabulary
         * of {@code vocabSize} imply, before a model of those sizes is allocated.
         */
        void checkTensors(Map<String, NDArray> model, int vocabSize, Path file, String op) {
            String why = "vocabulary " + vocabSize + ", embed_size " + embedSize + ", hidden_size " + hiddenSize
                    + ", num_layers " + numLayers;
            int gates = 4 * hiddenSize;
            RnnRuns.checkShape(model, "embedding.weight", new int[] {vocabSize, embedSize}, why, file, op);
            for (int l = 0; l < numLayers; l++) {
                RnnRuns.checkShape(model, "lstm.weight_ih_l" + l, new int[] {gates, l == 0 ? embedSize : hiddenSize},
                        why, file, op);
                RnnRuns.checkShape(model, "lstm.weight_hh_l" + l, new int[] {gates, hiddenSize}, why, file, op);
            }
            if (model.containsKey("lstm.weight_ih_l" + numLayers)) {
                throw new IllegalArgumentException(op + ": " + file + " holds LSTM layer " + numLayers + " but its metadata"
                        + " says num_layers " + numLayers + "; the metadata and the tensors disagree, so the file is damaged");
            }
            RnnRuns.checkShape(model, "head.weight", new int[] {vocabSize, hiddenSize}, why, file, op);
        }
    }

    /** The largest width (embedding, hidden size, sequence length) accepted from checkpoint metadata. */
    static final int MAX_WIDTH = 1 << 20;
    /** The deepest LSTM accepted from checkpoint metadata. */
    static final int MAX_LAYERS = 1024;

    @Override
    public String name() {
        return "char-lstm";
    }

    @Override
    public String description() {
        return "character-level LSTM (128 units) on Tiny Shakespeare; validation nats/char, samples; `nabla generate`";
    }

    @Override
    public String dataSet() {
        return "Tiny Shakespeare (characters)";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(5, 32, 0.008, "adam", 0, "cosine");
    }

    @Override
    public boolean canEvaluate() {
        return true;
    }

    /** The corpus of a run: the shipped Tiny Shakespeare, or the file under {@code --data-dir}. */
    static CharCorpus corpus(RunConfig cfg) {
        if (cfg.dataDir == null) {
            return CharCorpus.tinyShakespeare();
        }
        Path file = Files.isDirectory(cfg.dataDir) ? cfg.dataDir.resolve("tinyshakespeare.txt") : cfg.dataDir;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("char-lstm: --data-dir " + cfg.dataDir + " holds no tinyshakespeare.txt; "
                    + "put the text there (UTF-8, plain or gzip) or pass the text file itself");
        }
        return CharCorpus.load(file);
    }

    /** The training and validation id streams of {@code corpus}, cut to the run's limits. */
    static int[][] split(CharCorpus corpus, RunConfig cfg) {
        int[] train = corpus.trainIds(TRAIN_FRACTION);
        int[] val = corpus.validationIds(TRAIN_FRACTION);
        if (cfg.trainLimit > 0 && cfg.trainLimit < train.length) {
            train = Arrays.copyOf(train, cfg.trainLimit);
        }
        if (cfg.testLimit > 0 && cfg.testLimit < val.length) {
            val = Arrays.copyOf(val, cfg.testLimit);
        }
        if (val.length < 2) {
            throw new IllegalArgumentException("char-lstm: the validation text has " + val.length
                    + " characters; it needs at least 2 (raise --test-limit or use a longer text)");
        }
        return new int[][] {train, val};
    }

    @Override
    public void train(RunContext ctx) throws IOException {
        train(ctx, corpus(ctx.config), Settings.defaults());
    }

    /**
     * Trains on {@code corpus} with {@code settings} (those in the checkpoint when resuming); returns
     * the best validation loss in nats per character.
     */
    double train(RunContext ctx, CharCorpus corpus, Settings settings) throws IOException {
        long started = System.nanoTime();
        RunConfig cfg = ctx.config;
        Checkpoints.Contents resumed = null;
        if (ctx.resumeDir != null) {
            resumed = RnnRuns.resume(ctx);
            settings = Settings.fromMetadata(resumed.metadata, ctx.resumeDir.resolve(Checkpoints.LAST));
        }
        Vocabulary vocab = corpus.vocabulary();
        int[][] ids = split(corpus, cfg);
        int[] trainIds = ids[0];
        int[] valIds = ids[1];
        if (resumed != null) {
            Path file = ctx.resumeDir.resolve(Checkpoints.LAST);
            CharRuns.checkResumeVocabulary(resumed.metadata, vocab, file);
            // the sizes come from the file: check them against its tensors before allocating a model of them
            // (a version-1 file is converted first, with the module tree of a model of the same depth and width 1)
            resumed = Checkpoints.upgrade(resumed, structure(settings), ctx.err::println);
            settings.checkTensors(resumed.model, vocab.size(), file, "--resume");
        }
        CharLstm model = new CharLstm(vocab.size(), settings.embedSize(), settings.hiddenSize(), settings.numLayers(),
                Seeds.random(cfg.seed, Seeds.INIT, 0));
        Optimizer opt = RnnRuns.optimizer(cfg, model.parameters());
        StreamBatches batches = new StreamBatches("char-lstm", trainIds, cfg.batchSize, settings.seqLen(), cfg.seed);
        History history = new History(COLUMNS);
        LSTMState state = null;
        CharRuns.Best best = CharRuns.Best.NONE;
        int start = 0;
        if (resumed != null) {
            Path file = ctx.resumeDir.resolve(Checkpoints.LAST);
            model.loadStateDict(resumed.model, true);
            opt.loadStateDict(resumed.optimizer);
            start = resumed.epoch();
            history.restore(resumed.trainer, start, file);
            best = CharRuns.restore(ctx, resumed, batches, file, "char-lstm");
            state = savedState(resumed.trainer, settings, file);
        }
        int evalBatch = Math.max(1, Math.min(settings.evalBatchSize(), valIds.length / 2));
        Path dir = ctx.dir();
        int n = cfg.batchSize;
        ctx.out.printf(Locale.ROOT, "char-lstm: %,d training and %,d validation characters, vocabulary %d; model %,d "
                        + "parameters (embedding %d, LSTM %d x %d, blocks of %d, %d steps per epoch)%n", trainIds.length,
                valIds.length, vocab.size(), model.numParameters(), settings.embedSize(), settings.numLayers(),
                settings.hiddenSize(), settings.seqLen(), settings.stepsPerEpoch());
        LrScheduler schedule = RnnRuns.schedule(cfg, opt, start);
        RunFiles.writeConfig(cfg);
        try (MetricsLog log = MetricsLog.open(dir, COLUMNS, resumed != null ? start : -1);
             MetricsLog steps = RnnRuns.openSteps(dir, resumed != null ? start : -1);
             RnnBoard board = RnnBoard.open(ctx)) {
            CharRuns.EpochEnd end = new CharRuns.EpochEnd(ctx, "char-lstm", vocab, model, opt, model::sample,
                    settings.sampleLength(), settings.sampleTemperature(), history, settings.toMetadata());
            for (int epoch = start + 1; epoch <= ctx.lastEpoch(); epoch++) {
                long t0 = System.nanoTime();
                model.train();
                ProgressBar bar = new ProgressBar(ctx.err, ctx.progress, String.format(Locale.ROOT, "epoch %d/%d", epoch,
                        cfg.epochs), (long) settings.stepsPerEpoch() * settings.seqLen() * n);
                double lossSum = 0;
                long chars = 0;
                for (int s = 0; s < settings.stepsPerEpoch(); s++) {
                    StreamBatches.Block b = batches.next();
                    if (b.fresh()) {
                        state = null;
                    }
                    CharLstm.TrainResult r = model.trainStep(b.inputs(), b.targets(), n, state, settings.clipNorm(), opt);
                    if (!Double.isFinite(r.loss())) {
                        bar.finish();
                        throw new IllegalStateException("char-lstm: training diverged (loss " + r.loss() + ") in epoch "
                                + epoch + "; lower the learning rate (--lr " + cfg.lr + ")");
                    }
                    state = r.state();
                    int k = b.steps() * n;
                    lossSum += r.loss() * k;
                    chars += k;
                    steps.append(epoch, (double) (epoch - 1) * settings.stepsPerEpoch() + s + 1, r.loss(), opt.lr());
                    bar.step(k, r.loss());
                }
                bar.finish();
                double val = model.evaluate(valIds, evalBatch, settings.evalSeqLen());
                double seconds = (System.nanoTime() - t0) / 1e9;
                double[] row = {lossSum / chars, val, val / Math.log(2), opt.lr(), seconds};
                history.add(row);
                if (schedule != null) {
                    schedule.step();
                }
                log.append(epoch, row);
                board.epoch(epoch, COLUMNS, row, model);
                Map<String, NDArray> loopState = new LinkedHashMap<>();
                if (state != null) {
                    loopState.put("state.h", state.h().data());
                    loopState.put("state.c", state.c().data());
                }
                best = CharRuns.endEpoch(end, epoch, row, best, batches, loopState);
            }
            board.finish(ctx, history, Map.of("hparam/best_val_loss", best.loss()));
        }
        CharRuns.finish(ctx, "char-lstm", best, history, started);
        return best.loss();
    }

    /**
     * The LSTM state carried across the checkpoint ({@code state.h} and {@code state.c}, both or
     * neither), checked to be {@code (numLayers, N, hiddenSize)} arrays of one shape; null when absent.
     */
    private static LSTMState savedState(Map<String, NDArray> trainer, Settings s, Path file) {
        NDArray h = trainer.get("state.h");
        NDArray c = trainer.get("state.c");
        if (h == null && c == null) {
            return null;
        }
        if (h == null || c == null) {
            throw new IllegalArgumentException("--resume: " + file + " holds \"trainer.state." + (h == null ? "c" : "h")
                    + "\" without \"trainer.state." + (h == null ? "h" : "c") + "\"; the LSTM state needs both; the file is"
                    + " damaged");
        }
        int[] shape = h.shape();
        if (!Arrays.equals(shape, c.shape()) || shape.length != 3 || shape[0] != s.numLayers()
                || shape[2] != s.hiddenSize()) {
            throw new IllegalArgumentException("--resume: " + file + ": the saved LSTM state has shapes "
                    + Arrays.toString(shape) + " (h) and " + Arrays.toString(c.shape()) + " (c) but the metadata implies ("
                    + s.numLayers() + ", N, " + s.hiddenSize() + ") for both; the file is damaged");
        }
        return new LSTMState(new Variable(h), new Variable(c));
    }

    /** A newline when the vocabulary has one (samples then start like a new speech), else its first symbol. */
    static String defaultPrime(Vocabulary vocab) {
        return vocab.contains('\n') ? "\n" : new String(Character.toChars(vocab.codePoint(0)));
    }

    /** A trained model with its vocabulary and settings, loaded from a checkpoint. */
    record Loaded(CharLstm model, Vocabulary vocabulary, Settings settings, Map<String, String> metadata)
            implements GenerateCommand.TextModel {

        /**
         * {@code length} characters sampled after {@code prime} at {@code temperature}, drawn from a
         * generator seeded with {@code seed}: the same arguments give the same text.
         */
        @Override
        public String generate(String prime, int length, double temperature, long seed) {
            int[] p = GenerateCommand.encodePrime(vocabulary, prime);
            return vocabulary.decode(model.sample(p, length, temperature, new Random(seed)));
        }
    }

    /** A model with the module tree (names and types) of one built from {@code s}, every width 1: what {@link Checkpoints#upgrade} needs. */
    private static CharLstm structure(Settings s) {
        return new CharLstm(1, 1, 1, s.numLayers(), new Random(0));
    }

    /** Loads a char-lstm training checkpoint (written by {@link #train}); a conversion notice goes to stderr. */
    static Loaded load(Path checkpoint, String op) throws IOException {
        return load(checkpoint, op, System.err::println);
    }

    /**
     * Loads a char-lstm training checkpoint (written by {@link #train}), converting a
     * {@link Checkpoints#FORMAT_V1} file and telling {@code notice} so.
     */
    static Loaded load(Path checkpoint, String op, java.util.function.Consumer<String> notice) throws IOException {
        Checkpoints.Contents c = Checkpoints.load(checkpoint);
        RnnRuns.checkModel(c.metadata, "char-lstm", checkpoint, op);
        Settings s = Settings.fromMetadata(c.metadata, checkpoint);
        Vocabulary vocab = CharRuns.checkpointVocabulary(c.metadata, checkpoint, op);
        c = Checkpoints.upgrade(c, structure(s), notice);
        s.checkTensors(c.model, vocab.size(), checkpoint, op);
        CharLstm model = new CharLstm(vocab.size(), s.embedSize(), s.hiddenSize(), s.numLayers(), new Random(0));
        model.loadStateDict(c.model, true);
        model.eval();
        return new Loaded(model, vocab, s, c.metadata);
    }

    @Override
    public void evaluate(RunContext ctx, Path checkpoint) throws IOException {
        Loaded l = load(checkpoint, "eval", ctx.err::println);
        CharCorpus corpus = corpus(ctx.config);
        if (!corpus.vocabulary().symbols().equals(l.vocabulary().symbols())) {
            throw new IllegalArgumentException("eval: " + checkpoint + " was trained on a text with another vocabulary; "
                    + "pass the same --data-dir as in training");
        }
        int[] val = split(corpus, ctx.config)[1];
        int evalBatch = Math.max(1, Math.min(l.settings().evalBatchSize(), val.length / 2));
        double loss = l.model().evaluate(val, evalBatch, l.settings().evalSeqLen());
        CharRuns.reportEvaluation(ctx, loss, val.length);
    }
}
