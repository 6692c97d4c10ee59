package dev.nabla.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Windows launcher {@code nabla.cmd} (which cannot run here) says what {@code ./nabla} says: the same
 * jar, the same build command, the same default JVM options and environment variable, and the same
 * commands started without the Vector API module. Both files are parsed.
 */
class LaunchersTest {
    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("nabla")) && Files.isRegularFile(p.resolve("nabla.cmd"))) {
                return p;
            }
        }
        throw new AssertionError("no directory above " + Path.of("").toAbsolutePath() + " holds nabla and nabla.cmd");
    }

    private static String one(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), regex + " not found in\n" + text);
        String found = m.group(1);
        assertFalse(m.find(), regex + " found twice in\n" + text);
        return found;
    }

    private static List<String> all(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Test
    void theWindowsLauncherRunsTheSameJarWithTheSameOptions() throws IOException {
        String sh = Files.readString(root().resolve("nabla"), StandardCharsets.UTF_8);
        String cmd = Files.readString(root().resolve("nabla.cmd"), StandardCharsets.UTF_8).replace("\r\n", "\n");

        // the jar, relative to the script's directory
        String shJar = one(sh, "^jar=\"\\$here/([^\"]+)\"$");
        String cmdJar = one(cmd, "^set \"jar=%here%([^\"]+)\"$");
        assertEquals("examples/target/nabla.jar", shJar);
        assertEquals(shJar, cmdJar.replace('\\', '/'));
        String pom = Files.readString(root().resolve("examples/pom.xml"), StandardCharsets.UTF_8);
        assertEquals(shJar, "examples/target/" + one(pom, "<finalName>([^<]+)</finalName>") + ".jar",
                "the jar the examples build writes");

        // the build: the wrapper with the same arguments
        String shBuild = one(sh, "\\./mvnw ([^)]+)\\)");
        String cmdBuild = one(cmd, "^call mvnw\\.cmd (.+?) 1>&2$");
        assertEquals("-q -B -DskipTests package", shBuild);
        assertEquals(shBuild, cmdBuild);

        // the Vector API flag and the commands that start without it
        String shVector = one(sh, "^vector=\"([^\"]+)\"$");
        String cmdVector = one(cmd, "^set \"vector=([^\"]+)\"$");
        assertEquals("--add-modules jdk.incubator.vector", shVector);
        assertEquals(shVector, cmdVector);
        List<String> shPlain = List.of(one(sh, "^\\s*([^\\s)]+)\\) vector=\"\" ;;$").split("\\|"));
        List<String> cmdPlain = all(cmd, "^if \"%~1\"==\"([^\"]+)\" set \"vector=\"$");
        assertEquals(List.of("--help", "-h", "--version", "-V", "help", "list"), shPlain);
        assertEquals(shPlain, cmdPlain);

        // the default JVM options, replaced as a whole by NABLA_JAVA_OPTS
        String shOpts = one(sh, "\\$\\{NABLA_JAVA_OPTS:-([^}]+)\\}");
        String cmdOpts = one(cmd, "^set \"opts=([^\"%]+%vector%)\"$");
        assertEquals("-Xss8m -Xmx4g $vector", shOpts);
        assertEquals(shOpts, cmdOpts.replace("%vector%", "$vector"));
        one(cmd, "^(if defined NABLA_JAVA_OPTS set \"opts=%NABLA_JAVA_OPTS%\")$");

        // java with those options on the jar and every argument, and its exit status passed on
        one(sh, "^(exec java \\$\\{NABLA_JAVA_OPTS:-[^}]+\\} -jar \"\\$jar\" \"\\$@\")$");
        one(cmd, "^(java %opts% -jar \"%jar%\" %\\*)\nexit /b %errorlevel%$");
    }

    @Test
    void theWindowsLauncherHasCrLfLineEndingsAndItsJumpsLand() throws IOException {
        String cmd = Files.readString(root().resolve("nabla.cmd"), StandardCharsets.UTF_8);
        // cmd.exe misreads labels of a batch file with bare LF line endings
        assertEquals(cmd.split("\n", -1).length, cmd.split("\r\n", -1).length, "every line ends in CR LF");
        assertTrue(cmd.startsWith("@echo off\r\n"));
        List<String> labels = all(cmd.replace("\r\n", "\n"), "^:(\\w+)$");
        List<String> gotos = all(cmd.replace("\r\n", "\n"), "goto (\\w+)$");
        assertFalse(gotos.isEmpty());
        for (String g : gotos) {
            assertTrue(labels.contains(g), "goto " + g + " has no label :" + g);
        }
    }
}
