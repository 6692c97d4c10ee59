package dev.nabla.examples;

import dev.nabla.autograd.F;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.io.PrintStream;
import java.util.Random;

/**
 * XOR with a 2-2-1 network built from the autograd core alone (Parameters, matmul, sigmoid and
 * plain gradient descent): the smallest problem a single perceptron cannot solve.
 */
public final class XorCore {
    private XorCore() {}

    /** What a run reached: the loss per reported step and the network's four outputs. */
    public static final class Result {
        /** Final mean squared error. */
        public final double finalLoss;
        /** Outputs for (0,0), (0,1), (1,0), (1,1). */
        public final double[] outputs;

        Result(double finalLoss, double[] outputs) {
            this.finalLoss = finalLoss;
            this.outputs = outputs;
        }
    }

    /** Trains for {@code steps} full-batch gradient steps from {@code seed}, printing progress to {@code out}. */
    public static Result train(long seed, int steps, double lr, int hidden, PrintStream out) {
        Random rng = new Random(seed);
        Variable x = new Variable(NDArray.of(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
        Variable t = new Variable(NDArray.of(new double[][] {{0}, {1}, {1}, {0}}));
        Parameter w1 = new Parameter(NDArray.randn(rng, 2, hidden), "W1");
        Parameter b1 = new Parameter(NDArray.zeros(hidden), "b1");
        Parameter w2 = new Parameter(NDArray.randn(rng, hidden, 1), "W2");
        Parameter b2 = new Parameter(NDArray.zeros(1), "b2");
        Parameter[] params = {w1, b1, w2, b2};
        double loss = Double.NaN;
        for (int step = 0; step <= steps; step++) {
            Variable y = F.linear(F.linear(x, w1, b1).sigmoid(), w2, b2).sigmoid();
            Variable l = F.mse(y, t);
            loss = l.item();
            if (step == steps) {
                break;
            }
            for (Parameter p : params) {
                p.clearGrad();
            }
            l.backward();
            for (Parameter p : params) {
                p.data().addInPlace(p.grad().data(), -lr);
            }
            if (out != null && step % (steps / 10) == 0) {
                out.printf("step %5d  loss %.6f%n", step, loss);
            }
        }
        NDArray y = F.linear(F.linear(x, w1, b1).sigmoid(), w2, b2).sigmoid().data();
        double[] outputs = y.toArray();
        if (out != null) {
            out.printf("step %5d  loss %.6f%n", steps, loss);
            String[] in = {"0 XOR 0", "0 XOR 1", "1 XOR 0", "1 XOR 1"};
            for (int i = 0; i < 4; i++) {
                out.printf("%s -> %.4f%n", in[i], outputs[i]);
            }
        }
        return new Result(loss, outputs);
    }

    /** Trains XOR with the defaults (seed 0, 5000 steps, learning rate 2, 4 hidden units). */
    public static void main(String[] args) {
        train(0, 5000, 2.0, 4, System.out);
    }
}
