package dev.nabla.examples.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Functional;
import dev.nabla.nn.Module;
import org.junit.jupiter.api.Test;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** LeNet and SimpleConvNet: structure, parameter counts, and a forward/backward sanity check on a random batch. */
class CnnModelsTest {

    private static int count(Module m) {
        int n = 0;
        for (Parameter p : m.parameters()) {
            n += p.size();
        }
        return n;
    }

    /** Forward a random batch, backward the cross-entropy, and check every parameter got a finite, non-zero gradient. */
    private static void forwardBackward(Module net, int n, long seed) {
        Random r = new Random(seed);
        NDArray x = NDArray.rand(r, n, 1, 28, 28);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(10);
        }
        Variable logits = net.forward(new Variable(x));
        assertArrayEquals(new int[] {n, 10}, logits.shape());
        Variable loss = Functional.crossEntropy(logits, labels);
        // near-uniform predictions at initialisation: loss close to ln 10
        assertEquals(Math.log(10), loss.item(), 0.5);
        loss.backward();
        for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            assertNotNull(p.grad(), e.getKey() + " has no gradient");
            assertArrayEquals(p.shape(), p.grad().shape(), e.getKey());
            double norm = 0;
            for (int i = 0; i < p.grad().size(); i++) {
                double g = p.grad().data().getFlat(i);
                assertTrue(Double.isFinite(g), e.getKey() + " has a non-finite gradient");
                norm += g * g;
            }
            assertTrue(norm > 0, e.getKey() + " has an all-zero gradient");
        }
        // the same batch through flat (N, 784) input gives the same logits
        assertTrue(net.forward(new Variable(x.reshape(n, 784))).data().allClose(logits.data(), 0, 0));
    }

    @Test
    void leNetStructure() {
        LeNet net = new LeNet(new Random(0));
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
                "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"), List.copyOf(net.namedParameters().keySet()));
        // 6*25+6 + 16*150+16 + 256*120+120 + 120*84+84 + 84*10+10
        assertEquals(44_426, count(net));
        assertArrayEquals(new int[] {6, 1, 5, 5}, net.firstConv().weight().shape());
    }

    @Test
    void leNetForwardBackwardOnARandomBatch() {
        forwardBackward(new LeNet(new Random(1)), 8, 2);
    }

    @Test
    void simpleConvNetStructure() {
        SimpleConvNet net = new SimpleConvNet(new Random(0));
        assertEquals(List.of("conv.weight", "conv.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"),
                List.copyOf(net.namedParameters().keySet()));
        // 30*25+30 + 4320*100+100 + 100*10+10
        assertEquals(433_890, count(net));
    }

    @Test
    void simpleConvNetForwardBackwardOnARandomBatch() {
        forwardBackward(new SimpleConvNet(new Random(3)), 4, 4);
    }

    @Test
    void sameSeedGivesBitwiseSameModelAndOutput() {
        NDArray x = NDArray.rand(new Random(9), 2, 1, 28, 28);
        NDArray a = new LeNet(new Random(5)).forward(new Variable(x)).data();
        NDArray b = new LeNet(new Random(5)).forward(new Variable(x)).data();
        assertArrayEquals(a.toArray(), b.toArray());
    }

    /** The whole model's input gradient (conv, ReLU, max pool, affine, in sequence) against central differences. */
    @Test
    void leNetInputGradientPassesGradCheck() {
        LeNet net = new LeNet(new Random(6));
        NDArray x = NDArray.rand(new Random(7), 1, 1, 28, 28);
        GradCheck.check(v -> net.forward(v[0]), x).orThrow();
    }

    @Test
    void wrongInputShapeIsExplained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LeNet(new Random(0)).forward(new Variable(NDArray.zeros(2, 3, 28, 28))));
        assertEquals("LeNet: expected 28x28 grey images as (N, 1, 28, 28) or flat (N, 784), but got an input of shape"
                + " (2, 3, 28, 28)", e.getMessage());
    }
}
