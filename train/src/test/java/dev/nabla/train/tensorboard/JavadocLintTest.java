package dev.nabla.train.tensorboard;

import dev.nabla.autograd.Doclint;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The train module's Javadoc builds: its sources pass javadoc's lint (HTML, references, syntax;
 * missing comments aside), which {@code javadoc} turns into errors. (Autograd's ErfNode once had a bare
 * {@code <} in a comment ("malformed HTML").)
 */
class JavadocLintTest {
    private static final Path SOURCES = Path.of("src/main/java");

    @Test
    void sourcesPassDoclint() throws IOException {
        Doclint.assertSourcesPass(SOURCES);
    }
}
