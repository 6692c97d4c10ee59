package dev.nabla.distributed;

import dev.nabla.train.parallel.ModelSnapshot;
import java.io.Serializable;

/**
 * What the driver broadcasts to the executors for one optimizer step: the master's values and
 * where the step is (epoch, step within it, global step).
 * Immutable and thread-safe.
 */
final class StepInput implements Serializable {
    private static final long serialVersionUID = 1L;

    final ModelSnapshot snapshot;
    final int epoch;
    final int stepInEpoch;
    final long globalStep;

    StepInput(ModelSnapshot snapshot, int epoch, int stepInEpoch, long globalStep) {
        this.snapshot = snapshot;
        this.epoch = epoch;
        this.stepInEpoch = stepInEpoch;
        this.globalStep = globalStep;
    }
}
