package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Domain;
import dev.nabla.autograd.Samplers;
import dev.nabla.autograd.testing.Seeds;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Float32 arrays against the float64 reference: every operation on float32 inputs returns float32,
 * and equals the float64 operation on the same (widened) values rounded to float32 — exactly for
 * arithmetic, comparisons, copies, reductions (same summation order) and the transcendental
 * functions (computed in double, rounded once); within a rounding-error bound for matrix products
 * (the float kernel accumulates in float). Mixed dtypes promote as PyTorch does.
 */
class Float32Properties {

    // ------------------------------------------------------------ helpers

    /**
     * Float32-representable values of every kind: Gaussians over six decades, small integers,
     * signed zeros, values that overflow or underflow float32 when multiplied.
     */
    static NDArray values32(Random r, int... shape) {
        int n = Shapes.size(shape);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(20);
            double v;
            if (k < 14) {
                v = r.nextGaussian() * Math.pow(10, 6 * r.nextDouble() - 3);
            } else if (k < 16) {
                v = r.nextInt(9) - 4;
            } else if (k == 16) {
                v = r.nextBoolean() ? 0.0 : -0.0;
            } else if (k == 17) {
                v = (r.nextBoolean() ? 1 : -1) * 1e25 * (1 + r.nextDouble());
            } else if (k == 18) {
                v = (r.nextBoolean() ? 1 : -1) * 1e-25 * (1 + r.nextDouble());
            } else {
                v = r.nextDouble() * 4 - 2;
            }
            d[i] = (float) v;
        }
        return NDArray.of(d, shape);
    }

    static NDArray wide(NDArray a) {
        return a.astype(DType.FLOAT64);
    }

    /** The float64 result rounded to float32: the reference for an exact float32 operation. */
    static NDArray rounded(NDArray f64Result) {
        if (f64Result.dtype() == DType.BOOL) { // comparisons: the float64 mask is the reference as it is
            return f64Result;
        }
        assertEquals(DType.FLOAT64, f64Result.dtype());
        return f64Result.astype(DType.FLOAT32);
    }

    /** Asserts {@code got} is float32 and equals {@code expected} (float32) bit for bit (NaN equal to NaN). */
    static void assertExact(NDArray expected, NDArray got, String what) {
        assertEquals(expected.dtype() == DType.BOOL ? DType.BOOL : DType.FLOAT32, got.dtype(), what + ": dtype");
        assertArrayEquals(expected.shape(), got.shape(), what + ": shape");
        float[] e = expected.toFloatArray();
        float[] g = got.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(g[i])) {
                throw new AssertionError(what + ": element " + i + " is " + g[i] + " but the rounded float64 result is "
                        + e[i] + " (shape " + Shapes.str(got.shape()) + ")");
            }
        }
    }

    // ------------------------------------------------------------ elementwise binary

    private static final List<String> BINARY = List.of("add", "sub", "mul", "div", "pow", "maximum", "minimum",
            "eq", "ne", "gt", "ge", "lt", "le");

    static NDArray binary(String op, NDArray a, NDArray b) {
        switch (op) {
            case "add": return a.add(b);
            case "sub": return a.sub(b);
            case "mul": return a.mul(b);
            case "div": return a.div(b);
            case "pow": return a.pow(b);
            case "maximum": return a.maximum(b);
            case "minimum": return a.minimum(b);
            case "eq": return a.eq(b);
            case "ne": return a.ne(b);
            case "gt": return a.gt(b);
            case "ge": return a.ge(b);
            case "lt": return a.lt(b);
            default: return a.le(b);
        }
    }

    /** A broadcast pair; one time in three a (N.., C) & (C) row pair or its mirror, to hit the row fast path. */
    static int[][] pair(Random r) {
        if (r.nextInt(3) == 0) {
            int c = Samplers.between(r, 1, 5);
            int[] big = {Samplers.between(r, 2, 4), Samplers.between(r, 1, 3), c};
            int[] row = r.nextBoolean() ? new int[] {c} : new int[] {big[1], c};
            return r.nextBoolean() ? new int[][] {big, row} : new int[][] {row, big};
        }
        return Samplers.broadcastPair(r);
    }

    @Property(tries = 300)
    void binaryOpsAreTheRoundedFloat64Result(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        int[][] s = pair(r);
        NDArray a = values32(r, s[0]);
        NDArray b = values32(r, s[1]);
        for (String op : BINARY) {
            assertExact(rounded(binary(op, wide(a), wide(b))), binary(op, a, b), op + " " + Shapes.str(s[0]) + " & "
                    + Shapes.str(s[1]));
        }
    }

    @Property(tries = 200)
    void doubleScalarsDoNotPromoteAndAreRoundedFirst(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        NDArray a = values32(r, Samplers.shape(r));
        double s = r.nextGaussian() * 3;
        double sf = (float) s;
        NDArray w = wide(a);
        assertExact(rounded(w.add(sf)), a.add(s), "add(double)");
        assertExact(rounded(w.sub(sf)), a.sub(s), "sub(double)");
        assertExact(rounded(w.mul(sf)), a.mul(s), "mul(double)");
        assertExact(rounded(w.div(sf)), a.div(s), "div(double)");
        assertExact(rounded(w.gt(sf)), a.gt(s), "gt(double)");
        assertExact(rounded(w.ge(sf)), a.ge(s), "ge(double)");
        assertExact(rounded(w.lt(sf)), a.lt(s), "lt(double)");
        assertExact(rounded(w.eq(sf)), a.eq(s), "eq(double)");
        // comparing with an element's own value as a double finds it (the scalar is rounded like the element)
        if (a.size() > 0) {
            double v = a.getFlat(0) + 1e-12;
            assertEquals((float) v == (float) a.getFlat(0) ? 1.0 : 0.0, a.eq(v).getFlat(0));
        }
        assertExact(rounded(w.pow(2.0)), a.pow(2.0), "pow(2)");
        assertExact(rounded(w.pow(1.5)), a.pow(1.5), "pow(1.5)");
        assertExact(rounded(w.clamp(-0.5, 0.75)), a.clamp(-0.5, 0.75), "clamp");
    }

    // ------------------------------------------------------------ elementwise unary

    private static final List<String> UNARY = List.of("neg", "exp", "log", "sqrt", "abs", "sign", "sin", "cos", "tanh",
            "sigmoid", "relu", "square", "map");

    static NDArray unary(String op, NDArray a) {
        switch (op) {
            case "neg": return a.neg();
            case "exp": return a.exp();
            case "log": return a.log();
            case "sqrt": return a.sqrt();
            case "abs": return a.abs();
            case "sign": return a.sign();
            case "sin": return a.sin();
            case "cos": return a.cos();
            case "tanh": return a.tanh();
            case "sigmoid": return a.sigmoid();
            case "relu": return a.relu();
            case "square": return a.square();
            default: return a.map(v -> v * 3 - 1);
        }
    }

    @Property(tries = 300)
    void unaryOpsAreTheRoundedFloat64Result(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        NDArray a = values32(r, Samplers.shape(r));
        for (String op : UNARY) {
            assertExact(rounded(unary(op, wide(a))), unary(op, a), op);
        }
    }

    /** One float32 ulp of the exact value (StrictMath, correctly rounded or nearly so in double). */
    @Property(tries = 200)
    void transcendentalsAreWithinOneFloatUlp(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        float[] x = new float[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 40 - 20);
        }
        NDArray a = NDArray.of(x, x.length);
        float[] exp = a.exp().toFloatArray();
        float[] tanh = a.tanh().toFloatArray();
        float[] sig = a.sigmoid().toFloatArray();
        float[] log = a.abs().log().toFloatArray();
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            assertTrue(Math.abs(exp[i] - StrictMath.exp(v)) <= Math.ulp(exp[i]), "exp(" + v + ")");
            assertTrue(Math.abs(tanh[i] - StrictMath.tanh(v)) <= Math.ulp(tanh[i]), "tanh(" + v + ")");
            double sv = 1 / (1 + StrictMath.exp(-v));
            assertTrue(Math.abs(sig[i] - sv) <= Math.ulp(sig[i]), "sigmoid(" + v + ")");
            assertTrue(Math.abs(log[i] - StrictMath.log(Math.abs(v))) <= Math.ulp(log[i]), "log(" + Math.abs(v) + ")");
        }
    }

    // ------------------------------------------------------------ reductions

    @Property(tries = 300)
    void reductionsAreTheRoundedFloat64Result(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        int[] s = Samplers.shape(r);
        NDArray a = values32(r, s);
        NDArray w = wide(a);
        int[] ax = r.nextInt(4) == 0 ? null : Samplers.axes(r, s.length);
        boolean keep = r.nextBoolean();
        String what = Shapes.str(s) + " axes " + java.util.Arrays.toString(ax) + " keepDims " + keep;
        assertExact(rounded(w.sum()), a.sum(), "sum() " + what);
        assertExact(rounded(w.sum(ax, keep)), a.sum(ax, keep), "sum " + what);
        assertExact(rounded(w.mean(ax, keep)), a.mean(ax, keep), "mean " + what);
        assertExact(rounded(w.mean()), a.mean(), "mean() " + what);
        assertExact(rounded(w.max(ax, keep)), a.max(ax, keep), "max " + what);
        assertExact(rounded(w.min(ax, keep)), a.min(ax, keep), "min " + what);
        assertEquals(w.argmax(), a.argmax(), "argmax() " + what);
        if (s.length > 0) {
            int axis = Samplers.axis(r, s.length);
            NDArray am = a.argmax(axis);
            assertEquals(DType.INT64, am.dtype(), "argmax returns int64 indices");
            assertEquals(w.argmax(axis), am, "argmax(" + axis + ") " + what);
            assertEquals(w.argmin(axis), a.argmin(axis), "argmin(" + axis + ") " + what);
        }
        int[] small = Samplers.broadcastableTo(r, s, false);
        assertExact(rounded(w.sumTo(small)), a.sumTo(small), "sumTo " + Shapes.str(small) + " from " + what);
        // var is a composite of float32 operations: close to, not equal to, the rounded float64 result
        NDArray v32 = a.var(ax, keep, 0);
        NDArray v64 = w.var(ax, keep, 0);
        assertEquals(DType.FLOAT32, v32.dtype());
        for (int i = 0; i < v32.size(); i++) {
            double e = v64.getFlat(i);
            assertTrue(Math.abs(v32.getFlat(i) - e) <= 1e-5 * Math.abs(e) * 16 + 1e-30 || Double.isNaN(e)
                    || Double.isInfinite(e) || e > 1e37, "var " + what + ": " + v32.getFlat(i) + " vs " + e);
        }
    }

    // ------------------------------------------------------------ copies, views and indexing

    @Property(tries = 200)
    void copiesViewsAndIndexingKeepFloat32Exactly(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        int[] s = Samplers.shape(r, 1, 4, 4);
        NDArray a = values32(r, s);
        NDArray w = wide(a);
        int[] perm = Samplers.permutation(r, s.length);
        assertExact(rounded(w.permute(perm)), a.permute(perm), "permute");
        assertExact(rounded(w.transpose()), a.transpose(), "transpose");
        if (s.length >= 2) {
            assertExact(rounded(w.transpose(-1, -2)), a.transpose(-1, -2), "transpose last two");
        }
        int[] big = s.clone();
        big[r.nextInt(big.length)] = 1;
        int[] target = new int[big.length + 1];
        target[0] = 2;
        for (int i = 0; i < big.length; i++) {
            target[i + 1] = big[i] == 1 ? Samplers.between(r, 1, 3) : big[i];
        }
        NDArray b = values32(r, big);
        assertExact(rounded(wide(b).broadcastTo(target)), b.broadcastTo(target), "broadcastTo");
        Index[] ix = Samplers.index(r, s);
        assertExact(rounded(w.getItem(ix)), a.getItem(ix), "getItem");
        Gather g = Gather.resolve(s, ix);
        NDArray gy = values32(r, g.resultShape());
        NDArray scattered = g.scatterAdd(gy);
        NDArray scattered64 = g.scatterAdd(wide(gy));
        NDArray magnitude = g.scatterAdd(wide(gy).abs());
        assertEquals(DType.FLOAT32, scattered.dtype());
        for (int i = 0; i < scattered.size(); i++) {
            double e = scattered64.getFlat(i);
            // repeated positions accumulate in float32: n additions err by at most n u sum|g| (u = 2^-24)
            double bound = gy.size() * Math.ulp(1.0f) / 2 * magnitude.getFlat(i);
            assertTrue(Math.abs(scattered.getFlat(i) - e) <= bound, "scatterAdd element " + i + ": "
                    + scattered.getFlat(i) + " vs " + e + " (bound " + bound + ")");
        }
        // without repeated positions scatterAdd is exact (both dtypes turn -0.0 into 0.0 + -0.0 = 0.0)
        Gather identity = Gather.resolve(s, Index.all());
        assertExact(rounded(identity.scatterAdd(w)), identity.scatterAdd(a), "scatterAdd of the identity index");
        NDArray v = a.reshape(-1);
        assertEquals(DType.FLOAT32, v.dtype());
        assertExact(a.flatten(), v, "reshape(-1)");
        assertExact(a, a.unsqueeze(0).squeeze().reshape(s), "unsqueeze/squeeze round trip");
        assertExact(a, a.copy(), "copy");
        int axis = Samplers.axis(r, s.length);
        int[] s2 = s.clone();
        s2[Shapes.axis("concat", axis, s.length)] = Samplers.between(r, 1, 3);
        NDArray c = values32(r, s2);
        assertExact(rounded(NDArray.concat(axis, w, wide(c))), NDArray.concat(axis, a, c), "concat");
        assertExact(rounded(NDArray.stack(0, w, w)), NDArray.stack(0, a, a), "stack");
        NDArray cond = Samplers.mask(r, Samplers.broadcastableTo(r, s, false));
        NDArray other = values32(r, Samplers.broadcastableTo(r, s, false));
        assertExact(rounded(NDArray.where(cond, w, wide(other))), NDArray.where(cond, a, other), "where");
        assertThrows(IllegalArgumentException.class, () -> NDArray.where(cond.astype(DType.FLOAT32), a, other),
                "where refuses a float32 condition, as PyTorch");
    }

    @Property(tries = 30)
    void blockedTransposeOfLargeFloat32Matrices(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        int[] s = {Samplers.between(r, 1, 2), Samplers.between(r, 30, 70), Samplers.between(r, 30, 70)};
        NDArray a = values32(r, s);
        NDArray t = a.transpose(-1, -2);
        assertExact(rounded(wide(a).transpose(-1, -2)), t, "transpose " + Shapes.str(s));
        assertExact(a, t.transpose(-1, -2), "transpose twice");
    }

    // ------------------------------------------------------------ matrix products

    @Property(tries = 150)
    void matmulIsFloat32AndWithinTheRoundingBound(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        int m = Samplers.between(r, 1, 9);
        int k = Samplers.between(r, 1, 40);
        int n = Samplers.between(r, 1, 9);
        int[] batch = r.nextBoolean() ? new int[0] : Samplers.shape(r, 1, 2, 3);
        int[] sa = concat(Samplers.broadcastableTo(r, batch, false), m, k);
        int[] sb = concat(batch, k, n);
        NDArray a = Samplers.array(r, Domain.REAL, sa).astype(DType.FLOAT32);
        NDArray b = Samplers.array(r, Domain.REAL, sb).astype(DType.FLOAT32);
        NDArray c = a.matmul(b);
        assertEquals(DType.FLOAT32, c.dtype());
        NDArray exact = wide(a).matmul(wide(b));
        NDArray scale = wide(a).abs().matmul(wide(b).abs());
        assertArrayEquals(exact.shape(), c.shape());
        for (int i = 0; i < c.size(); i++) {
            // |fl(sum) - sum| <= k u sum|a||b| (u = 2^-24), plus the final rounding
            double bound = (k + 1) * Math.ulp(1.0f) / 2 * scale.getFlat(i) + Math.ulp((float) exact.getFlat(i));
            assertTrue(Math.abs(c.getFlat(i) - exact.getFlat(i)) <= bound, "matmul element " + i + ": " + c.getFlat(i)
                    + " vs " + exact.getFlat(i) + " (bound " + bound + ")");
        }
        // transposed-operand flags read the transpose inside the float GEMM
        boolean ta = r.nextBoolean();
        boolean tb = r.nextBoolean();
        NDArray at = ta ? a.transpose(-1, -2) : a;
        NDArray bt = tb ? b.transpose(-1, -2) : b;
        NDArray ct = at.matmul(bt, ta, tb);
        assertEquals(DType.FLOAT32, ct.dtype());
        assertArrayEquals(exact.shape(), ct.shape());
        for (int i = 0; i < ct.size(); i++) {
            double bound = (k + 1) * Math.ulp(1.0f) / 2 * scale.getFlat(i) + Math.ulp((float) exact.getFlat(i));
            assertTrue(Math.abs(ct.getFlat(i) - exact.getFlat(i)) <= bound, "matmul(" + ta + ", " + tb + ") element " + i);
        }
        NDArray mixedT = at.matmul(wide(bt), ta, tb);
        assertEquals(DType.FLOAT64, mixedT.dtype());
        assertTrue(mixedT.allClose(exact, 1e-15, 1e-15), "mixed flagged matmul promotes");
        // 1-D operands and mixed dtypes
        NDArray v = Samplers.array(r, Domain.REAL, k).astype(DType.FLOAT32);
        assertEquals(DType.FLOAT32, v.matmul(v).dtype());
        assertEquals(DType.FLOAT32, a.matmul(v).dtype());
        NDArray mixed = a.matmul(wide(b));
        assertEquals(DType.FLOAT64, mixed.dtype());
        assertTrue(mixed.allClose(exact, 1e-15, 1e-15), "mixed matmul promotes to the float64 product of the values");
    }

    private static int[] concat(int[] batch, int x, int y) {
        int[] s = java.util.Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = x;
        s[batch.length + 1] = y;
        return s;
    }

    // ------------------------------------------------------------ promotion

    @Property(tries = 200)
    void mixedDtypesPromoteLikePyTorch(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        int[][] s = pair(r);
        NDArray a32 = values32(r, s[0]);
        NDArray b64 = Samplers.array(r, Domain.REAL, s[1]);
        DType expected = s[0].length == 0 && s[1].length > 0 ? DType.FLOAT64
                : s[1].length == 0 && s[0].length > 0 ? DType.FLOAT32 : DType.FLOAT64;
        assertEquals(expected, NDArray.resultType(a32, b64), Shapes.str(s[0]) + " & " + Shapes.str(s[1]));
        assertEquals(expected, NDArray.resultType(b64, a32));
        for (String op : BINARY) {
            NDArray got = binary(op, a32, b64);
            NDArray ref = binary(op, wide(a32).astype(expected), b64.astype(expected));
            boolean comparison = op.length() == 2;
            assertEquals(comparison ? DType.BOOL : expected, got.dtype(), op);
            assertEquals(ref, got, op + " " + Shapes.str(s[0]) + " & " + Shapes.str(s[1]));
            NDArray flipped = binary(op, b64, a32);
            assertEquals(comparison ? DType.BOOL : expected, flipped.dtype(), op + " flipped");
        }
    }

    // ------------------------------------------------------------ in place

    @Property(tries = 200)
    void inPlaceOpsKeepTheDestinationDtype(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        int[] s = Samplers.shape(r);
        NDArray p = values32(r, s);
        NDArray g = values32(r, s);
        double alpha = r.nextGaussian();
        float fa = (float) alpha;
        float[] expect = p.toFloatArray();
        float[] gv = g.toFloatArray();
        for (int i = 0; i < expect.length; i++) {
            expect[i] = expect[i] + fa * gv[i];
        }
        int v0 = p.version();
        p.addInPlace(g, alpha);
        assertEquals(v0 + 1, p.version());
        assertExact(NDArray.of(expect, s), p, "addInPlace float32 += float32");

        NDArray g64 = Samplers.array(r, Domain.REAL, s);
        float[] expect2 = p.toFloatArray();
        for (int i = 0; i < expect2.length; i++) {
            expect2[i] = (float) (expect2[i] + alpha * g64.getFlat(i));
        }
        p.addInPlace(g64, alpha);
        assertExact(NDArray.of(expect2, s), p, "addInPlace float32 += float64");

        NDArray d = Samplers.array(r, Domain.REAL, s);
        NDArray d2 = d.copy();
        d.addInPlace(g, alpha);
        d2.addInPlace(wide(g), alpha);
        assertEquals(DType.FLOAT64, d.dtype());
        assertEquals(d2, d, "addInPlace float64 += float32 widens exactly");

        double m = r.nextGaussian();
        float[] expect3 = p.toFloatArray();
        for (int i = 0; i < expect3.length; i++) {
            expect3[i] *= (float) m;
        }
        p.mulInPlace(m);
        assertExact(NDArray.of(expect3, s), p, "mulInPlace");
        p.fill(0.1);
        assertExact(NDArray.full(DType.FLOAT32, 0.1, s), p, "fill");
        assertEquals((double) 0.1f, p.getFlat(0));
        p.copyFrom(d);
        assertExact(rounded(d), p, "copyFrom float64 into float32 rounds");
        NDArray back = NDArray.zeros(s);
        back.copyFrom(p);
        assertEquals(wide(p), back, "copyFrom float32 into float64 widens");
        p.setFlat(0, 1.0 / 3);
        assertEquals((double) (1.0f / 3), p.getFlat(0));
        p.set(2.0 / 3, new int[s.length]);
        assertEquals((double) (2.0f / 3), p.get(new int[s.length]));
    }

    // ------------------------------------------------------------ conversions and factories

    @Property(tries = 200)
    void astypeRoundTripsRoundToNearestFloat(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        int[] s = Samplers.shape(r);
        NDArray x = NDArray.randn(r, s).mul(Math.pow(10, r.nextInt(20) - 10));
        NDArray f = x.astype(DType.FLOAT32);
        assertEquals(DType.FLOAT32, f.dtype());
        assertSame(f, f.astype(DType.FLOAT32), "same dtype returns this");
        assertSame(x, x.astype(DType.FLOAT64));
        NDArray back = f.astype(DType.FLOAT64);
        assertEquals(DType.FLOAT64, back.dtype());
        for (int i = 0; i < x.size(); i++) {
            float nearest = (float) x.getFlat(i);
            assertEquals((double) nearest, back.getFlat(i));
            assertEquals(nearest, f.toFloatArray()[i]);
            assertEquals((double) nearest, f.toArray()[i]);
            assertTrue(Math.abs(nearest - x.getFlat(i)) <= Math.ulp(nearest) / 2, "round to nearest");
        }
        assertEquals(back, f, "equal values compare equal across dtypes");
        assertEquals(back.hashCode(), f.hashCode(), "hashCode agrees with cross-dtype equals");
        assertEquals(f.astype(DType.FLOAT64).astype(DType.FLOAT32), f, "float32 -> float64 -> float32 is the identity");
        assertEquals(DType.FLOAT32, NDArray.zerosLike(f).dtype());
        assertEquals(DType.FLOAT32, NDArray.onesLike(f).dtype());
        assertEquals(NDArray.ones(DType.FLOAT32, s), NDArray.onesLike(f));
    }

    @Property(tries = 50)
    void float32RandomArraysAreTheFloat64DrawsRounded(@ForAll(supplier = Seeds.class) long seed) {
        int[] s = {3, 4};
        assertExact(NDArray.randn(new Random(seed), s).astype(DType.FLOAT32),
                NDArray.randn(new Random(seed), DType.FLOAT32, s), "randn");
        assertExact(NDArray.rand(new Random(seed), s).astype(DType.FLOAT32),
                NDArray.rand(new Random(seed), DType.FLOAT32, s), "rand");
        assertExact(NDArray.uniform(new Random(seed), -2, 3, s).astype(DType.FLOAT32),
                NDArray.uniform(new Random(seed), DType.FLOAT32, -2, 3, s), "uniform");
        assertEquals(NDArray.randn(new Random(seed), s), NDArray.randn(new Random(seed), DType.FLOAT64, s));
    }

    /** A composite op chain (a tiny layer) stays float32 end to end and tracks float64 to float32 precision. */
    @Property(tries = 100)
    void chainsStayFloat32(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        int n = Samplers.between(r, 1, 5);
        int in = Samplers.between(r, 1, 6);
        int out = Samplers.between(r, 1, 6);
        NDArray x = Samplers.array(r, Domain.REAL, n, in);
        NDArray w = Samplers.array(r, Domain.REAL, in, out);
        NDArray b = Samplers.array(r, Domain.REAL, out);
        UnaryOperator<NDArray[]> layer = t -> {
            NDArray h = t[0].matmul(t[1]).add(t[2]).tanh();
            NDArray e = h.sub(h.max(new int[] {1}, true)).exp();
            return new NDArray[] {e.div(e.sum(new int[] {1}, true))};
        };
        NDArray y64 = layer.apply(new NDArray[] {x, w, b})[0];
        NDArray y32 = layer.apply(new NDArray[] {x.astype(DType.FLOAT32), w.astype(DType.FLOAT32),
                b.astype(DType.FLOAT32)})[0];
        assertEquals(DType.FLOAT32, y32.dtype());
        assertTrue(y32.allClose(y64, 1e-5, 1e-6), "float32 softmax(tanh(xW+b)) " + y32 + " vs " + y64);
    }
}
