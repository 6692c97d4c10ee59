package dev.nabla.examples.resnet;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.AvgPool2d;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The deep convolutional net of {@link ResidualStudy}, with or without shortcuts and without batch
 * norm: a stem (3×3 convolution from 1 to {@code width} channels, stride 2, so 28×28 becomes
 * 14×14, then ReLU), {@code pairs} pairs of 3×3 convolutions at that width (padding 1), 2×2
 * average pooling to 7×7 and a linear layer from the flattened {@code width·49} features to 10
 * logits — {@code 2·pairs + 2} weight layers. (With global average pooling instead, neither net
 * leaves chance level within the study's few hundred steps: the residual net starts as one
 * convolution whose spatial layout the pooling discards.) A plain pair
 * computes {@code relu(conv2(relu(conv1(x))))}, a residual one {@code relu(x + conv2(relu(conv1(x))))}
 * (a basic block without batch norm). Every layer keeps PyTorch's default initialization (uniform
 * in ±1/√fan_in, weight variance 1/(3·fan_in)), which shrinks the signal, and with it the gradient,
 * by a constant factor per plain layer; the shortcuts carry both past the convolutions. The plain
 * and the residual net have the same parameters and draw them in the same order, so from one seed
 * they start from the same weights.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class DeepConvNet extends Module {
    private final boolean residual;
    private final Conv2d stem;
    private final List<Conv2d> convs = new ArrayList<>();
    private final AvgPool2d pool;
    private final Linear fc;

    /** A net of {@code pairs} convolution pairs of {@code width} channels, with shortcuts when {@code residual}. */
    public DeepConvNet(int width, int pairs, boolean residual, Random rng) {
        if (width < 1 || pairs < 1) {
            throw new IllegalArgumentException("DeepConvNet: width and pairs must be positive, but got width=" + width
                    + ", pairs=" + pairs);
        }
        this.residual = residual;
        stem = registerModule("stem", new Conv2d(1, width, 3, 2, 1, rng));
        for (int i = 0; i < 2 * pairs; i++) {
            convs.add(registerModule("conv" + (i + 1), new Conv2d(width, width, 3, 1, 1, rng)));
        }
        pool = registerModule("pool", new AvgPool2d(2));
        fc = registerModule("fc", new Linear(width * 7 * 7, 10, rng));
    }

    /** Whether the pairs have identity shortcuts. */
    public boolean residual() {
        return residual;
    }

    /** The weights of the weight layers from input to output (stem, the convolutions, the head): the depth axis. */
    public List<Parameter> layerWeights() {
        List<Parameter> out = new ArrayList<>();
        out.add(stem.weight());
        for (Conv2d c : convs) {
            out.add(c.weight());
        }
        out.add(fc.weight());
        return out;
    }

    /** Logits (N, 10) for images (N, 1, 28, 28) or (N, 784). */
    @Override
    public Variable forward(Variable x) {
        Variable h = stem.call(ResNet.asImages(x)).relu();
        for (int i = 0; i < convs.size(); i += 2) {
            Variable branch = convs.get(i + 1).call(convs.get(i).call(h).relu());
            h = (residual ? h.add(branch) : branch).relu();
        }
        h = pool.call(h);
        return fc.call(h.reshape(h.shape(0), -1));
    }

    @Override
    protected String extraRepr() {
        return "residual=" + residual;
    }
}
