package dev.nabla.examples.models;

import dev.nabla.ndarray.NDArray;

/**
 * A perceptron with hand-set weights: {@code y = step(w·x + b)}, where step is 1 for a positive
 * argument and 0 otherwise. The classic settings make AND, NAND and OR; XOR, which no single
 * perceptron can compute, is NAND and OR fed into AND.
 */
public final class Perceptron {
    private final double w1;
    private final double w2;
    private final double b;

    /** A two-input perceptron with weights {@code (w1, w2)} and bias {@code b}. */
    public Perceptron(double w1, double w2, double b) {
        this.w1 = w1;
        this.w2 = w2;
        this.b = b;
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

    /** The outputs for a batch {@code x} of shape (N, 2): step(x w + b), shape (N). */
    public NDArray apply(NDArray x) {
        NDArray w = NDArray.of(new double[] {w1, w2}, 2, 1);
        return x.matmul(w).add(b).gt(0.0).reshape(x.shape(0));
    }

    /** XOR as a two-layer perceptron: AND(NAND(x), OR(x)). */
    public static NDArray xor(NDArray x) {
        NDArray s1 = nand().apply(x).reshape(x.shape(0), 1);
        NDArray s2 = or().apply(x).reshape(x.shape(0), 1);
        return and().apply(NDArray.concat(1, s1, s2));
    }
}
