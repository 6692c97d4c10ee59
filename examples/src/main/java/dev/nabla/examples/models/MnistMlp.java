package dev.nabla.examples.models;

import dev.nabla.train.DataSplits;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.SupervisedExample;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import java.util.Random;

/**
 * The default job: a 784-100-10 multilayer perceptron with ReLU on MNIST, trained with SGD with
 * momentum 0.9 (learning rate 0.1, cosine annealing to 0) in mini-batches of 100 for 10 epochs.
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and data loader,
 * so separate runs may proceed on separate threads.
 */
public final class MnistMlp extends SupervisedExample {
    @Override
    public String name() {
        return "mnist-mlp";
    }

    @Override
    public String description() {
        return "784-100-10 ReLU MLP on the shipped MNIST (the default job; >= 97.5% test accuracy)";
    }

    @Override
    public String dataSet() {
        return "MNIST (55,000 train, 5,000 val, 10,000 test; 28x28)";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(10, 100, 0.1, "momentum", 0, "cosine");
    }

    /** The 784-100-10 ReLU network (PyTorch's default initialization, from {@code rng}). */
    public static Module network(Random rng) {
        return new Sequential(new Linear(784, 100, rng), new ReLU(), new Linear(100, 10, rng));
    }

    @Override
    protected Module build(RunConfig cfg, Random init, Random train) {
        return network(init);
    }

    @Override
    protected DataSplits data(RunConfig cfg) {
        MnistData d = MnistData.load(cfg);
        return new DataSplits(d.train, d.validation, d.test);
    }
}
