package dev.nabla.nn;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A torchinfo-like description of a model, made by {@link Module#summary}: one row per module
 * (depth first), with its output shape on the sample input and its parameter count, then the
 * totals. {@link #toString()} renders the table.
 * Immutable and thread-safe.
 */
public final class Summary {

    /**
     * One module of the tree: its dotted path, type, depth, output shape (null if it was not
     * called) and parameter count.
     * Immutable and thread-safe.
     */
    public static final class Row {
        private final String path;
        private final String type;
        private final int depth;
        private final int[] outputShape;
        private final long params;

        Row(String path, String type, int depth, int[] outputShape, long params) {
            this.path = path;
            this.type = type;
            this.depth = depth;
            this.outputShape = outputShape;
            this.params = params;
        }

        /** Dotted path from the root ({@code ""} for the root). */
        public String path() {
            return path;
        }

        /** The module's class name. */
        public String type() {
            return type;
        }

        /** Nesting depth (0 for the root). */
        public int depth() {
            return depth;
        }

        /**
         * The shape of the module's last output during the sample run, or null when it was not run
         * through {@link Module#call} (a child called via {@code forward} directly is not observed).
         */
        public int[] outputShape() {
            return outputShape == null ? null : outputShape.clone();
        }

        /** Number of parameter elements of this module including its descendants. */
        public long params() {
            return params;
        }
    }

    private final List<Row> rows;
    private final int[] inputShape;
    private final long totalParams;
    private final long bufferElements;

    private Summary(List<Row> rows, int[] inputShape, long totalParams, long bufferElements) {
        this.rows = rows;
        this.inputShape = inputShape;
        this.totalParams = totalParams;
        this.bufferElements = bufferElements;
    }

    static Summary of(Module root, Variable sample) {
        Map<String, Module> modules = root.namedModules();
        Map<Module, Boolean> modes = new IdentityHashMap<>();
        Map<Module, int[]> shapes = new IdentityHashMap<>();
        for (Module m : modules.values()) {
            modes.put(m, m.isTraining());
            m.forwardHook = (mod, y) -> shapes.put(mod, y.shape());
        }
        try (Autograd.Scope s = Autograd.noGrad()) {
            root.eval();
            root.call(sample);
        } finally {
            for (Module m : modules.values()) {
                m.forwardHook = null;
            }
            for (Map.Entry<Module, Boolean> e : modes.entrySet()) {
                e.getKey().setTrainingFlag(e.getValue());
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Module> e : root.namedModules().entrySet()) {
            String path = e.getKey();
            Module m = e.getValue();
            int depth = path.isEmpty() ? 0 : path.split("\\.").length;
            rows.add(new Row(path, m.getClass().getSimpleName(), depth, shapes.get(m), m.numParameters()));
        }
        long buffers = 0;
        Map<String, NDArray> state = root.stateDict();
        Map<NDArray, Boolean> paramData = new IdentityHashMap<>();
        for (Parameter p : root.parameters()) {
            paramData.put(p.data(), Boolean.TRUE);
        }
        for (NDArray a : state.values()) {
            if (!paramData.containsKey(a)) {
                buffers += a.size();
            }
        }
        return new Summary(Collections.unmodifiableList(rows), sample.shape(), root.numParameters(), buffers);
    }

    /** The rows, root first, depth first in registration order. */
    public List<Row> rows() {
        return rows;
    }

    /** Shape of the sample input. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Total number of parameter elements (all trainable). */
    public long totalParams() {
        return totalParams;
    }

    /** Total number of buffer elements (non-trainable state such as running statistics). */
    public long bufferElements() {
        return bufferElements;
    }

    /** The table: layer (indented by depth, with its name within its parent), output shape, parameter count, totals. */
    @Override
    public String toString() {
        List<String[]> cells = new ArrayList<>();
        for (Row r : rows) {
            String name = r.path.isEmpty() ? r.type : r.path.substring(r.path.lastIndexOf('.') + 1) + ": " + r.type;
            String indent = r.depth == 0 ? "" : "  ".repeat(r.depth - 1) + "└─ ";
            cells.add(new String[] {indent + name, r.outputShape == null ? "--" : Shapes.str(r.outputShape), String.format("%,d", r.params)});
        }
        int w0 = "Layer (type)".length();
        int w1 = "Output Shape".length();
        int w2 = "Param #".length();
        for (String[] c : cells) {
            w0 = Math.max(w0, c[0].length());
            w1 = Math.max(w1, c[1].length());
            w2 = Math.max(w2, c[2].length());
        }
        int width = w0 + w1 + w2 + 6;
        String rule = "=".repeat(width);
        StringBuilder sb = new StringBuilder();
        sb.append(rule).append('\n');
        sb.append(row(w0, w1, w2, "Layer (type)", "Output Shape", "Param #")).append('\n');
        sb.append(rule).append('\n');
        for (String[] c : cells) {
            sb.append(row(w0, w1, w2, c[0], c[1], c[2])).append('\n');
        }
        sb.append(rule).append('\n');
        sb.append("Input shape: ").append(Shapes.str(inputShape)).append('\n');
        sb.append(String.format("Total params: %,d%n", totalParams));
        sb.append(String.format("Trainable params: %,d%n", totalParams));
        sb.append(String.format("Non-trainable buffer elements: %,d%n", bufferElements));
        sb.append(rule).append('\n');
        return sb.toString();
    }

    private static String row(int w0, int w1, int w2, String a, String b, String c) {
        return String.format("%-" + w0 + "s   %-" + w1 + "s   %" + w2 + "s", a, b, c);
    }
}
