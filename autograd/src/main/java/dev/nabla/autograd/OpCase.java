package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.function.Function;

/**
 * One drawn instance of a registry operation: the function to check (with its drawn parameters
 * such as axes, indices or labels baked in), the input arrays, and a one-line description.
 * Immutable and thread-safe. {@link #inputs()} returns copies.
 */
public final class OpCase {
    private final String description;
    private final Function<Variable[], Variable> fn;
    private final NDArray[] inputs;

    /** A case applying {@code fn} to {@code inputs}; {@code description} names the drawn parameters. */
    public OpCase(String description, Function<Variable[], Variable> fn, NDArray... inputs) {
        this.description = description;
        this.fn = fn;
        this.inputs = inputs.clone();
    }

    /** The drawn parameters in words, e.g. {@code axes=[-1, 0] keepDims=true}. */
    public String description() {
        return description;
    }

    /** The differentiable function of the inputs. */
    public Function<Variable[], Variable> fn() {
        return fn;
    }

    /** Copies of the input arrays (the function may be evaluated on them freely). */
    public NDArray[] inputs() {
        NDArray[] c = new NDArray[inputs.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = inputs[i].copy();
        }
        return c;
    }

    /** The input shapes, e.g. {@code (2, 3) (3,)}. */
    public String shapes() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < inputs.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(Shapes.str(inputs[i].shape()));
        }
        return sb.toString();
    }

    /** Evaluates the function on fresh leaves that require grad. */
    public Variable apply() {
        Variable[] xs = new Variable[inputs.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = new Variable(inputs[i].copy(), true);
        }
        return fn.apply(xs);
    }

    @Override
    public String toString() {
        return shapes() + (description.isEmpty() ? "" : " " + description);
    }
}
