package dev.nabla.examples.resnet;

import dev.nabla.autograd.Variable;
import dev.nabla.nn.BatchNorm2d;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import java.util.Random;

/**
 * The basic residual block of He et al. (2016), as torchvision's {@code BasicBlock}:
 * {@code relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))} with 3×3 convolutions without bias
 * (padding 1; the first one has the block's stride). The shortcut is the identity when the block
 * keeps the shape (stride 1, same channels) and otherwise a projection, a 1×1 convolution with the
 * block's stride followed by batch norm, registered as {@code downsample} (PyTorch's state-dict
 * keys: {@code conv1.weight}, {@code bn1.*}, ..., {@code downsample.0.weight}, {@code downsample.1.*}).
 * Convolutions start from He's normal initialization (N(0, 2/fan_in)), batch norms from weight 1, bias 0.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class BasicBlock extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int stride;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Sequential downsample;

    /**
     * A block from {@code inChannels} to {@code outChannels} whose first convolution has stride
     * {@code stride}; the weights are drawn from {@code rng} (conv1, conv2, then the projection).
     */
    public BasicBlock(int inChannels, int outChannels, int stride, Random rng) {
        if (inChannels < 1 || outChannels < 1 || stride < 1) {
            throw new IllegalArgumentException("BasicBlock: in_channels, out_channels and stride must be positive, but got "
                    + inChannels + ", " + outChannels + ", " + stride);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.stride = stride;
        conv1 = registerModule("conv1", conv(inChannels, outChannels, 3, stride, 1, rng));
        bn1 = registerModule("bn1", new BatchNorm2d(outChannels));
        conv2 = registerModule("conv2", conv(outChannels, outChannels, 3, 1, 1, rng));
        bn2 = registerModule("bn2", new BatchNorm2d(outChannels));
        downsample = stride != 1 || inChannels != outChannels
                ? registerModule("downsample", new Sequential(conv(inChannels, outChannels, 1, stride, 0, rng),
                        new BatchNorm2d(outChannels)))
                : null;
    }

    /** A convolution without bias, He-initialized from {@code rng}. */
    static Conv2d conv(int in, int out, int kernel, int stride, int padding, Random rng) {
        return new Conv2d(in, out, new int[] {kernel}, new int[] {stride}, new int[] {padding}, new int[] {1}, false, rng)
                .initHeNormal(rng);
    }

    /** Whether the shortcut is a projection (1×1 convolution and batch norm) rather than the identity. */
    public boolean hasProjection() {
        return downsample != null;
    }

    /** The block's stride (2 halves the height and width). */
    public int stride() {
        return stride;
    }

    /** Input channels. */
    public int inChannels() {
        return inChannels;
    }

    /** Output channels. */
    public int outChannels() {
        return outChannels;
    }

    /** The block's output for {@code x} of shape (N, inChannels, H, W): (N, outChannels, ⌈H/stride⌉, ⌈W/stride⌉). */
    @Override
    public Variable forward(Variable x) {
        Variable h = bn1.call(conv1.call(x)).relu();
        h = bn2.call(conv2.call(h));
        Variable shortcut = downsample == null ? x : downsample.call(x);
        return h.add(shortcut).relu();
    }

    @Override
    protected String extraRepr() {
        return "in=" + inChannels + ", out=" + outChannels + ", stride=" + stride;
    }
}
