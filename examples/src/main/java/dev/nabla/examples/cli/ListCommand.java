package dev.nabla.examples.cli;

import dev.nabla.examples.Example;
import dev.nabla.examples.Examples;
import dev.nabla.examples.Main;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code nabla list}: every model and study with a one-line description and its defaults.
 * Not thread-safe: picocli fills its fields from one command line; use one instance per invocation.
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the models and studies `nabla train` runs.")
public final class ListCommand implements Callable<Integer> {
    @ParentCommand
    private Main parent;

    @Override
    public Integer call() {
        PrintStream out = parent.out();
        int width = 0;
        for (String n : Examples.names()) {
            width = Math.max(width, n.length());
        }
        boolean studies = false;
        out.println("Models (nabla train <model>):");
        for (Example e : Examples.all()) {
            if (e.isStudy() && !studies) {
                studies = true;
                out.println();
                out.println("Studies (nabla train <study>; several short runs compared):");
            }
            String names = e.name() + (e.aliases().isEmpty() ? "" : " (" + String.join(", ", e.aliases()) + ")");
            out.printf("  %-" + (width + 12) + "s %s%s%n", names, e.description(), e.supportsFloat32() ? " [float32]" : "");
        }
        out.println();
        out.println("[float32]: also trains with --dtype float32");
        out.println("Options and defaults: nabla train --help");
        return 0;
    }
}
