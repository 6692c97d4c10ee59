package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** First- and second-order gradient checks of the three cells, with respect to input, states and every weight. */
class RNNCellProperties {

    @Property(tries = 25)
    void rnnCellTanh(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int f,
                     @ForAll @IntRange(min = 1, max = 3) int h, @ForAll boolean bias, @ForAll long seed) {
        Random r = new Random(seed);
        List<NDArray> in = new ArrayList<>(List.of(NDArray.randn(r, n, f), NDArray.uniform(r, -1, 1, n, h)));
        in.addAll(RNNGradInputs.cellWeights(r, f, h, 1, bias));
        RNNGradInputs.checkBoth(v -> {
            Variable[] w = RNNGradInputs.slots(v, 2, bias);
            return Functional.rnnCell(v[0], v[1], w[0], w[1], w[2], w[3], RNNCell.Nonlinearity.TANH);
        }, seed, in);
    }

    @Property(tries = 20)
    void rnnCellRelu(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int f,
                     @ForAll @IntRange(min = 1, max = 3) int h, @ForAll long seed) {
        Random r = new Random(seed);
        List<NDArray> in = new ArrayList<>(List.of(NDArray.randn(r, n, f), NDArray.uniform(r, -1, 1, n, h)));
        in.addAll(RNNGradInputs.cellWeights(r, f, h, 1, true));
        // keep every pre-activation away from ReLU's kink at 0
        NDArray pre = in.get(0).matmul(in.get(2), false, true).add(in.get(4)).add(in.get(1).matmul(in.get(3), false, true))
                .add(in.get(5));
        Assume.that(pre.abs().min(null, false).item() > 1e-3);
        RNNGradInputs.checkBoth(v -> Functional.rnnCell(v[0], v[1], v[2], v[3], v[4], v[5], RNNCell.Nonlinearity.RELU),
                seed, in);
    }

    @Property(tries = 25)
    void lstmCell(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int f,
                  @ForAll @IntRange(min = 1, max = 3) int h, @ForAll boolean bias, @ForAll long seed) {
        Random r = new Random(seed);
        List<NDArray> in = new ArrayList<>(List.of(NDArray.randn(r, n, f), NDArray.uniform(r, -1, 1, n, h),
                NDArray.randn(r, n, h)));
        in.addAll(RNNGradInputs.cellWeights(r, f, h, 4, bias));
        RNNGradInputs.checkBoth(v -> {
            Variable[] w = RNNGradInputs.slots(v, 3, bias);
            LSTMState s = Functional.lstmCell(v[0], v[1], v[2], w[0], w[1], w[2], w[3]);
            return RNNGradInputs.joined(s.h(), s.c());
        }, seed, in);
    }

    @Property(tries = 25)
    void gruCell(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int f,
                 @ForAll @IntRange(min = 1, max = 3) int h, @ForAll boolean bias, @ForAll long seed) {
        Random r = new Random(seed);
        List<NDArray> in = new ArrayList<>(List.of(NDArray.randn(r, n, f), NDArray.uniform(r, -1, 1, n, h)));
        in.addAll(RNNGradInputs.cellWeights(r, f, h, 3, bias));
        RNNGradInputs.checkBoth(v -> {
            Variable[] w = RNNGradInputs.slots(v, 2, bias);
            return Functional.gruCell(v[0], v[1], w[0], w[1], w[2], w[3]);
        }, seed, in);
    }
}
