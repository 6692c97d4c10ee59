package dev.nabla.examples;

import dev.nabla.data.ArrayDataset;
import dev.nabla.train.Objective;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.ndarray.DType;
import dev.nabla.nn.Module;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

    /** The data set it trains on, in a few words, for {@code nabla list} (e.g. "iris (150 x 4, 3 classes)"). */
    String dataSet();

    /** Whether this is a study (several runs compared) rather than one model. */
    default boolean isStudy() {
        return false;
    }

    /** The defaults used for options not given on the command line. */
    Defaults defaults();

    /** Runs the training (or study) described by {@code ctx}. */
    void train(RunContext ctx) throws Exception;

    /**
     * The dtype {@code nabla train} uses when {@code --dtype} is not given: float64 unless the model
     * says otherwise (it may then also be given explicitly, whatever {@link #supportsFloat32}).
     */
    default DType defaultDtype() {
        return DType.FLOAT64;
    }

    /**
     * Whether {@code --workers N} trains this model data-parallel on N threads (models on the common
     * trainer do; {@link dev.nabla.train.parallel.DataParallel}).
     */
    default boolean supportsWorkers() {
        return false;
    }

    /** Whether {@code --dtype float32} trains this model in float32 (models on the common trainer do). */
    default boolean supportsFloat32() {
        return false;
    }

    /**
     * The model as {@code nabla train} would build it for {@code cfg} (initialized from the seed, in
     * the config's dtype), its training data and its objective, for commands that drive the training
     * step themselves ({@code nabla lr-find}, {@code nabla data-speed}); empty for studies and for
     * models with a training loop of their own.
     */
    default Optional<Setup> setup(RunConfig cfg) {
        return Optional.empty();
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

    /**
     * A freshly built model with its training data and objective ({@link #setup}).
     * Not thread-safe: the model is trained in place; use it on one thread.
     */
    final class Setup {
        /** The model, initialized as {@code nabla train} initializes it. */
        public final Module model;
        /** The training part of the data (no validation or test samples). */
        public final ArrayDataset train;
        /** The loss the model is trained on. */
        public final Objective objective;

        /** A setup of the given parts. */
        public Setup(Module model, ArrayDataset train, Objective objective) {
            this.model = model;
            this.train = train;
            this.objective = objective;
        }
    }
}
