package dev.nabla.autograd;

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

/**
 * Test support shared through autograd's test-jar: compiles a module's sources with javadoc's lint
 * ({@code -Xdoclint:all,-missing}), the checks {@code javadoc} turns into errors, and fails with
 * the lint's report. Stateless and thread-safe.
 */
public final class Doclint {
    private Doclint() {}

    /** Asserts that every {@code .java} file under {@code sources} passes javadoc's lint. */
    public static void assertSourcesPass(Path sources) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<Path> files;
        try (Stream<Path> s = Files.walk(sources)) {
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
