package dev.nabla.examples.cnn;

import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Module;
import java.util.Random;

/**
 * {@code nabla train lenet}: {@link LeNet} (conv-ReLU-pool twice, then 256-120-84-10) on MNIST with
 * Adam (learning rate 1e-3, cosine annealing to 0) in mini-batches of 64 for 4 epochs; reaches at
 * least 98.8% test accuracy.
 */
public final class LeNetExample extends CnnExample {
    @Override
    public String name() {
        return "lenet";
    }

    @Override
    public String description() {
        return "LeNet-5 (ReLU, max pooling) on the shipped MNIST (>= 98.8% test accuracy); writes filters.png";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(4, 64, 1e-3, "adam", 0, "cosine");
    }

    @Override
    Module network(Random init) {
        return new LeNet(init);
    }

    @Override
    Conv2d firstConv(Module model) {
        return ((LeNet) model).firstConv();
    }
}
