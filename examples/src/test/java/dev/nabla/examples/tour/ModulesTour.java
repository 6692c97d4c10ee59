package dev.nabla.examples.tour;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Functional;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.ModuleList;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.ParamGroup;
import java.util.Random;

/** The README's model-building tour, compiled and run by {@link TourTest}. */
public final class ModulesTour {
    /** A stem, a ModuleList of hidden blocks, a head. */
    static final class Net extends Module {
        final Linear stem;
        final ModuleList blocks;
        final Linear head;

        Net(int blocks, Random rng) {
            stem = registerModule("stem", new Linear(4, 16, rng));
            this.blocks = registerModule("blocks", new ModuleList());
            for (int i = 0; i < blocks; i++) {
                this.blocks.add(new Linear(16, 16, rng));
            }
            head = registerModule("head", new Linear(16, 3, rng));
        }

        @Override
        public Variable forward(Variable x) {
            Variable h = stem.call(x).relu();
            for (Module b : blocks) {
                h = b.call(h).relu();
            }
            return head.call(h);
        }
    }

    public static Net train(NDArray x, int[] labels, int steps) {
        Net net = new Net(2, new Random(0));
        net.stem.requiresGrad(false);                        // a frozen layer: no gradient, no update
        Optimizer opt = Adam.builder(
                ParamGroup.group(net.blocks.parameters()).lr(1e-2),
                ParamGroup.group(net.head.parameters()).lr(1e-3).weightDecay(1e-4)).build();
        for (int i = 0; i < steps; i++) {
            Variable loss = Functional.crossEntropy(net.call(new Variable(x)), labels);
            opt.zeroGrad();
            loss.backward();
            opt.step();
        }
        System.out.println(net);                             // the module tree, as PyTorch prints it
        return net;
    }
}
