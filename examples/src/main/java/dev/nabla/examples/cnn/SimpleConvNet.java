package dev.nabla.examples.cnn;

import dev.nabla.autograd.Variable;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import java.util.Random;

/**
 * The classic "SimpleConvNet" for 28×28 grey images: conv 1→30 5×5 (stride 1, no padding), ReLU,
 * max-pool 2 (→ 30×12×12 = 4320), affine 4320→100, ReLU, affine 100→10 (logits). Accepts
 * (N, 1, 28, 28) or flat (N, 784) batches. 433,890 parameters.
 * Not thread-safe, like every {@link dev.nabla.nn.Module}: confine it to one thread at a time.
 */
public final class SimpleConvNet extends Module {
    private final Conv2d conv;
    private final MaxPool2d pool;
    private final Linear fc1;
    private final Linear fc2;

    /** A SimpleConvNet whose parameters are drawn, layer by layer, from {@code rng}. */
    public SimpleConvNet(Random rng) {
        conv = registerModule("conv", new Conv2d(1, 30, 5, rng));
        pool = registerModule("pool", new MaxPool2d(2));
        fc1 = registerModule("fc1", new Linear(30 * 12 * 12, 100, rng));
        fc2 = registerModule("fc2", new Linear(100, 10, rng));
    }

    /** Logits (N, 10) for images (N, 1, 28, 28) or (N, 784). */
    @Override
    public Variable forward(Variable x) {
        Variable h = pool.call(conv.call(LeNet.asImages("SimpleConvNet", x)).relu());
        h = h.reshape(h.shape(0), -1);
        return fc2.call(fc1.call(h).relu());
    }

    /** The convolution, whose 30 filters {@link dev.nabla.train.FilterGrid} draws. */
    public Conv2d firstConv() {
        return conv;
    }
}
