package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Learning-rate schedules against PyTorch's documented examples and closed forms. */
class SchedulesTest {
    static final double TOL = 1e-15;

    static SGD sgd(double lr) {
        return new SGD(List.of(new Parameter(NDArray.of(0.0))), lr);
    }

    /** The optimizer's lr at epochs 0..n-1, stepping the schedule after each. */
    static double[] lrs(Optimizer opt, LrScheduler s, int n) {
        double[] out = new double[n];
        for (int e = 0; e < n; e++) {
            out[e] = opt.lr();
            assertEquals(e, s.epoch());
            assertEquals(s.lastLr(), opt.lr(), 0);
            s.step();
        }
        return out;
    }

    @Test
    void stepLrMatchesThePyTorchDocsExample() {
        // torch.optim.lr_scheduler.StepLR docs: lr 0.05, step_size 30, gamma 0.1
        SGD opt = sgd(0.05);
        double[] lr = lrs(opt, new StepLR(opt, 30, 0.1), 100);
        for (int e = 0; e < 100; e++) {
            double want = e < 30 ? 0.05 : e < 60 ? 0.005 : e < 90 ? 0.0005 : 0.00005;
            assertEquals(want, lr[e], want * 1e-12, "epoch " + e);
        }
    }

    @Test
    void multiStepLrMatchesThePyTorchDocsExample() {
        // MultiStepLR docs: lr 0.05, milestones [30, 80], gamma 0.1
        SGD opt = sgd(0.05);
        double[] lr = lrs(opt, new MultiStepLR(opt, new int[] {80, 30}, 0.1), 100);
        for (int e = 0; e < 100; e++) {
            double want = e < 30 ? 0.05 : e < 80 ? 0.005 : 0.0005;
            assertEquals(want, lr[e], want * 1e-12, "epoch " + e);
        }
        // a repeated milestone decays twice
        SGD opt2 = sgd(1.0);
        double[] lr2 = lrs(opt2, new MultiStepLR(opt2, new int[] {2, 2}, 0.5), 4);
        assertEquals(0.25, lr2[2], TOL);
    }

    @Test
    void exponentialLrIsBaseTimesGammaToTheEpoch() {
        SGD opt = sgd(0.2);
        double[] lr = lrs(opt, new ExponentialLR(opt, 0.9), 20);
        double expected = 0.2;
        for (int e = 0; e < 20; e++) {
            assertEquals(expected, lr[e], 1e-15, "epoch " + e);
            expected *= 0.9;
        }
    }

    @Test
    void cosineAnnealingMatchesTheClosedFormAndPyTorchsRecursiveForm() {
        double base = 0.1;
        double etaMin = 0.001;
        int tMax = 10;
        SGD opt = sgd(base);
        double[] lr = lrs(opt, new CosineAnnealingLR(opt, tMax, etaMin), tMax + 1);
        assertEquals(base, lr[0], TOL);
        assertEquals((base + etaMin) / 2, lr[5], TOL);
        assertEquals(etaMin, lr[10], TOL);
        // The docs' recursion: η_{t+1} = η_min + (η_t − η_min)(1 + cos((t+1)π/T))/(1 + cos(tπ/T)), valid while t+1 ≤ T
        double eta = base;
        for (int t = 0; t < tMax; t++) {
            eta = etaMin + (eta - etaMin) * (1 + Math.cos((t + 1) * Math.PI / tMax)) / (1 + Math.cos(t * Math.PI / tMax));
            assertEquals(eta, lr[t + 1], 1e-12, "epoch " + (t + 1));
        }
    }

    @Test
    void linearWarmupMatchesThePyTorchLinearLrDocsExample() {
        // LinearLR docs: lr 0.05, start_factor 0.5, total_iters 4 -> 0.025, 0.03125, 0.0375, 0.04375, then 0.05
        SGD opt = sgd(0.05);
        double[] lr = lrs(opt, new LinearWarmup(opt, 4, 0.5), 7);
        double[] want = {0.025, 0.03125, 0.0375, 0.04375, 0.05, 0.05, 0.05};
        for (int e = 0; e < want.length; e++) {
            assertEquals(want[e], lr[e], TOL, "epoch " + e);
        }
    }

    @Test
    void linearWarmupHandsOverToAnotherSchedule() {
        SGD opt = sgd(0.1);
        CosineAnnealingLR cosine = new CosineAnnealingLR(opt, 4);
        LinearWarmup warm = new LinearWarmup(opt, 2, 0.0, cosine);
        double[] lr = lrs(opt, warm, 8);
        // warm-up 0, 0.05; then cosine from 0.1 to 0 over 4 epochs: 0.1, 0.1(1 + cos(π/4))/2, 0.05, ..., 0
        double[] want = {0.0, 0.05, 0.1, 0.1 * (1 + Math.cos(Math.PI / 4)) / 2, 0.05, 0.1 * (1 + Math.cos(3 * Math.PI / 4)) / 2, 0.0,
            0.1 * (1 + Math.cos(5 * Math.PI / 4)) / 2};
        for (int e = 0; e < want.length; e++) {
            assertEquals(want[e], lr[e], 1e-15, "epoch " + e);
        }
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(sgd(0.1), 2, 0.1, cosine));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(opt, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(opt, 2, 1.5));
    }

    @Test
    void schedulesDriveAnyOptimizerAndTheStepUsesTheScheduledRate() {
        // Plain SGD moves W by exactly lr·g, so the scheduled rate is visible in the update.
        Parameter p = new Parameter(NDArray.of(0.0));
        SGD opt = new SGD(List.of(p), 1.0);
        StepLR s = new StepLR(opt, 1, 0.5);
        double w = 0;
        for (int e = 0; e < 4; e++) {
            p.setGrad(new Variable(NDArray.of(1.0)));
            opt.step();
            w -= Math.pow(0.5, e);
            assertEquals(w, p.data().item(), TOL);
            s.step();
        }
        // Adam's first step moves each coordinate by lr: an ExponentialLR after 3 steps sets it to 0.1·0.5³
        for (Optimizer o : List.of(new Adam(List.of(new Parameter(NDArray.of(0.0))), 0.1),
                new AdamW(List.of(new Parameter(NDArray.of(0.0))), 0.1), new RMSprop(List.of(new Parameter(NDArray.of(0.0))), 0.1),
                new AdaGrad(List.of(new Parameter(NDArray.of(0.0))), 0.1), new Momentum(List.of(new Parameter(NDArray.of(0.0))), 0.1, 0.9))) {
            ExponentialLR exp = new ExponentialLR(o, 0.5);
            exp.step();
            exp.step();
            exp.step();
            assertEquals(0.1 * 0.125, o.lr(), TOL, o.name());
        }
    }

    @Test
    void setEpochResumesExactly() {
        SGD a = sgd(0.3);
        CosineAnnealingLR ca = new CosineAnnealingLR(a, 50, 0.01);
        for (int e = 0; e < 17; e++) {
            ca.step();
        }
        SGD b = sgd(0.3);
        CosineAnnealingLR cb = new CosineAnnealingLR(b, 50, 0.01);
        cb.setEpoch(17);
        assertEquals(a.lr(), b.lr(), 0);
        ca.step();
        cb.step();
        assertEquals(a.lr(), b.lr(), 0);
    }

    @Test
    void badScheduleArgumentsAreRejected() {
        SGD opt = sgd(0.1);
        assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 5, -1));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialLR(opt, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new MultiStepLR(opt, new int[] {-1}, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(opt, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReduceLROnPlateau.builder(opt).factor(1.0).build());
        assertTrue(e.getMessage().contains("factor must be in [0, 1) but is 1.0"), e.getMessage());
    }

    // ------------------------------------------------------------------ ReduceLROnPlateau

    static double[] plateau(ReduceLROnPlateau s, Optimizer opt, double... metrics) {
        double[] out = new double[metrics.length];
        for (int i = 0; i < metrics.length; i++) {
            s.step(metrics[i]);
            out[i] = opt.lr();
        }
        return out;
    }

    @Test
    void plateauReducesAfterPatienceIsExceeded() {
        SGD opt = sgd(1.0);
        ReduceLROnPlateau s = ReduceLROnPlateau.builder(opt).factor(0.5).patience(2).threshold(0).build();
        // epoch:   1   2   3   4(3 bad > 2)  5  6(better)  7  8  9(3 bad)
        double[] lr = plateau(s, opt, 10, 11, 11, 11, 11, 9, 9, 9, 9);
        assertEquals(List.of(1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25), toList(lr));
        assertEquals(9.0, s.best());
    }

    @Test
    void plateauCooldownIgnoresBadEpochs() {
        SGD opt = sgd(1.0);
        ReduceLROnPlateau s = ReduceLROnPlateau.builder(opt).factor(0.5).patience(2).threshold(0).cooldown(2).build();
        // reduce at epoch 4; epochs 5 and 6 are cooldown (bad count reset); bad again at 7, 8, 9 -> reduce at 9
        double[] lr = plateau(s, opt, 10, 11, 11, 11, 11, 11, 11, 11, 11);
        assertEquals(List.of(1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25), toList(lr));
        // without cooldown the second reduction comes at epoch 7
        SGD opt2 = sgd(1.0);
        ReduceLROnPlateau s2 = ReduceLROnPlateau.builder(opt2).factor(0.5).patience(2).threshold(0).build();
        assertEquals(0.25, plateau(s2, opt2, 10, 11, 11, 11, 11, 11, 11)[6]);
    }

    @Test
    void plateauThresholdModesMaxModeAndMinLr() {
        // rel threshold 0.1: from best 10, only a metric below 9 counts as better
        SGD a = sgd(1.0);
        ReduceLROnPlateau rel = ReduceLROnPlateau.builder(a).factor(0.1).patience(1).threshold(0.1).build();
        plateau(rel, a, 10, 9.5, 9.1);
        assertEquals(10.0, rel.best());
        assertEquals(0.1, a.lr(), TOL);
        // abs threshold 0.5: 9.6 is not better than 10 - 0.5, 9.4 is
        SGD b = sgd(1.0);
        ReduceLROnPlateau abs = ReduceLROnPlateau.builder(b).patience(5).threshold(0.5)
                .thresholdMode(ReduceLROnPlateau.ThresholdMode.ABS).build();
        plateau(abs, b, 10, 9.6);
        assertEquals(10.0, abs.best());
        assertEquals(1, abs.numBadEpochs());
        plateau(abs, b, 9.4);
        assertEquals(9.4, abs.best());
        assertEquals(0, abs.numBadEpochs());
        // max mode for an accuracy, floored at minLr, and no change once the floor is reached
        SGD c = sgd(1e-3);
        ReduceLROnPlateau max = ReduceLROnPlateau.builder(c).mode(ReduceLROnPlateau.Mode.MAX).factor(0.1).patience(0)
                .threshold(0).minLr(5e-4).build();
        double[] lr = plateau(max, c, 0.5, 0.6, 0.6, 0.6);
        assertEquals(List.of(1e-3, 1e-3, 5e-4, 5e-4), toList(lr));
        // eps: a reduction smaller than eps is skipped
        SGD d = sgd(1e-9);
        ReduceLROnPlateau tiny = ReduceLROnPlateau.builder(d).patience(0).build();
        plateau(tiny, d, 1, 2);
        assertEquals(1e-9, d.lr(), 0);
    }

    @Test
    void plateauStateRoundTripsSoAResumedRunReducesAtTheSameEpoch() {
        double[] metrics = {5, 4, 4, 4, 4, 3, 3.5, 3.5, 3.5, 3.5};
        SGD a = sgd(1.0);
        ReduceLROnPlateau sa = ReduceLROnPlateau.builder(a).factor(0.5).patience(2).cooldown(1).build();
        double[] full = plateau(sa, a, metrics);

        SGD b = sgd(1.0);
        ReduceLROnPlateau sb = ReduceLROnPlateau.builder(b).factor(0.5).patience(2).cooldown(1).build();
        plateau(sb, b, java.util.Arrays.copyOf(metrics, 4));
        java.util.Map<String, String> state = sb.stateDict();
        SGD c = sgd(b.lr());
        ReduceLROnPlateau sc = ReduceLROnPlateau.builder(c).factor(0.5).patience(2).cooldown(1).build();
        sc.loadStateDict(state);
        double[] rest = plateau(sc, c, java.util.Arrays.copyOfRange(metrics, 4, metrics.length));
        for (int i = 0; i < rest.length; i++) {
            assertEquals(full[4 + i], rest[i], 0, "epoch " + (5 + i));
        }
        assertEquals(sa.stateDict(), sc.stateDict());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sc.loadStateDict(java.util.Map.of("best", "1")));
        assertTrue(e.getMessage().contains("missing key 'num_bad_epochs'"), e.getMessage());
    }

    static List<Double> toList(double[] a) {
        return java.util.Arrays.stream(a).boxed().collect(java.util.stream.Collectors.toList());
    }
}
