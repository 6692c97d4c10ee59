package dev.nabla.examples.cnn;

import dev.nabla.autograd.F;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Module;
import java.util.Random;

/**
 * TEMPORARY stand-in for {@code dev.nabla.nn.Linear}, which is written on another branch: a fully
 * connected layer {@code y = x·W + b} with W (in, out) and b (out), initialised uniform in
 * ±1/√in (PyTorch's default) from the caller's generator, weight first. When merging, replace
 * every use with {@code nn.Linear} and delete this class.
 */
final class Affine extends Module {
    private final Parameter weight;
    private final Parameter bias;

    Affine(int in, int out, Random rng) {
        double bound = 1.0 / Math.sqrt(in);
        weight = registerParameter("weight", new Parameter(NDArray.uniform(rng, -bound, bound, in, out)));
        bias = registerParameter("bias", new Parameter(NDArray.uniform(rng, -bound, bound, out)));
    }

    @Override
    public Variable forward(Variable x) {
        return F.linear(x, weight, bias);
    }
}
