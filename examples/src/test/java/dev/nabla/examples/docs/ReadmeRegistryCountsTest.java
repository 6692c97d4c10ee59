package dev.nabla.examples.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Ops;
import dev.nabla.nn.NNOps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's Correctness section states the registries' sizes as they are, not as they were. */
class ReadmeRegistryCountsTest {
    @Test
    void correctnessSectionStatesTheRegistrySizes() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String core = "core (" + Ops.registry().size() + " entries)";
        String nn = "`Functional` (" + NNOps.registry().size() + " entries";
        assertTrue(readme.contains(core), "README.md should say \"" + core + "\"");
        assertTrue(readme.contains(nn), "README.md should say \"" + nn + "\"");
    }
}
