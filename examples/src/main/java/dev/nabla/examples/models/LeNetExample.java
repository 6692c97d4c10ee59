package dev.nabla.examples.models;

import dev.nabla.examples.cnn.FilterGrid;
import dev.nabla.examples.cnn.LeNet;
import dev.nabla.examples.train.DataSplits;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.examples.train.SupervisedExample;
import dev.nabla.nn.Module;
import java.io.IOException;
import java.util.Random;

/**
 * LeNet-5 (ReLU, max pooling; {@link LeNet}) on MNIST images (N, 1, 28, 28), with the shared
 * trainer's progress bar, metrics, plots and checkpoints; after training, the six learned 5×5
 * filters of the first convolution go to {@code filters.png}.
 */
public final class LeNetExample extends SupervisedExample {
    @Override
    public String name() {
        return "lenet";
    }

    @Override
    public String description() {
        return "LeNet-5 (conv-relu-pool x2, 256-120-84-10) on MNIST (>= 98.8% test accuracy); first-layer filters PNG";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(8, 64, 0.05, "momentum", 0, "cosine");
    }

    @Override
    protected Module build(RunConfig cfg, Random init, Random train) {
        return new LeNet(init);
    }

    @Override
    protected DataSplits data(RunConfig cfg) {
        MnistData d = MnistData.load(cfg).images();
        return new DataSplits(d.train, d.validation, d.test);
    }

    @Override
    protected void afterTraining(RunContext ctx, Module model) throws IOException {
        FilterGrid.write(((LeNet) model).firstConv().weight().data(), ctx.dir().resolve("filters.png"), 12, 4);
        ctx.out.println("first-layer filters: " + ctx.dir().resolve("filters.png"));
    }
}
