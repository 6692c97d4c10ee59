package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.nabla.autograd.testing.NablaArbitraries;
import dev.nabla.autograd.testing.Seeds;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.function.BinaryOperator;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * First- and second-order checks of the broadcasting binary primitives over the test-jar's
 * shrinkable arbitraries (complementing the seeded registry properties): a failure shrinks to
 * the smallest pair of shapes and simplest values that still break.
 */
class BroadcastingGradProperties {

    @Provide
    Arbitrary<NDArray[]> realPairs() {
        return NablaArbitraries.broadcastArrays(Domain.REAL, Domain.REAL);
    }

    @Provide
    Arbitrary<NDArray[]> divisorPairs() {
        return NablaArbitraries.broadcastArrays(Domain.REAL, Domain.AWAY_FROM_ZERO);
    }

    private static void check(BinaryOperator<Variable> op, NDArray[] ab) {
        GradCheck.check(x -> op.apply(x[0], x[1]), ab[0], ab[1]).orThrow();
        GradGradCheck.check(x -> op.apply(x[0], x[1]), ab[0], ab[1]).orThrow();
        // and the gradients come back in the inputs' shapes
        Variable a = new Variable(ab[0], true);
        Variable b = new Variable(ab[1], true);
        Variable y = op.apply(a, b);
        assertArrayEquals(Shapes.broadcast("test", ab[0].shape(), ab[1].shape()), y.shape());
        y.backward(new Variable(NDArray.onesLike(y.data())));
        assertArrayEquals(ab[0].shape(), a.grad().shape());
        assertArrayEquals(ab[1].shape(), b.grad().shape());
    }

    @Property(tries = 40)
    void add(@ForAll("realPairs") NDArray[] ab) {
        check(Variable::add, ab);
    }

    @Property(tries = 40)
    void sub(@ForAll("realPairs") NDArray[] ab) {
        check(Variable::sub, ab);
    }

    @Property(tries = 40)
    void mul(@ForAll("realPairs") NDArray[] ab) {
        check(Variable::mul, ab);
    }

    @Property(tries = 40)
    void div(@ForAll("divisorPairs") NDArray[] ab) {
        check(Variable::div, ab);
    }

    @Property(tries = 40)
    void where(@ForAll("realPairs") NDArray[] ab, @ForAll(supplier = Seeds.class) long seed) {
        int[] out = Shapes.broadcast("where", ab[0].shape(), ab[1].shape());
        NDArray cond = Samplers.mask(new java.util.Random(seed), out);
        check((a, b) -> F.where(cond, a, b), ab);
    }
}
