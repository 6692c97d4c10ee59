package dev.nabla.ndarray;

/**
 * One product {@code C = alpha * op(A) * op(B) + beta * C} on the blocked path, independent of the
 * element type: the BLIS loop order over column panels ({@code jc}, {@code nc} wide), depth slices
 * ({@code pc}, {@code kc} deep, the rounding unit of the k sum) and row blocks ({@code ic},
 * {@code mc} high) lives here once, for one thread or a share of several. The typed subclasses
 * ({@link DoubleProduct}, {@link FloatProduct}) hold the operands and kernel, pack A and B into
 * their panels and run the micro-kernel over a packed block.
 *
 * @param <W> a thread's packing buffers
 */
abstract class PackedProduct<W> {
    final boolean tA;
    final boolean tB;
    final int m;
    final int n;
    final int k;
    /** Tile of the micro-kernel. */
    final int mr;
    final int nr;
    /** Depth of a slice, rows of an A block (a multiple of {@code mr}), columns of a B panel (of {@code nr}). */
    final int kcMax;
    final int mcMax;
    final int ncMax;
    /** Elements per 256 bytes: B rows a multiple of this apart alias in the caches. */
    private final int aliasUnit;

    PackedProduct(boolean tA, boolean tB, int m, int n, int k, int mr, int nr, int kc, int mc, int nc, int aliasUnit) {
        this.tA = tA;
        this.tB = tB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.mr = mr;
        this.nr = nr;
        this.kcMax = kc;
        this.mcMax = Math.max(mr, mc - mc % mr);
        this.ncMax = nc - nc % nr;
        this.aliasUnit = aliasUnit;
    }

    /** This thread's buffers, grown to hold an A block and a B panel {@code cols} wide (rounded to tiles). */
    abstract W buffers(int cols);

    /** Packs rows {@code ic..ic+mc-1}, depths {@code pc..pc+kc-1} of op(A) into the A block of {@code w}. */
    abstract void packA(W w, int ic, int mc, int pc, int kc);

    /** Packs depths {@code pc..pc+kc-1}, columns {@code jc..jc+nc-1} of op(B) into the B panel of {@code w}. */
    abstract void packB(W w, int pc, int kc, int jc, int nc);

    /**
     * Runs the micro-kernel over the packed block: C rows {@code ic..ic+mc-1}, columns
     * {@code jc..jc+nc-1}, depth slice {@code pc} (the first slice applies beta, later ones add).
     * With {@code inPlaceB}, full slivers are read from B itself and only a partial last sliver
     * from the panel.
     */
    abstract void block(W w, int ic, int mc, int jc, int nc, int pc, int kc, boolean inPlaceB);

    /**
     * Whether full slivers of a row-major B are read in place rather than packed: with few rows of
     * C each sliver serves few tiles, so packing B would cost about as much as using it; not when
     * B's rows are a multiple of 256 bytes apart (they alias in the caches).
     */
    final boolean inPlaceB(int rows) {
        return !tB && rows <= BlockedGemm.IN_PLACE_B_MAX_ROWS && n % aliasUnit != 0;
    }

    /** Computes the block of C with rows {@code i0..i1-1} and columns {@code j0..j1-1} on the calling thread. */
    final void blocked(int i0, int i1, int j0, int j1) {
        W w = buffers(Math.min(ncMax, roundUp(j1 - j0, nr)));
        boolean inPlace = inPlaceB(i1 - i0);
        for (int jc = j0; jc < j1; jc += ncMax) {
            int nc = Math.min(ncMax, j1 - jc);
            int full = nc / nr * nr;
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                if (!inPlace) {
                    packB(w, pc, kc, jc, nc);
                } else if (full < nc) {
                    packB(w, pc, kc, jc + full, nc - full);
                }
                for (int ic = i0; ic < i1; ic += mcMax) {
                    int mc = Math.min(mcMax, i1 - ic);
                    packA(w, ic, mc, pc, kc);
                    block(w, ic, mc, jc, nc, pc, kc, inPlace);
                }
            }
        }
    }

    static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }
}
