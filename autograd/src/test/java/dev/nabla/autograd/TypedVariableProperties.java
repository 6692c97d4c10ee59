package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Comparisons and argmax on Variables are BOOL / INT64 constants outside the graph (as PyTorch's
 * {@code x > 0} has {@code requires_grad=False}); {@code take} with an INT64 index array of any
 * shape is differentiable to first and second order (vᵀJ against central differences).
 */
class TypedVariableProperties {

    @Test
    void comparisonsAndArgmaxAreConstants() {
        Variable x = Variable.of(1, -2, 3);
        Variable y = x.mul(2.0);
        for (Variable m : new Variable[] {y.gt(0.0), y.lt(0.0), y.eq(6.0), y.gt(x), y.ge(x), y.le(x), y.lt(x), y.eq(x), y.ne(x)}) {
            assertEquals(DType.BOOL, m.dtype());
            assertFalse(m.requiresGrad());
            assertTrue(m.isLeaf());
        }
        assertArrayEquals(new boolean[] {true, false, true}, y.gt(x).data().toBooleanArray());
        Variable am = F.argmax(Variable.constant(NDArray.of(new double[][] {{0, 5, 5}, {7, 1, 2}})), 1);
        assertEquals(DType.INT64, am.dtype());
        assertArrayEquals(new long[] {1, 0}, am.data().toLongArray());
        Variable w = F.where(y.gt(0.0), y, x);
        w.sum().backward();
        assertArrayEquals(new double[] {2, 1, 2}, x.grad().data().toArray(), "d/dx where(2x > 0, 2x, x)");
    }

    @Property(tries = 40)
    void takeWithInt64IdsIsTwiceDifferentiable(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int rows,
                                              @ForAll @IntRange(min = 0, max = 2) int idDims) {
        Random r = new Random(seed);
        NDArray table = Samplers.array(r, Domain.REAL, rows, 3);
        int[] idShape = new int[idDims];
        int n = 1;
        for (int d = 0; d < idDims; d++) {
            idShape[d] = 1 + r.nextInt(3);
            n *= idShape[d];
        }
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = r.nextInt(2 * rows) - rows; // repeats and negative positions
        }
        NDArray idx = NDArray.of(ids, idShape);
        Function<Variable[], Variable> f = v -> v[0].take(idx).tanh();
        Variable out = f.apply(new Variable[] {Variable.constant(table)});
        int[] want = new int[idDims + 1];
        System.arraycopy(idShape, 0, want, 0, idDims);
        want[idDims] = 3;
        assertArrayEquals(want, out.shape());
        GradCheck.check(f, table).orThrow();
        GradGradCheck.check(f, table).orThrow();
    }
}
