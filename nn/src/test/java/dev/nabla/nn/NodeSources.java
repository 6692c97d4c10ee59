package dev.nabla.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The coverage tests' scan of nn's sources for Node subclasses (top level or nested), and the check they share. */
final class NodeSources {
    /** The directory scanned, relative to the module (where surefire runs). */
    static final Path ROOT = Path.of("src/main/java");

    private NodeSources() {}

    /** Every class declared as {@code class X extends Node} under {@link #ROOT}. */
    static List<Class<?>> nodeClasses() throws IOException, ClassNotFoundException {
        Pattern p = Pattern.compile("class\\s+(\\w+)\\s+extends\\s+Node\\b");
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Iterator<Path> it = files.filter(x -> x.toString().endsWith(".java")).iterator(); it.hasNext(); ) {
                Path f = it.next();
                String top = ROOT.relativize(f).toString().replace('/', '.').replace(".java", "");
                Matcher m = p.matcher(Files.readString(f));
                while (m.find()) {
                    String name = m.group(1);
                    out.add(top.endsWith("." + name) ? Class.forName(top) : Class.forName(top + "$" + name));
                }
            }
        }
        return out;
    }

    /** The names of the scanned Node classes that do not declare {@code method(params)} themselves. */
    static TreeSet<String> lacking(List<Class<?>> classes, String method, Class<?>... params) {
        TreeSet<String> missing = new TreeSet<>();
        for (Class<?> c : classes) {
            try {
                c.getDeclaredMethod(method, params);
            } catch (NoSuchMethodException e) {
                missing.add(c.getName());
            }
        }
        return missing;
    }
}
