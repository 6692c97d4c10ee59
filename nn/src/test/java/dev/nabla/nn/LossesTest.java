package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.F;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import java.util.List;
import java.util.Random;

class LossesTest {

    private static Variable v(double... xs) {
        return new Variable(NDArray.of(xs), true);
    }

    private static Variable m(double[][] rows) {
        return new Variable(NDArray.of(rows), true);
    }

    private static Variable c(NDArray a) {
        return new Variable(a);
    }

    // ---------------------------------------------------------------- known answers

    @Test
    void mseIsTheMeanOfSquares() {
        assertEquals(13.0 / 3, Functional.mseLoss(v(1, 2, 3), v(1, 0, 0)).item(), 1e-15);
    }

    @Test
    void halfSumReductionMatchesTheTextbookSumOfSquaresAndHasGradientYMinusT() {
        // Deep Learning from Scratch, ch. 4: 0.097500000000000031 for this prediction and "2" as the label
        double[] y = {0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0};
        double[] t = {0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
        Variable yv = v(y);
        Variable loss = Functional.mseLoss(yv, c(NDArray.of(t)), Reduction.SUM).mul(0.5);
        assertEquals(0.0975, loss.item(), 1e-15);
        loss.backward();
        assertArrayEquals(NDArray.of(y).sub(NDArray.of(t)).toArray(), yv.grad().data().toArray(), 1e-15);
    }

    @Test
    void l1HuberAndSmoothL1() {
        assertEquals((0.5 + 2 + 3) / 3, Functional.l1Loss(v(0.5, 2, -3), v(0, 0, 0)).item(), 1e-15);
        // delta 1, d = (0.5, 2, -3): 0.125, 1·(2 - 0.5), 1·(3 - 0.5)
        assertEquals((0.125 + 1.5 + 2.5) / 3, Functional.huberLoss(v(0.5, 2, -3), v(0, 0, 0), 1.0, Reduction.MEAN).item(), 1e-15);
        // delta 2, d = (1, 3): 0.5, 2·(3 - 1)
        assertEquals((0.5 + 4) / 2, Functional.huberLoss(v(1, 3), v(0, 0), 2.0, Reduction.MEAN).item(), 1e-15);
        // beta 2, d = (1, 3): 0.5·1/2, 3 - 1
        assertEquals((0.25 + 2) / 2, Functional.smoothL1Loss(v(1, 3), v(0, 0), 2.0, Reduction.MEAN).item(), 1e-15);
        assertEquals(Functional.l1Loss(v(1, -3), v(0.5, 0)).item(), Functional.smoothL1Loss(v(1, -3), v(0.5, 0), 0.0, Reduction.MEAN).item(), 0);
    }

    @Test
    void crossEntropyKnownAnswers() {
        // -log softmax([1, 2, 3])[0] = log(1 + e + e²)
        double expected0 = Math.log(1 + Math.E + Math.E * Math.E);
        assertEquals(expected0, Functional.crossEntropy(m(new double[][] {{1, 2, 3}}), new int[] {0}).item(), 1e-14);
        // textbook: probabilities y with 0.6 on the label give -log 0.6; logits log(y) have softmax y
        double[] y = {0.1, 0.05, 0.6, 0.05, 0.05, 0.1, 0.05};
        Variable logits = new Variable(NDArray.of(y).log().reshape(1, -1), true);
        assertEquals(-Math.log(0.6), Functional.crossEntropy(logits, new int[] {2}).item(), 1e-14);
        // mean over the batch
        Variable two = m(new double[][] {{1, 2, 3}, {0, 0, 0}});
        assertEquals((expected0 + Math.log(3)) / 2, Functional.crossEntropy(two, new int[] {0, 1}).item(), 1e-14);
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        Variable x = m(new double[][] {{1000, 0}, {-1000, 1000}});
        assertEquals((1000 + 2000) / 2.0, Functional.crossEntropy(x, new int[] {1, 0}).item(), 1e-12);
        assertEquals(0.0, Functional.crossEntropy(x, new int[] {0, 1}).item(), 1e-12);
        Functional.crossEntropy(x, new int[] {1, 0}).backward();
        for (double g : x.grad().data().toArray()) {
            assertTrue(Double.isFinite(g));
        }
        assertArrayEquals(new double[] {0.5, -0.5, -0.5, 0.5}, x.grad().data().toArray(), 1e-12);
    }

    @Test
    void ignoreIndexDropsRowsFromSumAndCount() {
        Variable x = m(new double[][] {{1, 2, 3}, {5, -1, 0}, {0, 0, 0}});
        double kept = Functional.crossEntropy(m(new double[][] {{1, 2, 3}, {0, 0, 0}}), new int[] {0, 2}).item();
        assertEquals(kept, Functional.crossEntropy(x, new int[] {0, -100, 2}).item(), 1e-15);
        assertEquals(kept, Functional.crossEntropy(x, new int[] {0, 7, 2}, CrossEntropyOptions.defaults().ignoreIndex(7)).item(), 1e-15);
        Functional.crossEntropy(x, new int[] {0, -100, 2}).backward();
        assertArrayEquals(new double[] {0, 0, 0}, x.grad().data().getItem(dev.nabla.ndarray.Index.at(1)).toArray(), 0);
        assertTrue(Double.isNaN(Functional.crossEntropy(x, new int[] {-100, -100, -100}).item()), "all ignored gives NaN as PyTorch");
    }

    @Test
    void crossEntropyWithProbabilityTargets() {
        assertEquals(Math.log(2), Functional.crossEntropy(m(new double[][] {{0, 0}}), c(NDArray.of(new double[][] {{0.3, 0.7}}))).item(), 1e-15);
        Variable x = m(new double[][] {{1, 2, 3}, {0.5, -1, 2}});
        double idx = Functional.crossEntropy(x, new int[] {2, 0}).item();
        double oneHot = Functional.crossEntropy(x, c(NDArray.of(new double[][] {{0, 0, 1}, {1, 0, 0}}))).item();
        assertEquals(idx, oneHot, 1e-15);
    }

    @Test
    void nllPicksAndAverages() {
        assertEquals(2.5, Functional.nllLoss(m(new double[][] {{-1, -2}, {-3, -4}}), new int[] {1, 0}).item(), 0);
        assertEquals(2.0, Functional.nllLoss(m(new double[][] {{-1, -2}, {-3, -4}}), new int[] {1, -100}).item(), 0);
        Variable x = m(new double[][] {{1, 2, 3}, {0.5, -1, 2}});
        assertEquals(Functional.crossEntropy(x, new int[] {1, 2}).item(),
                Functional.nllLoss(F.logSoftmax(x, 1), new int[] {1, 2}).item(), 1e-15);
    }

    @Test
    void bceKnownAnswerAndClampedLogs() {
        assertEquals(-(Math.log(0.8) + Math.log(0.7)) / 2, Functional.binaryCrossEntropy(v(0.8, 0.3), v(1, 0)).item(), 1e-15);
        // log 0 is clamped to -100, as PyTorch: p = 0 with target 1 costs exactly 100
        assertEquals(100.0, Functional.binaryCrossEntropy(v(0.0), v(1)).item(), 0);
        assertEquals(50.0, Functional.binaryCrossEntropy(v(1.0, 1.0), v(0, 1)).item(), 0);
        Variable p = v(0.0, 1.0, 0.5);
        Functional.binaryCrossEntropy(p, v(1, 0, 1)).backward();
        assertArrayEquals(new double[] {0, 0, -2.0 / 3}, p.grad().data().toArray(), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Functional.binaryCrossEntropy(v(1.5), v(1)));
        assertTrue(e.getMessage().contains("between 0 and 1") && e.getMessage().contains("1.5"), e.getMessage());
    }

    @Test
    void bceWithLogitsIsExactForHugeLogits() {
        Variable x = v(1000, -1000, 1000, 0, -1000);
        Variable t = v(1, 0, 0, 1, 1);
        Variable loss = Functional.binaryCrossEntropyWithLogits(x, t);
        assertEquals((0 + 0 + 1000 + Math.log(2) + 1000) / 5, loss.item(), 1e-12);
        loss.backward();
        // (σ(x) - t) / n
        assertArrayEquals(new double[] {0, 0, 0.2, -0.1, -0.2}, x.grad().data().toArray(), 1e-15);
        // gradient with respect to the target: -x / n
        assertArrayEquals(new double[] {-200, 200, -200, 0, 200}, t.grad().data().toArray(), 1e-12);
    }

    @Test
    void bceWithLogitsAgreesWithBceOfSigmoid() {
        NDArray x = NDArray.randn(new Random(3), 4, 3).mul(3);
        NDArray t = NDArray.rand(new Random(4), 4, 3);
        double fused = Functional.binaryCrossEntropyWithLogits(c(x), c(t)).item();
        double plain = Functional.binaryCrossEntropy(c(x.sigmoid()), c(t)).item();
        assertEquals(plain, fused, 1e-12);
    }

    @Test
    void penaltiesKnownAnswers() {
        Variable w1 = v(1, 2);
        Variable w2 = m(new double[][] {{-3}});
        Variable l2 = Functional.l2Penalty(List.of(w1, w2), 0.1);
        assertEquals(0.5 * 0.1 * 14, l2.item(), 1e-15);
        l2.backward();
        assertArrayEquals(new double[] {0.1, 0.2}, w1.grad().data().toArray(), 1e-15);
        assertArrayEquals(new double[] {-0.3}, w2.grad().data().toArray(), 1e-15);
        assertEquals(3.0, Functional.l1Penalty(List.of(w1, w2), 0.5).item(), 1e-15);
        assertEquals(0.0, Functional.l2Penalty(List.of(), 1).item(), 0);
        assertEquals(0.0, Functional.l1Penalty(List.of(), 1).item(), 0);
    }

    @Test
    void crossEntropyGradientIsSoftmaxMinusOneHotOverN() {
        Random r = new Random(5);
        NDArray x = NDArray.randn(r, 4, 3).mul(2);
        int[] t = {2, 0, 1, 2};
        Variable xv = new Variable(x, true);
        Variable loss = Functional.crossEntropy(xv, t);
        loss.backward();
        NDArray onehot = NDArray.zeros(4, 3);
        for (int i = 0; i < 4; i++) {
            onehot.set(1.0, i, t[i]);
        }
        NDArray expected = F.softmax(c(x), 1).data().sub(onehot).div(4);
        assertArrayEquals(expected.toArray(), xv.grad().data().toArray(), 1e-15);
        // one-hot array targets give the same value and gradient
        Variable xw = new Variable(x, true);
        Variable loss2 = Functional.crossEntropy(xw, c(onehot));
        assertEquals(loss.item(), loss2.item(), 1e-15);
        loss2.backward();
        assertArrayEquals(expected.toArray(), xw.grad().data().toArray(), 1e-15);
    }

    @Test
    void badInputsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Functional.mseLoss(v(1, 2), m(new double[][] {{1, 2}})));
        assertTrue(e.getMessage().contains("mse") && e.getMessage().contains("(2,)") && e.getMessage().contains("(1, 2)"), e.getMessage());
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class,
                () -> Functional.crossEntropy(m(new double[][] {{1, 2, 3}}), new int[] {3}));
        assertTrue(oob.getMessage().contains("target 3 at position 0") && oob.getMessage().contains("3 classes"), oob.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Functional.crossEntropy(m(new double[][] {{1, 2}}), new int[] {0, 1}));
        assertTrue(e.getMessage().contains("batch size (1)") && e.getMessage().contains("(2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Functional.crossEntropy(v(1, 2), new int[] {0}));
        assertTrue(e.getMessage().contains("(N, C)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Functional.huberLoss(v(1), v(1), 0, Reduction.MEAN));
        assertTrue(e.getMessage().contains("delta"), e.getMessage());
    }

    // ---------------------------------------------------------------- gradient properties

    @Property(tries = 30)
    void mseAndSumOfSquaresFirstAndSecondOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int a,
                                               @ForAll @IntRange(min = 1, max = 4) int b) {
        Random r = new Random(seed);
        NDArray y = Checks.randn(r, a, b);
        NDArray t = Checks.randn(r, a, b);
        Checks.firstAndSecondOrder(x -> Functional.mseLoss(x[0], x[1]), y, t);
        Checks.firstAndSecondOrder(x -> Functional.mseLoss(x[0], x[1], Reduction.SUM), y, t);
        Checks.firstAndSecondOrder(x -> Functional.mseLoss(x[0], x[1], Reduction.NONE).mul(x[0]).sum(), y, t);
    }

    @Property(tries = 30)
    void l1HuberSmoothL1FirstAndSecondOrderAwayFromKinks(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int a,
                                                         @ForAll @DoubleRange(min = 0.3, max = 2.0) double delta) {
        Random r = new Random(seed);
        NDArray t = Checks.randn(r, a, 3);
        NDArray d = Checks.awayFrom(r, 0.05, new double[] {0, -delta, delta}, a, 3);
        NDArray y = t.add(d);
        Checks.firstAndSecondOrder(x -> Functional.l1Loss(x[0], x[1]), y, t);
        Checks.firstAndSecondOrder(x -> Functional.huberLoss(x[0], x[1], delta, Reduction.MEAN), y, t);
        Checks.firstAndSecondOrder(x -> Functional.smoothL1Loss(x[0], x[1], delta, Reduction.MEAN), y, t);
        assertEquals(Functional.huberLoss(c(y), c(t), delta, Reduction.MEAN).item() / delta, Functional.smoothL1Loss(c(y), c(t), delta, Reduction.MEAN).item(), 1e-12);
    }

    @Property(tries = 30)
    void crossEntropyWithIndicesAndIgnoreFirstAndSecondOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int n,
                                                             @ForAll @IntRange(min = 2, max = 4) int classes) {
        Random r = new Random(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i > 0 && r.nextInt(4) == 0 ? -100 : r.nextInt(classes);
        }
        NDArray x = Checks.randn(r, n, classes).mul(2);
        Checks.firstAndSecondOrder(v -> Functional.crossEntropy(v[0], t), x);
        Checks.firstAndSecondOrder(v -> Functional.nllLoss(v[0], t), x);
    }

    @Property(tries = 30)
    void crossEntropyWithProbabilityTargetsHasGradientSoftmaxMinusTOverN(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n,
                                         @ForAll @IntRange(min = 2, max = 5) int classes) {
        Random r = new Random(seed);
        NDArray x = Checks.randn(r, n, classes).mul(3);
        NDArray probs = F.softmax(c(Checks.randn(r, n, classes)), 1).data();
        Variable xv = new Variable(x, true);
        Functional.crossEntropy(xv, c(probs)).backward();
        NDArray expected = F.softmax(c(x), 1).data().sub(probs).div(n);
        assertArrayEquals(expected.toArray(), xv.grad().data().toArray(), 1e-15);
        Checks.firstAndSecondOrder(v -> Functional.crossEntropy(v[0], c(probs)), x);
    }

    @Property(tries = 30)
    void crossEntropyWithProbabilityTargetsFirstAndSecondOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int n,
                                                               @ForAll @IntRange(min = 2, max = 4) int classes) {
        Random r = new Random(seed);
        NDArray x = Checks.randn(r, n, classes);
        NDArray p = F.softmax(c(Checks.randn(r, n, classes)), 1).data();
        Checks.firstAndSecondOrder(v -> Functional.crossEntropy(v[0], v[1]), x, p);
    }

    @Property(tries = 30)
    void bceAndBceWithLogitsFirstAndSecondOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int a,
                                                @ForAll @IntRange(min = 1, max = 3) int b) {
        Random r = new Random(seed);
        NDArray p = Checks.uniform(r, 0.05, 0.95, a, b);
        NDArray t = Checks.uniform(r, 0, 1, a, b);
        Checks.firstAndSecondOrder(v -> Functional.binaryCrossEntropy(v[0], v[1]), p, t);
        NDArray x = Checks.awayFrom(r, 0.01, new double[] {0}, a, b).mul(2);
        Checks.firstAndSecondOrder(v -> Functional.binaryCrossEntropyWithLogits(v[0], v[1]), x, t);
    }

    @Property(tries = 25)
    void penaltiesFirstAndSecondOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int a) {
        Random r = new Random(seed);
        NDArray w1 = Checks.awayFrom(r, 0.01, new double[] {0}, a, 2);
        NDArray w2 = Checks.awayFrom(r, 0.01, new double[] {0}, 3);
        Checks.firstAndSecondOrder(v -> Functional.l2Penalty(List.of(v[0], v[1]), 0.3), w1, w2);
        Checks.firstAndSecondOrder(v -> Functional.l1Penalty(List.of(v[0], v[1]), 0.3), w1, w2);
    }
}
