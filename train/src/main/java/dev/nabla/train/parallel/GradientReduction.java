package dev.nabla.train.parallel;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Module;
import java.util.List;

/**
 * The fixed-order combination of micro-shard results, and its application to the master model.
 *
 * <p>The order: values indexed by shard {@code 0..S-1} are summed by one pairwise tree whose shape
 * depends on {@code S} only ({@link #pairwiseSum}: at stride 1, 2, 4, … each {@code v[i]} with
 * {@code i} a multiple of twice the stride adds {@code v[i + stride]}), element by element, so the
 * sum is the same bit for bit whoever computed the shards and however the elements are split across
 * threads ({@link #sumRange}). The step's gradient is that sum divided by the global batch size
 * {@code B}: the gradient of the mean loss. Floating buffers (running statistics) become the mean
 * of the shards' buffers (the same tree, divided by {@code S}); integer buffers (counts) are
 * shard 0's.
 * Stateless and thread-safe; {@link #sumRange} may run on several threads at once over disjoint
 * ranges.
 */
public final class GradientReduction {
    private GradientReduction() {}

    /**
     * A step's combined result: the summed gradient of the summed losses, which parameters received
     * one, the summed loss and count correct, the number of samples, the buffers.
     * Not thread-safe (it holds arrays); hand it over, do not share it while writing.
     */
    public static final class Reduced {
        /** The number of samples {@code B} of the global batch. */
        public final int samples;
        /** The summed per-sample losses of the global batch. */
        public final double lossSum;
        /** The count correct over the global batch (NaN when accuracy means nothing). */
        public final double correct;
        final double[] gradSum;
        final boolean[] present;
        final double[] buffers;

        Reduced(int samples, double lossSum, double correct, double[] gradSum, boolean[] present, double[] buffers) {
            this.samples = samples;
            this.lossSum = lossSum;
            this.correct = correct;
            this.gradSum = gradSum;
            this.present = present;
            this.buffers = buffers;
        }

        /** The mean loss over the global batch. */
        public double meanLoss() {
            return lossSum / samples;
        }

        /** A copy of the summed gradient (divide by {@link #samples} for the mean-loss gradient). */
        public double[] gradientSum() {
            return gradSum.clone();
        }

        /** A copy of the combined buffers. */
        public double[] buffers() {
            return buffers.clone();
        }
    }

    /**
     * The pairwise-tree sum of {@code v[0..n)}: at stride 1, 2, 4, … every {@code v[i]} with
     * {@code i} a multiple of twice the stride and {@code i + stride < n} adds {@code v[i + stride]};
     * the result is {@code v[0]}. It overwrites {@code v}.
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

    /**
     * Writes into {@code out[k]}, for every gradient element {@code k} in {@code [from, to)}, the
     * {@link #pairwiseSum} over the shards of their gradient element {@code k}.
     */
    public static void sumRange(ShardGradient[] shards, double[] out, int from, int to) {
        int n = shards.length;
        double[] v = new double[n];
        for (int k = from; k < to; k++) {
            for (int s = 0; s < n; s++) {
                v[s] = shards[s].grad[k];
            }
            out[k] = pairwiseSum(v, n);
        }
    }

    /**
     * Combines {@code shards} (all the shards of one plan, indexed by shard: {@code shards[s].shard == s})
     * on the calling thread; {@code layout} is the snapshot the shards were computed from.
     */
    public static Reduced reduce(ShardGradient[] shards, ModelSnapshot layout) {
        check(shards);
        double[] sum = new double[shards[0].grad.length];
        sumRange(shards, sum, 0, sum.length);
        return finish(shards, sum, layout);
    }

    /**
     * Combines {@code shards} given the gradient sum {@code gradSum} that {@link #sumRange} wrote
     * over every element (perhaps on several threads): the losses, counts and buffers.
     */
    public static Reduced finish(ShardGradient[] shards, double[] gradSum, ModelSnapshot layout) {
        check(shards);
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
        boolean[] present = new boolean[shards[0].present.length];
        for (ShardGradient g : shards) {
            for (int i = 0; i < present.length; i++) {
                present[i] |= g.present[i];
            }
        }
        if (shards[0].buffers.length != layout.numBufferElements()) {
            throw new IllegalArgumentException("GradientReduction: the shards hold " + shards[0].buffers.length
                    + " buffer elements, the snapshot " + layout.numBufferElements() + "; pass the snapshot they were computed from");
        }
        double[] buffers = new double[shards[0].buffers.length];
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
        return new Reduced(samples, lossSum, correct, gradSum, present, buffers);
    }

    private static void check(ShardGradient[] shards) {
        if (shards == null || shards.length == 0) {
            throw new IllegalArgumentException("GradientReduction: no shard results to combine");
        }
        for (int s = 0; s < shards.length; s++) {
            if (shards[s] == null || shards[s].shard != s) {
                throw new IllegalArgumentException("GradientReduction: position " + s + " holds "
                        + (shards[s] == null ? "nothing" : "shard " + shards[s].shard)
                        + "; pass every shard's result, indexed by its shard number");
            }
            if (shards[s].grad.length != shards[0].grad.length || shards[s].buffers.length != shards[0].buffers.length) {
                throw new IllegalArgumentException("GradientReduction: shard " + s + " has " + shards[s].grad.length
                        + " gradient elements, shard 0 has " + shards[0].grad.length
                        + "; every shard must come from replicas of the same model");
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
        if (ps.size() != sizes.length || r.gradSum.length != layout.numParameterElements()) {
            throw new IllegalArgumentException("GradientReduction.apply: the master has " + ps.size()
                    + " parameters, the snapshot's layout " + sizes.length + "; apply to the model the snapshot was taken of");
        }
        double scale = r.samples;
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            Parameter p = ps.get(i);
            if (r.present[i]) {
                double[] g = new double[sizes[i]];
                for (int k = 0; k < g.length; k++) {
                    g[k] = r.gradSum[at + k] / scale;
                }
                p.setGrad(Variable.constant(NDArray.of(g, p.data().shape()).astype(p.data().dtype())));
            } else {
                p.clearGrad();
            }
            at += sizes[i];
        }
        layout.loadBuffers(master, r.buffers);
    }
}
