package dev.nabla.examples.studies;

import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Init;
import dev.nabla.nn.Initializer;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Sigmoid;
import java.util.Random;

/**
 * The multilayer perceptrons of the studies (as in <i>Deep Learning from Scratch</i>, chapter 6):
 * {@code hidden} fully connected layers of the same width, each optionally followed by batch
 * normalization, then the activation, then optionally dropout; a linear output layer. Weights are
 * drawn with the given initializer, biases start at zero.
 */
final class Mlp {
    private Mlp() {}

    /** The hidden-layer activation. */
    enum Activation {
        RELU, SIGMOID
    }

    /** Initializers by the names the studies use: "std=0.01", "xavier", "he". */
    static Initializer init(String name) {
        switch (name) {
            case "he":
                return Init.kaimingNormal();
            case "xavier":
                return Init.xavierNormal();
            default:
                if (name.startsWith("std=")) {
                    return Init.normal(Double.parseDouble(name.substring(4)));
                }
                throw new IllegalArgumentException("unknown initializer " + name);
        }
    }

    static Sequential build(int in, int width, int hidden, int out, Activation act, Initializer weights, boolean batchNorm,
                            double dropout, Random init, Random train) {
        Sequential s = new Sequential();
        int prev = in;
        for (int i = 0; i < hidden; i++) {
            s.add(new Linear(prev, width, true, weights, Init.zeros(), init));
            if (batchNorm) {
                s.add(new BatchNorm1d(width));
            }
            s.add(act == Activation.RELU ? new ReLU() : new Sigmoid());
            if (dropout > 0) {
                s.add(new Dropout(dropout, train));
            }
            prev = width;
        }
        s.add(new Linear(prev, out, true, weights, Init.zeros(), init));
        return s;
    }

    /** The Linear layers of a model built here, in order. */
    static java.util.List<Linear> linears(Module m) {
        java.util.List<Linear> out = new java.util.ArrayList<>();
        for (Module c : m.namedModules().values()) {
            if (c instanceof Linear) {
                out.add((Linear) c);
            }
        }
        return out;
    }
}
