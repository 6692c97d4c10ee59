package dev.nabla.examples.resnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Module;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** BasicBlock, ResNet and DeepConvNet: shortcut kinds, shapes, parameter counts, state-dict keys and hand-checkable outputs. */
class ResNetModelTest {

    /** The stage-opening blocks project (stride 2, wider), the first stage's block keeps the identity. */
    @Test
    void identityInsideAStageProjectionWhereTheShapeChanges() {
        ResNet net = ResNet.mnist(new int[] {16, 32, 64}, 2, new Random(0));
        List<BasicBlock> b = net.blocks();
        assertEquals(6, b.size());
        boolean[] projection = {false, false, true, false, true, false};
        int[] stride = {1, 1, 2, 1, 2, 1};
        int[] in = {16, 16, 16, 32, 32, 64};
        int[] out = {16, 16, 32, 32, 64, 64};
        for (int i = 0; i < 6; i++) {
            assertEquals(projection[i], b.get(i).hasProjection(), "block " + i);
            assertEquals(stride[i], b.get(i).stride(), "block " + i);
            assertEquals(in[i], b.get(i).inChannels(), "block " + i);
            assertEquals(out[i], b.get(i).outChannels(), "block " + i);
        }
        // stride 1 but wider: a projection too
        assertTrue(new BasicBlock(8, 16, 1, new Random(0)).hasProjection());
    }

    /** (N, 1, 28, 28) and flat (N, 784) give (N, 10); a projection block halves the map and widens the channels. */
    @Test
    void shapes() {
        ResNet net = ResNet.mnist(ResNetExample.WIDTHS, ResNetExample.BLOCKS, new Random(1));
        NDArray x = NDArray.rand(new Random(2), 3, 1, 28, 28);
        assertArrayEquals(new int[] {3, 10}, net.call(new Variable(x)).shape());
        assertArrayEquals(new int[] {3, 10}, net.call(new Variable(x.reshape(3, 784))).shape());
        BasicBlock down = new BasicBlock(16, 32, 2, new Random(3));
        assertArrayEquals(new int[] {2, 32, 7, 7}, down.call(new Variable(NDArray.rand(new Random(4), 2, 16, 14, 14))).shape());
        assertArrayEquals(new int[] {2, 64, 4, 4}, new BasicBlock(32, 64, 2, new Random(5))
                .call(new Variable(NDArray.rand(new Random(6), 2, 32, 7, 7))).shape());
        BasicBlock same = new BasicBlock(16, 16, 1, new Random(7));
        assertArrayEquals(new int[] {2, 16, 14, 14}, same.call(new Variable(NDArray.rand(new Random(8), 2, 16, 14, 14))).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.call(new Variable(NDArray.zeros(2, 3, 28, 28))));
        assertTrue(e.getMessage().contains("ResNet") && e.getMessage().contains("(2, 3, 28, 28)"), e.getMessage());
    }

    /**
     * 77,754 parameters counted by hand: stem 16·9 + BN 32; layer1 2·16·16·9 + 2·32; layer2 32·16·9
     * + 32·32·9 + 2·64 + projection 32·16 + 64; layer3 64·32·9 + 64·64·9 + 2·128 + 64·32 + 128; fc
     * 64·10 + 10. The keys are torchvision's.
     */
    @Test
    void parameterCountAndTorchvisionKeys() {
        ResNet net = ResNet.mnist(ResNetExample.WIDTHS, ResNetExample.BLOCKS, new Random(0));
        long expected = (16 * 9 + 32) + (2 * 16 * 16 * 9 + 2 * 32) + (32 * 16 * 9 + 32 * 32 * 9 + 2 * 64 + 32 * 16 + 64)
                + (64 * 32 * 9 + 64 * 64 * 9 + 2 * 128 + 64 * 32 + 128) + (64 * 10 + 10);
        assertEquals(77_754, expected);
        assertEquals(expected, net.numParameters());
        Set<String> keys = net.stateDict().keySet();
        for (String k : List.of("conv1.weight", "bn1.weight", "bn1.running_mean", "layer1.0.conv1.weight", "layer1.0.bn2.bias",
                "layer2.0.downsample.0.weight", "layer2.0.downsample.1.running_var", "layer3.0.conv2.weight", "fc.weight",
                "fc.bias")) {
            assertTrue(keys.contains(k), k + " missing in " + keys);
        }
        assertFalse(keys.contains("layer1.0.downsample.0.weight"), "the identity block has no projection");
        assertFalse(keys.contains("layer1.0.conv1.bias"), "convolutions before batch norm have no bias");
    }

    /** He initialization: a 3x3 convolution of 16 inputs has weight std √(2/144) = 0.118. */
    @Test
    void convolutionsAreHeInitialized() {
        Conv2d c = BasicBlock.conv(16, 32, 3, 1, 1, new Random(0));
        double[] w = c.weight().data().toArray();
        double ss = 0;
        for (double v : w) {
            ss += v * v;
        }
        double std = Math.sqrt(ss / w.length);
        assertEquals(Math.sqrt(2.0 / 144), std, 0.05 * Math.sqrt(2.0 / 144), "4608 draws: within 5% of the target");
    }

    private static void zeroConvs(Module m) {
        for (Module c : m.namedModules().values()) {
            if (c instanceof Conv2d) {
                ((Conv2d) c).weight().data().fill(0);
            }
        }
    }

    /**
     * With both 3x3 convolutions zeroed the residual branch is bn2(0) = 0 (training mode: zero mean
     * and variance, then weight 1, bias 0), so an identity block returns relu(x) exactly.
     */
    @Test
    void identityBlockWithAZeroBranchIsReluOfItsInput() {
        BasicBlock b = new BasicBlock(4, 4, 1, new Random(0));
        zeroConvs(b);
        NDArray x = NDArray.randn(new Random(1), 2, 4, 5, 5);
        double[] y = b.call(new Variable(x)).data().toArray();
        double[] xs = x.toArray();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(Math.max(0, xs[i]), y[i], 0.0, "element " + i);
        }
    }

    /**
     * A projection block with zeroed 3x3 convolutions returns relu(bn(conv1x1 stride 2 of x)): with
     * a 1x1 weight of one 1 per output channel (channel o reads input o mod 2), the output is the
     * batch-normalized subsampled input channel, checked against a direct loop.
     */
    @Test
    void projectionShortcutIsAStridedOneByOneConvolutionAndBatchNorm() {
        BasicBlock b = new BasicBlock(2, 3, 2, new Random(0));
        zeroConvs(b);
        Parameter proj = null;
        for (java.util.Map.Entry<String, Parameter> e : b.namedParameters().entrySet()) {
            if (e.getKey().equals("downsample.0.weight")) {
                proj = e.getValue();
            }
        }
        assertArrayEquals(new int[] {3, 2, 1, 1}, proj.shape());
        double[] w = new double[6];
        for (int o = 0; o < 3; o++) {
            w[o * 2 + o % 2] = 1;
        }
        proj.data().copyFrom(NDArray.of(w, 3, 2, 1, 1));
        int n = 2;
        NDArray x = NDArray.randn(new Random(1), n, 2, 5, 5);
        NDArray y = b.call(new Variable(x)).data();
        assertArrayEquals(new int[] {n, 3, 3, 3}, y.shape());
        for (int o = 0; o < 3; o++) {
            double[] v = new double[n * 9];
            int k = 0;
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        v[k++] = x.get(s, o % 2, 2 * i, 2 * j);
                    }
                }
            }
            double mean = 0;
            for (double d : v) {
                mean += d / v.length;
            }
            double var = 0;
            for (double d : v) {
                var += (d - mean) * (d - mean) / v.length;
            }
            k = 0;
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        double expected = Math.max(0, (v[k++] - mean) / Math.sqrt(var + 1e-5));
                        assertEquals(expected, y.get(s, o, i, j), 1e-12, "channel " + o + " at " + s + "," + i + "," + j);
                    }
                }
            }
        }
    }

    /** The plain and residual DeepConvNet: 2·pairs + 2 weight layers, the same initial weights from one seed, (N, 10) out. */
    @Test
    void plainAndResidualNetsStartFromTheSameWeights() {
        DeepConvNet plain = new DeepConvNet(4, 3, false, new Random(9));
        DeepConvNet res = new DeepConvNet(4, 3, true, new Random(9));
        assertEquals(8, plain.layerWeights().size());
        for (int l = 0; l < 8; l++) {
            assertArrayEquals(plain.layerWeights().get(l).data().toArray(), res.layerWeights().get(l).data().toArray(), 0.0);
        }
        NDArray x = NDArray.rand(new Random(10), 2, 1, 28, 28);
        assertArrayEquals(new int[] {2, 10}, res.call(new Variable(x)).shape());
        assertFalse(java.util.Arrays.equals(plain.call(new Variable(x)).data().toArray(),
                res.call(new Variable(x)).data().toArray()), "the shortcuts change the function");
    }
}
