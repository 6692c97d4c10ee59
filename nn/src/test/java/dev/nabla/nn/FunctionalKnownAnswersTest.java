package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;
import java.util.Random;

/**
 * Known values of the functional namespace: activations from their closed forms, and the losses'
 * PyTorch settings (reduction, class weights, ignore index, label smoothing, probability targets,
 * pos_weight) against direct loops written here independently of {@link Losses}.
 */
class FunctionalKnownAnswersTest {
    private static final double[][] LOGITS = {{1.0, 2.0, 3.0}, {0.5, -1.0, 2.0}, {-2.0, 0.0, 0.25}, {3.0, 1.0, -1.0}};
    private static final int[] TARGETS = {2, 0, 1, 0};
    private static final double[] WEIGHT = {0.2, 1.0, 3.0};

    private static Variable logits() {
        return new Variable(NDArray.of(LOGITS), true);
    }

    /** log softmax of one row, by the definition. */
    private static double[] logSoftmax(double[] row) {
        double z = 0;
        for (double v : row) {
            z += Math.exp(v);
        }
        double[] out = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = row[j] - Math.log(z);
        }
        return out;
    }

    /** PyTorch's cross_entropy with weight w (or null), ignore index, label smoothing eps, mean reduction. */
    private static double directCrossEntropy(double[] w, int ignore, double eps) {
        double nll = 0;
        double smooth = 0;
        double wsum = 0;
        int c = LOGITS[0].length;
        for (int i = 0; i < LOGITS.length; i++) {
            if (TARGETS[i] == ignore) {
                continue;
            }
            double[] lp = logSoftmax(LOGITS[i]);
            double wt = w == null ? 1 : w[TARGETS[i]];
            nll -= wt * lp[TARGETS[i]];
            for (int j = 0; j < c; j++) {
                smooth -= (w == null ? 1 : w[j]) * lp[j];
            }
            wsum += wt;
        }
        return (1 - eps) * nll / wsum + eps / c * smooth / wsum;
    }

    @Test
    void activationKnownValues() {
        assertEquals(Math.log(2), Functional.softplus(Variable.scalar(0)).item(), 1e-15);
        assertEquals(50.0, Functional.softplus(Variable.scalar(50)).item(), 1e-12);
        assertEquals(-Math.log(2), Functional.logSigmoid(Variable.scalar(0)).item(), 1e-15);
        // GELU(1) = Φ(1) = 0.841344746..., tanh form 0.841191990...
        assertEquals(0.8413447460685429, Functional.gelu(Variable.scalar(1)).item(), 1e-12);
        assertEquals(0.8413447460685429, Functional.gelu(Variable.scalar(1), "none").item(), 1e-12);
        assertEquals(0.8411919906082768, Functional.gelu(Variable.scalar(1), "tanh").item(), 1e-12);
        assertEquals(1 / (1 + Math.exp(-2)) * 2, Functional.silu(Variable.scalar(2)).item(), 1e-15);
        assertEquals(Math.exp(-1) - 1, Functional.elu(Variable.scalar(-1)).item(), 1e-15);
        assertEquals(-0.02, Functional.leakyRelu(Variable.scalar(-2)).item(), 1e-15);
        assertEquals(0.0, Functional.relu(Variable.scalar(-2)).item());
        assertEquals(Math.tanh(0.3), Functional.tanh(Variable.scalar(0.3)).item(), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.gelu(Variable.scalar(1), "erf"));
        assertTrue(e.getMessage().contains("none or tanh"), e.getMessage());
    }

    @Test
    void activationsKeepFloat32() {
        Variable x = new Variable(NDArray.of(new double[] {-1.5, 0.5, 2}).astype(DType.FLOAT32), true);
        Variable[] ys = {Functional.softplus(x), Functional.elu(x), Functional.gelu(x), Functional.gelu(x, "tanh"),
            Functional.silu(x), Functional.logSigmoid(x), Functional.softmax(x, 0), Functional.logSoftmax(x, 0)};
        for (Variable y : ys) {
            assertEquals(DType.FLOAT32, y.dtype(), y.toString());
        }
    }

    @Test
    void crossEntropyOfOneRowIsTheClosedForm() {
        // log(e + e² + e³) - 3
        assertEquals(0.40760596444438013, Functional.crossEntropy(new Variable(NDArray.of(new double[][] {{1, 2, 3}})),
                new int[] {2}).item(), 1e-15);
    }

    @Test
    void uniformLogitsGiveLogCWithWeightsOrWithSmoothing() {
        Variable x = new Variable(NDArray.zeros(3, 4), true);
        int[] t = {0, 3, 1};
        CrossEntropyOptions weighted = CrossEntropyOptions.defaults().weight(NDArray.of(1.0, 2.0, 0.5, 4.0));
        assertEquals(Math.log(4), Functional.crossEntropy(x, t).item(), 1e-12);
        assertEquals(Math.log(4), Functional.crossEntropy(x, t, weighted).item(), 1e-12);
        assertEquals(Math.log(4), Functional.crossEntropy(x, t, CrossEntropyOptions.defaults().labelSmoothing(0.3)).item(), 1e-12);
        // both: the smoothing term weighs every class (Σ_c w_c = 7.5 per sample) against the targets' weights (1 + 4 + 2 = 7)
        double expected = 0.7 * Math.log(4) + 0.3 / 4 * 3 * 7.5 * Math.log(4) / 7; // three samples
        assertEquals(expected, Functional.crossEntropy(x, t, weighted.labelSmoothing(0.3)).item(), 1e-12);
    }

    @Test
    void weightsIgnoreIndexAndSmoothingMatchTheDirectDefinition() {
        assertEquals(directCrossEntropy(null, -100, 0), Functional.crossEntropy(logits(), TARGETS).item(), 1e-14);
        assertEquals(directCrossEntropy(WEIGHT, -100, 0), Functional.crossEntropy(logits(), TARGETS,
                CrossEntropyOptions.defaults().weight(NDArray.of(WEIGHT))).item(), 1e-14);
        assertEquals(directCrossEntropy(null, 0, 0), Functional.crossEntropy(logits(), TARGETS,
                CrossEntropyOptions.defaults().ignoreIndex(0)).item(), 1e-14);
        assertEquals(directCrossEntropy(null, -100, 0.1), Functional.crossEntropy(logits(), TARGETS,
                CrossEntropyOptions.defaults().labelSmoothing(0.1)).item(), 1e-14);
        assertEquals(directCrossEntropy(WEIGHT, 0, 0.25), Functional.crossEntropy(logits(), TARGETS,
                CrossEntropyOptions.defaults().weight(NDArray.of(WEIGHT)).ignoreIndex(0).labelSmoothing(0.25)).item(),
                1e-14);
    }

    @Test
    void reductionsRelateAsInPyTorch() {
        CrossEntropyOptions o = CrossEntropyOptions.defaults().weight(NDArray.of(WEIGHT)).labelSmoothing(0.2).ignoreIndex(1);
        Variable none = Functional.crossEntropy(logits(), TARGETS, o.reduction(Reduction.NONE));
        assertArrayEquals(new int[] {4}, none.shape());
        assertEquals(0.0, none.data().getFlat(2), "an ignored sample is 0 in the unreduced loss");
        double sum = Functional.crossEntropy(logits(), TARGETS, o.reduction(Reduction.SUM)).item();
        assertEquals(none.data().sum().item(), sum, 1e-14);
        double wsum = WEIGHT[2] + WEIGHT[0] + WEIGHT[0]; // targets 2, 0, (1 ignored), 0
        assertEquals(sum / wsum, Functional.crossEntropy(logits(), TARGETS, o).item(), 1e-14);
        // elementwise losses: none keeps the shape, sum and mean reduce it
        Variable y = Variable.of(1, 2, 4);
        Variable t = Variable.of(0, 2, 1);
        assertArrayEquals(new double[] {1, 0, 9}, Functional.mseLoss(y, t, Reduction.NONE).data().toArray());
        assertEquals(10.0, Functional.mseLoss(y, t, Reduction.SUM).item());
        assertEquals(10.0 / 3, Functional.mseLoss(y, t).item(), 1e-15);
        assertArrayEquals(new double[] {1, 0, 3}, Functional.l1Loss(y, t, Reduction.NONE).data().toArray());
        // huber with delta 1: ½·1, 0, 1·(3 - ½)
        assertArrayEquals(new double[] {0.5, 0, 2.5}, Functional.huberLoss(y, t, 1.0, Reduction.NONE).data().toArray());
    }

    @Test
    void everySampleIgnoredGivesNaNAsPyTorch() {
        double v = Functional.crossEntropy(logits(), new int[] {1, 1, 1, 1},
                CrossEntropyOptions.defaults().ignoreIndex(1).weight(NDArray.of(WEIGHT))).item();
        assertTrue(Double.isNaN(v), "got " + v);
    }

    @Test
    void oneHotProbabilityTargetsEqualIndexTargetsWithSmoothing() {
        double[][] onehot = new double[4][3];
        for (int i = 0; i < 4; i++) {
            onehot[i][TARGETS[i]] = 1;
        }
        Variable probs = Variable.constant(NDArray.of(onehot));
        for (double eps : new double[] {0, 0.1, 0.5}) {
            CrossEntropyOptions o = CrossEntropyOptions.defaults().labelSmoothing(eps);
            assertEquals(Functional.crossEntropy(logits(), TARGETS, o).item(), Functional.crossEntropy(logits(), probs, o).item(),
                    1e-14, "eps=" + eps);
        }
        // with class weights PyTorch's probability form divides by N, not by the weights: 1·Σ w_t·nll / N
        CrossEntropyOptions w = CrossEntropyOptions.defaults().weight(NDArray.of(WEIGHT));
        double direct = 0;
        for (int i = 0; i < 4; i++) {
            direct -= WEIGHT[TARGETS[i]] * logSoftmax(LOGITS[i])[TARGETS[i]];
        }
        assertEquals(direct / 4, Functional.crossEntropy(logits(), probs, w).item(), 1e-14);
    }

    @Test
    void crossEntropyGradientWithSmoothingIsSoftmaxMinusSmoothedTarget() {
        Variable x = logits();
        double eps = 0.2;
        Functional.crossEntropy(x, TARGETS, CrossEntropyOptions.defaults().labelSmoothing(eps)).backward();
        for (int i = 0; i < 4; i++) {
            double[] lp = logSoftmax(LOGITS[i]);
            for (int j = 0; j < 3; j++) {
                double target = (1 - eps) * (j == TARGETS[i] ? 1 : 0) + eps / 3;
                assertEquals((Math.exp(lp[j]) - target) / 4, x.grad().data().get(i, j), 1e-15);
            }
        }
    }

    @Test
    void nllLossTakesWeightsAndRefusesSmoothing() {
        Variable lp = Functional.logSoftmax(logits(), 1);
        CrossEntropyOptions w = CrossEntropyOptions.defaults().weight(NDArray.of(WEIGHT));
        assertEquals(Functional.crossEntropy(logits(), TARGETS, w).item(), Functional.nllLoss(lp, TARGETS, w).item(), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.nllLoss(lp, TARGETS, CrossEntropyOptions.defaults().labelSmoothing(0.1)));
        assertTrue(e.getMessage().contains("nllLoss") && e.getMessage().contains("crossEntropy"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Functional.crossEntropy(logits(), TARGETS, CrossEntropyOptions.defaults().weight(NDArray.of(1.0, 2.0))));
        assertTrue(e.getMessage().contains("weight has 2 elements") && e.getMessage().contains("3 classes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CrossEntropyOptions.defaults().labelSmoothing(1.5));
        assertTrue(e.getMessage().contains("between 0.0 and 1.0"), e.getMessage());
    }

    @Test
    void binaryCrossEntropyWeightsAndPosWeightMatchTheDefinition() {
        double[] x = {-1.0, 0.5, 2.0};
        double[] t = {0.0, 1.0, 0.3};
        double[] w = {2.0, 0.5, 1.0};
        double[] pw = {3.0, 3.0, 0.5};
        Variable xv = Variable.of(x);
        Variable tv = Variable.of(t);
        double sum = 0;
        double sumWeighted = 0;
        for (int i = 0; i < 3; i++) {
            double s = 1 / (1 + Math.exp(-x[i]));
            sum -= t[i] * Math.log(s) + (1 - t[i]) * Math.log(1 - s);
            sumWeighted -= w[i] * (pw[i] * t[i] * Math.log(s) + (1 - t[i]) * Math.log(1 - s));
        }
        assertEquals(sum / 3, Functional.binaryCrossEntropyWithLogits(xv, tv).item(), 1e-15);
        assertEquals(sumWeighted, Functional.binaryCrossEntropyWithLogits(xv, tv, NDArray.of(w), NDArray.of(pw),
                Reduction.SUM).item(), 1e-14);
        assertEquals(sum, Functional.binaryCrossEntropyWithLogits(xv, tv, null, NDArray.of(1.0, 1.0, 1.0),
                Reduction.SUM).item(), 1e-14, "pos_weight 1 is no pos_weight");
        Variable p = xv.sigmoid();
        assertEquals(Functional.binaryCrossEntropyWithLogits(xv, tv, NDArray.of(w), null, Reduction.MEAN).item(),
                Functional.binaryCrossEntropy(p, tv, NDArray.of(w), Reduction.MEAN).item(), 1e-14);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.binaryCrossEntropyWithLogits(xv, tv, NDArray.of(1.0, 2.0), null, Reduction.MEAN));
        assertTrue(e.getMessage().contains("weight of shape (2,)") && e.getMessage().contains("(3,)"), e.getMessage());
    }

    @Test
    void defaultCrossEntropyIsBitForBitTheUnweightedMean() {
        // the default path keeps the historical formula: the options path with weight 1 agrees to rounding
        NDArray x = NDArray.randn(new Random(3), 6, 5);
        int[] t = {0, 4, 2, 2, 1, 3};
        double plain = Functional.crossEntropy(new Variable(x), t).item();
        double weighted = Functional.crossEntropy(new Variable(x), t,
                CrossEntropyOptions.defaults().weight(NDArray.ones(5))).item();
        assertEquals(plain, weighted, 1e-15);
    }
}
