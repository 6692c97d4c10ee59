package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ModuleTest {

    /** A two-block model with a nested container, a batch norm (buffers) and dropout. */
    static final class Net extends Module {
        final Linear fc1;
        final Sequential body;
        final Linear head;

        Net(Random rng) {
            fc1 = registerModule("fc1", new Linear(4, 6, rng));
            body = registerModule("body", new Sequential(new BatchNorm1d(6), new ReLU(), new Dropout(0.5, rng), new Linear(6, 5, rng)));
            head = registerModule("head", new Linear(5, 3, rng));
        }

        @Override
        public Variable forward(Variable x) {
            return head.call(body.call(fc1.call(x)));
        }
    }

    @Test
    void parametersComeInRegistrationOrderWithDottedPaths() {
        Net net = new Net(new Random(0));
        assertEquals(List.of("fc1.weight", "fc1.bias", "body.0.weight", "body.0.bias", "body.3.weight", "body.3.bias",
                "head.weight", "head.bias"), List.copyOf(net.namedParameters().keySet()));
        List<Parameter> ps = net.parameters();
        assertSame(net.fc1.weight(), ps.get(0));
        assertSame(net.head.bias(), ps.get(7));
        assertEquals(4 * 6 + 6 + 6 + 6 + 6 * 5 + 5 + 5 * 3 + 3, net.numParameters());
        // the order is the same on every call
        assertEquals(ps, net.parameters());
    }

    @Test
    void stateDictHoldsParametersThenBuffersPerModule() {
        Net net = new Net(new Random(0));
        assertEquals(List.of("fc1.weight", "fc1.bias", "body.0.weight", "body.0.bias", "body.0.running_mean",
                "body.0.running_var", "body.0.num_batches_tracked", "body.3.weight", "body.3.bias", "head.weight", "head.bias"),
                List.copyOf(net.stateDict().keySet()));
    }

    @Test
    void namedModulesAndApplyVisitEveryModule() {
        Net net = new Net(new Random(0));
        assertEquals(List.of("", "fc1", "body", "body.0", "body.1", "body.2", "body.3", "head"),
                List.copyOf(net.namedModules().keySet()));
        List<String> visited = new ArrayList<>();
        net.apply(m -> visited.add(m.getClass().getSimpleName()));
        // children before their parent, as PyTorch's apply
        assertEquals(List.of("Linear", "BatchNorm1d", "ReLU", "Dropout", "Linear", "Sequential", "Linear", "Net"), visited);
    }

    @Test
    void applyInitializesEveryLinearLayer() {
        Net net = new Net(new Random(0));
        Random init = new Random(1);
        net.apply(m -> {
            if (m instanceof Linear) {
                ((Linear) m).initialize(Init.constant(0.25), Init.zeros(), init);
            }
        });
        for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
            double expected = e.getKey().startsWith("body.0") ? (e.getKey().endsWith("weight") ? 1 : 0)
                    : e.getKey().endsWith("weight") ? 0.25 : 0;
            for (double v : e.getValue().data().toArray()) {
                assertEquals(expected, v, 0, e.getKey());
            }
        }
    }

    @Test
    void zeroGradClearsEveryGradient() {
        Net net = new Net(new Random(0));
        Variable loss = net.forward(new Variable(NDArray.randn(new Random(1), 8, 4))).sum();
        loss.backward();
        for (Parameter p : net.parameters()) {
            assertNotNull(p.grad());
        }
        net.zeroGrad();
        for (Parameter p : net.parameters()) {
            assertNull(p.grad());
        }
    }

    @Test
    void trainAndEvalPropagateToEveryDescendant() {
        Net net = new Net(new Random(0));
        for (Module m : net.namedModules().values()) {
            assertTrue(m.isTraining());
        }
        net.eval();
        for (Module m : net.namedModules().values()) {
            assertFalse(m.isTraining());
        }
        net.body.train();
        assertFalse(net.isTraining());
        assertTrue(net.body.get(2).isTraining());
        net.train();
        for (Module m : net.namedModules().values()) {
            assertTrue(m.isTraining());
        }
    }

    @Test
    void sharedParameterIsListedOnce() {
        Linear shared = new Linear(3, 3, new Random(0));
        Sequential s = new Sequential(shared, new Tanh(), shared);
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(s.namedParameters().keySet()));
        assertEquals(2, s.parameters().size());
    }

    @Property(tries = 20)
    void sameSeedGivesBitwiseSameInitialization(@ForAll long seed) {
        Map<String, NDArray> a = new Net(new Random(seed)).stateDict();
        Map<String, NDArray> b = new Net(new Random(seed)).stateDict();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toArray(), b.get(k).toArray(), 0, k);
        }
    }

    @Test
    void sameSeedGivesBitwiseSameTrainingForward() {
        NDArray x = NDArray.randn(new Random(5), 8, 4);
        NDArray y1 = new Net(new Random(42)).forward(new Variable(x)).data();
        NDArray y2 = new Net(new Random(42)).forward(new Variable(x)).data();
        assertArrayEquals(y1.toArray(), y2.toArray(), 0);
    }

    @Test
    void stateDictRoundTripRestoresOutputsAndBuffers() {
        Net a = new Net(new Random(1));
        NDArray x = NDArray.randn(new Random(2), 8, 4);
        a.forward(new Variable(x)); // updates running statistics
        a.eval();
        Map<String, NDArray> snapshot = new LinkedHashMap<>();
        a.stateDict().forEach((k, v) -> snapshot.put(k, v.copy()));
        Net b = new Net(new Random(99));
        b.eval();
        assertFalse(a.forward(new Variable(x)).data().allClose(b.forward(new Variable(x)).data()));
        b.loadStateDict(snapshot, true);
        assertArrayEquals(a.forward(new Variable(x)).data().toArray(), b.forward(new Variable(x)).data().toArray(), 0);
        assertEquals(1, ((BatchNorm1d) b.body.get(0)).numBatchesTracked());
        // loading copies: later changes to the snapshot do not leak into the model
        snapshot.get("head.bias").fill(7);
        assertFalse(b.head.bias().data().getFlat(0) == 7);
    }

    @Test
    void loadStateDictNamesMissingUnexpectedAndMisShapedKeys() {
        Net net = new Net(new Random(1));
        Map<String, NDArray> state = new HashMap<>();
        net.stateDict().forEach((k, v) -> state.put(k, v.copy()));
        state.remove("head.bias");
        state.remove("body.0.running_var");
        state.put("head.extra", NDArray.zeros(2));
        state.put("fc1.weight", NDArray.zeros(4, 6)); // (in, out): the transpose of Linear's (out, in)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state, true));
        String m = e.getMessage();
        assertTrue(m.contains("Missing key(s) in state dict: [body.0.running_var, head.bias]"), m);
        assertTrue(m.contains("Unexpected key(s) in state dict: [head.extra]"), m);
        assertTrue(m.contains("size mismatch for fc1.weight: copying a param with shape (4, 6) from checkpoint, "
                + "the shape in current model is (6, 4)"), m);
        // non-strict: missing/unexpected are tolerated but a shape mismatch never is
        e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state, false));
        assertTrue(e.getMessage().contains("size mismatch for fc1.weight") && !e.getMessage().contains("Missing"), e.getMessage());
        state.put("fc1.weight", NDArray.full(3, 6, 4));
        net.loadStateDict(state, false);
        assertEquals(3.0, net.fc1.weight().data().getFlat(0), 0);
    }

    @Test
    void failedLoadLeavesTheModuleUnchanged() {
        Net net = new Net(new Random(1));
        double before = net.fc1.weight().data().getFlat(0);
        Map<String, NDArray> state = new HashMap<>();
        net.stateDict().forEach((k, v) -> state.put(k, v.add(1.0)));
        state.put("head.weight", NDArray.zeros(1));
        assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state, true));
        assertEquals(before, net.fc1.weight().data().getFlat(0), 0);
    }

    @Test
    void badAttributeNamesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerParameter("a.b", new Parameter(NDArray.zeros(1)));
            }

            @Override
            public Variable forward(Variable x) {
                return x;
            }
        });
        assertTrue(e.getMessage().contains("a.b"), e.getMessage());
    }

    @Test
    void summaryListsLayersShapesAndCountsWithoutChangingState() {
        Net net = new Net(new Random(3));
        net.body.get(1).eval(); // an individually set flag must survive the summary
        Map<String, NDArray> before = new LinkedHashMap<>();
        net.stateDict().forEach((k, v) -> before.put(k, v.copy()));
        Summary s = net.summary(new Variable(NDArray.ones(2, 4)));
        List<Summary.Row> rows = s.rows();
        assertEquals(8, rows.size());
        assertEquals("Net", rows.get(0).type());
        assertArrayEquals(new int[] {2, 3}, rows.get(0).outputShape());
        assertEquals("fc1", rows.get(1).path());
        assertArrayEquals(new int[] {2, 6}, rows.get(1).outputShape());
        assertEquals(30, rows.get(1).params());
        assertEquals("body.3", rows.get(6).path());
        assertEquals(2, rows.get(6).depth());
        assertArrayEquals(new int[] {2, 5}, rows.get(6).outputShape());
        assertEquals(47, rows.get(2).params()); // body: 12 (bn) + 35 (linear)
        assertEquals(net.numParameters(), s.totalParams());
        assertEquals(6 + 6 + 1, s.bufferElements());
        String table = s.toString();
        assertTrue(table.contains("Layer (type)") && table.contains("Output Shape") && table.contains("Param #"), table);
        assertTrue(table.contains("Total params: 95"), table);
        assertTrue(table.contains("└─ 3: Linear"), table);
        // training flags restored, state untouched (eval mode: no running-stat update, no dropout draw)
        assertTrue(net.isTraining() && net.body.isTraining() && !net.body.get(1).isTraining() && net.body.get(2).isTraining());
        net.stateDict().forEach((k, v) -> assertArrayEquals(before.get(k).toArray(), v.toArray(), 0, k));
    }

    @Test
    void summaryMaterializesLazyLayers() {
        Sequential s = new Sequential(new Linear(10, new Random(0)), new ReLU(), new Linear(2, new Random(1)));
        assertEquals(0, s.numParameters());
        Summary sum = s.summary(new Variable(NDArray.zeros(1, 7)));
        assertEquals(7 * 10 + 10 + 10 * 2 + 2, sum.totalParams());
        assertEquals(sum.totalParams(), s.numParameters());
        assertArrayEquals(new int[] {1, 2}, sum.rows().get(0).outputShape());
        assertEquals(80, sum.rows().get(1).params());
        assertEquals(0, sum.rows().get(2).params());
    }

    @Test
    void loadingACheckpointSizesLazyLayers() {
        Sequential trained = new Sequential(new Linear(5, 4, new Random(0)), new Tanh(), new Linear(4, 2, new Random(1)));
        Sequential lazy = new Sequential(new Linear(4, new Random(7)), new Tanh(), new Linear(2, new Random(8)));
        lazy.loadStateDict(trained.stateDict(), true);
        assertEquals(5, ((Linear) lazy.get(0)).inFeatures());
        NDArray x = NDArray.randn(new Random(2), 3, 5);
        assertArrayEquals(trained.forward(new Variable(x)).data().toArray(), lazy.forward(new Variable(x)).data().toArray(), 0);
        // a weight with the wrong number of columns does not size the layer; it is reported as unexpected
        Sequential other = new Sequential(new Linear(3, new Random(7)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> other.loadStateDict(Map.of("0.weight", NDArray.zeros(5, 4), "0.bias", NDArray.zeros(4)), true));
        assertTrue(e.getMessage().contains("Unexpected key(s) in state dict: [0."), e.getMessage());
    }

    @Property(tries = 20)
    void sequentialFirstAndSecondOrderAndParameterGradients(@ForAll long seed) {
        Random r = new Random(seed);
        Sequential s = new Sequential(new Linear(3, 4, r), new Tanh(), new Linear(4, 2, r), new GELU());
        NDArray x = NDArray.randn(r, 2, 3);
        Checks.firstAndSecondOrder(v -> s.forward(v[0]), x);
        Checks.moduleParameterGradients(s, x, seed);
    }

    @Test
    void sequentialChainsAndIndexes() {
        Random r = new Random(0);
        Linear a = new Linear(2, 3, r);
        Tanh t = new Tanh();
        Sequential s = new Sequential(a, t);
        assertSame(a, s.get(0));
        assertSame(t, s.get(-1));
        assertEquals(2, s.size());
        NDArray x = NDArray.randn(r, 4, 2);
        assertArrayEquals(a.forward(new Variable(x)).data().tanh().toArray(), s.forward(new Variable(x)).data().toArray(), 0);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> s.get(2));
        assertTrue(e.getMessage().contains("index 2") && e.getMessage().contains("2 modules"), e.getMessage());
        Variable in = new Variable(x);
        assertSame(in, new Sequential().forward(in));
    }

    @Test
    void requiresGradFalseFreezesEveryParameterOfAModuleAndTrueUnfreezes() {
        Net net = new Net(new Random(0));
        net.fc1.requiresGrad(false);
        Variable x = Variable.constant(NDArray.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, new int[] {2, 4}));
        net.eval().call(x).sum().backward();
        assertNull(net.fc1.weight().grad());
        assertNull(net.fc1.bias().grad());
        assertNotNull(net.head.weight().grad());
        assertNotNull(net.body.get(3).namedParameters().get("weight").grad());
        net.zeroGrad();
        net.requiresGrad(true);
        net.call(x).sum().backward();
        assertNotNull(net.fc1.weight().grad());
    }

    @Test
    void namedIteratorsFollowPyTorch() {
        Net net = new Net(new Random(0));
        assertEquals(List.of("body.0.running_mean", "body.0.running_var", "body.0.num_batches_tracked"),
                List.copyOf(net.namedBuffers().keySet()));
        assertSame(net.namedBuffers().get("body.0.running_mean"), net.buffers().get(0));
        assertEquals(List.of("fc1", "body", "head"), List.copyOf(net.namedChildren().keySet()));
        List<Module> all = net.modules();
        assertEquals(1 + 3 + 4, all.size());
        assertSame(net, all.get(0));
        assertSame(net.fc1, all.get(1));
        assertSame(net.body.get(0), all.get(3));
    }

    @Test
    void zeroGradSetsNullByDefaultOrZerosOnRequest() {
        Linear l = new Linear(2, 1, new Random(0));
        Variable x = Variable.constant(NDArray.of(new double[] {1, 2}, new int[] {1, 2}));
        l.call(x).sum().backward();
        l.zeroGrad(false);
        assertArrayEquals(new double[] {0, 0}, l.weight().grad().data().toArray(), 0);
        assertArrayEquals(new int[] {1, 2}, l.weight().grad().shape());
        l.zeroGrad();
        assertNull(l.weight().grad());
        l.zeroGrad(false); // no gradient stays null, as PyTorch
        assertNull(l.bias().grad());
    }
}
