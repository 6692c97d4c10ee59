package dev.nabla.train;

import java.io.IOException;

/**
 * Hooks into {@link Trainer}'s loop, as Keras' and Lightning's callbacks: every method does nothing
 * by default, so an implementation overrides only what it needs. The loop calls, in this order,
 *
 * <pre>{@code
 * onTrainStart
 *   for each epoch: onEpochStart
 *     for each batch: onBatchStart, (forward, loss, backward) onAfterBackward, (optimizer step) onBatchEnd
 *   (validation) onEpochEnd
 * onTrainEnd            -- or onException when the run fails
 * }</pre>
 *
 * Every method receives the run's one {@link TrainContext} (epoch, step, batch loss, metrics so far,
 * model, optimizer, and {@link TrainContext#stop}). Callbacks run in the order they were added, the
 * trainer's built-ins first (schedule, progress, metrics log, checkpoints, plots, TensorBoard, early
 * stopping), so a user's {@code onEpochEnd} sees the files of that epoch already written.
 *
 * <p>Called on the training thread only; an implementation needs no synchronization unless it shares
 * state with other threads itself.
 */
public interface Callback {

    /** Before the first epoch of this invocation (after a resume has restored the state). */
    default void onTrainStart(TrainContext ctx) throws IOException {
    }

    /** At the start of epoch {@link TrainContext#epoch()}, the model in training mode. */
    default void onEpochStart(TrainContext ctx) throws IOException {
    }

    /** Before the forward pass of batch {@link TrainContext#batchIndex()} ({@link TrainContext#batch()} is set). */
    default void onBatchStart(TrainContext ctx) throws IOException {
    }

    /**
     * After {@code backward()}, before the optimizer step: the gradients are in the parameters, so a
     * callback can clip or inspect them ({@link GradClipping} is one).
     */
    default void onAfterBackward(TrainContext ctx) throws IOException {
    }

    /** After the optimizer step of the batch ({@link TrainContext#step()} counts it). */
    default void onBatchEnd(TrainContext ctx) throws IOException {
    }

    /** After validation of the epoch: {@link TrainContext#epochResult()} holds its figures. */
    default void onEpochEnd(TrainContext ctx) throws IOException {
    }

    /**
     * After the last epoch (or a {@link TrainContext#stop} request, or a tolerated divergence), once
     * the test set, if any, has been scored ({@link TrainContext#testScore()}).
     */
    default void onTrainEnd(TrainContext ctx) throws IOException {
    }

    /** The run failed with {@code error} (rethrown after every callback has been told): release files, erase bars. */
    default void onException(TrainContext ctx, Throwable error) {
    }

    /**
     * One callback method as a lambda, for {@link #atEpochEnd} and {@link #atBatchEnd}.
     * Called on the training thread.
     */
    @FunctionalInterface
    interface Hook {
        /** Runs with the run's context. */
        void accept(TrainContext ctx) throws IOException;
    }

    /** A callback that runs {@code hook} in {@link #onEpochEnd} only. */
    static Callback atEpochEnd(Hook hook) {
        java.util.Objects.requireNonNull(hook, "hook");
        return new Callback() {
            @Override
            public void onEpochEnd(TrainContext ctx) throws IOException {
                hook.accept(ctx);
            }
        };
    }

    /** A callback that runs {@code hook} in {@link #onBatchEnd} only. */
    static Callback atBatchEnd(Hook hook) {
        java.util.Objects.requireNonNull(hook, "hook");
        return new Callback() {
            @Override
            public void onBatchEnd(TrainContext ctx) throws IOException {
                hook.accept(ctx);
            }
        };
    }
}
