package dev.nabla.train;

import dev.nabla.autograd.Variable;
import dev.nabla.data.Batch;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Functional;

/**
 * What a model is trained to do: the loss of its output on a batch (a scalar, averaged over the
 * batch), and how many of the batch it got right (NaN when accuracy means nothing, as in regression).
 * Implementations should be stateless; the trainer calls them on its own thread.
 */
public interface Objective {

    /** The mean loss of {@code output} on {@code batch}. */
    Variable loss(Variable output, Batch batch);

    /** Number of correct predictions in {@code batch}, or NaN. */
    double correct(NDArray output, Batch batch);

    /** Multi-class classification: cross-entropy on logits (N, C) fused with log-softmax, accuracy of the argmax. */
    static Objective crossEntropy() {
        return new Objective() {
            @Override
            public Variable loss(Variable output, Batch batch) {
                return Functional.crossEntropy(output, batch.labels());
            }

            @Override
            public double correct(NDArray output, Batch batch) {
                return Functional.accuracy(output, batch.labels()) * batch.size();
            }
        };
    }

    /**
     * Binary classification: binary cross-entropy with logits on one logit per sample (shape (N)
     * or (N, 1)) against 0/1 labels; a sample is correct when the sign of its logit matches its label.
     */
    static Objective binaryCrossEntropyWithLogits() {
        return new Objective() {
            @Override
            public Variable loss(Variable output, Batch batch) {
                int[] labels = batch.labels();
                double[] y = new double[labels.length];
                for (int i = 0; i < y.length; i++) {
                    y[i] = labels[i];
                }
                return Functional.binaryCrossEntropyWithLogits(output.reshape(y.length),
                        Variable.constant(NDArray.of(y, y.length).astype(output.dtype())));
            }

            @Override
            public double correct(NDArray output, Batch batch) {
                int[] labels = batch.labels();
                int ok = 0;
                for (int i = 0; i < labels.length; i++) {
                    ok += (output.getFlat(i) > 0 ? 1 : 0) == labels[i] ? 1 : 0;
                }
                return ok;
            }
        };
    }

    /** Regression: mean squared error over every element, no accuracy. */
    static Objective meanSquaredError() {
        return new Objective() {
            @Override
            public Variable loss(Variable output, Batch batch) {
                return Functional.mseLoss(output, Variable.constant(batch.targets().reshape(output.shape()).astype(output.dtype())));
            }

            @Override
            public double correct(NDArray output, Batch batch) {
                return Double.NaN;
            }
        };
    }
}
