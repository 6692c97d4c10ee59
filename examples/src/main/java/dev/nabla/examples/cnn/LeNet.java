package dev.nabla.examples.cnn;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Shapes;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import java.util.Random;

/**
 * LeNet-5 with ReLU and max pooling, as in benchmark workload W4, for 28×28 grey images:
 * conv 1→6 5×5, ReLU, max-pool 2 (→ 6×12×12); conv 6→16 5×5, ReLU, max-pool 2 (→ 16×4×4);
 * fully connected 256→120→84→10 with ReLU between; the output is 10 logits (no softmax).
 * Accepts (N, 1, 28, 28) or flat (N, 784) batches. 44,426 parameters.
 * Not thread-safe, like every {@link dev.nabla.nn.Module}: confine it to one thread at a time.
 */
public final class LeNet extends Module {
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final MaxPool2d pool;
    private final Linear fc1;
    private final Linear fc2;
    private final Linear fc3;

    /** A LeNet whose parameters are drawn, layer by layer, from {@code rng}. */
    public LeNet(Random rng) {
        conv1 = registerModule("conv1", new Conv2d(1, 6, 5, rng));
        conv2 = registerModule("conv2", new Conv2d(6, 16, 5, rng));
        pool = registerModule("pool", new MaxPool2d(2));
        fc1 = registerModule("fc1", new Linear(16 * 4 * 4, 120, rng));
        fc2 = registerModule("fc2", new Linear(120, 84, rng));
        fc3 = registerModule("fc3", new Linear(84, 10, rng));
    }

    /** Logits (N, 10) for images (N, 1, 28, 28) or (N, 784). */
    @Override
    public Variable forward(Variable x) {
        Variable h = pool.call(conv1.call(asImages("LeNet", x)).relu());
        h = pool.call(conv2.call(h).relu());
        h = h.reshape(h.shape(0), -1);
        h = fc1.call(h).relu();
        h = fc2.call(h).relu();
        return fc3.call(h);
    }

    /** The first convolution, whose 6 filters {@link dev.nabla.train.FilterGrid} draws. */
    public Conv2d firstConv() {
        return conv1;
    }

    /** (N, 784) to (N, 1, 28, 28); (N, 1, 28, 28) unchanged; anything else is an error naming the shapes. */
    static Variable asImages(String model, Variable x) {
        int[] s = x.shape();
        if (s.length == 2 && s[1] == 28 * 28) {
            return x.reshape(s[0], 1, 28, 28);
        }
        if (s.length == 4 && s[1] == 1 && s[2] == 28 && s[3] == 28) {
            return x;
        }
        throw new IllegalArgumentException(model + ": expected 28x28 grey images as (N, 1, 28, 28) or flat (N, 784), but"
                + " got an input of shape " + Shapes.str(s));
    }
}
