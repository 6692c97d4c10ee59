package dev.nabla.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
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
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<Path> files;
        try (Stream<Path> s = Files.walk(SOURCES)) {
            files = s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
        }
        Path out = Files.createTempDirectory("nabla-doclint");
        StringWriter log = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
            List<String> options = List.of("-Xdoclint:all,-missing", "-proc:none", "-implicit:none",
                    "--add-modules", "jdk.incubator.vector", "-classpath", System.getProperty("java.class.path"),
                    "-d", out.toString());
            boolean ok = javac.getTask(log, fm, null, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
            assertTrue(ok, "javadoc lint errors:\n" + log);
        } finally {
            try (Stream<Path> s = Files.walk(out)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
