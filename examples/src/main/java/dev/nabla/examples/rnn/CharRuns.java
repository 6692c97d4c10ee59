package dev.nabla.examples.rnn;

import dev.nabla.data.Vocabulary;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.examples.train.RunFiles;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Module;
import dev.nabla.optim.Optimizer;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.Plots;
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
 * What the character language models ({@code char-lstm}, {@code char-transformer}) share around their
 * own training loops: the vocabulary checks of a resumed run or a loaded checkpoint, the data cursor and
 * best-epoch bookkeeping of a resume, the end of an epoch (report, sample, best and last checkpoints, loss
 * plot) and the end of a run (report, summary). Each model keeps only what is its own (its settings, its
 * step, the LSTM's carried state). Stateless and thread-safe.
 */
final class CharRuns {
    private CharRuns() {}

    /** A character model's sampler: {@code length} ids after {@code prime}, drawn at {@code temperature} from {@code rng}. */
    interface Sampler {
        int[] sample(int[] prime, int length, double temperature, Random rng);
    }

    /** The best validation loss so far and its epoch (0: none yet). */
    record Best(double loss, int epoch) {
        static final Best NONE = new Best(Double.POSITIVE_INFINITY, 0);
    }

    /** Refuses to resume {@code file} (metadata {@code metadata}) on a text whose vocabulary is not {@code vocab}. */
    static void checkResumeVocabulary(Map<String, String> metadata, Vocabulary vocab, Path file) {
        String saved = metadata.get("vocabulary");
        if (!vocab.symbols().equals(saved)) {
            throw new IllegalArgumentException("--resume: " + file + " was trained on a text with another vocabulary ("
                    + (saved == null ? "none recorded" : saved.codePointCount(0, saved.length()) + " characters")
                    + " vs " + vocab.size() + "); resume with the same --data-dir");
        }
    }

    /** The vocabulary a checkpoint's metadata records, checked to be what training writes (sorted distinct characters). */
    static Vocabulary checkpointVocabulary(Map<String, String> metadata, Path checkpoint, String op) {
        String symbols = metadata.get("vocabulary");
        if (symbols == null || symbols.isEmpty()) {
            throw new IllegalArgumentException(op + ": " + checkpoint + " lacks its \"vocabulary\" metadata");
        }
        Vocabulary vocab = Vocabulary.of(symbols);
        if (!vocab.symbols().equals(symbols)) {
            // ids are positions in the sorted distinct characters: any other string maps ids to the wrong characters
            throw new IllegalArgumentException(op + ": " + checkpoint + ": the \"vocabulary\" metadata is not sorted distinct"
                    + " characters (as training writes it); the file is damaged");
        }
        return vocab;
    }

    /**
     * Restores the stream cursor of {@code batches} from a resumed run of {@code model} and returns its best
     * validation loss and epoch (from {@code best.safetensors} when a crash left it one epoch ahead of last).
     */
    static Best restore(RunContext ctx, Checkpoints.Contents resumed, StreamBatches batches, Path file, String model)
            throws IOException {
        NDArray cursor = resumed.trainer.get("cursor");
        if (cursor == null || cursor.size() != 2 || !isCount(cursor.getFlat(0)) || !isCount(cursor.getFlat(1))) {
            throw new IllegalArgumentException("--resume: " + file + " lacks the data cursor of " + model + " (two counts"
                    + " >= 0); it was not written by this version of `nabla train " + model + "`, or is damaged");
        }
        batches.restore((int) cursor.getFlat(0), (int) cursor.getFlat(1));
        Best best = new Best(Checkpoints.trainerNumber(resumed, "best_val", file, "--resume"),
                Checkpoints.trainerEpoch(resumed, "best_epoch", file, "--resume"));
        Checkpoints.Contents ahead = Checkpoints.reconcileBest(ctx.dir(), file, resumed, best.epoch());
        if (ahead != null) {
            // a crash after writing best, before last: best is the epoch about to be redone
            Path bestFile = ctx.dir().resolve(Checkpoints.BEST);
            best = new Best(Checkpoints.trainerNumber(ahead, "best_val", bestFile, "--resume"),
                    Checkpoints.trainerEpoch(ahead, "best_epoch", bestFile, "--resume"));
        }
        return best;
    }

    /** What one epoch's end needs: the run, the model with its optimizer and sampler, and the epoch's figures. */
    record EpochEnd(RunContext ctx, String model, Vocabulary vocab, Module module, Optimizer opt, Sampler sampler,
                    int sampleLength, double temperature, History history, Map<String, String> settings) {}

    /**
     * Ends an epoch whose history row is {@code row} (train loss, val loss, val bits, lr, seconds): prints it
     * and a sample, writes {@code best.safetensors} (and the exported model) when it improved on {@code best},
     * then {@code last.safetensors} with {@code loopState} (cursor and model-specific state), and the loss
     * plot. Returns the best after this epoch.
     */
    static Best endEpoch(EpochEnd e, int epoch, double[] row, Best best, StreamBatches batches,
                         Map<String, NDArray> loopState) throws IOException {
        RunConfig cfg = e.ctx().config;
        double val = row[1];
        boolean improved = val < best.loss();
        Best now = improved ? new Best(val, epoch) : best;
        e.ctx().out.printf(Locale.ROOT, "epoch %d/%d  train loss %.4f  val loss %.4f nats/char (%.3f bits/char)  %.1fs%s%n",
                epoch, cfg.epochs, row[0], val, row[2], row[4], improved ? "  *" : "");
        String prime = CharLstmExample.defaultPrime(e.vocab());
        Random sampleRng = Seeds.random(cfg.seed, CharLstmExample.SAMPLE_STREAM, epoch);
        String sample = e.vocab().decode(e.sampler().sample(e.vocab().encode(prime), e.sampleLength(), e.temperature(),
                sampleRng));
        e.ctx().out.printf(Locale.ROOT, "  sample (temperature %s):%n%s%n", e.temperature(), indent(prime + sample));
        Map<String, NDArray> trainer = new LinkedHashMap<>(e.history().state());
        trainer.put("cursor", NDArray.of(new double[] {batches.pass(), batches.position()}, 2));
        trainer.putAll(loopState);
        trainer.put("best_val", NDArray.of(new double[] {now.loss()}, 1));
        trainer.put("best_epoch", NDArray.of(new double[] {now.epoch()}, 1));
        Map<String, String> meta = new LinkedHashMap<>(e.settings());
        meta.put("vocabulary", e.vocab().symbols());
        Path dir = e.ctx().dir();
        // best before last: a crash in between leaves a best one epoch ahead, which resume recognizes
        if (improved) {
            RnnRuns.save(dir.resolve(Checkpoints.BEST), e.module(), e.opt(), trainer, cfg, epoch, meta);
            // the best model alone, with what `generate` needs to rebuild it (sizes, vocabulary)
            RunFiles.exportModel(cfg, e.module(), epoch, Map.of(), meta);
        }
        RnnRuns.save(dir.resolve(Checkpoints.LAST), e.module(), e.opt(), trainer, cfg, epoch, meta);
        double[] x = e.history().epochAxis();
        Plots.lines(dir.resolve("loss.png"), e.model() + ": cross-entropy (nats/char)", "epoch", "loss", List.of(
                new Plots.Series("train", x, e.history().column("train_loss")),
                new Plots.Series("validation", x, e.history().column("val_loss"))), false);
        return now;
    }

    /** Ends a run started at {@code startedNanos}: the stop notice, the best figures, and {@code summary.json}. */
    static void finish(RunContext ctx, String model, Best best, History history, long startedNanos) throws IOException {
        RnnRuns.reportStop(ctx);
        double total = (System.nanoTime() - startedNanos) / 1e9;
        ctx.out.printf(Locale.ROOT, "%s: best validation loss %.4f nats/char (%.3f bits/char) after epoch %d; "
                        + "%s wall time; sample more with `nabla generate %s`%n", model, best.loss(), best.loss() / Math.log(2),
                best.epoch(), ProgressBar.formatDuration(total), ctx.dir());
        // no test split: the figures are those of the best validation epoch (best.safetensors)
        Map<String, Object> summary = RunFiles.summary(ctx.config.model, history.epochs(), Double.NaN, Double.NaN,
                best.epoch() > 0 ? best.epoch() : null, total);
        summary.put("best_val_loss", best.loss());
        summary.put("best_val_bits_per_char", best.loss() / Math.log(2));
        RunFiles.writeSummary(ctx.dir(), summary);
    }

    /** Prints the validation loss of a loaded model over {@code chars} characters (what {@code nabla eval} shows). */
    static void reportEvaluation(RunContext ctx, double loss, int chars) {
        ctx.out.printf(Locale.ROOT, "validation loss %.4f nats/char (%.3f bits/char) over %,d characters%n", loss,
                loss / Math.log(2), chars);
    }

    private static boolean isCount(double v) {
        return v >= 0 && v <= Integer.MAX_VALUE && v == Math.rint(v);
    }

    private static String indent(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.strip().split("\n", -1)) {
            sb.append("  | ").append(line).append('\n');
        }
        return sb.substring(0, sb.length() - 1);
    }
}
