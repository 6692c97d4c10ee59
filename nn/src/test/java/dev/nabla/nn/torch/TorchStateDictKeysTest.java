package dev.nabla.nn.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.BatchNorm2d;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Embedding;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.GELU;
import dev.nabla.nn.GRU;
import dev.nabla.nn.LSTM;
import dev.nabla.nn.LayerNorm;
import dev.nabla.nn.Linear;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.Module;
import dev.nabla.nn.RNN;
import dev.nabla.nn.RNNOptions;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Tanh;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every model of the PyTorch fixtures' {@code models.json}, built from Nabla's modules with the
 * same structure, has PyTorch's state dict: the same keys in the same order (PyTorch's is
 * registration order: own parameters, then buffers, then children, depth first; Sequential
 * children "0", "1", ...), the same shapes, and the same dtype for every entry (BatchNorm's
 * {@code num_batches_tracked} is int64). A model added to the fixtures without a builder here fails the test.
 */
class TorchStateDictKeysTest {

    /** A module made of named children registered in order; only its state dict is used. */
    static final class Tree extends Module {
        Tree(Object... namesAndModules) {
            for (int i = 0; i < namesAndModules.length; i += 2) {
                registerModule((String) namesAndModules[i], (Module) namesAndModules[i + 1]);
            }
        }

        @Override
        public Variable forward(Variable x) {
            throw new UnsupportedOperationException("Tree: a container for state-dict checks only");
        }
    }

    static Map<String, Supplier<Module>> builders() {
        Random r = new Random(0);
        Map<String, Supplier<Module>> b = new LinkedHashMap<>();
        b.put("mlp", () -> new Sequential(new Linear(784, 100, r), new ReLU(), new Linear(100, 10, r)));
        b.put("lenet", () -> new Sequential(new Conv2d(1, 6, 5, r), new ReLU(), new MaxPool2d(2), new Conv2d(6, 16, 5, r),
                new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(256, 120, r), new ReLU(), new Linear(120, 84, r),
                new ReLU(), new Linear(84, 10, r)));
        b.put("convbn", () -> new Sequential(new Conv2d(3, 8, 3, 2, 1, r), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(32, 10, r)));
        b.put("mlp_bn_ln", () -> new Sequential(new Linear(12, 16, r), new BatchNorm1d(16), new GELU(), new Linear(16, 16, r),
                new LayerNorm(16), new Tanh(), new Linear(16, 10, r)));
        b.put("lstm", () -> new TorchRecurrentFixturesTest.Rec(new LSTM(3, 5, RNNOptions.defaults().numLayers(2), r)));
        b.put("gru", () -> new TorchRecurrentFixturesTest.Rec(new GRU(3, 5, r)));
        b.put("rnn_tanh", () -> new TorchRecurrentFixturesTest.Rec(new RNN(3, 5, RNNOptions.defaults().numLayers(2), r)));
        b.put("embedding", () -> new Tree("emb", new Embedding(11, 6, r), "out", new Linear(6, 11, r)));
        return b;
    }

    @Test
    void everyFixtureModelHasPyTorchsKeysOrderShapesAndFloatDtypes() throws IOException {
        Map<String, Map<String, Object>> models = TorchFixtures.models();
        Map<String, Supplier<Module>> builders = builders();
        List<String> fixtureModels = new java.util.ArrayList<>(models.keySet());
        fixtureModels.remove("dtypes"); // one tensor per dtype, not a model
        assertEquals(fixtureModels, List.copyOf(builders.keySet()), "a builder for every model of models.json");
        for (String name : fixtureModels) {
            Map<String, TorchFixtures.Spec> expected = TorchFixtures.specs(models.get(name), "state_dict");
            Map<String, NDArray> actual = builders.get(name).get().stateDict();
            assertEquals(TorchFixtures.keys(expected), TorchFixtures.keys(actual), name + ": state-dict keys in order");
            for (Map.Entry<String, TorchFixtures.Spec> e : expected.entrySet()) {
                NDArray a = actual.get(e.getKey());
                assertArrayEquals(e.getValue().shape(), a.shape(), name + ": shape of " + e.getKey());
                assertEquals(e.getValue().dtype(), a.dtype().numpyName(), name + ": dtype of " + e.getKey());
            }
        }
    }
}
