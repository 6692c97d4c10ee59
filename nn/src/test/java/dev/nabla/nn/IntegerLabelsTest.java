package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.F;
import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.GradGradCheck;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Class indices as INT64 (or INT32) arrays, PyTorch's long targets: every loss and metric taking
 * labels gives exactly the value and gradient of its int[] form, refuses float and bool targets
 * with a message naming the dtype and the fix, and Embedding looks up INT64 ids of any shape.
 */
class IntegerLabelsTest {

    private static long[] asLongs(int[] t) {
        long[] l = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            l[i] = t[i];
        }
        return l;
    }

    /** Value and input gradient of {@code loss(x)} for a fresh leaf holding {@code logits}. */
    private static NDArray[] run(NDArray logits, java.util.function.Function<Variable, Variable> loss) {
        Variable x = new Variable(logits.copy(), true);
        Variable y = loss.apply(x);
        y.backward();
        return new NDArray[] {y.data(), x.grad().data()};
    }

    @Property(tries = 60)
    void labelArraysGiveTheIntArrayLossesExactly(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int n,
                                                  @ForAll @IntRange(min = 2, max = 4) int c, @ForAll boolean f32,
                                                  @ForAll boolean int32) {
        Random r = new Random(seed);
        NDArray logits = NDArray.randn(r, n, c).astype(f32 ? DType.FLOAT32 : DType.FLOAT64);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(4) == 0 ? -100 : r.nextInt(c); // some ignored rows
        }
        t[0] = r.nextInt(c);
        int[] kept = t.clone();
        for (int i = 0; i < n; i++) {
            kept[i] = kept[i] < 0 ? 0 : kept[i];
        }
        NDArray labels = int32 ? NDArray.of(t.clone(), n) : NDArray.of(asLongs(t), n);
        NDArray keptLabels = int32 ? NDArray.of(kept.clone(), n) : NDArray.of(asLongs(kept), n);
        BiFunction<NDArray[], NDArray[], Void> same = (a, b) -> {
            assertEquals(a[0], b[0], "value");
            assertEquals(a[0].dtype(), b[0].dtype());
            assertEquals(a[1], b[1], "gradient");
            return null;
        };
        same.apply(run(logits, x -> Functional.crossEntropy(x, t)), run(logits, x -> Functional.crossEntropy(x, labels)));
        same.apply(run(logits, x -> Functional.crossEntropy(x, t, CrossEntropyOptions.defaults().ignoreIndex(-100))), run(logits, x -> Functional.crossEntropy(x, labels, CrossEntropyOptions.defaults().ignoreIndex(-100))));
        same.apply(run(logits, x -> Functional.crossEntropy(x, t)),
                run(logits, x -> Functional.crossEntropy(x, Variable.constant(labels))));
        same.apply(run(logits, x -> Functional.nllLoss(F.logSoftmax(x, 1), t)), run(logits, x -> Functional.nllLoss(F.logSoftmax(x, 1), labels)));
        same.apply(run(logits, x -> Functional.crossEntropy(x, t, CrossEntropyOptions.defaults().ignoreIndex(-100))), run(logits, x -> Functional.crossEntropy(x, labels, CrossEntropyOptions.defaults().ignoreIndex(-100))));
        same.apply(run(logits, x -> Functional.nllLoss(x, kept, CrossEntropyOptions.defaults().ignoreIndex(1))), run(logits, x -> Functional.nllLoss(x, keptLabels, CrossEntropyOptions.defaults().ignoreIndex(1))));
        assertEquals(Functional.accuracy(logits, kept), Functional.accuracy(logits, keptLabels));
    }

    @Test
    void crossEntropyWithInt64LabelsIsTwiceDifferentiable() {
        NDArray logits = NDArray.randn(new Random(3), 4, 3);
        NDArray labels = NDArray.of(new long[] {2, 0, 1, 2}, 4);
        GradCheck.check(v -> Functional.crossEntropy(v[0], labels), logits).orThrow();
        GradGradCheck.check(v -> Functional.crossEntropy(v[0], labels), logits).orThrow();
    }

    @Test
    void knownAnswer() {
        // -log softmax([0, ln 3])[1] = -log(3/4); PyTorch: F.cross_entropy(tensor([[0., log(3)]]), tensor([1])) = 0.2877
        Variable x = new Variable(NDArray.of(new double[][] {{0, Math.log(3)}}), true);
        assertEquals(-Math.log(0.75), Functional.crossEntropy(x, NDArray.of(new long[] {1}, 1)).item(), 1e-15);
        assertEquals(1.0, Functional.accuracy(x.data(), NDArray.of(new long[] {1}, 1)));
        assertEquals(0.0, Functional.accuracy(x.data(), NDArray.of(new int[] {0}, 1)));
    }

    @Test
    void wrongLabelDtypesShapesAndValuesAreRefused() {
        Variable x = new Variable(NDArray.zeros(4, 3), true);
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> Functional.crossEntropy(x, NDArray.of(0, 1, 2, 0)));
        assertEquals("crossEntropy: target dtype float64 (shape (4,)); class indices must be int64 (or int32), as "
                + "PyTorch's cross_entropy expects; convert them with labels.astype(DType.INT64) (for class probabilities "
                + "pass a Variable of shape (N, C))", f.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> Functional.nllLoss(x, NDArray.of(new boolean[] {true, false, true, true}, 4)));
        assertTrue(b.getMessage().startsWith("nllLoss: target dtype bool (shape (4,)); class indices must be int64 (or int32), "
                + "as PyTorch's nll_loss expects"), b.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> Functional.crossEntropy(x, NDArray.of(new long[] {0, 1, 2, 0}, 2, 2)));
        assertTrue(s.getMessage().contains("expected class indices of shape (N), got shape (2, 2)"), s.getMessage());
        IndexOutOfBoundsException big = assertThrows(IndexOutOfBoundsException.class,
                () -> Functional.crossEntropy(x, NDArray.of(new long[] {0, 1L << 40, 2, 0}, 4)));
        assertTrue(big.getMessage().contains("target 1099511627776 at position 1 is out of bounds"), big.getMessage());
        IndexOutOfBoundsException range = assertThrows(IndexOutOfBoundsException.class,
                () -> Functional.crossEntropy(x, NDArray.of(new long[] {0, 3, 2, 0}, 4)));
        assertTrue(range.getMessage().contains("target 3 at position 1 is out of bounds for 3 classes"), range.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> Functional.accuracy(x.data(), NDArray.of(0.0, 1, 2, 0)));
        assertTrue(a.getMessage().startsWith("accuracy: target dtype float64 (shape (4,)); class indices must be int64"),
                a.getMessage());
    }

    @Test
    void embeddingLooksUpInt64IdsOfAnyShape() {
        Embedding e = new Embedding(5, 3, new Random(1));
        NDArray ids = NDArray.of(new long[] {4, 0, 2, 2, 1, 4}, 2, 3);
        Variable out = e.forward(ids);
        assertArrayEquals(new int[] {2, 3, 3}, out.shape());
        assertEquals(e.forward(4, 0, 2, 2, 1, 4).data().reshape(2, 3, 3), out.data());
        assertEquals(e.weight().data().get0(2), out.data().get0(0).get0(2));
        out.sum().backward();
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1, 2, 2, 2, 0, 0, 0, 2, 2, 2}, e.weight().grad().data().toArray(),
                "each row's gradient counts its uses");
        assertArrayEquals(new int[] {3}, e.forward(NDArray.scalarLong(3)).shape(), "a 0-d id gives one row");
        assertEquals(e.forward(NDArray.of(new int[] {1, 3}, 2)).data(), e.forward(NDArray.of(new long[] {1, 3}, 2)).data());
        assertEquals(e.forward(NDArray.of(new long[] {1, 3}, 2)).data(), e.forward(Variable.constant(NDArray.of(new long[] {1, 3}, 2))).data());
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class,
                () -> e.forward(NDArray.of(new long[] {0, 5}, 2)));
        assertEquals("embedding: index 5 at position 1 is out of range for 5 embeddings (valid indices are 0..4)", oob.getMessage());
        IndexOutOfBoundsException huge = assertThrows(IndexOutOfBoundsException.class,
                () -> e.forward(NDArray.of(new long[] {(1L << 32) + 1}, 1)));
        assertTrue(huge.getMessage().startsWith("embedding: index 4294967297 at position 0 is out of range for 5 embeddings"),
                huge.getMessage() + " (not wrapped to 1)");
        IllegalArgumentException fl = assertThrows(IllegalArgumentException.class, () -> e.forward(NDArray.of(1.0, 2.0)));
        assertTrue(fl.getMessage().startsWith("embedding: expected the ids to have an integer dtype (int64 or int32"), fl.getMessage());
    }
}
