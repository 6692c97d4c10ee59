package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Optimizers over float32 parameters: parameters stay float32, every step equals the float64
 * update of the same values rounded to float32 (the state is kept in float64), and the
 * optimizer state round-trips.
 */
class Float32ParametersTest {

    private static final List<Function<List<Parameter>, Optimizer>> OPTIMIZERS = List.of(
            ps -> new SGD(ps, 0.1),
            ps -> SGD.builder(ps).lr(0.05).momentum(0.9).nesterov(true).weightDecay(1e-3).build(),
            ps -> new AdaGrad(ps, 0.1),
            ps -> new RMSprop(ps, 0.01),
            ps -> Adam.builder(ps).lr(0.01).amsgrad(true).build(),
            ps -> new AdamW(ps, 0.01));

    @Test
    void eachStepIsTheFloat64UpdateOfTheFloat32ValuesRounded() {
        for (Function<List<Parameter>, Optimizer> make : OPTIMIZERS) {
            Parameter p = new Parameter(NDArray.randn(new Random(1), DType.FLOAT32, 3, 4), "w");
            Optimizer opt = make.apply(List.of(p));
            // a reference run in float64 that starts every step from the float32 values
            Parameter q = new Parameter(p.data().astype(DType.FLOAT64), "w");
            Optimizer ref = make.apply(List.of(q));
            NDArray target = NDArray.randn(new Random(2), 3, 4);
            for (int step = 0; step < 5; step++) {
                opt.zeroGrad();
                ref.zeroGrad();
                Variable l = p.sub(new Variable(target.astype(DType.FLOAT32))).square().sum();
                l.backward();
                assertEquals(DType.FLOAT32, p.grad().dtype());
                // the reference sees the same float32 values and the same float32 gradient
                q.data().copyFrom(p.data().astype(DType.FLOAT64));
                q.setGrad(new Variable(p.grad().data().astype(DType.FLOAT64)));
                opt.step();
                ref.step();
                assertEquals(DType.FLOAT32, p.data().dtype(), opt.name());
                for (int i = 0; i < p.size(); i++) {
                    assertEquals((float) q.data().getFlat(i), p.data().getFlat(i), 0.0, opt.name() + " step " + step);
                }
            }
            Map<String, NDArray> state = opt.stateDict();
            Optimizer again = make.apply(List.of(p));
            again.loadStateDict(state);
            assertEquals(opt.stateDict().keySet(), again.stateDict().keySet());
            for (String k : state.keySet()) {
                assertTrue(state.get(k).allClose(again.stateDict().get(k), 0, 0), k);
            }
        }
    }
}
