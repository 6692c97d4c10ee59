package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class EmbeddingTest {

    @Test
    void looksUpRowsForAnyIndexShape() {
        Embedding e = new Embedding(5, 3, new Random(0));
        NDArray w = e.weight().data();
        Variable y = e.forward(4, 0, 4);
        assertArrayEquals(new int[] {3, 3}, y.shape());
        assertArrayEquals(w.getItem(Index.at(4)).toArray(), y.data().getItem(Index.at(0)).toArray(), 0);
        assertArrayEquals(w.getItem(Index.at(0)).toArray(), y.data().getItem(Index.at(1)).toArray(), 0);
        Variable idx = new Variable(NDArray.of(new double[][] {{1, 2}, {3, 1}}));
        Variable z = e.forward(idx);
        assertArrayEquals(new int[] {2, 2, 3}, z.shape());
        assertArrayEquals(w.getItem(Index.at(3)).toArray(), z.data().getItem(Index.at(1), Index.at(0)).toArray(), 0);
    }

    @Test
    void backwardScatterAddsIntoTheRowsUsed() {
        Embedding e = new Embedding(4, 2, new Random(0));
        Variable y = e.forward(1, 3, 1);
        NDArray g = NDArray.of(new double[][] {{1, 2}, {10, 20}, {100, 200}});
        y.backward(new Variable(g));
        assertArrayEquals(new double[] {0, 0, 101, 202, 0, 0, 10, 20}, e.weight().grad().data().toArray(), 0);
    }

    @Test
    void initialRowsAreStandardNormal() {
        NDArray w = new Embedding(1000, 60, new Random(1)).weight().data();
        double m = w.mean().item();
        double sd = Math.sqrt(w.var(null, false, 0).item());
        assertEquals(0.0, m, 5 / Math.sqrt(w.size()));
        assertEquals(1.0, sd, 0.03);
    }

    @Test
    void badIndicesAreNamed() {
        Embedding e = new Embedding(4, 2, new Random(0));
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class, () -> e.forward(0, 4));
        assertTrue(oob.getMessage().contains("index 4 at position 1") && oob.getMessage().contains("4 embeddings"), oob.getMessage());
        oob = assertThrows(IndexOutOfBoundsException.class, () -> e.forward(-1));
        assertTrue(oob.getMessage().contains("index -1"), oob.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> e.forward(new Variable(NDArray.of(1, 2.5))));
        assertTrue(bad.getMessage().contains("integer indices") && bad.getMessage().contains("2.5"), bad.getMessage());
    }

    @Property(tries = 25)
    void embeddingFirstAndSecondOrderInTheWeight(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int count,
                                                 @ForAll @IntRange(min = 1, max = 4) int num) {
        Random r = new Random(seed);
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) {
            idx[i] = r.nextInt(num);
        }
        // squared so the second derivative is not trivially zero
        Checks.firstAndSecondOrder(v -> Functional.embedding(idx, new int[] {count}, v[0]).square(), Checks.randn(r, num, 3));
        Embedding e = new Embedding(num, 3, r);
        Checks.moduleParameterGradients(e, NDArray.of(java.util.Arrays.stream(idx).asDoubleStream().toArray()), seed);
    }
}
