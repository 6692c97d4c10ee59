package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A user-defined differentiable operation is recorded, differentiated and checked like a built-in. */
class UserDefinedNodeTest {

    /** {@code sqrt(a² + b²)} with broadcasting; backward from Variable ops so second derivatives work. */
    static final class Hypot extends Node {
        @Override
        protected NDArray forward(NDArray... x) {
            return x[0].square().add(x[1].square()).sqrt();
        }

        @Override
        protected boolean savesOutput() {
            return true;
        }

        @Override
        protected Variable[] backward(Variable gy) {
            Variable a = input(0);
            Variable b = input(1);
            Variable r = output();
            return new Variable[] {gy.mul(a).div(r).sumTo(a.shape()), gy.mul(b).div(r).sumTo(b.shape())};
        }
    }

    /** Scales its first input by a second input that is not differentiated (returns null for it). */
    static final class ScaleBy extends Node {
        @Override
        protected NDArray forward(NDArray... x) {
            return x[0].mul(x[1]);
        }

        @Override
        protected Variable[] backward(Variable gy) {
            return new Variable[] {gy.mul(Variable.constant(input(1).data())), null};
        }
    }

    static Variable hypot(Variable a, Variable b) {
        return new Hypot().apply(a, b);
    }

    @Test
    void recordedWithItsNameAndDifferentiated() {
        Variable a = Variable.scalar(3).named("a");
        Variable b = Variable.scalar(4).named("b");
        Variable r = hypot(a, b);
        assertEquals(5.0, r.item(), 1e-12);
        assertEquals("Hypot", r.creator().name());
        assertEquals(2, r.creator().arity());
        assertEquals(1, r.generation());
        r.backward();
        assertEquals(0.6, a.grad().item(), 1e-12);
        assertEquals(0.8, b.grad().item(), 1e-12);
        assertTrue(Dot.toDot(hypot(a, b), false).contains("label=\"Hypot\""));
    }

    @Test
    void passesFirstAndSecondOrderChecks() {
        Random rng = new Random(4);
        for (int i = 0; i < 10; i++) {
            NDArray a = Samplers.array(rng, Domain.AWAY_FROM_ZERO, 2, 3);
            NDArray b = Samplers.array(rng, Domain.AWAY_FROM_ZERO, 3);
            GradCheck.check(x -> hypot(x[0], x[1]), a, b).orThrow();
            GradGradCheck.check(x -> hypot(x[0], x[1]), a, b).orThrow();
        }
    }

    @Test
    void checkedThroughAnOpInfoLikeARegistryEntry() {
        OpInfo info = new OpInfo("hypot", OpInfo.Kind.PRIMITIVE, 2, "broadcast pair, AWAY_FROM_ZERO", true,
                List.of(Hypot.class), r -> {
                    int[][] s = Samplers.broadcastPair(r);
                    return new OpCase("", x -> hypot(x[0], x[1]), Samplers.array(r, Domain.AWAY_FROM_ZERO, s[0]),
                            Samplers.array(r, Domain.AWAY_FROM_ZERO, s[1]));
                });
        for (int k = 0; k < 20; k++) {
            OpCheck.Report rep = OpCheck.run(info, OpCheck.seed(info.name(), k));
            assertTrue(rep.passed(), rep::toString);
            assertTrue(rep.second() != null && rep.first() != null);
        }
    }

    @Test
    void aBrokenUserOpIsCaughtByTheSameRunner() {
        class WrongHypot extends Node {
            @Override
            protected NDArray forward(NDArray... x) {
                return x[0].square().add(x[1].square()).sqrt();
            }

            @Override
            protected Variable[] backward(Variable gy) {
                return new Variable[] {gy.mul(input(0)), gy.mul(input(1))}; // forgot to divide by r
            }
        }
        OpInfo info = new OpInfo("wrongHypot", OpInfo.Kind.PRIMITIVE, 2, "same shapes", true, List.of(WrongHypot.class),
                r -> new OpCase("", x -> new WrongHypot().apply(x[0], x[1]),
                        Samplers.array(r, Domain.POSITIVE, 3), Samplers.array(r, Domain.POSITIVE, 3)));
        OpCheck.Report rep = OpCheck.firstOrder(info, 1);
        assertFalse(rep.passed());
        assertTrue(rep.toString().contains("analytical"), rep.toString());
    }

    @Test
    void aNullGradientMeansNoGradientForThatInput() {
        Variable x = Variable.of(1, 2);
        Variable s = Variable.of(3, 4);
        new ScaleBy().apply(x, s).sum().backward();
        assertTrue(x.grad().data().allClose(NDArray.of(3, 4)));
        assertNull(s.grad());
    }

    @Test
    void wrongGradientCountOrShapeIsReportedWithTheOpName() {
        class TooFew extends Node {
            @Override
            protected NDArray forward(NDArray... x) {
                return x[0].add(x[1]);
            }

            @Override
            protected Variable[] backward(Variable gy) {
                return new Variable[] {gy};
            }
        }
        class WrongShape extends Node {
            @Override
            protected NDArray forward(NDArray... x) {
                return x[0].sum();
            }

            @Override
            protected Variable[] backward(Variable gy) {
                return new Variable[] {gy};
            }
        }
        Variable a = Variable.of(1, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new TooFew().apply(a, a).sum().backward());
        assertTrue(e.getMessage().contains("TooFewBackward returned 1 gradients but the node has 2 inputs"),
                e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> new WrongShape().apply(a).backward());
        assertTrue(e.getMessage().contains("Function WrongShapeBackward returned an invalid gradient at index 0 - got () "
                + "but expected shape compatible with (2,)"), e.getMessage());
    }

    @Test
    void noGradSkipsRecordingForUserOpsToo() {
        Variable a = Variable.scalar(3);
        try (Autograd.Scope s = Autograd.noGrad()) {
            Variable r = hypot(a, a);
            assertNull(r.creator());
            assertFalse(r.requiresGrad());
        }
        Variable r = hypot(a, a);
        assertSame(a, ((Hypot) r.creator()).input(0));
    }
}
