package dev.nabla.examples.models;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Step;
import java.util.Random;

/**
 * A perceptron with hand-set weights, {@code y = step(x w + b)} with step 1 for a positive argument
 * and 0 otherwise, built from an {@link Linear} layer whose weights are set by hand and a
 * {@link Step} module. The classic settings make AND, NAND and OR; XOR, which no single
 * perceptron can compute (it is not linearly separable), is NAND and OR fed into AND.
 * Not thread-safe: it owns a module (see {@link dev.nabla.nn.Module}).
 */
public final class Perceptron {
    private final Module net;

    /** A two-input perceptron with weights {@code (w1, w2)} and bias {@code b}. */
    public Perceptron(double w1, double w2, double b) {
        Linear affine = new Linear(2, 1, new Random(0));
        affine.weight().data().copyFrom(NDArray.of(new double[] {w1, w2}, 1, 2));
        affine.bias().data().copyFrom(NDArray.of(b));
        net = new Sequential(affine, new Step());
    }

    /** AND: weights (0.5, 0.5), bias −0.7. */
    public static Perceptron and() {
        return new Perceptron(0.5, 0.5, -0.7);
    }

    /** NAND: weights (−0.5, −0.5), bias 0.7. */
    public static Perceptron nand() {
        return new Perceptron(-0.5, -0.5, 0.7);
    }

    /** OR: weights (0.5, 0.5), bias −0.2. */
    public static Perceptron or() {
        return new Perceptron(0.5, 0.5, -0.2);
    }

    /** The outputs (0 or 1) for a batch {@code x} of shape (N, 2), shape (N, 1). */
    public NDArray apply(NDArray x) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            return net.call(new Variable(x)).data();
        }
    }

    /** XOR as a two-layer perceptron: AND(NAND(x), OR(x)). */
    public static NDArray xor(NDArray x) {
        return and().apply(NDArray.concat(1, nand().apply(x), or().apply(x)));
    }
}
