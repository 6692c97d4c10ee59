package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.Random;

/**
 * The fixed sinusoidal positional encoding of "Attention Is All You Need" (as in PyTorch's
 * transformer tutorial): {@code pe[p, 2i] = sin(p / 10000^(2i/d))},
 * {@code pe[p, 2i+1] = cos(p / 10000^(2i/d))}, added to the input and followed by dropout. The
 * table {@code (max_len, d_model)} is a buffer {@code pe} (so it is in the state dict, as the
 * tutorial's, but never trained). Layout {@code (L, N, E)}, {@code (N, L, E)} with
 * {@code batchFirst}, or {@code (L, E)}.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class SinusoidalPositionalEncoding extends Module {
    private final int dModel;
    private final int maxLen;
    private final boolean batchFirst;
    private final Dropout dropout;

    /** Without dropout. */
    public SinusoidalPositionalEncoding(int dModel, int maxLen, boolean batchFirst) {
        this(dModel, maxLen, batchFirst, 0.0, new Random(0));
    }

    /** With dropout probability {@code dropout} after the addition, masks drawn from {@code rng}. */
    public SinusoidalPositionalEncoding(int dModel, int maxLen, boolean batchFirst, double dropout, Random rng) {
        if (dModel <= 0 || maxLen <= 0) {
            throw new IllegalArgumentException("SinusoidalPositionalEncoding: d_model and max_len must be positive, got "
                    + "d_model=" + dModel + ", max_len=" + maxLen);
        }
        this.dModel = dModel;
        this.maxLen = maxLen;
        this.batchFirst = batchFirst;
        registerBuffer("pe", table(maxLen, dModel));
        this.dropout = registerModule("dropout", new Dropout(dropout, rng));
    }

    /** The table {@code (maxLen, dModel)}: sines in the even columns, cosines in the odd ones. */
    public static NDArray table(int maxLen, int dModel) {
        double[] pe = new double[maxLen * dModel];
        for (int p = 0; p < maxLen; p++) {
            for (int c = 0; c < dModel; c++) {
                int i2 = c - c % 2;
                double angle = p * Math.exp(-Math.log(10000.0) * i2 / dModel);
                pe[p * dModel + c] = c % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
            }
        }
        return NDArray.of(pe, maxLen, dModel);
    }

    /** {@code dropout(x + pe[:L])}. */
    @Override
    public Variable forward(Variable x) {
        int l = PositionalLayout.length("SinusoidalPositionalEncoding", x, batchFirst, maxLen, dModel);
        Variable table = Variable.constant(buffer("pe").slice(0, 0, l));
        return dropout.call(PositionalLayout.add(x, table, batchFirst));
    }

    @Override
    protected String extraRepr() {
        return "d_model=" + dModel + ", max_len=" + maxLen + ", batch_first=" + Repr.bool(batchFirst);
    }
}
