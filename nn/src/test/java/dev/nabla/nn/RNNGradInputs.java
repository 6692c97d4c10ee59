package dev.nabla.nn;

import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.GradGradCheck;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/** Random operands for the recurrent gradient checks, and the first- plus second-order check itself. */
final class RNNGradInputs {
    private RNNGradInputs() {}

    /** Weights of one cell with {@code gates} blocks: wIh, wHh and (with bias) bIh, bHh, all in [-1, 1). */
    static List<NDArray> cellWeights(Random r, int in, int hidden, int gates, boolean bias) {
        List<NDArray> w = new ArrayList<>();
        w.add(NDArray.uniform(r, -1, 1, gates * hidden, in));
        w.add(NDArray.uniform(r, -1, 1, gates * hidden, hidden));
        if (bias) {
            w.add(NDArray.uniform(r, -1, 1, gates * hidden));
            w.add(NDArray.uniform(r, -1, 1, gates * hidden));
        }
        return w;
    }

    /** The four weight slots {wIh, wHh, bIh, bHh} of a cell from {@code v[from..]}, biases null without bias. */
    static Variable[] slots(Variable[] v, int from, boolean bias) {
        return new Variable[] {v[from], v[from + 1], bias ? v[from + 2] : null, bias ? v[from + 3] : null};
    }

    /** Flattens and concatenates several outputs into one, so one random cotangent covers all of them. */
    static Variable joined(Variable... outs) {
        Variable[] flat = new Variable[outs.length];
        for (int i = 0; i < outs.length; i++) {
            flat[i] = outs[i].reshape(-1);
        }
        return outs.length == 1 ? flat[0] : dev.nabla.autograd.F.concat(0, flat);
    }

    /** First- and second-order checks of {@code f} at {@code inputs}; throws with the report on a mismatch. */
    static void checkBoth(Function<Variable[], Variable> f, long seed, List<NDArray> inputs) {
        NDArray[] in = inputs.toArray(new NDArray[0]);
        GradCheck.Options opt = GradCheck.Options.defaults().seed(seed);
        GradCheck.check(f, opt, in).orThrow();
        GradGradCheck.check(f, opt, in).orThrow();
    }
}
