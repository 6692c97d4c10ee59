package dev.nabla.examples.models;

import dev.nabla.train.DataSplits;
import dev.nabla.train.Objective;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.SupervisedExample;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import java.util.Random;

/**
 * Binary logistic regression on the Breast Cancer Wisconsin (Diagnostic) data: one linear layer
 * from the 30 standardized features to one logit, trained with binary cross-entropy on logits
 * (label 1 = benign).
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and data loader,
 * so separate runs may proceed on separate threads.
 */
public final class BreastCancer extends SupervisedExample {
    @Override
    public String name() {
        return "breast-cancer";
    }

    @Override
    public String description() {
        return "binary logistic regression (30 -> 1, BCE with logits) on breast cancer, standardized, 60/20/20 split";
    }

    @Override
    public String dataSet() {
        return "breast cancer Wisconsin (569 x 30, 2 classes)";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(50, 32, 0.01, "adam");
    }

    @Override
    protected Module build(RunConfig cfg, Random init, Random train) {
        return new Linear(30, 1, init);
    }

    @Override
    protected Objective objective() {
        return Objective.binaryCrossEntropyWithLogits();
    }

    @Override
    protected DataSplits data(RunConfig cfg) {
        return TabularData.load("breast_cancer", cfg);
    }
}
