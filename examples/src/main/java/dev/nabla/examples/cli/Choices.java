package dev.nabla.examples.cli;

import dev.nabla.ndarray.DType;

/**
 * The closed sets of values of {@code --optimizer}, {@code --schedule} and {@code --dtype}: picocli
 * converts them (case-insensitively), so an unknown value is a usage error (exit 2) that lists the
 * valid ones, before anything runs. Each constant's name is the name {@link dev.nabla.examples.train.RunConfig}
 * and {@link dev.nabla.examples.train.Optimizers} use.
 * Immutable and thread-safe (enums).
 */
public final class Choices {
    private Choices() {}

    /** {@code --optimizer}. */
    public enum Optimizer {
        /** Plain stochastic gradient descent. */
        sgd,
        /** SGD with momentum 0.9. */
        momentum,
        /** AdaGrad. */
        adagrad,
        /** RMSprop. */
        rmsprop,
        /** Adam. */
        adam,
        /** Adam with decoupled weight decay. */
        adamw
    }

    /** {@code --schedule}: the learning rate per epoch. */
    public enum Schedule {
        /** Constant. */
        none,
        /** Cosine annealing to 0 over the run. */
        cosine,
        /** Times 0.1 every third epoch. */
        step
    }

    /** {@code --dtype}: the dtype of the model's parameters and inputs. */
    public enum Dtype {
        /** Double precision (the default). */
        float64(DType.FLOAT64),
        /** Single precision. */
        float32(DType.FLOAT32);

        private final DType dtype;

        Dtype(DType dtype) {
            this.dtype = dtype;
        }

        /** The NDArray dtype. */
        public DType dtype() {
            return dtype;
        }
    }
}
