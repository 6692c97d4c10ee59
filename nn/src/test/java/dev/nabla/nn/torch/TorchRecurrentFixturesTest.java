package dev.nabla.nn.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Functional;
import dev.nabla.nn.GRU;
import dev.nabla.nn.LSTM;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.RNN;
import dev.nabla.nn.RNNBase;
import dev.nabla.nn.RNNOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The recurrent layers against PyTorch: each fixture's state dict ({@code rnn.weight_ih_l0}, ...,
 * {@code head.weight}, in PyTorch's names and layouts) loads strictly with no renaming or
 * transposing, and the model then reproduces PyTorch's eval output, its MSE training loss and
 * the gradient of that loss for every parameter, to 1e-10 in float64. This proves the names, the
 * (gates·H, in) layout, the gate orders (LSTM i, f, g, o; GRU r, z, n with PyTorch's candidate
 * {@code tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))}), stacking, sequence-first input and the
 * Linear head's (out, in) weight at once. The batch-first layout is checked on the same numbers.
 */
class TorchRecurrentFixturesTest {
    private static final double TOL = 1e-10;

    /** PyTorch's {@code Rec}: a recurrent layer, then {@code head} (Linear(5, 2)) on every step. */
    static final class Rec extends Module {
        final RNNBase rnn;
        final Linear head;

        Rec(RNNBase rnn) {
            this.rnn = registerModule("rnn", rnn);
            this.head = registerModule("head", new Linear(5, 2, new Random(1)));
        }

        @Override
        public Variable forward(Variable x) {
            return head.call(rnn.call(x));
        }
    }

    private static Function<RNNOptions, RNNBase> layer(String name) {
        Random rng = new Random(0);
        switch (name) {
            case "lstm":
                return o -> new LSTM(3, 5, o.numLayers(2), rng);
            case "gru":
                return o -> new GRU(3, 5, o, rng);
            case "rnn_tanh":
                return o -> new RNN(3, 5, o.numLayers(2), rng);
            default:
                throw new IllegalArgumentException(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn_tanh"})
    void loadsStrictlyAndReproducesOutputLossAndGradients(String name) throws IOException {
        Map<String, NDArray> state = TorchFixtures.load(name + ".safetensors");
        Map<String, NDArray> io = TorchFixtures.load(name + ".io.safetensors");
        Rec model = new Rec(layer(name).apply(RNNOptions.defaults()));
        model.loadStateDict(state, true);

        model.eval();
        try (Autograd.Scope s = Autograd.noGrad()) {
            Variable y = model.call(new Variable(io.get("input0")));
            TorchFixtures.assertClose(io.get("eval_output0"), y.data(), TOL, name + " eval_output0");
        }

        model.train();
        model.zeroGrad();
        Variable loss = Functional.mseLoss(model.call(new Variable(io.get("input0"))), new Variable(io.get("target")));
        assertEquals(io.get("train_loss").item(), loss.item(), TOL, name + " train_loss");
        loss.backward();
        int checked = 0;
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            NDArray expected = io.get("grad." + e.getKey());
            assertNotNull(expected, name + ": the fixture has no grad." + e.getKey());
            TorchFixtures.assertClose(expected, e.getValue().grad().data(), TOL, name + " grad." + e.getKey());
            checked++;
        }
        assertEquals(state.size(), checked, name + ": every parameter's gradient is compared");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn_tanh"})
    void batchFirstGivesPyTorchsOutputTransposed(String name) throws IOException {
        Map<String, NDArray> io = TorchFixtures.load(name + ".io.safetensors");
        Rec model = new Rec(layer(name).apply(RNNOptions.defaults().batchFirst(true)));
        model.loadStateDict(TorchFixtures.load(name + ".safetensors"), true);
        model.eval();
        try (Autograd.Scope s = Autograd.noGrad()) {
            Variable y = model.call(new Variable(io.get("input0").transpose(0, 1)));
            TorchFixtures.assertClose(io.get("eval_output0").transpose(0, 1), y.data(), TOL, name + " batch-first");
        }
    }
}
