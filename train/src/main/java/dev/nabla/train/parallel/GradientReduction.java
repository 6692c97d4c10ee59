package dev.nabla.train.parallel;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Module;
import java.util.List;

/**
 * The fixed-order combination of micro-shard results, and its application to the master model.
 *
 * <p>The order: values indexed by shard {@code 0..S-1} are summed by one pairwise tree whose shape
 * depends on {@code S} only ({@link #pairwiseSum}: level 0 is the shards' values, and each level's
 * entry {@code j} is entry {@code 2j} of the level below plus entry {@code 2j + 1} when there is
 * one), element by element, so the sum is the same bit for bit whoever computed the shards and
 * however the elements are split across threads ({@link #sumRange}). A parameter a shard's backward
 * pass did not reach counts as zeros in that shard. The step's gradient is the sum divided by the
 * global batch size {@code B}: the gradient of the mean loss. Floating buffers (running statistics)
 * become the mean of the shards' buffers (the same tree, divided by {@code S}); integer buffers
 * (counts) are shard 0's.
 * Stateless and thread-safe; {@link #sumRange} may run on several threads at once over disjoint
 * ranges.
 */
public final class GradientReduction {
    private GradientReduction() {}

    /**
     * A step's combined result: the summed gradient of the summed losses per parameter (null for a
     * parameter no shard reached), the summed loss and count correct, the number of samples, the
     * buffers.
     * Not thread-safe (it holds arrays); hand it over, do not share it while writing.
     */
    public static final class Reduced {
        /** The number of samples {@code B} of the global batch. */
        public final int samples;
        /** The summed per-sample losses of the global batch. */
        public final double lossSum;
        /** The count correct over the global batch (NaN when accuracy means nothing). */
        public final double correct;
        final double[][] gradSum;
        final double[] buffers;

        Reduced(int samples, double lossSum, double correct, double[][] gradSum, double[] buffers) {
            this.samples = samples;
            this.lossSum = lossSum;
            this.correct = correct;
            this.gradSum = gradSum;
            this.buffers = buffers;
        }

        /** The mean loss over the global batch. */
        public double meanLoss() {
            return lossSum / samples;
        }

        /** A copy of the summed gradient of parameter {@code i} (divide by {@link #samples} for the mean-loss gradient), or null. */
        public double[] gradientSum(int i) {
            return gradSum[i] == null ? null : gradSum[i].clone();
        }

        /** A copy of the combined buffers. */
        public double[] buffers() {
            return buffers.clone();
        }
    }

    /**
     * The pairwise-tree sum of {@code v[0..n)}: at stride 1, 2, 4, … every {@code v[i]} with
     * {@code i} a multiple of twice the stride and {@code i + stride < n} adds {@code v[i + stride]};
     * the result is {@code v[0]} (the same tree as the class comment's levels). It overwrites {@code v}.
     */
    public static double pairwiseSum(double[] v, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("GradientReduction.pairwiseSum: nothing to sum (n = " + n + ")");
        }
        for (int stride = 1; stride < n; stride <<= 1) {
            for (int i = 0; i + stride < n; i += stride << 1) {
                v[i] += v[i + stride];
            }
        }
        return v[0];
    }

    /** Arrays for the summed gradient of {@code layout}'s parameters (zeros), for {@link #sumRange}. */
    public static double[][] newSum(ModelSnapshot layout) {
        int[] sizes = layout.parameterSizes();
        double[][] out = new double[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            out[i] = new double[sizes[i]];
        }
        return out;
    }

    /**
     * Writes into {@code out} (from {@link #newSum}), for every element {@code k} in
     * {@code [from, to)} of the parameters laid end to end, the pairwise-tree sum over the shards of
     * their gradient element {@code k} (the tree of {@link #pairwiseSum}, one level at a time over
     * the range).
     */
    public static void sumRange(ShardGradient[] shards, double[][] out, int from, int to) {
        int at = 0;
        for (int p = 0; p < out.length && at < to; p++) {
            int n = out[p].length;
            int a = Math.max(from, at) - at;
            int b = Math.min(to, at + n) - at;
            if (a < b) {
                sumSegment(shards, p, out[p], a, b);
            }
            at += n;
        }
    }

    /** Elements {@code [a, b)} of parameter {@code p}: the pairwise tree over shards, written into {@code dst[a..b)}. */
    private static void sumSegment(ShardGradient[] shards, int p, double[] dst, int a, int b) {
        int n = shards.length;
        int len = b - a;
        // level 1: pairs of shards; entry 0 is written straight into dst (offset a), the others into temporaries (offset 0)
        int m = (n + 1) / 2;
        double[][] level = new double[m][];
        int[] off = new int[m];
        for (int j = 0; j < m; j++) {
            double[] x = shards[2 * j].grads[p];
            double[] y = 2 * j + 1 < n ? shards[2 * j + 1].grads[p] : null;
            boolean pair = 2 * j + 1 < n;
            double[] t = j == 0 ? dst : new double[len];
            int o = j == 0 ? a : 0;
            for (int k = 0; k < len; k++) {
                double xv = x == null ? 0.0 : x[a + k];
                t[o + k] = pair ? xv + (y == null ? 0.0 : y[a + k]) : xv;
            }
            level[j] = t;
            off[j] = o;
        }
        // higher levels: entry j = entry 2j + entry 2j+1
        while (m > 1) {
            int next = (m + 1) / 2;
            for (int j = 0; j < next; j++) {
                double[] x = level[2 * j];
                int xo = off[2 * j];
                if (2 * j + 1 < m) {
                    double[] y = level[2 * j + 1];
                    int yo = off[2 * j + 1];
                    for (int k = 0; k < len; k++) {
                        x[xo + k] += y[yo + k];
                    }
                }
                level[j] = x;
                off[j] = xo;
            }
            m = next;
        }
    }

    /**
     * Combines {@code shards} (all the shards of one plan, indexed by shard: {@code shards[s].shard == s})
     * on the calling thread; {@code layout} is the snapshot (or layout) they were computed from.
     */
    public static Reduced reduce(ShardGradient[] shards, ModelSnapshot layout) {
        check(shards, layout);
        double[][] sum = newSum(layout);
        sumRange(shards, sum, 0, layout.numParameterElements());
        return finish(shards, sum, layout);
    }

    /**
     * Combines {@code shards} given the gradient sum {@code gradSum} that {@link #sumRange} wrote
     * over every element (perhaps on several threads): the losses, counts and buffers; a parameter
     * no shard reached gets a null sum.
     */
    public static Reduced finish(ShardGradient[] shards, double[][] gradSum, ModelSnapshot layout) {
        check(shards, layout);
        int n = shards.length;
        double[] v = new double[n];
        int samples = 0;
        for (int s = 0; s < n; s++) {
            v[s] = shards[s].lossSum;
            samples += shards[s].samples;
        }
        double lossSum = pairwiseSum(v, n);
        for (int s = 0; s < n; s++) {
            v[s] = shards[s].correct;
        }
        double correct = pairwiseSum(v, n);
        gradSum = gradSum.clone(); // the caller's arrays stay as they are (they may be reused for the next step)
        for (int p = 0; p < gradSum.length; p++) {
            boolean any = false;
            for (ShardGradient g : shards) {
                any |= g.grads[p] != null;
            }
            if (!any) {
                gradSum[p] = null;
            }
        }
        double[] buffers = new double[layout.numBufferElements()];
        int[] bsz = layout.bufferSizes();
        int at = 0;
        for (int b = 0; b < bsz.length; b++) {
            for (int k = at; k < at + bsz[b]; k++) {
                if (layout.isIntegerBuffer(b)) {
                    buffers[k] = shards[0].buffers[k];
                    continue;
                }
                for (int s = 0; s < n; s++) {
                    v[s] = shards[s].buffers[k];
                }
                buffers[k] = pairwiseSum(v, n) / n;
            }
            at += bsz[b];
        }
        return new Reduced(samples, lossSum, correct, gradSum, buffers);
    }

    private static void check(ShardGradient[] shards, ModelSnapshot layout) {
        if (shards == null || shards.length == 0) {
            throw new IllegalArgumentException("GradientReduction: no shard results to combine");
        }
        int[] sizes = layout.parameterSizes();
        for (int s = 0; s < shards.length; s++) {
            ShardGradient g = shards[s];
            if (g == null || g.shard != s) {
                throw new IllegalArgumentException("GradientReduction: position " + s + " holds "
                        + (g == null ? "nothing" : "shard " + g.shard)
                        + "; pass every shard's result, indexed by its shard number");
            }
            boolean ok = g.grads.length == sizes.length && g.buffers.length == layout.numBufferElements();
            for (int p = 0; ok && p < sizes.length; p++) {
                ok = g.grads[p] == null || g.grads[p].length == sizes[p];
            }
            if (!ok) {
                throw new IllegalArgumentException("GradientReduction: shard " + s + " does not have the layout of the "
                        + "snapshot (" + sizes.length + " parameters of " + java.util.Arrays.toString(sizes)
                        + " elements, " + layout.numBufferElements() + " buffer elements); every shard must come from "
                        + "replicas of the model the snapshot was taken of");
            }
        }
    }

    /**
     * Sets every parameter of {@code master} that some shard reached to the mean-loss gradient
     * {@code gradSum / samples} (in the parameter's dtype, replacing its {@code .grad}), clears the
     * gradient of the others (an optimizer then skips them, as PyTorch's does for a None gradient),
     * and loads the combined buffers: integer buffers from shard 0, floating ones averaged over the
     * shards. The caller then steps its optimizer (after clipping, if any) on the master's parameters.
     */
    public static void apply(Reduced r, ModelSnapshot layout, Module master) {
        List<Parameter> ps = List.copyOf(master.namedParameters().values());
        int[] sizes = layout.parameterSizes();
        if (ps.size() != sizes.length || r.gradSum.length != sizes.length) {
            throw new IllegalArgumentException("GradientReduction.apply: the master has " + ps.size()
                    + " parameters, the snapshot's layout " + sizes.length + "; apply to the model the snapshot was taken of");
        }
        applyRange(r, ps, 0, sizes.length);
        layout.loadBuffers(master, r.buffers);
    }

    /** {@link #apply}'s gradients for parameters {@code [from, to)} of {@code ps} (threads may split the parameters). */
    static void applyRange(Reduced r, List<Parameter> ps, int from, int to) {
        double scale = r.samples;
        for (int i = from; i < to; i++) {
            Parameter p = ps.get(i);
            double[] sum = r.gradSum[i];
            if (sum == null) {
                p.clearGrad();
                continue;
            }
            NDArray g;
            int[] shape = p.data().shape();
            if (p.data().dtype() == DType.FLOAT32) {
                float[] f = new float[sum.length];
                for (int k = 0; k < f.length; k++) {
                    f[k] = (float) (sum[k] / scale);
                }
                g = NDArray.of(f, shape);
            } else {
                double[] d = new double[sum.length];
                for (int k = 0; k < d.length; k++) {
                    d[k] = sum[k] / scale;
                }
                g = NDArray.of(d, shape).astype(p.data().dtype());
            }
            p.setGrad(Variable.constant(g));
        }
    }
}
