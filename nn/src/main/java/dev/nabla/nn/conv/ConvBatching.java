package dev.nabla.nn.conv;

import dev.nabla.autograd.Batch;
import dev.nabla.autograd.Variable;

/**
 * Shared pieces of the convolution and pooling nodes' batching rules ({@code batch(Batch)}) under
 * {@link dev.nabla.autograd.Vmap}: the batch axis folded into N where the other operand is shared,
 * and the im2col-and-matmul form of a convolution where the weight itself is batched (per-example
 * weights, or the weight gradient of per-example gradients).
 * Stateless and thread-safe.
 */
final class ConvBatching {
    private ConvBatching() {}

    /** {@code (B, N, C, H, W)} shape of a folded {@code (N, C, H, W)}: {@code (B * N, C, H, W)}. */
    static int[] folded(int b, int[] s) {
        int[] t = s.clone();
        t[0] *= b;
        return t;
    }

    /** Per-example flat positions {@code index} (negative: none) for {@code n} examples of {@code size} elements each. */
    static int[] batchedIndex(int[] index, int n, int size) {
        int[] out = new int[n * index.length];
        for (int e = 0; e < n; e++) {
            for (int k = 0; k < index.length; k++) {
                out[e * index.length + k] = index[k] < 0 ? -1 : e * size + index[k];
            }
        }
        return out;
    }

    /** The columns of input {@code i} (logical (N, C, H, W)) per example: {@code (B, C·KH·KW, N·OH·OW)}. */
    static Variable columns(Batch b, int i, ConvGeometry g) {
        Variable cols = new Im2colNode(g).apply(b.folded(i)); // (CK, B·N·L), example-major
        int ck = cols.shape(0);
        return cols.reshape(ck, b.size(), cols.shape(1) / b.size()).permute(1, 0, 2);
    }

    /** Per-example columns {@code (B, CK, N·L)} folded back to images {@code (B, N, C, H, W)} (the adjoint of {@link #columns}). */
    static Variable images(Batch b, Variable cols, ConvGeometry g, int[] imageShape) {
        int ck = cols.shape(1);
        Variable flat = cols.permute(1, 0, 2).reshape(ck, -1);
        return b.unfolded(new Col2imNode(g, folded(b.size(), imageShape)).apply(flat));
    }

    /** Input {@code i} (logical (N, OC, OH, OW)) as {@code (B, OC, N·OH·OW)}. */
    static Variable channelsFirst(Batch b, int i) {
        int[] s = b.shape(i);
        return b.expanded(i).permute(0, 2, 1, 3, 4).reshape(b.size(), s[1], s[0] * s[2] * s[3]);
    }

    /** {@code (B, OC, N·OH·OW)} back to {@code (B, N, OC, OH, OW)}. */
    static Variable batchFirst(Variable y, int n, int oh, int ow) {
        int[] s = y.shape();
        return y.reshape(s[0], s[1], n, oh, ow).permute(0, 2, 1, 3, 4);
    }
}
