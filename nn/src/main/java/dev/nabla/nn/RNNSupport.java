package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Random;

/** Shared pieces of the recurrent cells and layers: initialisation, zero states and shape checks. */
final class RNNSupport {
    private RNNSupport() {}

    /** A parameter drawn from U(-1/√H, 1/√H), PyTorch's default for every recurrent weight and bias. */
    static Parameter uniformInit(Random rng, int hiddenSize, int... shape) {
        if (rng == null) {
            throw new IllegalArgumentException("recurrent layer: pass a seeded java.util.Random for the initialisation "
                    + "(e.g. new Random(0)); null was given");
        }
        double k = 1.0 / Math.sqrt(hiddenSize);
        return new Parameter(NDArray.uniform(rng, -k, k, shape));
    }

    static void checkSizes(String op, int inputSize, int hiddenSize) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(op + ": inputSize and hiddenSize must be positive, got inputSize="
                    + inputSize + " and hiddenSize=" + hiddenSize);
        }
    }

    /** A constant zero state of shape {@code shape} in the dtype of the input {@code like} (no promotion of a float32 model). */
    static Variable zeros(Variable like, int... shape) {
        return new Variable(NDArray.zeros(like.dtype(), shape));
    }

    /**
     * Checks one step's operands against the weights (PyTorch's layout): x (N, F), each state
     * (N, H), weight_ih (gates·H, F), weight_hh (gates·H, H), biases (gates·H,).
     */
    static void checkStep(String op, int gates, Variable x, Variable[] states, String[] stateNames,
                          Variable wIh, Variable wHh, Variable bIh, Variable bHh) {
        if (wIh.ndim() != 2 || wHh.ndim() != 2 || wHh.shape(0) % gates != 0 || wHh.shape(0) / gates != wHh.shape(1)
                || wIh.shape(0) != wHh.shape(0)) {
            throw new IllegalArgumentException(op + ": expected weight_ih of shape (" + gates + "*H, inputSize) and "
                    + "weight_hh of shape (" + gates + "*H, H) (PyTorch's layout), got " + Shapes.str(wIh.shape()) + " and "
                    + Shapes.str(wHh.shape()));
        }
        int f = wIh.shape(1);
        int h = wHh.shape(1);
        checkBias(op, "bias_ih", bIh, gates * h);
        checkBias(op, "bias_hh", bHh, gates * h);
        if (x.ndim() != 2) {
            throw new IllegalArgumentException(op + ": expected a 2-D input of shape (N, inputSize=" + f + ") but got shape "
                    + Shapes.str(x.shape()) + (x.ndim() == 1 ? "; for a single example use x.unsqueeze(0)" : ""));
        }
        if (x.shape(1) != f) {
            throw new IllegalArgumentException(op + ": expected input of shape (N, " + f + ") (inputSize=" + f
                    + ") but got " + Shapes.str(x.shape()));
        }
        int n = x.shape(0);
        for (int i = 0; i < states.length; i++) {
            Variable s = states[i];
            if (s.ndim() != 2 || s.shape(0) != n || s.shape(1) != h) {
                throw new IllegalArgumentException(op + ": expected " + stateNames[i] + " of shape (" + n + ", " + h
                        + ") (batch " + n + ", hiddenSize " + h + ") but got " + Shapes.str(s.shape()));
            }
        }
    }

    private static void checkBias(String op, String name, Variable b, int size) {
        if (b != null && (b.ndim() != 1 || b.shape(0) != size)) {
            throw new IllegalArgumentException(op + ": expected " + name + " of shape (" + size + ",) but got "
                    + Shapes.str(b.shape()));
        }
    }

    /** {@code x wIhᵀ + bIh + h wHhᵀ + bHh} through {@link Functional#linear}, the biases optional. */
    static Variable affine(Variable x, Variable h, Variable wIh, Variable wHh, Variable bIh, Variable bHh) {
        return Functional.linear(x, wIh, bIh).add(Functional.linear(h, wHh, bHh));
    }
}
