package dev.nabla.optim;

import static dev.nabla.optim.ParamGroup.group;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parameter groups (PyTorch's param_groups): per-group hyperparameters, schedules and checkpoints. */
class ParamGroupsTest {
    @TempDir
    Path dir;

    /** loss = Σ w², so every gradient is 2w. */
    private static void backward(Parameter... ps) {
        Variable loss = null;
        for (Parameter p : ps) {
            p.clearGrad();
            Variable s = p.mul(p).sum();
            loss = loss == null ? s : loss.add(s);
        }
        loss.backward();
    }

    @Test
    void twoSgdGroupsUseTheirOwnLrAndWeightDecay() {
        Parameter a = new Parameter(NDArray.of(1, 2), "a");
        Parameter b = new Parameter(NDArray.of(3), "b");
        SGD sgd = SGD.builder(group(List.of(a)), group(List.of(b)).lr(0.01).weightDecay(0.5)).lr(0.1).build();
        backward(a, b);
        sgd.step();
        // a: w − 0.1·2w = 0.8w; b: 3 − 0.01·(2·3 + 0.5·3) = 3 − 0.075
        assertArrayEquals(new double[] {1 - 0.1 * 2, 2 - 0.1 * 4}, a.data().toArray(), 0);
        assertArrayEquals(new double[] {3 - 0.01 * (6 + 1.5)}, b.data().toArray(), 0);
        assertEquals(2, sgd.groupCount());
        assertEquals(0.1, sgd.lr(0));
        assertEquals(0.01, sgd.lr(1));
        assertEquals(List.of(b), sgd.groupParams(1));
    }

    @Test
    void adamGroupsHaveTheirOwnLrBetasAndDecayAsTheFormula() {
        Parameter a = new Parameter(NDArray.of(0.5), "a");
        Parameter b = new Parameter(NDArray.of(-2), "b");
        Adam adam = Adam.builder(group(List.of(a)).weightDecay(0.1), group(List.of(b)).lr(1e-2).betas(0.5, 0.9)).lr(1e-3).build();
        for (int t = 1; t <= 2; t++) {
            backward(a, b);
            adam.step();
        }
        // by hand, two steps of the formula per group
        double[] wa = adamByHand(0.5, 1e-3, 0.9, 0.999, 0.1);
        double[] wb = adamByHand(-2, 1e-2, 0.5, 0.9, 0);
        assertEquals(wa[1], a.data().item(), 1e-15);
        assertEquals(wb[1], b.data().item(), 1e-15);
    }

    private static double[] adamByHand(double w, double lr, double b1, double b2, double wd) {
        double m = 0;
        double v = 0;
        double[] out = new double[2];
        for (int t = 1; t <= 2; t++) {
            double g = 2 * w + wd * w;
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            double mh = m / (1 - Math.pow(b1, t));
            double vh = v / (1 - Math.pow(b2, t));
            w = w - lr * mh / (Math.sqrt(vh) + 1e-8);
            out[t - 1] = w;
        }
        return out;
    }

    @Test
    void aParameterInTwoGroupsAndUnknownOptionsAreRefused() {
        Parameter a = new Parameter(NDArray.of(1), "a");
        Parameter b = new Parameter(NDArray.of(1), "b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SGD.builder(group(List.of(a, b)), group(List.of(b))).build());
        assertTrue(e.getMessage().contains("SGD: some parameters appear in more than one parameter group"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SGD.builder(group(List.of(a)).betas(0.9, 0.99)).build());
        assertTrue(e.getMessage().contains("parameter group 0 sets 'beta1', which is not a per-group option of SGD"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Adam.builder(group(List.of(a)).weightDecay(-1)).build());
        assertTrue(e.getMessage().contains("Adam: invalid weight_decay -1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Adam.builder(group(List.of(a)).lr(-1)).build());
        assertTrue(e.getMessage().contains("Adam: invalid learning rate -1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SGD.builder(group(List.of(a)), group(List.of(b)).momentum(0))
                .momentum(0.9).nesterov(true).build());
        assertTrue(e.getMessage().contains("Nesterov momentum requires a momentum > 0"), e.getMessage());
    }

    @Test
    void schedulersScaleEveryGroupFromItsInitialLr() {
        Parameter a = new Parameter(NDArray.of(1), "a");
        Parameter b = new Parameter(NDArray.of(1), "b");
        SGD sgd = SGD.builder(group(List.of(a)), group(List.of(b)).lr(0.01)).lr(0.1).build();
        StepLR step = new StepLR(sgd, 1, 0.5);
        step.step();
        assertEquals(0.05, sgd.lr(0), 1e-18);
        assertEquals(0.005, sgd.lr(1), 1e-18);
        step.setEpoch(0);
        assertEquals(0.1, sgd.lr(0));
        assertEquals(0.01, sgd.lr(1));
        // cosine: η_min + (base_g − η_min)(1 + cos(π t/T))/2 per group (not proportional when η_min > 0)
        CosineAnnealingLR cos = new CosineAnnealingLR(sgd, 4, 0.001);
        cos.step();
        double c = (1 + Math.cos(Math.PI / 4)) / 2;
        assertEquals(0.001 + (0.1 - 0.001) * c, sgd.lr(0), 1e-17);
        assertEquals(0.001 + (0.01 - 0.001) * c, sgd.lr(1), 1e-17);
    }

    @Test
    void checkpointRoundTripsGroupsAndRefusesAnotherGrouping() throws Exception {
        Parameter a = new Parameter(NDArray.of(1, 2), "a");
        Parameter b = new Parameter(NDArray.of(3), "b");
        SGD first = SGD.builder(group(List.of(a)), group(List.of(b)).lr(0.02).momentum(0.5)).lr(0.1).momentum(0.9).build();
        backward(a, b);
        first.step();
        first.setLr(1, 0.03);
        Path file = dir.resolve("opt.safetensors");
        OptimizerCheckpoint.save(file, first);

        Parameter a2 = new Parameter(a.data().copy(), "a");
        Parameter b2 = new Parameter(b.data().copy(), "b");
        SGD resumed = SGD.builder(group(List.of(a2)), group(List.of(b2)).lr(0.7).momentum(0.1)).lr(0.1).momentum(0.9).build();
        OptimizerCheckpoint.load(file, resumed);
        assertEquals(0.03, resumed.lr(1));
        assertEquals(Map.of("momentum", 0.5), resumed.groupOptions(1));
        backward(a, b);
        first.step();
        backward(a2, b2);
        resumed.step();
        assertArrayEquals(a.data().toArray(), a2.data().toArray(), 0);
        assertArrayEquals(b.data().toArray(), b2.data().toArray(), 0);

        SGD oneGroup = SGD.builder(List.of(a2, b2)).lr(0.1).momentum(0.9).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OptimizerCheckpoint.load(file, oneGroup));
        assertTrue(e.getMessage().contains("saved with 2 parameter group(s) but the optimizer has 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> oneGroup.loadStateDict(first.stateDict()));
        assertTrue(e.getMessage().contains("the state dict holds 2 parameter group(s) but this SGD has 1"), e.getMessage());
        // an old, one-group state dict still loads into a one-group optimizer
        SGD old = SGD.builder(List.of(a, b)).lr(0.4).momentum(0.9).build();
        oneGroup.loadStateDict(old.stateDict());
        assertEquals(0.4, oneGroup.lr());
    }

    @Test
    void frozenGroupMembersAreSkipped() {
        Parameter a = new Parameter(NDArray.of(1), "a");
        Parameter b = new Parameter(NDArray.of(3), "b");
        SGD sgd = SGD.builder(group(List.of(a)), group(List.of(b)).lr(0.5)).lr(0.1).build();
        backward(a, b);
        b.requiresGrad(false);
        sgd.step();
        assertEquals(3.0, b.data().item());
        assertEquals(0.8, a.data().item(), 1e-16);
    }

    @Test
    void zeroGradFalseKeepsZeroGradientsSoDecayStillApplies() {
        Parameter a = new Parameter(NDArray.of(2), "a");
        SGD sgd = SGD.builder(List.of(a)).lr(0.1).weightDecay(0.5).build();
        backward(a);
        sgd.zeroGrad(false);
        assertEquals(0.0, a.grad().item());
        sgd.step(); // g = 0 + 0.5·2 → 2 − 0.1·1
        assertEquals(1.9, a.data().item(), 1e-15);
        sgd.zeroGrad();
        sgd.step(); // null gradient: skipped
        assertEquals(1.9, a.data().item(), 1e-15);
    }

    @Test
    void aGroupWithoutMomentumHasNoMomentumBufferAndStillRoundTrips() {
        Parameter a = new Parameter(NDArray.of(1), "a");
        Parameter b = new Parameter(NDArray.of(3), "b");
        SGD sgd = SGD.builder(group(List.of(a)), group(List.of(b)).momentum(0)).lr(0.1).momentum(0.9).build();
        backward(a, b);
        sgd.step();
        Map<String, NDArray> state = sgd.stateDict();
        assertTrue(state.containsKey("state.0.momentum_buffer"));
        assertTrue(!state.containsKey("state.1.momentum_buffer"), state.keySet().toString());
        SGD again = SGD.builder(group(List.of(a)), group(List.of(b)).momentum(0)).lr(0.1).momentum(0.9).build();
        again.loadStateDict(state);
        assertEquals(state.keySet(), again.stateDict().keySet());
    }

    @Test
    void reduceLrOnPlateauReducesEveryGroup() {
        Parameter a = new Parameter(NDArray.of(1), "a");
        Parameter b = new Parameter(NDArray.of(1), "b");
        SGD sgd = SGD.builder(group(List.of(a)), group(List.of(b)).lr(0.01)).lr(0.1).build();
        ReduceLROnPlateau plateau = ReduceLROnPlateau.builder(sgd).factor(0.5).patience(0).build();
        plateau.step(1.0);
        plateau.step(1.0); // no improvement past patience 0: both groups halve
        assertEquals(0.05, sgd.lr(0), 1e-18);
        assertEquals(0.005, sgd.lr(1), 1e-18);
    }
}
