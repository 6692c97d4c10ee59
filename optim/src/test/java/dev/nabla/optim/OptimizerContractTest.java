package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Construction checks, learning-rate access, and state-dict validation shared by all optimizers. */
class OptimizerContractTest {

    static void assertMessage(Class<? extends Throwable> type, Runnable r, String... parts) {
        Throwable e = assertThrows(type, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "expected <" + p + "> in: " + e.getMessage());
        }
    }

    @Test
    void badConstructionIsRejectedWithAClearMessage() {
        Parameter p = new Parameter(NDArray.of(1.0), "w");
        assertMessage(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1), "SGD: got an empty parameter list");
        assertMessage(IllegalArgumentException.class, () -> new Adam(List.of(p, p), 0.1),
                "Adam: parameter 1 'w' appears more than once (also at index 0)");
        assertMessage(IllegalArgumentException.class, () -> new AdaGrad(List.of(p), -0.1), "AdaGrad: invalid learning rate -0.1");
        assertMessage(IllegalArgumentException.class, () -> new RMSprop(List.of(p), Double.NaN), "invalid learning rate NaN");
        assertMessage(IllegalArgumentException.class, () -> SGD.builder(List.of(p)).lr(0.1).nesterov(true).build(),
                "Nesterov momentum requires a momentum > 0 and zero dampening");
        assertMessage(IllegalArgumentException.class, () -> Adam.builder(List.of(p)).betas(1.0, 0.999).build(),
                "Adam: invalid beta1 1.0 (must be in [0.0, 1.0))");
        assertMessage(IllegalArgumentException.class, () -> RMSprop.builder(List.of(p)).alpha(1.5).build(), "invalid alpha 1.5");
        assertMessage(IllegalArgumentException.class, () -> new Momentum(List.of(p), 0.1, -0.5), "invalid momentum -0.5");
        assertMessage(IllegalArgumentException.class, () -> AdamW.builder(List.of(p)).weightDecay(-1).build(), "invalid weight_decay -1.0");
        Optimizer opt = new SGD(List.of(p), 0.1);
        assertMessage(IllegalArgumentException.class, () -> opt.setLr(Double.POSITIVE_INFINITY), "invalid learning rate Infinity");
    }

    @Test
    void learningRateCanBeDrivenBetweenSteps() {
        Parameter p = new Parameter(NDArray.of(1.0));
        SGD sgd = new SGD(List.of(p), 0.1);
        assertEquals(0.1, sgd.lr());
        sgd.setLr(0.5);
        p.setGrad(new Variable(NDArray.of(2.0)));
        sgd.step();
        assertEquals(0.0, p.data().item(), 1e-15); // 1 - 0.5·2
    }

    static Adam trainedAdam(Parameter a, Parameter b) {
        Adam adam = Adam.builder(List.of(a, b)).lr(0.01).amsgrad(true).build();
        for (int t = 0; t < 3; t++) {
            a.setGrad(new Variable(NDArray.of(1.0, -2.0, 0.5)));
            b.setGrad(new Variable(NDArray.of(new double[] {0.1, 0.2, 0.3, 0.4}, 2, 2)));
            adam.step();
        }
        return adam;
    }

    @Test
    void stateDictHasTheDocumentedKeysAndIsACopy() {
        Parameter a = new Parameter(NDArray.of(1.0, 2.0, 3.0));
        Parameter b = new Parameter(NDArray.zeros(2, 2));
        Adam adam = trainedAdam(a, b);
        Map<String, NDArray> sd = adam.stateDict();
        assertEquals(List.of("lr", "step", "state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq",
                "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.max_exp_avg_sq"), new ArrayList<>(sd.keySet()));
        assertEquals(0.01, sd.get("lr").item());
        assertEquals(3.0, sd.get("step").item());
        assertTrue(sd.get("state.1.exp_avg").hasShape(2, 2));
        // m after three equal gradients g: (1 − 0.9³)·g
        assertEquals((1 - 0.729) * -2.0, sd.get("state.0.exp_avg").getFlat(1), 1e-15);
        sd.get("state.0.exp_avg").fill(99);
        assertEquals((1 - 0.729) * -2.0, adam.stateDict().get("state.0.exp_avg").getFlat(1), 1e-15);
    }

    @Test
    void loadStateDictRoundTripsAndValidates() {
        Parameter a = new Parameter(NDArray.of(1.0, 2.0, 3.0));
        Parameter b = new Parameter(NDArray.zeros(2, 2));
        Map<String, NDArray> sd = trainedAdam(a, b).stateDict();

        Adam fresh = Adam.builder(List.of(a, b)).lr(0.5).amsgrad(true).build();
        fresh.loadStateDict(sd);
        assertEquals(0.01, fresh.lr());
        assertEquals(3, fresh.stepCount());
        assertEquals(sd.keySet(), fresh.stateDict().keySet());
        for (String k : sd.keySet()) {
            assertEquals(sd.get(k), fresh.stateDict().get(k), k);
        }

        Map<String, NDArray> missing = new LinkedHashMap<>(sd);
        missing.remove("state.1.max_exp_avg_sq");
        missing.remove("lr");
        assertMessage(IllegalArgumentException.class, () -> fresh.loadStateDict(missing),
                "Adam.loadStateDict: ", "missing keys [lr, state.1.max_exp_avg_sq]");

        Map<String, NDArray> unexpected = new LinkedHashMap<>(sd);
        unexpected.put("state.2.exp_avg", NDArray.of(1.0));
        unexpected.put("state.0.momentum_buffer", NDArray.of(1.0, 2.0, 3.0));
        assertMessage(IllegalArgumentException.class, () -> fresh.loadStateDict(unexpected),
                "unexpected keys [state.0.momentum_buffer, state.2.exp_avg]", "this Adam has 2 parameters");

        Map<String, NDArray> misShaped = new LinkedHashMap<>(sd);
        misShaped.put("state.1.exp_avg", NDArray.zeros(4));
        assertMessage(IllegalArgumentException.class, () -> fresh.loadStateDict(misShaped),
                "'state.1.exp_avg' has shape [4] but parameter 1 has shape [2, 2]");

        Map<String, NDArray> badStep = new LinkedHashMap<>(sd);
        badStep.put("state.0.step", NDArray.scalar(1.5));
        assertMessage(IllegalArgumentException.class, () -> fresh.loadStateDict(badStep), "'state.0.step' must be a 0-d non-negative integer");

        // a failed load changes nothing
        assertEquals(0.01, fresh.lr());
        assertEquals(sd.get("state.0.exp_avg"), fresh.stateDict().get("state.0.exp_avg"));

        // an Adam without AMSGrad does not accept AMSGrad's buffer
        Adam plain = new Adam(List.of(a, b), 0.01);
        assertMessage(IllegalArgumentException.class, () -> plain.loadStateDict(sd), "unexpected keys [state.0.max_exp_avg_sq, state.1.max_exp_avg_sq]");

        // loading a fresh optimizer's state dict clears the state
        fresh.loadStateDict(new Adam(List.of(a, b), 0.02).stateDict());
        assertEquals(List.of("lr", "step"), new ArrayList<>(fresh.stateDict().keySet()));
        assertEquals(0.02, fresh.lr());
    }
}
