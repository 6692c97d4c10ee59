package dev.nabla.examples.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.data.Synthetic;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;

class GatesTest {
    private static final NDArray X = NDArray.of(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});

    private static double[] table(Synthetic.Gate g) {
        double[] t = new double[4];
        for (int i = 0; i < 4; i++) {
            t[i] = g.apply((int) X.get(i, 0), (int) X.get(i, 1));
        }
        return t;
    }

    @Test
    void handSetPerceptronsComputeTheirTruthTables() {
        assertArrayEquals(new double[] {0, 0, 0, 1}, Perceptron.and().apply(X).toArray());
        assertArrayEquals(new double[] {1, 1, 1, 0}, Perceptron.nand().apply(X).toArray());
        assertArrayEquals(new double[] {0, 1, 1, 1}, Perceptron.or().apply(X).toArray());
        assertArrayEquals(table(Synthetic.Gate.AND), Perceptron.and().apply(X).toArray());
        assertArrayEquals(table(Synthetic.Gate.OR), Perceptron.or().apply(X).toArray());
    }

    @Test
    void xorIsNandAndOrIntoAnd() {
        assertArrayEquals(new double[] {0, 1, 1, 0}, Perceptron.xor(X).toArray());
    }

    @Test
    void noSinglePerceptronOnAGridOfWeightsComputesXor() {
        double[] xor = {0, 1, 1, 0};
        for (double w1 = -1; w1 <= 1; w1 += 0.1) {
            for (double w2 = -1; w2 <= 1; w2 += 0.1) {
                for (double b = -1; b <= 1; b += 0.1) {
                    double[] y = new Perceptron(w1, w2, b).apply(X).toArray();
                    assertTrue(!java.util.Arrays.equals(xor, y), "XOR is not linearly separable, yet w=" + w1 + "," + w2 + " b=" + b);
                }
            }
        }
    }

    @Test
    void theStepFunctionRefusesToBeDifferentiated() {
        Variable x = new Variable(X, true);
        Variable y = new dev.nabla.nn.Step().forward(x).sum();
        assertThrows(RuntimeException.class, y::backward);
    }

    @Test
    void theTwoLayerNetworkLearnsXor() {
        RunConfig cfg = new RunConfig("gates", 1000, 4, 0.5, "sgd", 0, "none", 0, null, null, 0, 0);
        Gates.Learned l = Gates.learnXor(cfg, null);
        // measured: loss 0.0059, probabilities 0.0017, 0.9924, 0.9938, 0.0081
        assertTrue(l.loss < 0.02, "loss " + l.loss);
        double[] p = l.probabilities;
        assertTrue(p[0] < 0.05 && p[1] > 0.95 && p[2] > 0.95 && p[3] < 0.05, java.util.Arrays.toString(p));
    }

    /**
     * The run layout of `nabla train gates` (1000 full-batch steps): config, summary (all four XOR rows
     * right, so test_acc 1; its probabilities), one metrics row per step, loss plot, last checkpoint and
     * model.safetensors, which loads into a fresh 2-4-1 network that gives summary.json's probabilities.
     */
    @org.junit.jupiter.api.Test
    void cliRunWritesTheCommonRunLayout(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path dir = tmp.resolve("run");
        dev.nabla.examples.Cli.run("train", "gates", "--out", dir.toString(), "--progress", "never");
        java.util.Map<String, Object> s = dev.nabla.examples.RunLayout.check(dir, "gates", 1000, "loss.png");
        org.junit.jupiter.api.Assertions.assertEquals(1.0, dev.nabla.examples.RunLayout.number(s, "test_acc"), 0.0);
        assertTrue(dev.nabla.examples.RunLayout.number(s, "test_loss") < 0.1, s.toString());
        java.util.Random r = new java.util.Random(1);
        dev.nabla.nn.Module net = new dev.nabla.nn.Sequential(new dev.nabla.nn.Linear(2, 4, r), new dev.nabla.nn.Tanh(),
                new dev.nabla.nn.Linear(4, 1, r));
        dev.nabla.train.ModelExport.load(net, dir.resolve(dev.nabla.train.ModelExport.FILE));
        double[] p;
        try (dev.nabla.autograd.Autograd.Scope g = dev.nabla.autograd.Autograd.noGrad()) {
            p = net.call(new Variable(Synthetic.gate(Synthetic.Gate.XOR).features())).data().sigmoid().toArray();
        }
        java.util.List<?> saved = (java.util.List<?>) s.get("probabilities");
        for (int i = 0; i < 4; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(((dev.nabla.ndarray.io.Json.Num) saved.get(i)).toDouble(), p[i], 0.0);
        }
    }
}
