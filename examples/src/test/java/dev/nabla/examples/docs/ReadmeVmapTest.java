package dev.nabla.examples.docs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's vmap example: per-example gradients of a logistic model in one vmap call, against
 * the closed form (σ(x_b·w) − y_b) x_b and against gradients computed one example at a time.
 */
class ReadmeVmapTest {
    private static final String CODE = """
            Variable w = new Variable(NDArray.of(0.5, -0.25, 1.0), true);      // shared weights
            Autograd.Fn perExampleGrad = Autograd.vmap(v -> {                  // v[0]: one example (3,), v[1]: its label
                Variable p = v[0].matmul(w).sigmoid();
                Variable loss = v[1].mul(p.log()).add(v[1].rsub(1).mul(p.rsub(1).log())).neg();
                return Autograd.grad(loss, w)[0];                              // this example's d loss / d w
            });
            NDArray xs = NDArray.of(new double[][] {{1, 2, 0}, {0, 1, -1}, {2, 0, 1}, {-1, 1, 1}});
            Variable g = perExampleGrad.apply(Variable.constant(xs), Variable.constant(NDArray.of(1, 0, 1, 0)));
            // g: (4, 3), row b = (σ(x_b·w) − y_b) x_b
            """;

    @Test
    void theReadmePerExampleGradientsAreWhatItSays() throws IOException {
        assertTrue(Files.readString(Path.of("..", "README.md")).contains(CODE), "README.md must hold:\n" + CODE);
        Variable w = new Variable(NDArray.of(0.5, -0.25, 1.0), true);      // shared weights
        Autograd.Fn perExampleGrad = Autograd.vmap(v -> {                  // v[0]: one example (3,), v[1]: its label
            Variable p = v[0].matmul(w).sigmoid();
            Variable loss = v[1].mul(p.log()).add(v[1].rsub(1).mul(p.rsub(1).log())).neg();
            return Autograd.grad(loss, w)[0];                              // this example's d loss / d w
        });
        NDArray xs = NDArray.of(new double[][] {{1, 2, 0}, {0, 1, -1}, {2, 0, 1}, {-1, 1, 1}});
        Variable g = perExampleGrad.apply(Variable.constant(xs), Variable.constant(NDArray.of(1, 0, 1, 0)));
        assertArrayEquals(new int[] {4, 3}, g.shape());
        double[] ys = {1, 0, 1, 0};
        for (int b = 0; b < 4; b++) {
            double z = 0;
            for (int j = 0; j < 3; j++) {
                z += xs.get(b, j) * w.data().get(j);
            }
            double p = 1 / (1 + Math.exp(-z));
            // one example at a time, the plain way
            Variable x = Variable.constant(xs.getItem(dev.nabla.ndarray.Index.at(b)));
            Variable pb = x.matmul(w).sigmoid();
            Variable loss = pb.log().mul(ys[b]).add(pb.rsub(1).log().mul(1 - ys[b])).neg();
            NDArray one = Autograd.grad(loss, w)[0].data();
            for (int j = 0; j < 3; j++) {
                assertEquals((p - ys[b]) * xs.get(b, j), g.data().get(b, j), 1e-12, "closed form, example " + b);
                assertEquals(one.get(j), g.data().get(b, j), 1e-12, "one by one, example " + b);
            }
        }
    }
}
