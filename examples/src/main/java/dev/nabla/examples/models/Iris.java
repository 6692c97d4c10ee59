package dev.nabla.examples.models;

import dev.nabla.train.DataSplits;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.SupervisedExample;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import java.util.Random;

/**
 * Softmax (multinomial logistic) regression on Fisher's iris: one linear layer from the 4
 * standardized measurements to 3 logits, trained with cross-entropy.
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and data loader,
 * so separate runs may proceed on separate threads.
 */
public final class Iris extends SupervisedExample {
    @Override
    public String name() {
        return "iris";
    }

    @Override
    public String description() {
        return "softmax regression (4 -> 3) on iris, standardized features, 60/20/20 stratified split";
    }

    @Override
    public String dataSet() {
        return "iris (150 x 4, 3 classes)";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(100, 16, 0.1, "sgd");
    }

    @Override
    protected Module build(RunConfig cfg, Random init, Random train) {
        return new Linear(4, 3, init);
    }

    @Override
    protected DataSplits data(RunConfig cfg) {
        return TabularData.load("iris", cfg);
    }
}
