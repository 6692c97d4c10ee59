package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No op lacks a forward-mode rule: every concrete {@link Node} subclass declared in the autograd
 * sources overrides {@link Node#tangent} itself, and every concrete {@link Function} subclass there
 * overrides {@link Function#jvp} — found by loading each source file's class and its nested
 * classes, and cross-checked against {@link OpRegistryCoverageTest}'s textual scan.
 */
class ForwardModeCoverageTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/nabla/autograd");

    /** Every class declared in the autograd main sources (top-level and nested). */
    static Set<Class<?>> sourceClasses() throws IOException, ClassNotFoundException {
        Set<Class<?>> out = new java.util.HashSet<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".java"))::iterator) {
                String name = f.getFileName().toString().replace(".java", "");
                if (name.equals("package-info")) {
                    continue;
                }
                Deque<Class<?>> todo = new ArrayDeque<>();
                todo.push(Class.forName("dev.nabla.autograd." + name));
                while (!todo.isEmpty()) {
                    Class<?> c = todo.pop();
                    out.add(c);
                    for (Class<?> d : c.getDeclaredClasses()) {
                        todo.push(d);
                    }
                }
            }
        }
        return out;
    }

    private static boolean declares(Class<?> c, String method, Class<?> param) {
        try {
            c.getDeclaredMethod(method, param);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    @Test
    void everyNodeSubclassDeclaresATangentRule() throws Exception {
        Set<String> nodes = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        for (Class<?> c : sourceClasses()) {
            if (Node.class.isAssignableFrom(c) && c != Node.class && !Modifier.isAbstract(c.getModifiers())) {
                nodes.add(c.getSimpleName());
                if (!declares(c, "tangent", Variable[].class)) {
                    missing.add(c.getSimpleName());
                }
            }
        }
        assertEquals(OpRegistryCoverageTest.nodeSubclassesInSources(), nodes, "the reflective and textual scans differ");
        assertTrue(nodes.size() >= 30, "found only " + nodes);
        assertTrue(missing.isEmpty(), "Node subclasses without a tangent rule: " + missing
                + " — override protected Variable tangent(Variable[] inputTangents) beside backward");
    }

    @Test
    void everyFunctionSubclassDeclaresAJvp() throws Exception {
        Set<String> functions = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        for (Class<?> c : sourceClasses()) {
            if (Function.class.isAssignableFrom(c) && c != Function.class && !Modifier.isAbstract(c.getModifiers())) {
                functions.add(c.getSimpleName());
                if (!declaresJvp(c)) {
                    missing.add(c.getSimpleName());
                }
            }
        }
        assertTrue(functions.contains("SinCos") && functions.contains("MaxDim"), "found " + functions);
        assertTrue(missing.isEmpty(), "Function subclasses without jvp: " + missing);
    }

    private static boolean declaresJvp(Class<?> c) {
        try {
            c.getDeclaredMethod("jvp", FunctionContext.class, Variable[].class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    @Test
    void aNodeWithoutATangentRuleFailsNamingIt() {
        Node bare = new Node() {
            @Override
            protected dev.nabla.ndarray.NDArray forward(dev.nabla.ndarray.NDArray... xs) {
                return xs[0].mul(2.0);
            }

            @Override
            protected Variable[] backward(Variable gy) {
                return new Variable[] {gy.mul(2.0)};
            }

            @Override
            public String name() {
                return "Double";
            }
        };
        try (ForwardAD.DualLevel l = ForwardAD.dualLevel()) {
            Variable x = ForwardAD.makeDual(Variable.constant(dev.nabla.ndarray.NDArray.of(1, 2)),
                    Variable.constant(dev.nabla.ndarray.NDArray.of(1, 1)));
            UnsupportedOperationException e = org.junit.jupiter.api.Assertions.assertThrows(
                    UnsupportedOperationException.class, () -> bare.apply(x));
            assertTrue(e.getMessage().startsWith("Double has no tangent rule"), e.getMessage());
            assertTrue(e.getMessage().contains("override protected Variable tangent(Variable[] inputTangents)"),
                    e.getMessage());
        }
        assertFalse(ForwardAD.isEnabled());
    }
}
