package dev.nabla.train;

import java.io.IOException;

/**
 * Writes the run's checkpoints after every epoch ({@link Checkpoints}): {@code best.safetensors}
 * when the epoch is the best so far, <em>then</em> {@code last.safetensors}, so that a crash between
 * the two leaves a state {@link Checkpoints#reconcileBest} repairs on resume.
 * Not thread-safe: the trainer's thread only.
 */
public final class CheckpointCallback implements Callback {

    /**
     * Told after each checkpoint file is written (tests simulate a crash between writes with it).
     * Called on the training thread.
     */
    @FunctionalInterface
    public interface SaveHook {
        /** {@code file} ({@link Checkpoints#LAST} or {@link Checkpoints#BEST}) was written after {@code epoch}. */
        void saved(String file, int epoch) throws IOException;
    }

    private SaveHook hook = (file, epoch) -> { };

    /** A checkpoint writer for the run directory of the trainer it is given to. */
    public CheckpointCallback() {
    }

    /** Sets the hook told after each write; returns this. */
    public CheckpointCallback afterSave(SaveHook h) {
        this.hook = java.util.Objects.requireNonNull(h, "hook");
        return this;
    }

    @Override
    public void onEpochEnd(TrainContext ctx) throws IOException {
        Checkpoints.Contents c = ctx.checkpoint();
        // best before last: a crash in between leaves a best one epoch ahead, which resume recognizes
        if (ctx.improved()) {
            Checkpoints.save(ctx.runDir().resolve(Checkpoints.BEST), c);
            hook.saved(Checkpoints.BEST, ctx.epoch());
        }
        Checkpoints.save(ctx.runDir().resolve(Checkpoints.LAST), c);
        hook.saved(Checkpoints.LAST, ctx.epoch());
    }
}
