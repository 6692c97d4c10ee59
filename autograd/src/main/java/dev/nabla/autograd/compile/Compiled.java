package dev.nabla.autograd.compile;

import dev.nabla.autograd.Variable;
import java.util.List;
import java.util.function.Supplier;

/**
 * Entry point of compiled training steps, the way JAX's {@code jit} and PyTorch's CUDA graphs
 * work: {@link #step} records one whole step (forward, backward, update) once as the define-by-run
 * graph it is and replays it. It lives in autograd, beside the hooks it needs, and takes the
 * optimizer update as a {@link Runnable} (pass {@code optimizer::step}): the update is one
 * re-executed instruction over the gradient buffers, so the host scalars it reads (Adam's step
 * count, a learning-rate schedule) are never baked into the tape. Eager mode stays the default and
 * the reference: a replay gives bitwise the results of the eager step.
 * Thread-safe: the factory methods keep no state; each {@link CompiledStep} is single-threaded.
 */
public final class Compiled {
    private Compiled() {}

    /**
     * A compiled step over {@code params} (every parameter the update touches): each call clears
     * their gradients, computes {@code fn}'s loss of the call's inputs, backpropagates, and runs
     * {@code update} (typically {@code optimizer::step}).
     */
    public static CompiledStep step(List<? extends Variable> params, StepFunction fn, Runnable update) {
        return builder(params, fn, update).build();
    }

    /** A builder for a compiled step with more guards or another cache bound. */
    public static Builder builder(List<? extends Variable> params, StepFunction fn, Runnable update) {
        return new Builder(params, fn, update);
    }

    /**
     * Options of a compiled step. Not thread-safe (build on one thread).
     */
    public static final class Builder {
        private final List<? extends Variable> params;
        private final StepFunction fn;
        private final Runnable update;
        private Supplier<?> guard;
        private int maxTraces = 8;
        private boolean strict = true;

        private Builder(List<? extends Variable> params, StepFunction fn, Runnable update) {
            this.params = CompiledStep.nonNull(params, "params");
            this.fn = CompiledStep.nonNull(fn, "the step function");
            this.update = CompiledStep.nonNull(update, "the update");
        }

        /**
         * An extra guard read at every call (e.g. {@code model::isTraining}, or a record of every
         * host value the step function branches on): a value unequal to a trace's retraces.
         */
        public Builder guard(Supplier<?> guard) {
            this.guard = guard;
            return this;
        }

        /** At most {@code n} tapes are kept (least recently used dropped first); 8 by default. */
        public Builder maxTraces(int n) {
            CompiledStep.checkPositive(n);
            this.maxTraces = n;
            return this;
        }

        /**
         * A graph break (a host read of a computed value, a custom Function) makes the step run
         * eagerly for that guard key instead of throwing.
         */
        public Builder fallbackToEager() {
            this.strict = false;
            return this;
        }

        /** The compiled step. */
        public CompiledStep build() {
            return new CompiledStep(params, fn, update, guard, maxTraces, strict);
        }
    }
}
