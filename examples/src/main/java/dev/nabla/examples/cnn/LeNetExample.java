package dev.nabla.examples.cnn;

import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Module;
import java.util.Random;

/**
 * {@code nabla train lenet}: {@link LeNet} (conv-ReLU-pool twice, then 256-120-84-10) on MNIST with
 * Adam (learning rate 2e-3, cosine annealing to 0 over the run) in mini-batches of 64 for 5 epochs.
 * Measured: 99.10%, 99.03% and 99.05% test accuracy with seeds 0, 1 and 2 (the target is 98.8%),
 * and in each run the last epoch is also the best on validation, so {@code nabla eval} of the run
 * directory (best.safetensors) shows the same figure. Four epochs give 98.94-98.98%, but with
 * seed 0 the best-validation checkpoint is then epoch 3 at 98.76%; Adam at 1e-3 needs 6 epochs
 * for 98.84%.
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and data loader,
 * so separate runs may proceed on separate threads.
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
    public String dataSet() {
        return "MNIST (55,000 train, 5,000 val, 10,000 test; 28x28)";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(5, 64, 2e-3, "adam", 0, "cosine");
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
