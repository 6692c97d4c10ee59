package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** {@code Module.to(DType)}: float32 models built from float64 ones, as PyTorch's {@code module.to(dtype)}. */
class ModuleDtypeTest {

    private static NDArray batch(long seed) {
        return NDArray.randn(new Random(seed), 8, 4);
    }

    @Test
    void toFloat32ConvertsParametersAndFloatingBuffersButNotCounts() {
        ModuleTest.Net net = new ModuleTest.Net(new Random(0));
        List<Parameter> before = net.parameters();
        NDArray w64 = net.fc1.weight().data().copy();
        assertSame(net, net.to(DType.FLOAT32));
        assertEquals(DType.FLOAT32, net.dtype());
        assertEquals(before, net.parameters(), "the same Parameter objects, so optimizers keep working");
        for (Map.Entry<String, NDArray> e : net.stateDict().entrySet()) {
            DType expected = e.getKey().endsWith("num_batches_tracked") ? DType.INT64 : DType.FLOAT32;
            assertEquals(expected, e.getValue().dtype(), e.getKey());
        }
        // the values are the float64 ones rounded to float32
        NDArray w32 = net.fc1.weight().data();
        for (int i = 0; i < w64.size(); i++) {
            assertEquals((float) w64.getFlat(i), w32.getFlat(i), 0.0);
        }
    }

    @Test
    void aFloat32ModelComputesInFloat32AndTracksTheFloat64Model() {
        ModuleTest.Net n64 = new ModuleTest.Net(new Random(3));
        ModuleTest.Net n32 = new ModuleTest.Net(new Random(3));
        n32.to(DType.FLOAT32);
        n64.eval();
        n32.eval();
        NDArray x = batch(1);
        Variable y64 = n64.call(new Variable(x));
        Variable y32 = n32.call(new Variable(x.astype(DType.FLOAT32)));
        assertEquals(DType.FLOAT32, y32.dtype());
        assertTrue(y32.data().astype(DType.FLOAT64).allClose(y64.data(), 1e-4, 1e-5), () -> y32 + " vs " + y64);

        Variable l32 = Functional.crossEntropy(y32, new int[] {0, 1, 2, 0, 1, 2, 0, 1});
        Variable l64 = Functional.crossEntropy(y64, new int[] {0, 1, 2, 0, 1, 2, 0, 1});
        assertEquals(DType.FLOAT32, l32.dtype());
        l32.backward();
        l64.backward();
        List<Parameter> p32 = n32.parameters();
        List<Parameter> p64 = n64.parameters();
        for (int i = 0; i < p32.size(); i++) {
            NDArray g32 = p32.get(i).grad().data();
            NDArray g64 = p64.get(i).grad().data();
            assertEquals(DType.FLOAT32, g32.dtype(), p32.get(i).name());
            assertTrue(g32.astype(DType.FLOAT64).allClose(g64, 1e-3, 1e-5), p32.get(i).name());
        }
    }

    @Test
    void batchNormRunningStatisticsUpdateInFloat32() {
        BatchNorm1d bn = new BatchNorm1d(4);
        bn.to(DType.FLOAT32);
        bn.call(new Variable(batch(2).astype(DType.FLOAT32)));
        assertEquals(DType.FLOAT32, bn.runningMean().dtype());
        assertEquals(DType.FLOAT32, bn.runningVar().dtype());
        assertEquals(1, bn.numBatchesTracked());
        BatchNorm1d ref = new BatchNorm1d(4);
        ref.call(new Variable(batch(2).astype(DType.FLOAT32).astype(DType.FLOAT64)));
        assertTrue(bn.runningMean().astype(DType.FLOAT64).allClose(ref.runningMean(), 1e-5, 1e-6));
        assertTrue(bn.runningVar().astype(DType.FLOAT64).allClose(ref.runningVar(), 1e-5, 1e-6));
    }

    @Test
    void aLazyLinearMaterializedAfterToUsesTheNewDtype() {
        Linear lazy = new Linear(3, new Random(0));
        lazy.to(DType.FLOAT32);
        Variable y = lazy.call(new Variable(NDArray.ones(DType.FLOAT32, 2, 5)));
        assertEquals(DType.FLOAT32, lazy.weight().dtype());
        assertEquals(DType.FLOAT32, y.dtype());
        // the same initial weights as a float64 layer from the same seed, rounded
        Linear ref = new Linear(5, 3, new Random(0));
        for (int i = 0; i < ref.weight().size(); i++) {
            assertEquals((float) ref.weight().data().getFlat(i), lazy.weight().data().getFlat(i), 0.0);
        }
    }

    @Test
    void stateDictsMoveBetweenDtypes() {
        ModuleTest.Net n32 = new ModuleTest.Net(new Random(5));
        n32.to(DType.FLOAT32);
        ModuleTest.Net n64 = new ModuleTest.Net(new Random(6));
        n64.loadStateDict(n32.stateDict(), true);
        assertEquals(DType.FLOAT64, n64.fc1.weight().dtype());
        assertTrue(n64.fc1.weight().data().allClose(n32.fc1.weight().data().astype(DType.FLOAT64), 0, 0));
        n32.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, n32.head.bias().dtype());
    }

    @Test
    void setDataKeepsTheShapeAndOnlyLeaves() {
        Parameter p = new Parameter(NDArray.ones(2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.setData(NDArray.ones(3, 2)));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(3, 2)"), e::getMessage);
        assertThrows(IllegalArgumentException.class, () -> new Linear(2, 2, new Random(0)).to(null));
    }

    /**
     * Recurrent layers, dropout, embeddings and the softmax-with-loss node keep a float32 model in
     * float32 (their zero states, masks and one-hot targets follow the input's dtype) and track the
     * float64 model.
     */
    @Test
    void layersWithInternalConstantsStayFloat32() {
        NDArray x = NDArray.randn(new Random(4), 5, 3, 2); // (T, N, F)
        for (int kind = 0; kind < 3; kind++) {
            Module m64 = kind == 0 ? new RNN(2, 4, new Random(1)) : kind == 1 ? new LSTM(2, 4, new Random(1)) : new GRU(2, 4, new Random(1));
            Module m32 = kind == 0 ? new RNN(2, 4, new Random(1)) : kind == 1 ? new LSTM(2, 4, new Random(1)) : new GRU(2, 4, new Random(1));
            m32.to(DType.FLOAT32);
            Variable y32 = m32.call(new Variable(x.astype(DType.FLOAT32)));
            Variable y64 = m64.call(new Variable(x));
            assertEquals(DType.FLOAT32, y32.dtype(), m32.getClass().getSimpleName());
            assertTrue(y32.data().astype(DType.FLOAT64).allClose(y64.data(), 1e-4, 1e-5), m32.getClass().getSimpleName());
            y32.sum().backward();
            for (Parameter p : m32.parameters()) {
                assertEquals(DType.FLOAT32, p.grad().dtype(), p.name());
            }
        }
        Dropout d = new Dropout(0.5, new Random(0));
        assertEquals(DType.FLOAT32, d.call(new Variable(NDArray.ones(DType.FLOAT32, 4, 4))).dtype());
        Variable logits = new Variable(NDArray.randn(new Random(5), DType.FLOAT32, 4, 3), true);
        Variable loss = Functional.crossEntropy(logits, new int[] {0, 2, 1, 2});
        assertEquals(DType.FLOAT32, loss.dtype());
        loss.backward();
        assertEquals(DType.FLOAT32, logits.grad().dtype());
        double ref = Functional.crossEntropy(new Variable(logits.data().astype(DType.FLOAT64)), new int[] {0, 2, 1, 2}).item();
        assertEquals(ref, loss.item(), 1e-6);
    }
}
