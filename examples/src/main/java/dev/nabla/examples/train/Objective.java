package dev.nabla.examples.train;

import dev.nabla.autograd.F;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;

/**
 * What a model is trained to do: the loss of its output on a batch (a scalar, averaged over the
 * batch), and how many of the batch it got right (NaN when accuracy means nothing, as in regression).
 */
public interface Objective {

    /** The mean loss of {@code output} on {@code batch}. */
    Variable loss(Variable output, TrainBatch batch);

    /** Number of correct predictions in {@code batch}, or NaN. */
    double correct(NDArray output, TrainBatch batch);

    /** Multi-class classification: softmax cross-entropy on logits (N, C), accuracy of the argmax. */
    static Objective softmaxCrossEntropy() {
        return new Objective() {
            @Override
            public Variable loss(Variable output, TrainBatch batch) {
                return F.softmaxCrossEntropy(output, batch.labels);
            }

            @Override
            public double correct(NDArray output, TrainBatch batch) {
                return F.accuracy(output, batch.labels) * batch.size();
            }
        };
    }

    /**
     * Binary classification: binary cross-entropy on one logit per sample (shape (N) or (N, 1)),
     * computed stably as {@code mean(softplus(z) - y z)}; a sample counts as correct when the sign
     * of its logit matches its 0/1 label.
     */
    static Objective binaryCrossEntropyWithLogits() {
        return new Objective() {
            @Override
            public Variable loss(Variable output, TrainBatch batch) {
                Variable z = output.reshape(batch.size());
                double[] y = new double[batch.size()];
                for (int i = 0; i < y.length; i++) {
                    y[i] = batch.labels[i];
                }
                return F.softplus(z).sub(z.mul(Variable.constant(NDArray.of(y, y.length)))).mean();
            }

            @Override
            public double correct(NDArray output, TrainBatch batch) {
                int ok = 0;
                for (int i = 0; i < batch.size(); i++) {
                    ok += (output.getFlat(i) > 0 ? 1 : 0) == batch.labels[i] ? 1 : 0;
                }
                return ok;
            }
        };
    }

    /** Regression: mean squared error over every element, no accuracy. */
    static Objective meanSquaredError() {
        return new Objective() {
            @Override
            public Variable loss(Variable output, TrainBatch batch) {
                return F.mse(output, Variable.constant(batch.targets.reshape(output.shape())));
            }

            @Override
            public double correct(NDArray output, TrainBatch batch) {
                return Double.NaN;
            }
        };
    }
}
