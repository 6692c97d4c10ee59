package dev.nabla.examples.docs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's forward-mode example: its Rosenbrock function and the Hessian it states. */
class ReadmeForwardModeTest {
    private static final String FN = """
            Autograd.Fn rosenbrock = v -> {
                Variable x = v[0].slice(0, 0, 1), y = v[0].slice(0, 1, 2);
                return x.rsub(1.0).square().add(y.sub(x.square()).square().mul(100)).sum();
            };
            NDArray h = Autograd.hessian(rosenbrock, NDArray.of(1.0, 1.0));   // [[802, -400], [-400, 200]]
            """;

    @Test
    void theReadmeHessianIsWhatItSays() throws IOException {
        assertTrue(Files.readString(Path.of("..", "README.md")).contains(FN), "README.md must hold:\n" + FN);
        Autograd.Fn rosenbrock = v -> {
            Variable x = v[0].slice(0, 0, 1), y = v[0].slice(0, 1, 2);
            return x.rsub(1.0).square().add(y.sub(x.square()).square().mul(100)).sum();
        };
        NDArray h = Autograd.hessian(rosenbrock, NDArray.of(1.0, 1.0));
        assertArrayEquals(new double[] {802, -400, -400, 200}, h.toArray(), 1e-9);
    }
}
