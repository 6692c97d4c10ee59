package dev.nabla.autograd;

import static dev.nabla.autograd.Ops.comp;
import static dev.nabla.autograd.Ops.prim;

import static dev.nabla.autograd.Samplers.array;
import static dev.nabla.autograd.Samplers.between;
import static dev.nabla.autograd.Samplers.pick;
import static dev.nabla.autograd.Samplers.shape;

import dev.nabla.ndarray.Gather;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.IndexMaps;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Registry entries of the ops issue 15 added (gather, scatter, maskedFill, indexPut, cumsum,
 * prod, flip, roll, repeat, tile, triu, tril, pad, norm, sort, topk, einsum) and the sample custom
 * {@link dev.nabla.autograd.Function}s, kept apart from
 * {@link Ops} so that file stays readable; {@link Ops#registry()} lists them with the rest.
 * Stateless and thread-safe.
 */
final class ExtraOps {
    private ExtraOps() {}


    static void primitives(List<OpInfo> ops) {
        ops.add(prim("cumsum", 1, "REAL, rank 1-4, random axis (negative too)", CumsumNode.class, r -> {
            int[] s = shape(r, 1, 4, 3);
            int axis = Samplers.axis(r, s.length);
            return new OpCase("axis=" + axis, x -> x[0].cumsum(axis), array(r, Domain.REAL, s));
        }));
        ops.add(prim("prod", 1, "REAL, rank 0-3, size <= 12, random axes subset, keepDims both; half the cases "
                + "hold one or two exact zeros (PyTorch's zero rule)", ProdNode.class, r -> {
                    int[] s = shape(r, 0, 3, 3);
                    while (Shapes.size(s) > 12) {
                        s = shape(r, 0, 3, 3);
                    }
                    int[] ax = r.nextInt(4) == 0 ? null : Samplers.axes(r, s.length);
                    boolean keep = r.nextBoolean();
                    double[] v = array(r, Domain.REAL, s).toArray();
                    if (v.length > 0 && r.nextBoolean()) {
                        int zeros = between(r, 1, 2);
                        for (int i = 0; i < zeros; i++) {
                            v[r.nextInt(v.length)] = 0.0;
                        }
                    }
                    int[] fs = s;
                    return new OpCase("axes=" + str(ax) + " keepDims=" + keep, x -> x[0].prod(ax, keep),
                            NDArray.of(v, fs));
                }));
        ops.add(prim("takeFlat", 1, "REAL, rank 0-3 (size >= 1), an INT64 index of rank 0-2 into its flattened elements "
                + "(repeats, negative positions)", TakeNode.class, r -> {
                    int[] s = shape(r, 0, 3, 3);
                    NDArray index = flatIndex(r, Shapes.size(s), shape(r, 0, 2, 3), true);
                    return new OpCase("index=" + index, x -> F.take(x[0], Variable.constant(index)),
                            array(r, Domain.REAL, s));
                }));
        ops.add(prim("put", 1, "REAL values, rank 0-2, an INT64 index of their shape into zeros of a rank 0-3 shape "
                + "(repeated positions accumulate)", PutNode.class, r -> {
                    int[] target = shape(r, 0, 3, 3);
                    int[] s = shape(r, 0, 2, 3);
                    NDArray index = flatIndex(r, Shapes.size(target), s, false);
                    return new OpCase("shape=" + Shapes.str(target) + " index=" + index,
                            x -> new PutNode(target).apply(x[0], Variable.constant(index)), array(r, Domain.REAL, s));
                }));
    }

    /** Random INT64 positions into {@code size} elements, of shape {@code s} (negative ones too with {@code negative}). */
    private static NDArray flatIndex(java.util.Random r, int size, int[] s, boolean negative) {
        long[] v = new long[Shapes.size(s)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(size) - (negative && r.nextBoolean() ? size : 0);
        }
        return NDArray.of(v, s);
    }

    /** The sample custom {@link dev.nabla.autograd.Function}s, one recorded {@link FunctionNode} each. */
    static void functions(List<OpInfo> ops) {
        ops.add(prim("sincosFn", 1, "REAL, rank 0-4; a two-output custom Function (sin, cos): both outputs weighted "
                + "(0.7, -1.3), only sin or only cos (the other's gradient materialized as zeros, or null with "
                + "setMaterializeGrads(false))", FunctionNode.class, r -> {
                    int[] s = shape(r);
                    int use = r.nextInt(3);
                    boolean materialize = r.nextBoolean();
                    String mode = (use == 0 ? "both" : use == 1 ? "sin only" : "cos only")
                            + " materialize=" + materialize;
                    return new OpCase(mode, x -> {
                        Variable[] sc = new SampleFunctions.SinCos(materialize).apply(x[0]);
                        return use == 0 ? sc[0].mul(0.7).add(sc[1].mul(-1.3)) : use == 1 ? sc[0] : sc[1];
                    }, array(r, Domain.REAL, s));
                }));
        ops.add(prim("maxDimFn", 1, "distinct values, rank 1-3, random axis, keepDim both; a custom Function with the "
                + "maxima and their INT64 indices (non-differentiable, added as a constant offset)", FunctionNode.class,
                r -> {
                    int[] s = shape(r, 1, 3, 3);
                    int axis = Samplers.axis(r, s.length);
                    boolean keep = r.nextBoolean();
                    return new OpCase("axis=" + axis + " keepDim=" + keep, x -> {
                        Variable[] vi = new SampleFunctions.MaxDim(axis, keep).apply(x[0]);
                        return vi[0].add(vi[1].astype(x[0].dtype()).mul(0.25));
                    }, Samplers.distinct(r, s));
                }));
    }

    static void composites(List<OpInfo> ops) {
        ops.add(comp("gather", 1, "REAL, rank 1-3, random axis, INT64 index no larger than the input off the axis "
                + "(repeats)", List.of(GetItemNode.class), r -> {
                    int[] s = shape(r, 1, 3, 3);
                    int axis = Samplers.axis(r, s.length);
                    int a = Shapes.axis("gather", axis, s.length);
                    NDArray index = index(r, s, a);
                    return new OpCase("axis=" + axis + " index=" + index, x -> x[0].gather(axis, index),
                            array(r, Domain.REAL, s));
                }));
        ops.add(comp("scatter", 2, "REAL input rank 1-3 and src no smaller than the INT64 index; repeated targets "
                + "(the last write wins)", List.of(WhereNode.class, GetItemNode.class, GetItemGradNode.class, AddNode.class),
                r -> {
                    int[] s = shape(r, 1, 3, 3);
                    int axis = Samplers.axis(r, s.length);
                    int a = Shapes.axis("scatter", axis, s.length);
                    NDArray index = index(r, s, a);
                    int[] src = index.shape();
                    for (int d = 0; d < src.length; d++) {
                        src[d] += r.nextInt(2);
                    }
                    return new OpCase("axis=" + axis + " index=" + index, x -> x[0].scatter(axis, index, x[1]),
                            array(r, Domain.REAL, s), array(r, Domain.REAL, src));
                }));
        ops.add(comp("maskedFill", 1, "REAL, rank 0-3, a BOOL mask broadcast to it, value in {0, -1.5}",
                List.of(WhereNode.class), r -> {
                    int[] s = shape(r, 0, 3, 3);
                    NDArray mask = Samplers.mask(r, Samplers.broadcastableTo(r, s, false));
                    double value = pick(r, 0.0, -1.5);
                    return new OpCase("mask " + mask + " value=" + value, x -> x[0].maskedFill(mask, value),
                            array(r, Domain.REAL, s));
                }));
        ops.add(comp("indexPut", 2, "REAL, rank 1-4, a random getItem index (repeats: the last write wins) and values "
                + "broadcast to the indexed shape", List.of(WhereNode.class, GetItemNode.class, GetItemGradNode.class,
                AddNode.class), r -> {
                    int[] s = shape(r, 1, 4, 3);
                    Index[] ix = Samplers.index(r, s);
                    int[] rs = Gather.resolve(s, ix).resultShape();
                    int[] vs = Samplers.broadcastableTo(r, rs, false);
                    return new OpCase("index=" + Arrays.toString(ix) + " values " + Shapes.str(vs),
                            x -> x[0].indexPut(ix, x[1]), array(r, Domain.REAL, s), array(r, Domain.REAL, vs));
                }));
        ops.add(comp("flip", 1, "REAL, rank 0-4, random axes subset (empty: none)", List.of(GetItemNode.class), r -> {
            int[] s = shape(r);
            int[] ax = s.length == 0 ? new int[0] : Samplers.axes(r, s.length);
            return new OpCase("axes=" + str(ax), x -> x[0].flip(ax), array(r, Domain.REAL, s));
        }));
        ops.add(comp("roll", 1, "REAL, rank 1-4; flattened or per-axis shifts in -5..5 (repeated axes too)",
                List.of(GetItemNode.class), r -> {
                    int[] s = shape(r, 1, 4, 3);
                    if (r.nextInt(3) == 0) {
                        int shift = between(r, -5, 5);
                        return new OpCase("shift=" + shift, x -> x[0].roll(shift), array(r, Domain.REAL, s));
                    }
                    int n = between(r, 1, 3);
                    int[] shifts = new int[n];
                    int[] axes = new int[n];
                    for (int i = 0; i < n; i++) {
                        shifts[i] = between(r, -5, 5);
                        axes[i] = Samplers.axis(r, s.length);
                    }
                    return new OpCase("shifts=" + str(shifts) + " axes=" + str(axes), x -> x[0].roll(shifts, axes),
                            array(r, Domain.REAL, s));
                }));
        ops.add(comp("repeat", 1, "REAL, rank 0-3, counts 0-2 per axis plus 0-1 leading axes",
                List.of(GetItemNode.class), r -> {
                    int[] s = shape(r, 0, 3, 3);
                    int[] reps = counts(r, s.length + r.nextInt(2));
                    return new OpCase("sizes=" + str(reps), x -> x[0].repeat(reps), array(r, Domain.REAL, s));
                }));
        ops.add(comp("tile", 1, "REAL, rank 0-3, 0-4 counts in 1-2 (fewer than the rank: padded with ones)",
                List.of(GetItemNode.class), r -> {
                    int[] s = shape(r, 0, 3, 3);
                    int[] reps = counts(r, r.nextInt(5));
                    for (int i = 0; i < reps.length; i++) {
                        reps[i] = Math.max(reps[i], 1);
                    }
                    return new OpCase("reps=" + str(reps), x -> x[0].tile(reps), array(r, Domain.REAL, s));
                }));
        ops.add(comp("triu", 1, "REAL, rank 2-4, diagonal offset in -2..2", List.of(WhereNode.class), r -> {
            int[] s = shape(r, 2, 4, 3);
            int k = between(r, -2, 2);
            return new OpCase("k=" + k, x -> x[0].triu(k), array(r, Domain.REAL, s));
        }));
        ops.add(comp("tril", 1, "REAL, rank 2-4, diagonal offset in -2..2", List.of(WhereNode.class), r -> {
            int[] s = shape(r, 2, 4, 3);
            int k = between(r, -2, 2);
            return new OpCase("k=" + k, x -> x[0].tril(k), array(r, Domain.REAL, s));
        }));
        ops.add(comp("padConstant", 1, "REAL, rank 1-3, pads in -1..2 on 1..rank trailing axes (negative crops), "
                + "value in {0, 0.5}", List.of(GetItemNode.class, GetItemGradNode.class), r -> {
                    int[] s = shape(r, 1, 3, 3);
                    int[] pad = pads(r, s, -1, 2, false);
                    double value = pick(r, 0.0, 0.5);
                    return new OpCase("pad=" + str(pad) + " value=" + value,
                            x -> x[0].pad(pad, IndexMaps.PadMode.CONSTANT, value), array(r, Domain.REAL, s));
                }));
        ops.add(comp("padReflect", 1, "REAL, rank 1-3, dims 2-3, pads 0..dim-1 on trailing axes",
                List.of(GetItemNode.class), r -> {
                    int[] s = shape(r, 1, 3, 3);
                    for (int i = 0; i < s.length; i++) {
                        s[i] = Math.max(s[i], 2);
                    }
                    int[] pad = pads(r, s, 0, 3, true);
                    return new OpCase("pad=" + str(pad), x -> x[0].pad(pad, IndexMaps.PadMode.REFLECT, 0),
                            array(r, Domain.REAL, s));
                }));
        ops.add(comp("padReplicate", 1, "REAL, rank 1-3, pads 0..3 on trailing axes", List.of(GetItemNode.class), r -> {
            int[] s = shape(r, 1, 3, 3);
            int[] pad = pads(r, s, 0, 3, false);
            return new OpCase("pad=" + str(pad), x -> x[0].pad(pad, IndexMaps.PadMode.REPLICATE, 0),
                    array(r, Domain.REAL, s));
        }));
        ops.add(comp("padCircular", 1, "REAL, rank 1-3, pads 0..dim on trailing axes (wrapping around once at most)",
                List.of(GetItemNode.class), r -> {
                    int[] s = shape(r, 1, 3, 3);
                    int[] pad = pads(r, s, 0, 3, false);
                    for (int k = 0; k < pad.length; k++) {
                        pad[k] = Math.min(pad[k], s[s.length - 1 - k / 2]);
                    }
                    return new OpCase("pad=" + str(pad), x -> x[0].pad(pad, IndexMaps.PadMode.CIRCULAR, 0),
                            array(r, Domain.REAL, s));
                }));
        ops.add(comp("norm", 1, "AWAY_FROM_ZERO, rank 0-3, p in {1, 1.5, 2, 3}, random axes, keepDims both",
                List.of(SumNode.class), r -> {
                    int[] s = shape(r, 0, 3, 3);
                    double p = pick(r, 1.0, 1.5, 2.0, 3.0);
                    int[] ax = r.nextInt(4) == 0 ? null : Samplers.axes(r, s.length);
                    boolean keep = r.nextBoolean();
                    return new OpCase("p=" + p + " axes=" + str(ax) + " keepDims=" + keep,
                            x -> x[0].norm(p, ax, keep), array(r, Domain.AWAY_FROM_ZERO, s));
                }));
        ops.add(comp("normInf", 1, "rank 0-3, distinct magnitudes with random signs, p = +inf or -inf, random axes",
                List.of(AbsNode.class, MaxNode.class), r -> {
                    int[] s = shape(r, 0, 3, 3);
                    double p = pick(r, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
                    int[] ax = r.nextInt(4) == 0 ? null : Samplers.axes(r, s.length);
                    boolean keep = r.nextBoolean();
                    double[] v = Samplers.distinct(r, s).toArray();
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (v[i] + 2.5) * (r.nextBoolean() ? 1 : -1);
                    }
                    return new OpCase("p=" + p + " axes=" + str(ax) + " keepDims=" + keep,
                            x -> x[0].norm(p, ax, keep), NDArray.of(v, s));
                }));
        ops.add(comp("sort", 1, "distinct values, rank 0-3, random axis, ascending or descending",
                List.of(GetItemNode.class), r -> {
                    int[] s = shape(r, 0, 3, 3);
                    int axis = s.length == 0 ? 0 : Samplers.axis(r, s.length);
                    boolean desc = r.nextBoolean();
                    return new OpCase("axis=" + axis + " descending=" + desc, x -> x[0].sort(axis, desc).values(),
                            Samplers.distinct(r, s));
                }));
        ops.add(comp("topk", 1, "distinct values, rank 1-3, random axis, k in 0..size, largest or smallest",
                List.of(GetItemNode.class), r -> {
                    int[] s = shape(r, 1, 3, 3);
                    int axis = Samplers.axis(r, s.length);
                    int k = r.nextInt(s[Shapes.axis("topk", axis, s.length)] + 1);
                    boolean largest = r.nextBoolean();
                    return new OpCase("k=" + k + " axis=" + axis + " largest=" + largest,
                            x -> x[0].topk(k, axis, largest).values(), Samplers.distinct(r, s));
                }));
        ops.add(comp("einsum1", 1, "REAL; one-operand equations (transpose, diagonal, trace, sums, ellipsis)",
                List.of(PermuteNode.class), r -> einsumCase(r, EINSUM_UNARY)));
        ops.add(comp("einsum2", 2, "REAL; two-operand equations (matmul, batched, outer, inner, ellipsis with size-1 "
                + "broadcast, diagonal operand, implicit output)", List.of(MatMulNode.class, PermuteNode.class),
                r -> einsumCase(r, EINSUM_BINARY)));
        ops.add(comp("einsum3", 3, "REAL; three-operand chains and bilinear forms", List.of(MatMulNode.class,
                PermuteNode.class), r -> einsumCase(r, EINSUM_TERNARY)));
    }

    private static final String[] EINSUM_UNARY = {"ii", "ii->i", "ij->ji", "ijk->kj", "...ij->...ji", "i->", "iij->ji",
        "ij", "ba"};
    private static final String[] EINSUM_BINARY = {"ij,jk->ik", "ij,jk", "bij,bjk->bik", "i,i->", "i,j->ij",
        "...ij,...jk->...ik", "ijk,ik->j", "ii,i->i", "ij,ij->ij", "bn,anm->bam"};
    private static final String[] EINSUM_TERNARY = {"ij,jk,kl->il", "bn,anm,bm->ba", "i,ij,j->"};

    private static OpCase einsumCase(Random r, String[] equations) {
        String eq = equations[r.nextInt(equations.length)];
        int[] size = new int[128];
        for (int c = 'a'; c <= 'z'; c++) {
            size[c] = between(r, 1, 3);
        }
        int[] ell = shape(r, 0, 2, 2);
        String[] terms = eq.split("->")[0].split(",");
        NDArray[] in = new NDArray[terms.length];
        for (int k = 0; k < terms.length; k++) {
            String t = terms[k].replace("...", "");
            boolean e = terms[k].contains("...");
            int[] s = new int[t.length() + (e ? ell.length : 0)];
            int j = 0;
            if (e) {
                for (int d : ell) {
                    s[j++] = k == 1 && r.nextInt(3) == 0 ? 1 : d; // size-1 ellipsis dims broadcast
                }
            }
            for (char c : t.toCharArray()) {
                s[j++] = size[c];
            }
            in[k] = array(r, Domain.REAL, s);
        }
        return new OpCase("'" + eq + "'", x -> F.einsum(eq, x), in);
    }

    /** A random INT64 index for gather/scatter along {@code a}: other axes no larger than {@code s}. */
    private static NDArray index(Random r, int[] s, int a) {
        int[] is = new int[s.length];
        for (int d = 0; d < s.length; d++) {
            is[d] = d == a ? between(r, 1, 4) : between(r, 1, s[d]);
        }
        long[] v = new long[Shapes.size(is)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(s[a]);
        }
        return NDArray.of(v, is);
    }

    private static int[] counts(Random r, int n) {
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = r.nextInt(6) == 0 ? 0 : between(r, 1, 2);
        }
        return c;
    }

    /** A pad spec over 1..rank trailing axes with values in lo..hi (kept so no axis becomes negative). */
    private static int[] pads(Random r, int[] s, int lo, int hi, boolean reflect) {
        int n = between(r, 1, s.length);
        int[] p = new int[2 * n];
        for (int k = 0; k < n; k++) {
            int d = s[s.length - 1 - k];
            int h = reflect ? Math.min(hi, d - 1) : hi;
            p[2 * k] = between(r, lo, h);
            p[2 * k + 1] = between(r, lo, h);
            while (d + p[2 * k] + p[2 * k + 1] < 0) {
                p[2 * k]++;
            }
        }
        return p;
    }

    private static String str(int[] a) {
        return a == null ? "null" : Arrays.toString(a);
    }
}
