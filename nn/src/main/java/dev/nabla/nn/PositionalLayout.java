package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Shapes;

/** Adds a {@code (L, E)} table of positions to an input of layout {@code (L, N, E)}, {@code (N, L, E)} or {@code (L, E)}. */
final class PositionalLayout {
    private PositionalLayout() {}

    /** The sequence length of {@code x} in its layout, checked against the table's size. */
    static int length(String op, Variable x, boolean batchFirst, int maxLen, int dModel) {
        if (x.ndim() != 2 && x.ndim() != 3 || x.shape(-1) != dModel) {
            throw new IllegalArgumentException(op + ": expected input (L, N, " + dModel + "), (N, L, " + dModel
                    + ") with batch_first, or (L, " + dModel + "), but got " + Shapes.str(x.shape()));
        }
        int l = x.ndim() == 3 && batchFirst ? x.shape(1) : x.shape(0);
        if (l > maxLen) {
            throw new IllegalArgumentException(op + ": the sequence length " + l + " of the input " + Shapes.str(x.shape())
                    + " exceeds max_len " + maxLen + "; build the module with a larger max_len");
        }
        return l;
    }

    /** {@code x + table} with the table {@code (L, E)} broadcast along the batch axis. */
    static Variable add(Variable x, Variable table, boolean batchFirst) {
        if (x.ndim() == 3 && !batchFirst) {
            return x.add(table.reshape(table.shape(0), 1, table.shape(1)));
        }
        return x.add(table);
    }
}
