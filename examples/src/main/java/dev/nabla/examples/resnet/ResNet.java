package dev.nabla.examples.resnet;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Shapes;
import dev.nabla.nn.BatchNorm2d;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.GlobalAvgPool2d;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small ResNet for 28×28 grey images in the CIFAR style of He et al. (2016): a stem (3×3
 * convolution from 1 to {@code widths[0]} channels with stride {@code stemStride}, batch norm,
 * ReLU), then one stage per width of
 * {@code blocksPerStage} {@link BasicBlock}s — the first block of every stage after the first
 * halves the height and width (stride 2) and widens the channels through a projection shortcut,
 * every other block has an identity shortcut — then global average pooling and a linear layer to
 * the class logits. With stem stride 2 the feature maps of three stages are 14×14, 7×7 and 4×4
 * (stride 1: 28×28, 14×14, 7×7). Stage
 * {@code s} is registered as {@code layer<s+1>} (torchvision's keys). Accepts (N, 1, 28, 28) or
 * flat (N, 784) batches.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class ResNet extends Module {
    private final Conv2d stem;
    private final BatchNorm2d stemBn;
    private final List<BasicBlock> blocks = new ArrayList<>();
    private final GlobalAvgPool2d pool;
    private final Linear fc;
    private final Sequential[] stages;

    /**
     * A ResNet with the given stage widths, {@code blocksPerStage} blocks in each, a stem of
     * stride {@code stemStride} and {@code classes} outputs, drawn from {@code rng} (stem, blocks in
     * order, then the head).
     */
    public ResNet(int[] widths, int blocksPerStage, int stemStride, int classes, Random rng) {
        if (widths.length == 0 || blocksPerStage < 1 || stemStride < 1 || classes < 1) {
            throw new IllegalArgumentException("ResNet: need at least one stage width, blocksPerStage >= 1, stemStride >= 1 "
                    + "and classes >= 1, but got " + widths.length + " widths, blocksPerStage=" + blocksPerStage
                    + ", stemStride=" + stemStride + ", classes=" + classes);
        }
        stem = registerModule("conv1", BasicBlock.conv(1, widths[0], 3, stemStride, 1, rng));
        stemBn = registerModule("bn1", new BatchNorm2d(widths[0]));
        stages = new Sequential[widths.length];
        int in = widths[0];
        for (int s = 0; s < widths.length; s++) {
            Sequential stage = new Sequential();
            for (int b = 0; b < blocksPerStage; b++) {
                BasicBlock block = new BasicBlock(in, widths[s], s > 0 && b == 0 ? 2 : 1, rng);
                stage.add(block);
                blocks.add(block);
                in = widths[s];
            }
            stages[s] = registerModule("layer" + (s + 1), stage);
        }
        pool = registerModule("avgpool", new GlobalAvgPool2d());
        fc = registerModule("fc", new Linear(in, classes, rng));
    }

    /** A ResNet for the 10 MNIST classes with a stride-2 stem (the configuration of {@code nabla train resnet}). */
    public static ResNet mnist(int[] widths, int blocksPerStage, Random rng) {
        return new ResNet(widths, blocksPerStage, 2, 10, rng);
    }

    /** Every residual block, stage by stage. */
    public List<BasicBlock> blocks() {
        return List.copyOf(blocks);
    }

    /** The stem convolution (its filters are drawn after training). */
    public Conv2d firstConv() {
        return stem;
    }

    /** Logits (N, classes) for images (N, 1, 28, 28) or (N, 784). */
    @Override
    public Variable forward(Variable x) {
        Variable h = stemBn.call(stem.call(asImages(x))).relu();
        for (Sequential stage : stages) {
            h = stage.call(h);
        }
        return fc.call(pool.call(h));
    }

    /** (N, 784) to (N, 1, 28, 28); (N, 1, H, W) unchanged; anything else is an error naming the shape. */
    static Variable asImages(Variable x) {
        int[] s = x.shape();
        if (s.length == 2 && s[1] == 28 * 28) {
            return x.reshape(s[0], 1, 28, 28);
        }
        if (s.length == 4 && s[1] == 1) {
            return x;
        }
        throw new IllegalArgumentException("ResNet: expected grey images as (N, 1, H, W) or flat 28x28 rows (N, 784), but"
                + " got an input of shape " + Shapes.str(s));
    }
}
