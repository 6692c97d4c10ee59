package dev.nabla.examples.cnn;

import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Module;
import java.util.Random;

/**
 * {@code nabla train simple-cnn}: {@link SimpleConvNet} (conv 30×5×5, ReLU, max-pool, 4320-100-10)
 * on MNIST with Adam (learning rate 1e-3, cosine annealing to 0) in mini-batches of 100 for 3 epochs.
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and data loader,
 * so separate runs may proceed on separate threads.
 */
public final class SimpleCnnExample extends CnnExample {
    @Override
    public String name() {
        return "simple-cnn";
    }

    @Override
    public String description() {
        return "SimpleConvNet (conv-relu-pool-affine-relu-affine) on the shipped MNIST; writes filters.png";
    }

    @Override
    public String dataSet() {
        return "MNIST (55,000 train, 5,000 val, 10,000 test; 28x28)";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(3, 100, 1e-3, "adam", 0, "cosine");
    }

    @Override
    Module network(Random init) {
        return new SimpleConvNet(init);
    }

    @Override
    Conv2d firstConv(Module model) {
        return ((SimpleConvNet) model).firstConv();
    }
}
