package dev.nabla.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class XorCoreTest {
    @Test
    void twoLayerNetworkLearnsXor() {
        XorCore.Result r = XorCore.train(0, 5000, 2.0, 4, null);
        assertTrue(r.finalLoss < 0.01, "final loss " + r.finalLoss);
        double[] o = r.outputs;
        assertTrue(o[0] < 0.2 && o[1] > 0.8 && o[2] > 0.8 && o[3] < 0.2, java.util.Arrays.toString(o));
    }

    @Test
    void sameSeedSameBits() {
        assertArrayEquals(XorCore.train(3, 300, 2.0, 4, null).outputs, XorCore.train(3, 300, 2.0, 4, null).outputs);
    }
}
