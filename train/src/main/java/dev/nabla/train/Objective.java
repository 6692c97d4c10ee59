package dev.nabla.train;

import dev.nabla.autograd.Variable;
import dev.nabla.data.Batch;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.CrossEntropyOptions;
import dev.nabla.nn.Functional;
import dev.nabla.nn.Reduction;
import java.io.Serializable;

/**
 * What a model is trained to do: the loss of its output on a batch (a scalar, averaged over the
 * batch), and how many of the batch it got right (NaN when accuracy means nothing, as in regression).
 * Data-parallel training ({@link dev.nabla.train.parallel}) asks for the {@link #lossSum} of each
 * micro-shard instead, so that the shards' sums divided by the global batch size is the mean.
 * Implementations should be stateless, so that several threads may call them at once; the built-in
 * ones are, and are {@link Serializable} (a Spark executor can receive them).
 */
public interface Objective {

    /** The mean loss of {@code output} on {@code batch}. */
    Variable loss(Variable output, Batch batch);

    /**
     * The sum of the per-sample losses of {@code output} on {@code batch}: {@code loss × batch.size()}
     * in exact arithmetic. The built-in objectives compute it with {@link Reduction#SUM} (no
     * multiplication, so the data-parallel gradient differs from the full-batch one by rounding
     * only); this default multiplies {@link #loss} by the batch size.
     */
    default Variable lossSum(Variable output, Batch batch) {
        return loss(output, batch).mul(batch.size());
    }

    /** Number of correct predictions in {@code batch}, or NaN. */
    double correct(NDArray output, Batch batch);

    /** Multi-class classification: cross-entropy on logits (N, C) fused with log-softmax, accuracy of the argmax. */
    static Objective crossEntropy() {
        return new CrossEntropy();
    }

    /**
     * Binary classification: binary cross-entropy with logits on one logit per sample (shape (N)
     * or (N, 1)) against 0/1 labels; a sample is correct when the sign of its logit matches its label.
     */
    static Objective binaryCrossEntropyWithLogits() {
        return new BinaryCrossEntropyWithLogits();
    }

    /**
     * Regression: mean squared error over every element, no accuracy. A sample's loss is the mean
     * of its elements' squared errors, so {@link #lossSum} is the sum over every element divided by
     * the elements per sample.
     */
    static Objective meanSquaredError() {
        return new MeanSquaredError();
    }

    /** {@link #crossEntropy()}. Stateless and thread-safe. */
    final class CrossEntropy implements Objective, Serializable {
        private static final long serialVersionUID = 1L;

        private CrossEntropy() {}

        @Override
        public Variable loss(Variable output, Batch batch) {
            return Functional.crossEntropy(output, batch.labels());
        }

        @Override
        public Variable lossSum(Variable output, Batch batch) {
            return Functional.crossEntropy(output, batch.labels(), CrossEntropyOptions.defaults().reduction(Reduction.SUM));
        }

        @Override
        public double correct(NDArray output, Batch batch) {
            return Functional.accuracy(output, batch.labels()) * batch.size();
        }
    }

    /** {@link #binaryCrossEntropyWithLogits()}. Stateless and thread-safe. */
    final class BinaryCrossEntropyWithLogits implements Objective, Serializable {
        private static final long serialVersionUID = 1L;

        private BinaryCrossEntropyWithLogits() {}

        @Override
        public Variable loss(Variable output, Batch batch) {
            return reduced(output, batch, Reduction.MEAN);
        }

        @Override
        public Variable lossSum(Variable output, Batch batch) {
            return reduced(output, batch, Reduction.SUM);
        }

        private static Variable reduced(Variable output, Batch batch, Reduction r) {
            int[] labels = batch.labels();
            double[] y = new double[labels.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = labels[i];
            }
            return Functional.binaryCrossEntropyWithLogits(output.reshape(y.length),
                    Variable.constant(NDArray.of(y, y.length).astype(output.dtype())), null, null, r);
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
    }

    /** {@link #meanSquaredError()}. Stateless and thread-safe. */
    final class MeanSquaredError implements Objective, Serializable {
        private static final long serialVersionUID = 1L;

        private MeanSquaredError() {}

        private static Variable target(Variable output, Batch batch) {
            return Variable.constant(batch.targets().reshape(output.shape()).astype(output.dtype()));
        }

        @Override
        public Variable loss(Variable output, Batch batch) {
            return Functional.mseLoss(output, target(output, batch));
        }

        @Override
        public Variable lossSum(Variable output, Batch batch) {
            Variable sum = Functional.mseLoss(output, target(output, batch), Reduction.SUM);
            int perSample = output.data().size() / batch.size();
            return perSample == 1 ? sum : sum.div(perSample);
        }

        @Override
        public double correct(NDArray output, Batch batch) {
            return Double.NaN;
        }
    }
}
