package dev.nabla.examples;

import dev.nabla.examples.train.RunContext;
import java.nio.file.Path;
import java.util.List;

/**
 * A model or study that {@code nabla train <name>} runs. A model trains one network and writes
 * metrics, plots and checkpoints; a study runs several short trainings and compares them.
 * Implementations are run on one thread by {@code nabla train} and need not be thread-safe.
 */
public interface Example {

    /** The name on the command line (lower case, words joined by '-'). */
    String name();

    /** Other accepted names. */
    default List<String> aliases() {
        return List.of();
    }

    /** One line for {@code nabla list}. */
    String description();

    /** Whether this is a study (several runs compared) rather than one model. */
    default boolean isStudy() {
        return false;
    }

    /** The defaults used for options not given on the command line. */
    Defaults defaults();

    /** Runs the training (or study) described by {@code ctx}. */
    void train(RunContext ctx) throws Exception;

    /** Whether {@code --dtype float32} trains this model in float32 (models on the common trainer do). */
    default boolean supportsFloat32() {
        return false;
    }

    /** Whether {@link #evaluate} is supported. */
    default boolean canEvaluate() {
        return false;
    }

    /**
     * Loads {@code checkpoint} (written by {@link #train}) into a fresh model and evaluates it on the
     * test data, printing the figures.
     */
    default void evaluate(RunContext ctx, Path checkpoint) throws Exception {
        throw new UnsupportedOperationException("eval: " + name() + " is a study without a checkpoint to evaluate; "
                + "`nabla eval` takes the run directory of a model (see `nabla list`)");
    }

    /** Default hyperparameters of an example. */
    final class Defaults {
        /** Epochs. */
        public final int epochs;
        /** Mini-batch size. */
        public final int batchSize;
        /** Learning rate. */
        public final double lr;
        /** Optimizer name. */
        public final String optimizer;
        /** Weight decay. */
        public final double weightDecay;
        /** Learning-rate schedule. */
        public final String schedule;

        /** Defaults with the given values. */
        public Defaults(int epochs, int batchSize, double lr, String optimizer, double weightDecay, String schedule) {
            this.epochs = epochs;
            this.batchSize = batchSize;
            this.lr = lr;
            this.optimizer = optimizer;
            this.weightDecay = weightDecay;
            this.schedule = schedule;
        }

        /** Defaults without weight decay and schedule. */
        public Defaults(int epochs, int batchSize, double lr, String optimizer) {
            this(epochs, batchSize, lr, optimizer, 0, "none");
        }
    }
}
