package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Containers, public registration and the module-tree toString, against PyTorch's documented
 * behaviour (the expected strings and keys are written by hand from PyTorch's reprs).
 */
class ContainersTest {
    private final Random rng = new Random(0);

    /** A model built only from outside, as with PyTorch's add_module / register_parameter. */
    private Module blank() {
        return new Module() {
            @Override
            public Variable forward(Variable x) {
                return x;
            }
        };
    }

    @Test
    void containerStateDictKeysFollowPyTorch() {
        Module m = blank();
        ModuleList layers = m.registerModule("layers", new ModuleList(new Linear(2, 3, rng), new ReLU(), new Linear(3, 1, rng)));
        ModuleDict blocks = m.registerModule("blocks", new ModuleDict().put("enc", new Linear(1, 2, rng)).put("dec", new Linear(2, 1, rng)));
        ParameterList params = m.registerModule("params", new ParameterList(new Parameter(NDArray.zeros(2)), new Parameter(NDArray.ones(3))));
        ParameterDict scales = m.registerModule("scales", new ParameterDict());
        scales.put("a", new Parameter(NDArray.scalar(2)));
        m.registerBuffer("steps", NDArray.scalar(0));
        m.registerParameter("temperature", new Parameter(NDArray.scalar(1)));
        assertEquals(List.of("temperature", "steps", "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias",
                "blocks.enc.weight", "blocks.enc.bias", "blocks.dec.weight", "blocks.dec.bias", "params.0", "params.1", "scales.a"),
                List.copyOf(m.stateDict().keySet()));
        assertEquals(3, layers.size());
        assertSame(layers.get(2), layers.get(-1));
        assertEquals(List.of("enc", "dec"), List.copyOf(blocks.keys()));
        assertSame(params.get(1), m.namedParameters().get("params.1"));
        assertEquals(2.0, scales.get("a").item());
    }

    @Test
    void registrationNamesAreValidatedWithPyTorchsWording() {
        Module m = blank();
        m.registerModule("fc", new Linear(2, 2, rng));
        Parameter p = new Parameter(NDArray.zeros(1));
        assertMessage(() -> m.registerParameter("fc", p), "attribute 'fc' already exists");
        assertMessage(() -> m.registerBuffer("fc", NDArray.zeros(1)), "attribute 'fc' already exists");
        m.registerParameter("w", p);
        assertMessage(() -> m.registerModule("w", new ReLU()), "attribute 'w' already exists");
        assertMessage(() -> m.registerModule("a.b", new ReLU()), "module name can't contain \".\", got: a.b");
        assertMessage(() -> m.registerParameter("a.b", p), "parameter name can't contain \".\", got: a.b");
        assertMessage(() -> m.registerBuffer("", NDArray.zeros(1)), "buffer name can't be empty string \"\"");
        assertMessage(() -> new ModuleDict().put("x.y", new ReLU()), "module name can't contain \".\"");
        // re-registering under the same kind replaces, as in PyTorch
        Linear other = new Linear(2, 1, rng);
        m.registerModule("fc", other);
        assertSame(other, m.children().get("fc"));
    }

    @Test
    void containersHaveNoForward() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> new ModuleList(new ReLU()).forward(Variable.constant(1)));
        assertTrue(e.getMessage().startsWith("Module [ModuleList] is missing the required \"forward\" function"), e.getMessage());
    }

    @Test
    void sequentialPrintsTheTreeAsPyTorch() {
        Sequential s = new Sequential(new Linear(784, 100, rng), new ReLU(), new Dropout(0.5, rng), new Linear(100, 10, rng));
        assertEquals("Sequential(\n"
                + "  (0): Linear(in_features=784, out_features=100, bias=True)\n"
                + "  (1): ReLU()\n"
                + "  (2): Dropout(p=0.5, inplace=False)\n"
                + "  (3): Linear(in_features=100, out_features=10, bias=True)\n"
                + ")", s.toString());
    }

    @Test
    void nestedModulesAreIndentedAndRepeatedListEntriesFolded() {
        Module m = blank();
        m.registerModule("conv", new Conv2d(1, 20, 5, rng));
        m.registerModule("layers", new ModuleList(new Linear(4, 4, rng), new Linear(4, 4, rng), new Linear(4, 4, rng), new Tanh()));
        m.registerModule("head", new Sequential(new BatchNorm1d(4), new Linear(4, 2, false, Init.xavierUniform(), Init.zeros(), rng)));
        String name = m.getClass().getSimpleName(); // anonymous: empty, as the tree's root name
        assertEquals(name + "(\n"
                + "  (conv): Conv2d(1, 20, kernel_size=(5, 5), stride=(1, 1))\n"
                + "  (layers): ModuleList(\n"
                + "    (0-2): 3 x Linear(in_features=4, out_features=4, bias=True)\n"
                + "    (3): Tanh()\n"
                + "  )\n"
                + "  (head): Sequential(\n"
                + "    (0): BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n"
                + "    (1): Linear(in_features=4, out_features=2, bias=False)\n"
                + "  )\n"
                + ")", m.toString());
    }

    @Test
    void everyLayerPrintsInPyTorchsWords() {
        assertEquals("LSTM(10, 20, num_layers=2)", new LSTM(10, 20, RNNOptions.defaults().numLayers(2), rng).toString());
        assertEquals("GRU(3, 4, bias=False, batch_first=True)",
                new GRU(3, 4, RNNOptions.defaults().bias(false).batchFirst(true), rng).toString());
        assertEquals("LSTMCell(3, 5)", new LSTMCell(3, 5, rng).toString());
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)", new MaxPool2d(2).toString());
        assertEquals("LayerNorm((10,), eps=1e-05, elementwise_affine=True)", new LayerNorm(10).toString());
        assertEquals("Conv2d(3, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))", new Conv2d(3, 8, 3, 2, 1, rng).toString());
        assertEquals("Embedding(10, 3)", new Embedding(10, 3, rng).toString());
        assertEquals("LeakyReLU(negative_slope=0.01)", new LeakyReLU().toString());
        assertEquals("ReLU()", new ReLU().toString());
        assertEquals("Sequential()", new Sequential().toString());
        assertEquals("ParameterList(  (0): Parameter containing: [torch.float64 of size 2x3])",
                new ParameterList(new Parameter(NDArray.zeros(2, 3))).toString());
        // a float32 list (after to(FLOAT32)) converts what it registers, as Module.to does
        ParameterList f32 = (ParameterList) new ParameterList().to(dev.nabla.ndarray.DType.FLOAT32);
        f32.add(new Parameter(NDArray.zeros(2))).add(new Parameter(NDArray.zeros(4, 1)));
        assertEquals("ParameterList(\n    (0): Parameter containing: [torch.float32 of size 2]\n"
                + "    (1): Parameter containing: [torch.float32 of size 4x1]\n)", f32.toString());
    }

    @Test
    void floatsPrintAsPythonsRepr() {
        assertEquals("1e-05", Repr.num(1e-5));
        assertEquals("0.0001", Repr.num(1e-4));
        assertEquals("0.1", Repr.num(0.1));
        assertEquals("1.0", Repr.num(1));
        assertEquals("-2.5", Repr.num(-2.5));
        assertEquals("1e+16", Repr.num(1e16));
        assertEquals("1234567.0", Repr.num(1234567));
        assertEquals("1.5e-07", Repr.num(1.5e-7));
    }

    private static void assertMessage(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), "expected <" + part + "> in: " + e.getMessage());
    }
}
