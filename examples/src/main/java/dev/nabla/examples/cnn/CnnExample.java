package dev.nabla.examples.cnn;

import dev.nabla.train.FilterGrid;
import dev.nabla.examples.models.MnistData;
import dev.nabla.train.DataSplits;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.examples.train.SupervisedExample;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Module;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * A convolutional network trained on the shipped MNIST through the shared trainer (progress bar,
 * metrics, plots, last/best checkpoints, {@code --resume}, {@code nabla eval}); the images are fed
 * as (N, 1, 28, 28). After training, the first convolution's filters are drawn to
 * {@value #FILTERS_PNG} in the run directory.
 */
abstract class CnnExample extends SupervisedExample {
    /** File name of the filter grid written after training. */
    static final String FILTERS_PNG = "filters.png";
    /** Each filter tap is drawn as a square of this many pixels. */
    static final int SCALE = 16;
    /** Pixels between tiles. */
    static final int GAP = 4;

    /** The network, initialized from {@code init}. */
    abstract Module network(Random init);

    /** The first convolution of {@code model} (built by {@link #network}). */
    abstract Conv2d firstConv(Module model);

    @Override
    protected final Module build(RunConfig cfg, Random init, Random train) {
        return network(init);
    }

    @Override
    protected final DataSplits data(RunConfig cfg) {
        MnistData d = MnistData.load(cfg).images();
        return new DataSplits(d.train, d.validation, d.test);
    }

    @Override
    protected void afterTraining(RunContext ctx, Module model) throws IOException {
        Path png = ctx.dir().resolve(FILTERS_PNG);
        int[] w = firstConv(model).weight().data().shape();
        FilterGrid.write(firstConv(model).weight().data(), png, SCALE, GAP, String.format(java.util.Locale.ROOT,
                "%s: first-layer filters (%d of %dx%d%s)", name(), w[0], w[2], w[3], w[1] > 1 ? ", mean over inputs" : ""));
        ctx.out.println("first-layer filters: " + png);
    }
}
