package dev.nabla.examples.models;

import dev.nabla.examples.cnn.FilterGrid;
import dev.nabla.examples.cnn.SimpleConvNet;
import dev.nabla.examples.train.DataSplits;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.examples.train.SupervisedExample;
import dev.nabla.nn.Module;
import java.io.IOException;
import java.util.Random;

/**
 * The classic "SimpleConvNet" ({@link SimpleConvNet}: conv 30 5×5, ReLU, max-pool, affine 100,
 * ReLU, affine 10) on MNIST images; after training its 30 first-layer filters go to
 * {@code filters.png}.
 */
public final class SimpleCnnExample extends SupervisedExample {
    @Override
    public String name() {
        return "simple-cnn";
    }

    @Override
    public String description() {
        return "SimpleConvNet (conv30 5x5-relu-pool-affine100-relu-affine10) on MNIST; first-layer filters PNG";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(5, 100, 0.001, "adam");
    }

    @Override
    protected Module build(RunConfig cfg, Random init, Random train) {
        return new SimpleConvNet(init);
    }

    @Override
    protected DataSplits data(RunConfig cfg) {
        MnistData d = MnistData.load(cfg).images();
        return new DataSplits(d.train, d.validation, d.test);
    }

    @Override
    protected void afterTraining(RunContext ctx, Module model) throws IOException {
        FilterGrid.write(((SimpleConvNet) model).firstConv().weight().data(), ctx.dir().resolve("filters.png"), 8, 3);
        ctx.out.println("first-layer filters: " + ctx.dir().resolve("filters.png"));
    }
}
