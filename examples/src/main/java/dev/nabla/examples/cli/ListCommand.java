package dev.nabla.examples.cli;

import dev.nabla.examples.Example;
import dev.nabla.examples.Examples;
import dev.nabla.examples.Main;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code nabla list}: every model and study, one table row each with the defaults {@code nabla train}
 * uses for options left unset (epochs, batch size, optimizer, learning rate, schedule), the dtypes it
 * trains in and its data set, and the one-line description below. Everything comes from the registry
 * {@link Examples} that {@code nabla train} resolves names and defaults from, so the table cannot
 * drift from what a run does.
 * Not thread-safe: picocli fills its fields from one command line; use one instance per invocation.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the models and studies `nabla train` runs, with their defaults and data sets.")
public final class ListCommand implements Callable<Integer> {
    /** The column headers of the table. */
    static final List<String> HEADERS = List.of("NAME", "EPOCHS", "BATCH", "OPTIMIZER", "LR", "SCHEDULE", "DTYPES", "DATA");

    @ParentCommand
    private Main parent;

    /** One row of the table for {@code e}: the cells under {@link #HEADERS}. */
    static List<String> row(Example e) {
        Example.Defaults d = e.defaults();
        String name = e.name() + (e.aliases().isEmpty() ? "" : " (" + String.join(", ", e.aliases()) + ")");
        return List.of(name, Integer.toString(d.epochs), Integer.toString(d.batchSize), d.optimizer
                + (d.weightDecay > 0 ? String.format(Locale.ROOT, " wd %s", d.weightDecay) : ""),
                String.format(Locale.ROOT, "%s", d.lr), d.schedule, e.supportsFloat32() ? "float64,float32"
                        : e.defaultDtype() == dev.nabla.ndarray.DType.FLOAT32 ? "float32,float64" : "float64",
                e.dataSet());
    }

    @Override
    public Integer call() {
        PrintStream out = parent.out();
        List<Example> all = Examples.all();
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (Example e : all) {
            rows.add(row(e));
        }
        int[] width = new int[HEADERS.size()];
        for (List<String> r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        out.println("Models (nabla train <model>; nabla lr-find and nabla data-speed take " + ModelSetups.supported() + "):");
        printRow(out, HEADERS, width);
        boolean studies = false;
        for (int k = 0; k < all.size(); k++) {
            Example e = all.get(k);
            if (e.isStudy() && !studies) {
                studies = true;
                out.println();
                out.println("Studies (nabla train <study>; several short runs compared):");
                printRow(out, HEADERS, width);
            }
            printRow(out, rows.get(k + 1), width);
            out.println("      " + e.description());
        }
        out.println();
        out.println("Unset options of nabla train take these defaults (lr-find sweeps the lr; nabla train --help for all options).");
        return 0;
    }

    private static void printRow(PrintStream out, List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder("  ");
        for (int i = 0; i < cells.size(); i++) {
            boolean number = i == 1 || i == 2;
            String c = cells.get(i);
            String pad = " ".repeat(width[i] - c.length());
            sb.append(number ? pad + c : i == cells.size() - 1 ? c : c + pad);
            if (i + 1 < cells.size()) {
                sb.append("  ");
            }
        }
        out.println(sb.toString().stripTrailing());
    }
}
