package dev.nabla.examples.rnn;

import dev.nabla.data.CharCorpus;
import dev.nabla.data.Vocabulary;
import dev.nabla.examples.Example;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.examples.train.RunFiles;
import dev.nabla.ndarray.NDArray;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.Optimizer;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.MetricsLog;
import dev.nabla.train.ProgressBar;
import dev.nabla.train.Seeds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code nabla train char-transformer}: a small decoder-only (causal) Transformer language model
 * ({@link CharTransformer}) on the shipped Tiny Shakespeare, the attention counterpart of
 * {@code nabla train char-lstm} with the same data split (first 90% trains, last 10% validates),
 * the same batches ({@link StreamBatches}: {@code batch} parallel streams walked in windows of
 * {@link Settings#context} characters, each window a training example of its own), the same run
 * directory, plots and checkpoints, and samples through {@code nabla generate}. Adam with a cosine
 * schedule by default, a linear warm-up over the first {@link Settings#warmupSteps} steps,
 * gradients clipped to a global norm. An epoch is {@link Settings#stepsPerEpoch} steps; after
 * each, the validation text is scored in nats per character (windows overlapping by half, each
 * character scored once with at least half a window of context after the first), a
 * sample is printed, and {@code last.safetensors} and (when the validation loss improved)
 * {@code best.safetensors} are written.
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and batches.
 */
public final class CharTransformerExample implements Example {
    static final List<String> COLUMNS = CharLstmExample.COLUMNS;

    /** The model and loop settings that the command line does not set (stored in checkpoints). */
    record Settings(int dModel, int numHeads, int numLayers, int dimFeedforward, int context, int shiftTaps, int stepsPerEpoch,
                    int warmupSteps, double clipNorm, double dropout, int sampleLength, double sampleTemperature,
                    int evalBatchSize) {

        /**
         * The defaults: width 64, 4 heads, 2 pre-norm layers with feed-forward 256, windows of 64
         * characters, a {@link CausalShift} of the 3 previous characters on the input, 460 steps per
         * epoch with 100 warm-up steps, clipping at 1, no dropout.
         */
        static Settings defaults() {
            return new Settings(64, 4, 2, 256, 64, 3, 460, 100, 1.0, 0.0, 300, 0.8, 32);
        }

        Map<String, String> toMetadata() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("d_model", Integer.toString(dModel));
            m.put("num_heads", Integer.toString(numHeads));
            m.put("num_layers", Integer.toString(numLayers));
            m.put("dim_feedforward", Integer.toString(dimFeedforward));
            m.put("context", Integer.toString(context));
            m.put("shift_taps", Integer.toString(shiftTaps));
            m.put("steps_per_epoch", Integer.toString(stepsPerEpoch));
            m.put("warmup_steps", Integer.toString(warmupSteps));
            m.put("clip_norm", Double.toString(clipNorm));
            m.put("dropout", Double.toString(dropout));
            m.put("sample_length", Integer.toString(sampleLength));
            m.put("sample_temperature", Double.toString(sampleTemperature));
            m.put("eval_batch_size", Integer.toString(evalBatchSize));
            return m;
        }

        /** The settings stored in a checkpoint's metadata, each checked to be in a sane range (they are untrusted). */
        static Settings fromMetadata(Map<String, String> m, Path file) {
            int max = CharLstmExample.MAX_WIDTH;
            Settings s = new Settings(RnnRuns.intMeta(m, "d_model", file, 1, max), RnnRuns.intMeta(m, "num_heads", file, 1, max),
                    RnnRuns.intMeta(m, "num_layers", file, 1, CharLstmExample.MAX_LAYERS),
                    RnnRuns.intMeta(m, "dim_feedforward", file, 1, max), RnnRuns.intMeta(m, "context", file, 1, max),
                    RnnRuns.intMeta(m, "shift_taps", file, 0, max),
                    RnnRuns.intMeta(m, "steps_per_epoch", file, 1, Integer.MAX_VALUE),
                    RnnRuns.intMeta(m, "warmup_steps", file, 0, Integer.MAX_VALUE), RnnRuns.positiveMeta(m, "clip_norm", file),
                    RnnRuns.doubleMeta(m, "dropout", file), RnnRuns.intMeta(m, "sample_length", file, 0, max),
                    RnnRuns.positiveMeta(m, "sample_temperature", file), RnnRuns.intMeta(m, "eval_batch_size", file, 1, max));
            if (!(s.dropout >= 0 && s.dropout < 1) || s.dModel % s.numHeads != 0) {
                throw new IllegalArgumentException(file + ": checkpoint metadata has dropout " + s.dropout + ", d_model "
                        + s.dModel + " and num_heads " + s.numHeads + " (dropout must be in [0, 1) and d_model divisible by"
                        + " num_heads); the file is damaged or was not written by this example");
            }
            return s;
        }

        /**
         * Checks that the model tensors of a checkpoint have the shapes these settings and a vocabulary
         * of {@code vocabSize} imply, before a model of those sizes is allocated.
         */
        void checkTensors(Map<String, NDArray> model, int vocabSize, Path file, String op) {
            String why = "vocabulary " + vocabSize + ", d_model " + dModel + ", num_layers " + numLayers
                    + ", dim_feedforward " + dimFeedforward + ", context " + context;
            RnnRuns.checkShape(model, "embedding.weight", new int[] {vocabSize, dModel}, why, file, op);
            RnnRuns.checkShape(model, "position.pe", new int[] {context, dModel}, why, file, op);
            for (int l = 0; l < numLayers; l++) {
                String p = "encoder.layers." + l + ".";
                RnnRuns.checkShape(model, p + "self_attn.in_proj_weight", new int[] {3 * dModel, dModel}, why, file, op);
                RnnRuns.checkShape(model, p + "linear1.weight", new int[] {dimFeedforward, dModel}, why, file, op);
            }
            if (model.containsKey("encoder.layers." + numLayers + ".linear1.weight")) {
                throw new IllegalArgumentException(op + ": " + file + " holds more than " + numLayers + " layers but its "
                        + "metadata says num_layers " + numLayers + "; the metadata and the tensors disagree, so the file is"
                        + " damaged");
            }
            if (shiftTaps > 0) {
                RnnRuns.checkShape(model, "shift.weight", new int[] {shiftTaps, dModel}, why + ", shift_taps " + shiftTaps,
                        file, op);
            }
            RnnRuns.checkShape(model, "head.weight", new int[] {vocabSize, dModel}, why, file, op);
        }

        CharTransformer build(int vocabSize, Random rng) {
            return new CharTransformer(vocabSize, dModel, numHeads, numLayers, dimFeedforward, context, dropout, false, shiftTaps, rng);
        }
    }

    @Override
    public String name() {
        return "char-transformer";
    }

    @Override
    public String description() {
        return "character-level causal Transformer (2 x 64) on Tiny Shakespeare; validation nats/char, samples; "
                + "`nabla generate`";
    }

    @Override
    public String dataSet() {
        return "Tiny Shakespeare (characters)";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(5, 16, 0.006, "adam", 0, "cosine");
    }

    /** Float32: about 2.5 times less work per step than float64 here (wider vectors in the products). */
    @Override
    public dev.nabla.ndarray.DType defaultDtype() {
        return dev.nabla.ndarray.DType.FLOAT32;
    }

    @Override
    public boolean canEvaluate() {
        return true;
    }

    @Override
    public void train(RunContext ctx) throws IOException {
        train(ctx, CharLstmExample.corpus(ctx.config), Settings.defaults());
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
        int[][] ids = CharLstmExample.split(corpus, cfg);
        int[] trainIds = ids[0];
        int[] valIds = ids[1];
        if (resumed != null) {
            Path file = ctx.resumeDir.resolve(Checkpoints.LAST);
            CharRuns.checkResumeVocabulary(resumed.metadata, vocab, file);
            settings.checkTensors(resumed.model, vocab.size(), file, "--resume");
        }
        CharTransformer model = settings.build(vocab.size(), Seeds.random(cfg.seed, Seeds.INIT, 0));
        model.to(cfg.dtype); // drawn in float64, then converted: the same seed gives the same weights in either dtype
        Optimizer opt = RnnRuns.optimizer(cfg, model.parameters());
        StreamBatches batches = new StreamBatches("char-transformer", trainIds, cfg.batchSize, settings.context(), cfg.seed);
        History history = new History(COLUMNS);
        CharRuns.Best best = CharRuns.Best.NONE;
        int start = 0;
        if (resumed != null) {
            Path file = ctx.resumeDir.resolve(Checkpoints.LAST);
            model.loadStateDict(resumed.model, true);
            opt.loadStateDict(resumed.optimizer);
            start = resumed.epoch();
            history.restore(resumed.trainer, start, file);
            best = CharRuns.restore(ctx, resumed, batches, file, "char-transformer");
        }
        int evalBatch = Math.max(1, Math.min(settings.evalBatchSize(), valIds.length / 2));
        Path dir = ctx.dir();
        int n = cfg.batchSize;
        ctx.out.printf(Locale.ROOT, "char-transformer: %,d training and %,d validation characters, vocabulary %d; model "
                        + "%,d parameters (%d layers of width %d, %d heads, feed-forward %d, context %d, %d steps per "
                        + "epoch)%n", trainIds.length, valIds.length, vocab.size(), model.numParameters(),
                settings.numLayers(), settings.dModel(), settings.numHeads(), settings.dimFeedforward(), settings.context(),
                settings.stepsPerEpoch());
        LrScheduler schedule = RnnRuns.schedule(cfg, opt, start);
        RunFiles.writeConfig(cfg);
        try (MetricsLog log = MetricsLog.open(dir, COLUMNS, resumed != null ? start : -1);
             MetricsLog steps = RnnRuns.openSteps(dir, resumed != null ? start : -1);
             RnnBoard board = RnnBoard.open(ctx)) {
            CharRuns.EpochEnd end = new CharRuns.EpochEnd(ctx, "char-transformer", vocab, model, opt, model::sample,
                    settings.sampleLength(), settings.sampleTemperature(), history, settings.toMetadata());
            for (int epoch = start + 1; epoch <= ctx.lastEpoch(); epoch++) {
                long t0 = System.nanoTime();
                model.train();
                double epochLr = opt.lr();
                ProgressBar bar = new ProgressBar(ctx.err, ctx.progress, String.format(Locale.ROOT, "epoch %d/%d", epoch,
                        cfg.epochs), (long) settings.stepsPerEpoch() * settings.context() * n);
                double lossSum = 0;
                long chars = 0;
                for (int s = 0; s < settings.stepsPerEpoch(); s++) {
                    long step = (long) (epoch - 1) * settings.stepsPerEpoch() + s; // 0-based, global
                    opt.setLr(step < settings.warmupSteps() ? epochLr * (step + 1) / settings.warmupSteps() : epochLr);
                    StreamBatches.Block b = batches.next();
                    double loss = model.trainStep(CharTransformer.batchMajor(b.inputs(), n),
                            CharTransformer.batchMajor(b.targets(), n), n, settings.clipNorm(), opt);
                    if (!Double.isFinite(loss)) {
                        bar.finish();
                        throw new IllegalStateException("char-transformer: training diverged (loss " + loss + ") in epoch "
                                + epoch + "; lower the learning rate (--lr " + cfg.lr + ")");
                    }
                    int k = b.steps() * n;
                    lossSum += loss * k;
                    chars += k;
                    steps.append(epoch, (double) step + 1, loss, opt.lr());
                    bar.step(k, loss);
                }
                opt.setLr(epochLr);
                bar.finish();
                double val = model.evaluate(valIds, evalBatch);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double[] row = {lossSum / chars, val, val / Math.log(2), opt.lr(), seconds};
                history.add(row);
                if (schedule != null) {
                    schedule.step();
                }
                log.append(epoch, row);
                board.epoch(epoch, COLUMNS, row, model);
                best = CharRuns.endEpoch(end, epoch, row, best, batches, Map.of());
            }
            board.finish(ctx, history, Map.of("hparam/best_val_loss", best.loss()));
        }
        CharRuns.finish(ctx, "char-transformer", best, history, started);
        return best.loss();
    }

    /** A trained model with its vocabulary and settings, loaded from a checkpoint. */
    record Loaded(CharTransformer model, Vocabulary vocabulary, Settings settings) implements GenerateCommand.TextModel {

        @Override
        public String generate(String prime, int length, double temperature, long seed) {
            int[] p = GenerateCommand.encodePrime(vocabulary, prime);
            return vocabulary.decode(model.sample(p, length, temperature, new Random(seed)));
        }
    }

    /** Loads a char-transformer training checkpoint (written by {@link #train}). */
    static Loaded load(Path checkpoint, String op) throws IOException {
        Checkpoints.Contents c = Checkpoints.load(checkpoint);
        RnnRuns.checkModel(c.metadata, "char-transformer", checkpoint, op);
        Settings s = Settings.fromMetadata(c.metadata, checkpoint);
        Vocabulary vocab = CharRuns.checkpointVocabulary(c.metadata, checkpoint, op);
        s.checkTensors(c.model, vocab.size(), checkpoint, op);
        CharTransformer model = s.build(vocab.size(), new Random(0));
        model.to(c.model.get("embedding.weight").dtype()); // the dtype it was trained in
        model.loadStateDict(c.model, true);
        model.eval();
        return new Loaded(model, vocab, s);
    }

    @Override
    public void evaluate(RunContext ctx, Path checkpoint) throws IOException {
        Loaded l = load(checkpoint, "eval");
        CharCorpus corpus = CharLstmExample.corpus(ctx.config);
        if (!corpus.vocabulary().symbols().equals(l.vocabulary().symbols())) {
            throw new IllegalArgumentException("eval: " + checkpoint + " was trained on a text with another vocabulary; "
                    + "pass the same --data-dir as in training");
        }
        int[] val = CharLstmExample.split(corpus, ctx.config)[1];
        int evalBatch = Math.max(1, Math.min(l.settings().evalBatchSize(), val.length / 2));
        double loss = l.model().evaluate(val, evalBatch);
        CharRuns.reportEvaluation(ctx, loss, val.length);
    }
}
