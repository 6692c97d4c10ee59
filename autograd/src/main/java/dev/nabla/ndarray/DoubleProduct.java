package dev.nabla.ndarray;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The float64 half of {@link BlockedGemm}: one product's operands and kernel, the packing of A and
 * B into panels, the macro-kernel over a packed block, and the direct loop for small products.
 */
final class DoubleProduct extends PackedProduct<DoubleProduct.Buffers, double[]> {
    /** Depth of a slice (the rounding unit of the k sum), rows of an A block, columns of a B panel. */
    static final int KC = 512;
    static final int MC = 96;
    static final int NC = 2048;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    /** The two shared panels (of B, or of A when B is read in place) of the last parallel product, kept for the next one. */
    private static final AtomicReference<double[][]> SHARED_PANELS = new AtomicReference<>();

    private final GemmKernel kern;
    private final double alpha;
    private final double beta;
    private final double[] a;
    private final int aOff;
    private final double[] b;
    private final int bOff;
    private final double[] c;
    private final int cOff;

    DoubleProduct(GemmKernel kern, boolean tA, boolean tB, int m, int n, int k, double alpha, double[] a, int aOff,
                  double[] b, int bOff, double beta, double[] c, int cOff) {
        super(tA, tB, m, n, k, kern.mr(), kern.nr(), KC, MC, NC, 32);
        this.kern = kern;
        this.alpha = alpha;
        this.beta = beta;
        this.a = a;
        this.aOff = aOff;
        this.b = b;
        this.bOff = bOff;
        this.c = c;
        this.cOff = cOff;
    }

    /** Per-thread packing buffers, grown on demand and reused across calls. */
    static final class Buffers {
        double[] ap = new double[0];
        double[] bp = new double[0];
        double[] scratch = new double[0];
    }

    @Override
    Buffers workspace() {
        Buffers w = BUFFERS.get();
        int apLen = roundUp(mcMax, mr) * kcMax;
        if (w.ap.length < apLen) {
            w.ap = new double[apLen];
        }
        if (w.scratch.length < mr * nr) {
            w.scratch = new double[mr * nr];
        }
        return w;
    }

    @Override
    double[] ownA(Buffers w) {
        return w.ap;
    }

    @Override
    double[] ownPanel(Buffers w, int len) {
        if (w.bp.length < len) {
            w.bp = new double[len];
        }
        return w.bp;
    }

    @Override
    double[][] takePanels(int len) {
        double[][] p = SHARED_PANELS.getAndSet(null);
        return p != null && p[0].length >= len ? p : new double[2][len];
    }

    @Override
    void returnPanels(double[][] panels) {
        SHARED_PANELS.set(panels);
    }

    @Override
    void packA(double[] ap, int at, int ic, int mc, int pc, int kc) {
        packA(tA, a, aOff, m, k, ic, mc, pc, kc, mr, ap, at);
    }

    @Override
    void packB(double[] bp, int at, int pc, int kc, int jc, int nc) {
        packB(tB, b, bOff, n, k, pc, kc, jc, nc, nr, bp, at);
    }

    @Override
    void block(Buffers w, double[] ap, int aAt, double[] bp, int bAt, int ic, int mc, int jc, int pc, int kc,
               boolean inPlaceB, int jr0, int jr1) {
        double bet = pc == 0 ? beta : 1.0;
        double[] scratch = w.scratch;
        for (int jr = jr0; jr < jr1; jr += nr) {
            int cols = Math.min(nr, jr1 - jr);
            int cBase = cOff + ic * n + jc + jr;
            double[] bArr = bp;
            int bo = bAt + jr * kc;
            int ldb = nr;
            if (inPlaceB) {
                if (cols == nr) {
                    bArr = b;
                    bo = bOff + pc * n + jc + jr;
                    ldb = n;
                } else {
                    bo = bAt;
                }
            }
            for (int ir = 0; ir < mc; ir += mr) {
                int rows = Math.min(mr, mc - ir);
                kern.tile(kc, ap, aAt + ir * kc, bArr, bo, ldb, c, cBase + ir * n, n, rows, cols, alpha, bet, scratch);
            }
        }
    }

    // ------------------------------------------------------------------ packing

    /**
     * Packs rows {@code ic..ic+mc-1}, depths {@code pc..pc+kc-1} of op(A) into slivers of {@code mr}
     * rows from {@code ap[at]}: sliver s at {@code at + s*mr*kc}, element (i, p) at {@code p*mr + i}
     * within it; missing rows are zero.
     */
    static void packA(boolean tA, double[] a, int aOff, int m, int k, int ic, int mc, int pc, int kc, int mr,
                      double[] ap, int at) {
        if (tA) {
            // A stored k x m: A(i,p) = a[p*m + i]; sliver by sliver, so that the writes are
            // contiguous (walking each stored row across all slivers wrote mr values to slivers
            // mr*kc elements apart, which alias in the L1 cache): 1.4-1.6x faster for 1000 x 128
            // and 100 x 1000 (float32, Zen 3)
            for (int ir = 0; ir < mc; ir += mr) {
                int rows = Math.min(mr, mc - ir);
                int d = at + ir * kc;
                int src = aOff + pc * m + ic + ir;
                if (rows == mr) {
                    for (int p = 0; p < kc; p++, src += m, d += mr) {
                        System.arraycopy(a, src, ap, d, mr);
                    }
                } else {
                    for (int p = 0; p < kc; p++, src += m, d += mr) {
                        for (int i = 0; i < rows; i++) {
                            ap[d + i] = a[src + i];
                        }
                        for (int i = rows; i < mr; i++) {
                            ap[d + i] = 0.0;
                        }
                    }
                }
            }
            return;
        }
        for (int ir = 0; ir < mc; ir += mr) {
            int rows = Math.min(mr, mc - ir);
            int base = at + ir * kc;
            for (int i = 0; i < mr; i++) {
                int d = base + i;
                if (i < rows) {
                    int src = aOff + (ic + ir + i) * k + pc;
                    for (int p = 0; p < kc; p++, d += mr) {
                        ap[d] = a[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++, d += mr) {
                        ap[d] = 0.0;
                    }
                }
            }
        }
    }

    /**
     * Packs depths {@code pc..pc+kc-1}, columns {@code jc..jc+nc-1} of op(B) into slivers of
     * {@code nr} columns from {@code bp[at]}: sliver s at {@code at + s*nr*kc}, element (p, j) at
     * {@code p*nr + j} within it; missing columns are zero.
     */
    static void packB(boolean tB, double[] b, int bOff, int n, int k, int pc, int kc, int jc, int nc, int nr,
                      double[] bp, int at) {
        if (!tB) {
            // B stored k x n: sliver by sliver, each row's nr values copied to contiguous places
            // (walking each stored row across all slivers wrote to places nr*kc elements apart,
            // which alias in the L1 cache): about 2x faster for 784 x 1000 (float32, Zen 3)
            for (int jr = 0; jr < nc; jr += nr) {
                int cols = Math.min(nr, nc - jr);
                int d = at + jr * kc;
                int src = bOff + pc * n + jc + jr;
                if (cols == nr) {
                    for (int p = 0; p < kc; p++, src += n, d += nr) {
                        System.arraycopy(b, src, bp, d, nr);
                    }
                } else {
                    for (int p = 0; p < kc; p++, src += n, d += nr) {
                        for (int j = 0; j < cols; j++) {
                            bp[d + j] = b[src + j];
                        }
                        for (int j = cols; j < nr; j++) {
                            bp[d + j] = 0.0;
                        }
                    }
                }
            }
            return;
        }
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            int base = at + jr * kc;
            // B stored n x k: B(p,j) = b[j*k + p], contiguous in p
            for (int j = 0; j < nr; j++) {
                int d = base + j;
                if (j < cols) {
                    int src = bOff + (jc + jr + j) * k + pc;
                    for (int p = 0; p < kc; p++, d += nr) {
                        bp[d] = b[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++, d += nr) {
                        bp[d] = 0.0;
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ direct path

    /** Rows accumulated together by the direct path (B is read once per group). */
    private static final int DIRECT_ROWS = 8;
    /** Narrower rows of C take the dot-product form of the direct path (short rows make axpy loops all overhead). */
    private static final int DIRECT_AXPY_MIN_N = 8;

    /**
     * The loop for small products: per row group, per k slice, rows of C accumulate
     * {@code fma(A[i,p], B[p,:], acc)}; transposed B and narrow C take {@link #directDot} instead.
     */
    static void direct(boolean tA, boolean tB, int m, int n, int k, double alpha,
                       double[] a, int aOff, double[] b, int bOff, double beta, double[] c, int cOff) {
        if (tB || n < DIRECT_AXPY_MIN_N) {
            directDot(tA, tB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff);
            return;
        }
        int g0 = Math.min(m, DIRECT_ROWS);
        double[] acc = new double[g0 * n];
        for (int i0 = 0; i0 < m; i0 += DIRECT_ROWS) {
            int g = Math.min(DIRECT_ROWS, m - i0);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                double bet = pc == 0 ? beta : 1.0;
                java.util.Arrays.fill(acc, 0, g * n, 0.0);
                for (int p = pc; p < pc + kc; p++) {
                    for (int r = 0; r < g; r++) {
                        int i = i0 + r;
                        double av = tA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                        int o = r * n;
                        int br = bOff + p * n;
                        for (int j = 0; j < n; j++) {
                            acc[o + j] = Math.fma(av, b[br + j], acc[o + j]);
                        }
                    }
                }
                for (int r = 0; r < g; r++) {
                    int cr = cOff + (i0 + r) * n;
                    int o = r * n;
                    for (int j = 0; j < n; j++) {
                        GemmKernel.store(c, cr + j, acc[o + j], alpha, bet);
                    }
                }
            }
        }
    }

    /**
     * The direct path as one dot product per element and k slice: for transposed B (contiguous in
     * k) and for narrow C. Same operations in the same order as every other path; four elements of
     * C (four columns, or four rows where C is narrower than four) are summed side by side in
     * independent chains, so that the loop is not bound by the latency of one fused multiply-add.
     */
    private static void directDot(boolean tA, boolean tB, int m, int n, int k, double alpha,
                                  double[] a, int aOff, double[] b, int bOff, double beta, double[] c, int cOff) {
        int as = tA ? m : 1;
        int bs = tB ? 1 : n;
        int is = tA ? 1 : k; // from row i to row i + 1 of op(A)
        int js = tB ? k : 1; // from column j to column j + 1 of op(B)
        int i = 0;
        if (n < 4) {
            for (; i + 4 <= m; i += 4) {
                for (int pc = 0; pc < k; pc += KC) {
                    int kc = Math.min(KC, k - pc);
                    double bet = pc == 0 ? beta : 1.0;
                    for (int j = 0; j < n; j++) {
                        dot4Rows(a, aOff + i * is + pc * as, is, as, b, bOff + j * js + pc * bs, bs, kc, alpha, bet,
                                c, cOff + i * n + j, n);
                    }
                }
            }
        }
        for (; i < m; i++) {
            int a0 = aOff + i * is;
            int cr = cOff + i * n;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                double bet = pc == 0 ? beta : 1.0;
                int j = 0;
                for (; j + 4 <= n; j += 4) {
                    dot4Columns(a, a0 + pc * as, as, b, bOff + j * js + pc * bs, js, bs, kc, alpha, bet, c, cr + j);
                }
                for (; j < n; j++) {
                    int ai = a0 + pc * as;
                    int bi = bOff + j * js + pc * bs;
                    double acc = 0.0;
                    for (int p = 0; p < kc; p++, ai += as, bi += bs) {
                        acc = Math.fma(a[ai], b[bi], acc);
                    }
                    GemmKernel.store(c, cr + j, acc, alpha, bet);
                }
            }
        }
    }

    /**
     * Four dot products over one k slice of {@code kc} steps, side by side, of one row of op(A)
     * (from {@code ai}, step {@code as}) with four columns of op(B) ({@code bi + r·db}, step
     * {@code bs}), stored at {@code c[ci + r]}; each chain is the sequence of fused multiply-adds
     * of the one-chain loop.
     */
    private static void dot4Columns(double[] a, int ai, int as, double[] b, int bi, int db, int bs, int kc, double alpha,
                                    double beta, double[] c, int ci) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        if (as == 1 && bs == 1) { // a row of A times rows of B (transposed B): unit steps, so the JIT drops the range checks
            int b1 = bi + db;
            int b2 = b1 + db;
            int b3 = b2 + db;
            for (int p = 0; p < kc; p++) {
                double av = a[ai + p];
                s0 = Math.fma(av, b[bi + p], s0);
                s1 = Math.fma(av, b[b1 + p], s1);
                s2 = Math.fma(av, b[b2 + p], s2);
                s3 = Math.fma(av, b[b3 + p], s3);
            }
        } else {
            for (int p = 0; p < kc; p++, ai += as, bi += bs) {
                double av = a[ai];
                s0 = Math.fma(av, b[bi], s0);
                s1 = Math.fma(av, b[bi + db], s1);
                s2 = Math.fma(av, b[bi + 2 * db], s2);
                s3 = Math.fma(av, b[bi + 3 * db], s3);
            }
        }
        GemmKernel.store(c, ci, s0, alpha, beta);
        GemmKernel.store(c, ci + 1, s1, alpha, beta);
        GemmKernel.store(c, ci + 2, s2, alpha, beta);
        GemmKernel.store(c, ci + 3, s3, alpha, beta);
    }

    /** As {@link #dot4Columns} for four rows of op(A) ({@code ai + r·da}) and one column of op(B), stored at {@code c[ci + r·dc]}. */
    private static void dot4Rows(double[] a, int ai, int da, int as, double[] b, int bi, int bs, int kc, double alpha,
                                 double beta, double[] c, int ci, int dc) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        for (int p = 0; p < kc; p++, ai += as, bi += bs) {
            double bv = b[bi];
            s0 = Math.fma(a[ai], bv, s0);
            s1 = Math.fma(a[ai + da], bv, s1);
            s2 = Math.fma(a[ai + 2 * da], bv, s2);
            s3 = Math.fma(a[ai + 3 * da], bv, s3);
        }
        GemmKernel.store(c, ci, s0, alpha, beta);
        GemmKernel.store(c, ci + dc, s1, alpha, beta);
        GemmKernel.store(c, ci + 2 * dc, s2, alpha, beta);
        GemmKernel.store(c, ci + 3 * dc, s3, alpha, beta);
    }

    /** {@code C = beta * C} over {@code len} elements (the product of an empty k or a zero alpha). */
    static void scale(double[] c, int off, int len, double beta) {
        if (beta == 0.0) {
            java.util.Arrays.fill(c, off, off + len, 0.0);
        } else if (beta != 1.0) {
            for (int i = off; i < off + len; i++) {
                c[i] = beta * c[i];
            }
        }
    }
}
