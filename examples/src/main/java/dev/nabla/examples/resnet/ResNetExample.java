package dev.nabla.examples.resnet;

import dev.nabla.data.DataLoader;
import dev.nabla.data.ImageAugment;
import dev.nabla.examples.models.MnistData;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.examples.train.SupervisedExample;
import dev.nabla.nn.Module;
import dev.nabla.train.DataSplits;
import dev.nabla.train.FilterGrid;
import dev.nabla.train.Seeds;
import dev.nabla.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * {@code nabla train resnet}: a small {@link ResNet} (a stride-2 stem, then widths {@link #WIDTHS}
 * on 14×14, 7×7 and 4×4 maps, {@link #BLOCKS} basic block(s) per stage: an identity shortcut in the
 * first stage, 1×1 stride-2 projections where a stage halves the maps and widens the channels;
 * 77,754 parameters) on the shipped MNIST with AdamW (lr 2e-3, decoupled weight decay 0.01, cosine
 * annealing to 0) in batches of 64 for 5 epochs, through the common trainer
 * (metrics, plots, last/best checkpoints, {@code --resume}, {@code nabla eval}). The training images
 * are shifted at random by up to {@link #SHIFT} pixels each way (zero fill) in every epoch, drawn
 * from the run's seed, so the same seed gives the same bits. After training the stem's filters go
 * to {@code filters.png}. Measured with seed 0 (float64): validation 98.52, 98.46, 99.16, 99.26% after
 * epochs 1-4 and 99.33% test with 4 epochs (15 min CPU); the default 5 epochs: validation 99.28%, test 99.45%
 * (loss 0.0173), 24 min 31 s wall time on the shared, loaded 2-core machine.
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and data loader,
 * so separate runs may proceed on separate threads.
 */
public final class ResNetExample extends SupervisedExample {
    /** Channels of the three stages (14×14, 7×7, 4×4 behind the stride-2 stem). */
    public static final int[] WIDTHS = {16, 32, 64};
    /** Basic blocks per stage. */
    public static final int BLOCKS = 1;
    /** Largest random shift of a training image, in pixels. */
    public static final int SHIFT = 2;

    @Override
    public String name() {
        return "resnet";
    }

    @Override
    public String description() {
        return "a small ResNet (basic blocks 16-32-64, BatchNorm2d, identity and projection shortcuts, global average "
                + "pooling) on the shipped MNIST with random shifts (99.45% test accuracy); writes filters.png";
    }

    @Override
    public String dataSet() {
        return "MNIST (55,000 train, 5,000 val, 10,000 test; 28x28)";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(5, 64, 2e-3, "adamw", 1e-2, "cosine");
    }

    @Override
    protected Module build(RunConfig cfg, Random init, Random train) {
        return ResNet.mnist(WIDTHS, BLOCKS, init);
    }

    @Override
    protected DataSplits data(RunConfig cfg) {
        MnistData d = MnistData.load(cfg).images();
        return new DataSplits(d.train, d.validation, d.test);
    }

    /** Trains on the shifted images: a loader shuffled and augmented from the run's seed. */
    @Override
    protected Trainer.Builder configure(Trainer.Builder trainer, RunContext ctx, DataSplits data) {
        RunConfig cfg = ctx.config;
        DataLoader loader = DataLoader.builder(data.train).batchSize(cfg.batchSize).shuffle(true)
                .seed(Seeds.derive(cfg.seed, Seeds.SHUFFLE, 0)).augmentation(ImageAugment.randomShift(SHIFT))
                .dtype(cfg.dtype).build();
        return trainer.train(loader);
    }

    @Override
    protected void afterTraining(RunContext ctx, Module model) throws IOException {
        Path png = ctx.dir().resolve("filters.png");
        FilterGrid.write(((ResNet) model).firstConv().weight().data(), png, 16, 4, String.format(Locale.ROOT,
                "%s: stem filters (%d of 3x3)", name(), WIDTHS[0]));
        ctx.out.println("first-layer filters: " + png);
    }
}
