package dev.nabla.train;

import dev.nabla.optim.LrScheduler;

/**
 * Steps a per-epoch learning-rate schedule after every epoch (before the checkpoints of the epoch
 * are written, so a checkpoint holds the rate of the next epoch), and on resume sets the schedule
 * to the epoch the run resumes after. Not thread-safe: the trainer's thread only.
 */
public final class LrScheduleCallback implements Callback {
    private final LrScheduler schedule;

    /** Steps {@code schedule}. */
    public LrScheduleCallback(LrScheduler schedule) {
        this.schedule = java.util.Objects.requireNonNull(schedule, "schedule");
    }

    @Override
    public void onTrainStart(TrainContext ctx) {
        if (ctx.startEpoch() > 0) {
            schedule.setEpoch(ctx.startEpoch());
        }
    }

    @Override
    public void onEpochEnd(TrainContext ctx) {
        schedule.step();
    }
}
