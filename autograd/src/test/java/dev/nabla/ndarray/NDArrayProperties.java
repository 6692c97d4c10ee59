package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Domain;
import dev.nabla.autograd.Samplers;
import dev.nabla.autograd.testing.BroadcastPair;
import dev.nabla.autograd.testing.NablaArbitraries;
import dev.nabla.autograd.testing.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of NDArray against independent computations: explicit loops over multi-indices
 * for broadcasting, reductions, permutation, slicing and matrix products, and round trips.
 */
class NDArrayProperties {

    // ------------------------------------------------------------ helpers (independent of the kernels)

    /** Calls {@code body} with every multi-index of {@code shape} in row-major order. */
    static void forEachIndex(int[] shape, Consumer<int[]> body) {
        int n = Shapes.size(shape);
        int[] idx = new int[shape.length];
        for (int i = 0; i < n; i++) {
            body.accept(idx.clone());
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
    }

    /** The position in an array of {@code shape} that broadcasting reads for output index {@code out}. */
    static int[] broadcastSource(int[] shape, int[] out) {
        int off = out.length - shape.length;
        int[] src = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            src[i] = shape[i] == 1 ? 0 : out[i + off];
        }
        return src;
    }

    static double dot(NDArray a, NDArray b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.getFlat(i) * b.getFlat(i);
        }
        return s;
    }

    @Provide
    Arbitrary<BroadcastPair> pairs() {
        return NablaArbitraries.broadcastPairs();
    }

    @Provide
    Arbitrary<NDArray> arrays() {
        return NablaArbitraries.arrays(Domain.REAL);
    }

    @Provide
    Arbitrary<NDArray> nonScalarArrays() {
        return NablaArbitraries.arrays(NablaArbitraries.shapes(1, 4, 4), Domain.REAL);
    }

    // ------------------------------------------------------------ broadcasting

    @Property(tries = 100)
    void binaryOpsReadBroadcastPositions(@ForAll("pairs") BroadcastPair p, @ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        NDArray a = Samplers.array(r, Domain.REAL, p.a());
        NDArray b = Samplers.array(r, Domain.AWAY_FROM_ZERO, p.b());
        int[] out = p.result();
        NDArray sum = a.add(b);
        NDArray diff = a.sub(b);
        NDArray prod = a.mul(b);
        NDArray quot = a.div(b);
        NDArray max = a.maximum(b);
        assertArrayEquals(out, sum.shape());
        forEachIndex(out, i -> {
            double x = a.get(broadcastSource(p.a(), i));
            double y = b.get(broadcastSource(p.b(), i));
            assertEquals(x + y, sum.get(i), 0.0);
            assertEquals(x - y, diff.get(i), 0.0);
            assertEquals(x * y, prod.get(i), 0.0);
            assertEquals(x / y, quot.get(i), 0.0);
            assertEquals(Math.max(x, y), max.get(i), 0.0);
        });
    }

    @Property(tries = 100)
    void broadcastingIdentities(@ForAll("pairs") BroadcastPair p, @ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        NDArray a = Samplers.array(r, Domain.REAL, p.a());
        NDArray b = Samplers.array(r, Domain.REAL, p.b());
        int[] out = p.result();
        assertEquals(a.add(b), b.add(a));
        assertEquals(a.mul(b), b.mul(a));
        assertEquals(a.add(b), a.broadcastTo(out).add(b.broadcastTo(out)));
        assertTrue(a.add(b).sub(b).allClose(a.broadcastTo(out), 1e-12, 1e-12));
        // sumTo is the adjoint of broadcastTo: <broadcastTo(a), y> = <a, sumTo(y)>
        NDArray y = Samplers.array(r, Domain.REAL, out);
        assertEquals(dot(a.broadcastTo(out), y), dot(a, y.sumTo(p.a())), 1e-9);
        // summing a broadcast copy back multiplies by the number of copies
        double copies = (double) Shapes.size(out) / Shapes.size(p.a());
        assertTrue(a.broadcastTo(out).sumTo(p.a()).allClose(a.mul(copies), 1e-12, 1e-12));
    }

    // ------------------------------------------------------------ reductions

    @Property(tries = 100)
    void reductionsAgreeWithLoops(@ForAll("arrays") NDArray x, @ForAll(supplier = Seeds.class) long seed, @ForAll boolean keepDims) {
        int[] shape = x.shape();
        int[] axes = Samplers.axes(new Random(seed), shape.length);
        int[] ax = Shapes.axes("test", axes, shape.length);
        boolean[] reduced = new boolean[shape.length];
        for (int a : ax) {
            reduced[a] = true;
        }
        int[] kept = shape.clone();
        for (int a : ax) {
            kept[a] = 1;
        }
        double[] sum = new double[Shapes.size(kept)];
        double[] max = new double[sum.length];
        double[] min = new double[sum.length];
        int[] count = new int[sum.length];
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        int[] strides = Shapes.strides(kept);
        forEachIndex(shape, i -> {
            int o = 0;
            for (int d = 0; d < shape.length; d++) {
                o += (reduced[d] ? 0 : i[d]) * strides[d];
            }
            double v = x.get(i);
            sum[o] += v;
            max[o] = Math.max(max[o], v);
            min[o] = Math.min(min[o], v);
            count[o]++;
        });
        double[] mean = new double[sum.length];
        for (int o = 0; o < sum.length; o++) {
            mean[o] = sum[o] / count[o];
        }
        NDArray s = x.sum(axes, keepDims);
        int[] expectedShape = keepDims ? kept : shapeWithout(shape, reduced);
        assertArrayEquals(expectedShape, s.shape());
        assertArrayEquals(sum, s.toArray(), 1e-12);
        assertArrayEquals(max, x.max(axes, keepDims).toArray(), 0.0);
        assertArrayEquals(min, x.min(axes, keepDims).toArray(), 0.0);
        assertArrayEquals(mean, x.mean(axes, keepDims).toArray(), 1e-12);
        assertArrayEquals(expectedShape, x.max(axes, keepDims).shape());
    }

    private static int[] shapeWithout(int[] shape, boolean[] reduced) {
        List<Integer> s = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            if (!reduced[d]) {
                s.add(shape[d]);
            }
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    @Property(tries = 50)
    void argmaxPointsAtTheMaximum(@ForAll("nonScalarArrays") NDArray x, @ForAll(supplier = Seeds.class) long seed) {
        int axis = Samplers.axis(new Random(seed), x.ndim());
        NDArray arg = x.argmax(axis);
        NDArray max = x.max(new int[] {axis}, false);
        int a = Shapes.axis("test", axis, x.ndim());
        forEachIndex(arg.shape(), i -> {
            int[] full = new int[x.ndim()];
            for (int d = 0, j = 0; d < full.length; d++) {
                full[d] = d == a ? (int) arg.get(i) : i[j++];
            }
            assertEquals(max.get(i), x.get(full), 0.0);
        });
    }

    // ------------------------------------------------------------ shape manipulation

    @Property(tries = 100)
    void reshapeRoundTripAndInference(@ForAll("arrays") NDArray x, @ForAll(supplier = Seeds.class) long seed) {
        int[] shape = x.shape();
        assertEquals(x, x.reshape(-1).reshape(shape));
        if (shape.length > 0) {
            int[] withHole = shape.clone();
            withHole[new Random(seed).nextInt(shape.length)] = -1;
            assertEquals(x, x.reshape(withHole));
        }
    }

    @Property(tries = 100)
    void permuteMovesElementsAndRoundTrips(@ForAll("arrays") NDArray x, @ForAll(supplier = Seeds.class) long seed) {
        int n = x.ndim();
        int[] p = Samplers.permutation(new Random(seed), n);
        int[] inv = new int[n];
        for (int i = 0; i < n; i++) {
            inv[p[i]] = i;
        }
        NDArray y = x.permute(p);
        forEachIndex(y.shape(), i -> {
            int[] src = new int[n];
            for (int d = 0; d < n; d++) {
                src[p[d]] = i[d];
            }
            assertEquals(x.get(src), y.get(i), 0.0);
        });
        assertEquals(x, y.permute(inv));
        assertEquals(x, x.transpose().transpose());
    }

    @Property(tries = 100)
    void concatThenSplitRoundTrips(@ForAll("nonScalarArrays") NDArray x, @ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        int axis = Samplers.axis(r, x.ndim());
        int a = Shapes.axis("test", axis, x.ndim());
        int parts = Samplers.between(r, 1, 3);
        List<NDArray> pieces = new ArrayList<>();
        int[] sizes = new int[parts];
        for (int i = 0; i < parts; i++) {
            int[] s = x.shape();
            s[a] = Samplers.between(r, 1, 3);
            sizes[i] = s[a];
            pieces.add(Samplers.array(r, Domain.REAL, s));
        }
        NDArray joined = NDArray.concat(axis, pieces.toArray(new NDArray[0]));
        assertEquals(Arrays.stream(sizes).sum(), joined.shape(a));
        assertEquals(pieces, joined.split(axis, sizes));
        // and split then concat gives back the array
        int[] s2 = Samplers.splitSizes(r, x.shape(a), Samplers.between(r, 1, x.shape(a)));
        assertEquals(x, NDArray.concat(axis, x.split(axis, s2).toArray(new NDArray[0])));
        // stack is concat of unsqueezed copies, unstacked by indexing
        NDArray st = NDArray.stack(0, x, x.neg());
        assertEquals(x, st.get0(0));
        assertEquals(x.neg(), st.get0(1));
    }

    // ------------------------------------------------------------ indexing

    @Property(tries = 100)
    void gatherAndScatterAddAreAdjoint(@ForAll("nonScalarArrays") NDArray x, @ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        Index[] ix = Samplers.index(r, x.shape());
        Gather g = Gather.resolve(x.shape(), ix);
        NDArray y = Samplers.array(r, Domain.REAL, g.resultShape());
        assertEquals(dot(g.gather(x), y), dot(x, g.scatterAdd(y)), 1e-9);
        assertEquals(g.gather(x), x.getItem(ix));
    }

    @Property(tries = 100)
    void basicIndexingAgreesWithLoops(@ForAll("nonScalarArrays") NDArray x, @ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        int[] shape = x.shape();
        Index[] ix = Samplers.index(r, shape);
        for (int i = 0; i < ix.length; i++) {
            if (ix[i].kind == Index.Kind.ARRAY) {
                ix[i] = Index.all(); // basic indices only: points, ranges, all
            }
        }
        // per axis: the source positions it keeps, and whether the axis survives
        List<int[]> positions = new ArrayList<>();
        List<Integer> survivingAxes = new ArrayList<>();
        int[] fixed = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            Index it = d < ix.length ? ix[d] : Index.all();
            int n = shape[d];
            if (it.kind == Index.Kind.POINT) {
                fixed[d] = it.start < 0 ? it.start + n : it.start;
                continue;
            }
            List<Integer> pos = new ArrayList<>();
            int start = it.kind == Index.Kind.ALL ? 0 : Math.max(0, Math.min(n, it.start < 0 ? it.start + n : it.start));
            int stop = it.kind == Index.Kind.ALL ? n : Math.max(0, Math.min(n, it.stop < 0 ? it.stop + n : it.stop));
            for (int q = start; q < stop; q += it.step) {
                pos.add(q);
            }
            positions.add(pos.stream().mapToInt(Integer::intValue).toArray());
            survivingAxes.add(d);
        }
        int[] outShape = positions.stream().mapToInt(p -> p.length).toArray();
        NDArray y = x.getItem(ix);
        assertArrayEquals(outShape, y.shape());
        forEachIndex(outShape, o -> {
            int[] src = fixed.clone();
            for (int k = 0; k < o.length; k++) {
                src[survivingAxes.get(k)] = positions.get(k)[o[k]];
            }
            assertEquals(x.get(src), y.get(o), 0.0);
        });
    }

    // ------------------------------------------------------------ matmul

    @Provide
    Arbitrary<NDArray[]> matmulOperands() {
        Arbitrary<Integer> dim = Arbitraries.integers().between(1, 4);
        return Combinators.combine(dim, dim, dim, NablaArbitraries.broadcastPairs(3, 3),
                        Arbitraries.integers().between(0, 4), NablaArbitraries.seeds())
                .as((m, k, n, batch, variant, seed) -> {
                    int[] sa = variant == 1 || variant == 3 ? new int[] {k} : cat(batch.a(), m, k);
                    int[] sb = variant == 2 || variant == 3 ? new int[] {k} : cat(batch.b(), k, n);
                    if (variant == 4) {
                        sa = new int[] {m, k};
                        sb = new int[] {k, n};
                    }
                    Random r = new Random(seed);
                    return new NDArray[] {Samplers.array(r, Domain.REAL, sa), Samplers.array(r, Domain.REAL, sb)};
                });
    }

    private static int[] cat(int[] batch, int a, int b) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = a;
        s[batch.length + 1] = b;
        return s;
    }

    /** matmul by the definition, with NumPy's promotion of 1-D operands and broadcast batch axes. */
    static NDArray naiveMatmul(NDArray a, NDArray b) {
        boolean va = a.ndim() == 1;
        boolean vb = b.ndim() == 1;
        NDArray a2 = va ? a.reshape(1, -1) : a;
        NDArray b2 = vb ? b.reshape(-1, 1) : b;
        int[] as = a2.shape();
        int[] bs = b2.shape();
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int n = bs[bs.length - 1];
        int[] ba = Arrays.copyOf(as, as.length - 2);
        int[] bb = Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Shapes.broadcast("naive", ba, bb);
        int[] outShape = cat(batch, m, n);
        double[] out = new double[Shapes.size(outShape)];
        int[] strides = Shapes.strides(outShape);
        forEachIndex(outShape, o -> {
            int[] bi = Arrays.copyOf(o, batch.length);
            int[] ia = broadcastSource(ba, bi);
            int[] ib = broadcastSource(bb, bi);
            double s = 0;
            for (int q = 0; q < k; q++) {
                s += a2.get(cat(ia, o[batch.length], q)) * b2.get(cat(ib, q, o[batch.length + 1]));
            }
            int flat = 0;
            for (int d = 0; d < o.length; d++) {
                flat += o[d] * strides[d];
            }
            out[flat] = s;
        });
        List<Integer> finalShape = new ArrayList<>();
        for (int d : batch) {
            finalShape.add(d);
        }
        if (!va) {
            finalShape.add(m);
        }
        if (!vb) {
            finalShape.add(n);
        }
        return NDArray.of(out, finalShape.stream().mapToInt(Integer::intValue).toArray());
    }

    @Property(tries = 150)
    void matmulAgreesWithNaiveLoops(@ForAll("matmulOperands") NDArray[] ab) {
        NDArray expected = naiveMatmul(ab[0], ab[1]);
        NDArray actual = ab[0].matmul(ab[1]);
        assertArrayEquals(expected.shape(), actual.shape());
        assertTrue(actual.allClose(expected, 1e-12, 1e-12), () -> actual + " vs " + expected);
    }

    @Property(tries = 50)
    void matmulIsBilinearAndTransposes(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        int m = Samplers.between(r, 1, 5);
        int k = Samplers.between(r, 1, 5);
        int n = Samplers.between(r, 1, 5);
        NDArray a = Samplers.array(r, Domain.REAL, m, k);
        NDArray b = Samplers.array(r, Domain.REAL, k, n);
        NDArray c = Samplers.array(r, Domain.REAL, k, n);
        assertTrue(a.matmul(b.add(c)).allClose(a.matmul(b).add(a.matmul(c)), 1e-12, 1e-12));
        assertTrue(a.matmul(b).transpose().allClose(b.transpose().matmul(a.transpose()), 1e-12, 1e-12));
        assertTrue(NDArray.eye(m).matmul(a).allClose(a, 0, 0));
    }

    /**
     * The flagged product reads operands transposed inside the GEMM; it must equal copying the
     * transpose (last two axes) and multiplying, on the same operands as the plain product
     * (batched with broadcast batch axes too), for every flag combination.
     */
    @Property(tries = 150)
    void transposedOperandMatmulAgreesWithCopiedTranspose(@ForAll("matmulOperands") NDArray[] ab,
                                                         @ForAll boolean ta, @ForAll boolean tb) {
        NDArray a = ab[0].ndim() < 2 ? ab[0].reshape(1, -1) : ab[0];
        NDArray b = ab[1].ndim() < 2 ? ab[1].reshape(-1, 1) : ab[1];
        NDArray at = a.transpose(-1, -2).copy();
        NDArray bt = b.transpose(-1, -2).copy();
        NDArray expected = naiveMatmul(a, b);
        NDArray actual = (ta ? at : a).matmul(tb ? bt : b, ta, tb);
        assertArrayEquals(expected.shape(), actual.shape());
        assertTrue(actual.allClose(expected, 1e-12, 1e-12), () -> actual + " vs " + expected);
    }

    @Property(tries = 20)
    void transposedOperandWithTooFewAxesIsRejected(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        int k = Samplers.between(r, 1, 4);
        NDArray v = Samplers.array(r, Domain.REAL, k);
        NDArray m = Samplers.array(r, Domain.REAL, k, 2);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> v.matmul(m, true, false));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("(" + k + ",)"), e::getMessage);
    }
}
