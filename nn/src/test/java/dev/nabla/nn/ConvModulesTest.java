package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.GradGradCheck;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.conv.ConvCase;
import dev.nabla.nn.conv.PoolOptions;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The Conv2d, MaxPool2d, AvgPool2d and GlobalAvgPool2d modules: parameters, initialisation, shapes, errors, gradients. */
class ConvModulesTest {

    @Provide
    Arbitrary<ConvCase> convCases() {
        return ConvCase.conv();
    }

    @Provide
    Arbitrary<ConvCase> poolCases() {
        return ConvCase.pool();
    }

    private static Conv2d layer(ConvCase k, Random rng) {
        return new Conv2d(k.c, k.oc, new int[] {k.kh, k.kw}, new int[] {k.sh, k.sw}, new int[] {k.ph, k.pw},
                new int[] {k.dh, k.dw}, true, rng);
    }

    @Test
    void parametersAreNamedAndShaped() {
        Conv2d conv = new Conv2d(3, 6, 5, new Random(0));
        Map<String, Parameter> p = conv.namedParameters();
        assertEquals(List.of("weight", "bias"), List.copyOf(p.keySet()));
        assertArrayEquals(new int[] {6, 3, 5, 5}, p.get("weight").shape());
        assertArrayEquals(new int[] {6}, p.get("bias").shape());
        Conv2d noBias = new Conv2d(3, 6, new int[] {3, 1}, new int[] {1}, new int[] {1, 0}, new int[] {1}, false,
                new Random(0));
        assertNull(noBias.bias());
        assertEquals(List.of("weight"), List.copyOf(noBias.namedParameters().keySet()));
        assertArrayEquals(new int[] {6, 3, 3, 1}, noBias.weight().shape());
        assertEquals(9, noBias.fanIn());
    }

    @Test
    void defaultInitIsUniformWithinOneOverSqrtFanIn() {
        Conv2d conv = new Conv2d(8, 16, 3, new Random(42));
        double bound = 1 / Math.sqrt(8 * 9);
        NDArray w = conv.weight().data();
        double max = w.abs().max(new int[] {0, 1, 2, 3}, false).item();
        assertTrue(max <= bound, "max |w| " + max + " exceeds " + bound);
        assertTrue(max > 0.95 * bound, "max |w| " + max + " far below the bound " + bound);
        assertEquals(0.0, w.mean().item(), 0.05 * bound);
        // uniform(-b, b) has variance b^2/3
        assertEquals(bound * bound / 3, w.var(new int[] {0, 1, 2, 3}, false, 0).item(), 0.1 * bound * bound / 3);
        assertTrue(conv.bias().data().abs().max(new int[] {0}, false).item() <= bound);
    }

    @Test
    void heNormalInitHasStdSqrtTwoOverFanIn() {
        Conv2d conv = new Conv2d(32, 64, 3, new Random(1)).initHeNormal(new Random(2));
        double std = Math.sqrt(w2(conv));
        assertEquals(Math.sqrt(2.0 / (32 * 9)), std, 0.02 * Math.sqrt(2.0 / (32 * 9)));
        assertEquals(0.0, conv.bias().data().abs().sum().item());
    }

    private static double w2(Conv2d conv) {
        return conv.weight().data().var(new int[] {0, 1, 2, 3}, false, 0).item();
    }

    @Test
    void sameSeedGivesBitwiseSameWeights() {
        Conv2d a = new Conv2d(3, 4, 3, new Random(7));
        Conv2d b = new Conv2d(3, 4, 3, new Random(7));
        Conv2d c = new Conv2d(3, 4, 3, new Random(8));
        assertArrayEquals(a.weight().data().toArray(), b.weight().data().toArray());
        assertArrayEquals(a.bias().data().toArray(), b.bias().data().toArray());
        assertFalse(a.weight().data().allClose(c.weight().data()));
    }

    @Test
    void forwardShapesFollowTheOutputFormula() {
        Random r = new Random(3);
        NDArray x = NDArray.randn(r, 2, 3, 7, 7);
        assertArrayEquals(new int[] {2, 4, 4, 4}, new Conv2d(3, 4, 3, 2, 1, r).forward(new Variable(x)).shape());
        assertArrayEquals(new int[] {2, 4, 7, 7}, new Conv2d(3, 4, 3, 1, 1, r).forward(new Variable(x)).shape());
        assertArrayEquals(new int[] {2, 4, 3, 7}, new Conv2d(3, 4, new int[] {3, 1}, new int[] {1}, new int[] {0},
                new int[] {2, 1}, true, r).forward(new Variable(x)).shape());
        assertArrayEquals(new int[] {2, 3, 3, 3}, new MaxPool2d(3, 2, 0).forward(new Variable(x)).shape());
        assertArrayEquals(new int[] {2, 3, 4, 4}, new AvgPool2d(3, 2, 1).forward(new Variable(x)).shape());
        // 7x7 does not tile: floor((7 - 2)/2) + 1 = 3, ceil mode 4 (the last window starts at 6 < 7)
        assertArrayEquals(new int[] {2, 3, 3, 3}, new MaxPool2d(2).forward(new Variable(x)).shape());
        assertArrayEquals(new int[] {2, 3, 4, 4}, new MaxPool2d(2, PoolOptions.defaults().ceilMode(true))
                .forward(new Variable(x)).shape());
        assertArrayEquals(new int[] {2, 3, 4, 3}, new AvgPool2d(new int[] {2, 3}, PoolOptions.defaults().stride(2)
                .ceilMode(true)).forward(new Variable(x)).shape());
        // conv: floor((7 + 0 - 3)/3) + 1 = 2, the last column and row unread
        assertArrayEquals(new int[] {2, 4, 2, 2}, new Conv2d(3, 4, 3, 3, 0, r).forward(new Variable(x)).shape());
        assertArrayEquals(new int[] {2, 3}, new GlobalAvgPool2d().forward(new Variable(x)).shape());
        assertArrayEquals(new int[] {2, 3, 1, 1}, new GlobalAvgPool2d(true).forward(new Variable(x)).shape());
    }

    @Test
    void wrongChannelCountIsExplained() {
        Conv2d conv = new Conv2d(3, 6, 5, new Random(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(new Variable(NDArray.zeros(2, 1, 28, 28))));
        assertEquals("conv2d: weight of size (6, 3, 5, 5) expected input[N, 3, H, W] to have 3 channels, but got 1"
                + " channels instead (input of shape (2, 1, 28, 28)); the layer's in_channels must equal the size of"
                + " the input's axis 1", e.getMessage());
    }

    @Test
    void threeDimensionalInputIsExplained() {
        Conv2d conv = new Conv2d(1, 6, 5, new Random(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(new Variable(NDArray.zeros(1, 28, 28))));
        assertEquals("conv2d: expected a 4-D input (N, C, H, W), but got a 3-D input of shape (1, 28, 28); for a single"
                + " image add a batch axis with x.unsqueeze(0)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2).forward(new Variable(NDArray.zeros(6, 24, 24))));
        assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(2).forward(new Variable(NDArray.zeros(6, 24, 24))));
    }

    @Test
    void kernelLargerThanThePaddedInputIsExplained() {
        Conv2d conv = new Conv2d(1, 2, 5, 1, 0, new Random(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(new Variable(NDArray.zeros(1, 1, 4, 4))));
        assertEquals("conv2d: calculated padded input size per channel: (4 x 4). Kernel size: (5 x 5). Kernel size"
                + " can't be greater than the padded input size (input (1, 1, 4, 4), padding (0, 0)); use a smaller"
                + " kernel or more padding", e.getMessage());
        Conv2d dilated = new Conv2d(1, 2, new int[] {3}, new int[] {1}, new int[] {0}, new int[] {2}, true, new Random(0));
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> dilated.forward(new Variable(NDArray.zeros(1, 1, 4, 4))));
        assertTrue(d.getMessage().contains("with dilation (2 x 2) spanning (5 x 5)"), d.getMessage());
    }

    @Test
    void badConstructorArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(0, 4, 3, new Random(0)));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 4, 3, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 4, 0, new Random(0)));
        assertEquals("Conv2d: kernel size must be at least 1 on both axes, but got (0, 0)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(3, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(2, 0, 0));
        // each pooling's own settings only, checked when the layer is built
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d(2, PoolOptions.defaults().divisorOverride(4)));
        assertTrue(m.getMessage().startsWith("MaxPool2d: countIncludePad and divisorOverride are average-pooling"),
                m.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> new AvgPool2d(2, PoolOptions.defaults().dilation(2)));
        assertTrue(a.getMessage().startsWith("AvgPool2d: dilation is not supported"), a.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(new int[] {2}, null));
    }

    @Test
    void poolModulesDescribeThemselvesAsPyTorch() {
        // PyTorch's extra_repr: MaxPool2d shows five fields, AvgPool2d only kernel_size, stride and padding
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
                new MaxPool2d(2).toString());
        assertEquals("AvgPool2d(kernel_size=3, stride=2, padding=1)", new AvgPool2d(3, PoolOptions.defaults().stride(2).padding(1)
                .ceilMode(true).countIncludePad(false).divisorOverride(5)).toString());
    }

    /** Module gradients: w.r.t. the input by gradient check, w.r.t. weight and bias against the functional form's check. */
    @Property(tries = 20)
    void conv2dModuleFirstAndSecondOrder(@ForAll("convCases") ConvCase k) {
        Conv2d conv = layer(k, new Random(k.seed));
        GradCheck.check(v -> conv.forward(v[0]), k.input()).orThrow();
        GradGradCheck.check(v -> conv.forward(v[0]).square(), k.input()).orThrow();
        // parameters: backward fills .grad; compare with a gradient check of the same function of (weight, bias)
        Variable x = new Variable(k.input());
        NDArray seed = NDArray.randn(new Random(k.seed + 3), conv.forward(x).shape());
        conv.zeroGrad();
        conv.forward(x).backward(new Variable(seed));
        NDArray gw = conv.weight().grad().data();
        NDArray gb = conv.bias().grad().data();
        int[] st = {k.sh, k.sw};
        int[] pd = {k.ph, k.pw};
        int[] dl = {k.dh, k.dw};
        NDArray numW = numericalVjp(w -> Functional.conv2d(x, new Variable(w), conv.bias(), st, pd, dl).data(),
                conv.weight().data(), seed);
        NDArray numB = numericalVjp(b -> Functional.conv2d(x, conv.weight(), new Variable(b), st, pd, dl).data(),
                conv.bias().data(), seed);
        assertTrue(gw.allClose(numW, 1e-6, 1e-7), k + "\n" + gw + "\n" + numW);
        assertTrue(gb.allClose(numB, 1e-6, 1e-7), k + "\n" + gb + "\n" + numB);
    }

    /** {@code seedᵀ ∂f/∂p} by central differences, perturbing a copy of {@code p}. */
    private static NDArray numericalVjp(java.util.function.Function<NDArray, NDArray> f, NDArray p, NDArray seed) {
        NDArray q = p.copy();
        double[] out = new double[q.size()];
        double eps = 1e-6;
        for (int i = 0; i < q.size(); i++) {
            double orig = q.getFlat(i);
            q.setFlat(i, orig + eps);
            double plus = dot(f.apply(q.copy()), seed);
            q.setFlat(i, orig - eps);
            double minus = dot(f.apply(q.copy()), seed);
            q.setFlat(i, orig);
            out[i] = (plus - minus) / (2 * eps);
        }
        return NDArray.of(out, q.shape());
    }

    private static double dot(NDArray a, NDArray b) {
        return a.mul(b).sum().item();
    }

    @Property(tries = 15)
    void poolModulesFirstAndSecondOrder(@ForAll("poolCases") ConvCase k) {
        int[] ker = {k.kh, k.kw};
        MaxPool2d max = new MaxPool2d(ker, k.maxOptions());
        AvgPool2d avg = new AvgPool2d(ker, k.avgOptions());
        assertArrayEquals(new int[] {k.n, k.c, k.oh(), k.ow()}, max.forward(new Variable(k.input())).shape(), k.toString());
        assertArrayEquals(new int[] {k.n, k.c, k.oh(), k.ow()}, avg.forward(new Variable(k.input())).shape(), k.toString());
        GlobalAvgPool2d gap = new GlobalAvgPool2d();
        GradCheck.check(v -> max.forward(v[0]), k.distinctInput()).orThrow();
        GradGradCheck.check(v -> max.forward(v[0]).square(), k.distinctInput()).orThrow();
        GradCheck.check(v -> avg.forward(v[0]), k.input()).orThrow();
        GradGradCheck.check(v -> avg.forward(v[0]).square(), k.input()).orThrow();
        GradCheck.check(v -> gap.forward(v[0]), k.input()).orThrow();
        GradGradCheck.check(v -> gap.forward(v[0]).square(), k.input()).orThrow();
    }

    @Test
    void parameterGradientsAccumulateAcrossTwoBackwardPasses() {
        Conv2d conv = new Conv2d(2, 3, 2, new Random(5));
        Variable x = new Variable(NDArray.randn(new Random(6), 1, 2, 3, 3));
        conv.forward(x).sum().backward();
        NDArray once = conv.weight().grad().data().copy();
        conv.forward(x).sum().backward();
        assertNotNull(conv.weight().grad());
        assertTrue(conv.weight().grad().data().allClose(once.mul(2), 1e-12, 1e-12));
        // d(sum y)/d bias = number of output positions per channel, N*OH*OW = 4
        assertArrayEquals(new double[] {8, 8, 8}, conv.bias().grad().data().toArray());
    }

    /** A float32 conv net (conv, max-pool, avg-pool, global pool) computes in float32 and tracks the float64 net. */
    @Test
    void aFloat32ConvNetStaysFloat32AndTracksTheFloat64Net() {
        Sequential n64 = new Sequential(new Conv2d(2, 3, 3, new Random(1)), new ReLU(), new MaxPool2d(2),
                new AvgPool2d(new int[] {2}, new int[] {1}, new int[] {0}), new GlobalAvgPool2d());
        Sequential n32 = new Sequential(new Conv2d(2, 3, 3, new Random(1)), new ReLU(), new MaxPool2d(2),
                new AvgPool2d(new int[] {2}, new int[] {1}, new int[] {0}), new GlobalAvgPool2d());
        n32.to(DType.FLOAT32);
        NDArray x = NDArray.randn(new Random(2), 2, 2, 10, 10);
        Variable x32 = new Variable(x.astype(DType.FLOAT32), true);
        Variable y32 = n32.call(x32);
        Variable y64 = n64.call(new Variable(x));
        assertEquals(DType.FLOAT32, y32.dtype());
        assertTrue(y32.data().astype(DType.FLOAT64).allClose(y64.data(), 1e-4, 1e-5));
        y32.sum().backward();
        assertEquals(DType.FLOAT32, x32.grad().dtype());
        for (Parameter p : n32.parameters()) {
            assertEquals(DType.FLOAT32, p.grad().dtype(), p.name());
        }
    }
}
