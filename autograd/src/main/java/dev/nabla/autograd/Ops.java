package dev.nabla.autograd;

import static dev.nabla.autograd.Samplers.array;
import static dev.nabla.autograd.Samplers.between;
import static dev.nabla.autograd.Samplers.pick;
import static dev.nabla.autograd.Samplers.shape;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.Gather;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The op registry: one {@link OpInfo} per differentiable primitive and composite of the core.
 * Property tests check first and second derivatives of every entry, and {@code nabla gradcheck}
 * prints a table from it; a new op is not done until it has an entry here.
 * Thread-safe: the registry is built once, in class initialization, and is unmodifiable.
 */
public final class Ops {
    private Ops() {}

    private static final List<OpInfo> REGISTRY = Collections.unmodifiableList(build());

    /** Every registered op, primitives first, in a fixed order. */
    public static List<OpInfo> registry() {
        return REGISTRY;
    }

    /** The entry named {@code name}, or an exception listing the known names. */
    public static OpInfo byName(String name) {
        for (OpInfo op : REGISTRY) {
            if (op.name().equals(name)) {
                return op;
            }
        }
        List<String> names = new ArrayList<>();
        for (OpInfo op : REGISTRY) {
            names.add(op.name());
        }
        throw new IllegalArgumentException("no op named '" + name + "' in the registry; known ops: " + names);
    }

    // ------------------------------------------------------------------ helpers

    static OpInfo prim(String name, int arity, String inputs, Class<? extends Node> node,
                               Function<Random, OpCase> sampler) {
        return new OpInfo(name, OpInfo.Kind.PRIMITIVE, arity, inputs, true, List.of(node), sampler);
    }

    static OpInfo comp(String name, int arity, String inputs, List<Class<? extends Node>> nodes,
                               Function<Random, OpCase> sampler) {
        return new OpInfo(name, OpInfo.Kind.COMPOSITE, arity, inputs, true, nodes, sampler);
    }

    /** An elementwise unary op on a random shape with values from {@code d}. */
    private static Function<Random, OpCase> unary(Domain d, UnaryOperator<Variable> f) {
        return r -> new OpCase("", x -> f.apply(x[0]), array(r, d, shape(r)));
    }

    /** A broadcasting binary op on a random broadcast-compatible pair. */
    private static Function<Random, OpCase> binary(Domain da, Domain db, BinaryOperator<Variable> f) {
        return r -> {
            int[][] s = Samplers.broadcastPair(r);
            return new OpCase("", x -> f.apply(x[0], x[1]), array(r, da, s[0]), array(r, db, s[1]));
        };
    }

    private static String str(int[] a) {
        return a == null ? "null" : Arrays.toString(a);
    }

    private static String str(Index[] ix) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ix.length; i++) {
            sb.append(i > 0 ? ", " : "").append(ix[i]);
        }
        return sb.append(']').toString();
    }

    private static int size(int[] s, int[] axes) {
        int[] ax = Shapes.axes("size", axes, s.length);
        int n = 1;
        for (int a : ax) {
            n *= s[a];
        }
        return n;
    }

    // ------------------------------------------------------------------ the registry

    private static List<OpInfo> build() {
        List<OpInfo> ops = new ArrayList<>();
        primitives(ops);
        ExtraOps.primitives(ops);
        ExtraOps.functions(ops);
        composites(ops);
        ExtraOps.composites(ops);
        return ops;
    }

    private static void primitives(List<OpInfo> ops) {
        ops.add(prim("add", 2, "broadcast pair, REAL", AddNode.class, binary(Domain.REAL, Domain.REAL, Variable::add)));
        ops.add(prim("sub", 2, "broadcast pair, REAL", SubNode.class, binary(Domain.REAL, Domain.REAL, Variable::sub)));
        ops.add(prim("mul", 2, "broadcast pair, REAL", MulNode.class, binary(Domain.REAL, Domain.REAL, Variable::mul)));
        ops.add(prim("div", 2, "broadcast pair, REAL / AWAY_FROM_ZERO", DivNode.class,
                binary(Domain.REAL, Domain.AWAY_FROM_ZERO, Variable::div)));
        ops.add(prim("neg", 1, "any shape, REAL", NegNode.class, unary(Domain.REAL, Variable::neg)));
        ops.add(prim("pow", 1, "POSITIVE base, constant exponent in {-2, -1.5, -1, -0.5, 0, 0.5, 1, 2, 2.5, 3}",
                PowNode.class, r -> {
                    double p = pick(r, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 2.5, 3.0);
                    return new OpCase("exponent=" + p, x -> x[0].pow(p), array(r, Domain.POSITIVE, shape(r)));
                }));
        ops.add(prim("powVar", 2, "broadcast pair, POSITIVE base, REAL exponent", PowTensorNode.class,
                binary(Domain.POSITIVE, Domain.REAL, Variable::pow)));
        ops.add(prim("powVarIntegerExponent", 1, "broadcast pair, AWAY_FROM_ZERO base (negative too), constant "
                + "integer exponents in -2..3 (0 included: the masked gradient)", PowTensorNode.class, r -> {
                    int[][] s = Samplers.broadcastPair(r);
                    double[] e = new double[Shapes.size(s[1])];
                    for (int i = 0; i < e.length; i++) {
                        e[i] = between(r, -2, 3);
                    }
                    Variable exponent = Variable.constant(NDArray.of(e, s[1]));
                    return new OpCase("exponent=" + Arrays.toString(e), x -> x[0].pow(exponent.data().dtype() == x[0].dtype()
                            ? exponent : Variable.constant(exponent.data().astype(x[0].dtype()))),
                            array(r, Domain.AWAY_FROM_ZERO, s[0]));
                }));
        ops.add(prim("exp", 1, "any shape, REAL", ExpNode.class, unary(Domain.REAL, Variable::exp)));
        ops.add(prim("log", 1, "any shape, POSITIVE", LogNode.class, unary(Domain.POSITIVE, Variable::log)));
        ops.add(prim("sqrt", 1, "any shape, POSITIVE", SqrtNode.class, unary(Domain.POSITIVE, Variable::sqrt)));
        ops.add(prim("abs", 1, "any shape, AWAY_FROM_ZERO (kink at 0)", AbsNode.class,
                unary(Domain.AWAY_FROM_ZERO, Variable::abs)));
        ops.add(prim("derivedConstant", 1, "any shape, AWAY_FROM_ZERO (sign as a constant mask: zero derivative)",
                DerivedNode.class, unary(Domain.AWAY_FROM_ZERO, x -> DerivedNode.elementwise("Sign", NDArray::sign).apply(x))));
        ops.add(prim("sin", 1, "any shape, REAL", SinNode.class, unary(Domain.REAL, Variable::sin)));
        ops.add(prim("cos", 1, "any shape, REAL", CosNode.class, unary(Domain.REAL, Variable::cos)));
        ops.add(prim("tanh", 1, "any shape, REAL", TanhNode.class, unary(Domain.REAL, Variable::tanh)));
        ops.add(prim("sigmoid", 1, "any shape, REAL", SigmoidNode.class, unary(Domain.REAL, Variable::sigmoid)));
        ops.add(prim("relu", 1, "any shape, AWAY_FROM_ZERO (kink at 0)", LeakyReluNode.class,
                unary(Domain.AWAY_FROM_ZERO, Variable::relu)));
        ops.add(prim("leakyRelu", 1, "any shape, AWAY_FROM_ZERO, slope in {0.01, 0.2, -0.5, 1.5}", LeakyReluNode.class,
                r -> {
                    double s = pick(r, 0.01, 0.2, -0.5, 1.5);
                    return new OpCase("slope=" + s, x -> x[0].leakyRelu(s), array(r, Domain.AWAY_FROM_ZERO, shape(r)));
                }));
        ops.add(prim("leakyReluGrad", 2, "x AWAY_FROM_ZERO and a cotangent of its shape, slope in {0, 0.01, -0.5, 1.5}",
                LeakyReluGradNode.class, r -> {
                    double s = pick(r, 0.0, 0.01, -0.5, 1.5);
                    int[] sh = shape(r);
                    return new OpCase("slope=" + s, x -> new LeakyReluGradNode(s).apply(x[0], x[1]),
                            array(r, Domain.AWAY_FROM_ZERO, sh), array(r, Domain.REAL, sh));
                }));
        ops.add(prim("sigmoidGrad", 2, "y = sigmoid(x), x REAL, and a cotangent of its shape", SigmoidGradNode.class, r -> {
            int[] sh = shape(r);
            return new OpCase("", x -> new SigmoidGradNode().apply(x[0], x[1]), array(r, Domain.REAL, sh).sigmoid(),
                    array(r, Domain.REAL, sh));
        }));
        ops.add(prim("tanhGrad", 2, "y = tanh(x), x REAL, and a cotangent of its shape", TanhGradNode.class, r -> {
            int[] sh = shape(r);
            return new OpCase("", x -> new TanhGradNode().apply(x[0], x[1]), array(r, Domain.REAL, sh).tanh(),
                    array(r, Domain.REAL, sh));
        }));
        ops.add(prim("erf", 1, "any shape, REAL", ErfNode.class, unary(Domain.REAL, Variable::erf)));
        ops.add(prim("maximum", 2, "broadcast pair, values >= 0.1 apart (no ties)", MaximumNode.class, r -> {
            int[][] s = Samplers.broadcastPair(r);
            NDArray[] ab = Samplers.separated(r, s[0], s[1]);
            boolean swap = r.nextBoolean();
            return new OpCase("", x -> x[0].maximum(x[1]), swap ? ab[1] : ab[0], swap ? ab[0] : ab[1]);
        }));
        ops.add(prim("minimum", 2, "broadcast pair, values >= 0.1 apart (no ties)", MaximumNode.class, r -> {
            int[][] s = Samplers.broadcastPair(r);
            NDArray[] ab = Samplers.separated(r, s[0], s[1]);
            boolean swap = r.nextBoolean();
            return new OpCase("", x -> x[0].minimum(x[1]), swap ? ab[1] : ab[0], swap ? ab[0] : ab[1]);
        }));
        ops.add(prim("clamp", 1, "values in [-2, 2] at least 0.05 from random bounds lo < 0 < hi", ClampNode.class, r -> {
            double lo = -0.2 - 1.3 * r.nextDouble();
            double hi = 0.2 + 1.3 * r.nextDouble();
            NDArray x = Samplers.awayFrom(r, -2, 2, new double[] {lo, hi}, 0.05, shape(r));
            return new OpCase(String.format(java.util.Locale.ROOT, "lo=%.3f hi=%.3f", lo, hi),
                    v -> v[0].clamp(lo, hi), x);
        }));
        ops.add(prim("sum", 1, "any shape, REAL, random axes subset (empty: all; negative axes), keepDims both",
                SumNode.class, r -> {
                    int[] s = shape(r);
                    int[] ax = r.nextInt(5) == 0 ? null : Samplers.axes(r, s.length);
                    boolean keep = r.nextBoolean();
                    return new OpCase("axes=" + str(ax) + " keepDims=" + keep, x -> x[0].sum(ax, keep),
                            array(r, Domain.REAL, s));
                }));
        ops.add(prim("max", 1, "any shape, distinct values, random axes subset, keepDims both", MaxNode.class, r -> {
            int[] s = shape(r);
            int[] ax = r.nextInt(5) == 0 ? null : Samplers.axes(r, s.length);
            boolean keep = r.nextBoolean();
            return new OpCase("axes=" + str(ax) + " keepDims=" + keep, x -> x[0].max(ax, keep), Samplers.distinct(r, s));
        }));
        ops.add(prim("broadcastTo", 1, "REAL, a shape broadcast to a larger one (new leading and size-1 axes)",
                BroadcastToNode.class, r -> {
                    int[] t = shape(r, 1, 4, 3);
                    t[r.nextInt(t.length)] = between(r, 2, 3);
                    int[] s = Samplers.broadcastableTo(r, t, true);
                    return new OpCase("to " + Shapes.str(t), x -> x[0].broadcastTo(t), array(r, Domain.REAL, s));
                }));
        ops.add(prim("sumTo", 1, "REAL, a shape summed down to one that broadcasts to it", SumToNode.class, r -> {
            int[] t = shape(r, 1, 4, 3);
            t[r.nextInt(t.length)] = between(r, 2, 3);
            int[] s = Samplers.broadcastableTo(r, t, true);
            return new OpCase("to " + Shapes.str(s), x -> x[0].sumTo(s), array(r, Domain.REAL, t));
        }));
        ops.add(prim("reshape", 1, "REAL, a random factorisation of the size, sometimes with -1", ReshapeNode.class,
                r -> {
                    int[] s = shape(r);
                    int[] t = factorise(r, Shapes.size(s));
                    if (t.length > 0 && r.nextBoolean()) {
                        t[r.nextInt(t.length)] = -1;
                    }
                    return new OpCase("to " + str(t), x -> x[0].reshape(t), array(r, Domain.REAL, s));
                }));
        ops.add(prim("permute", 1, "REAL, rank 0-4, random permutation", PermuteNode.class, r -> {
            int[] s = shape(r);
            int[] p = Samplers.permutation(r, s.length);
            for (int i = 0; i < p.length; i++) {
                if (r.nextBoolean()) {
                    p[i] -= p.length;
                }
            }
            return new OpCase("perm=" + str(p), x -> x[0].permute(p), array(r, Domain.REAL, s));
        }));
        ops.add(prim("getItem", 1, "REAL, rank 1-4, per axis all / point / strided range / integer array with "
                + "repeats (NumPy placement of the array axis)", GetItemNode.class, r -> {
                    int[] s = shape(r, 1, 4, 3);
                    Index[] ix = Samplers.index(r, s);
                    return new OpCase("index=" + str(ix), x -> x[0].getItem(ix), array(r, Domain.REAL, s));
                }));
        ops.add(prim("getItemGrad", 1, "REAL, the scatter-add adjoint of a random getItem index", GetItemGradNode.class,
                r -> {
                    int[] s = shape(r, 1, 4, 3);
                    Index[] ix = Samplers.index(r, s);
                    Gather g = Gather.resolve(s, ix);
                    return new OpCase("source " + Shapes.str(s) + " index=" + str(ix),
                            x -> new GetItemGradNode(g).apply(x[0]), array(r, Domain.REAL, g.resultShape()));
                }));
        ops.add(prim("concat", 3, "REAL, three arrays equal except along a random axis (sizes 1-3)", ConcatNode.class,
                r -> {
                    int[] s = shape(r, 1, 4, 3);
                    int axis = Samplers.axis(r, s.length);
                    int a = Shapes.axis("concat", axis, s.length);
                    NDArray[] in = new NDArray[3];
                    for (int i = 0; i < 3; i++) {
                        int[] si = s.clone();
                        si[a] = between(r, 1, 3);
                        in[i] = array(r, Domain.REAL, si);
                    }
                    return new OpCase("axis=" + axis, x -> F.concat(axis, x), in);
                }));
        ops.add(prim("matmul", 2, "REAL; 2-D, batched with broadcast batch axes, 1-D on either or both sides",
                MatMulNode.class, Ops::matmulCase));
        ops.add(prim("matmulT", 2, "REAL; op(A) op(B) with op = transpose of the last two axes, random flags; "
                + "2-D or batched with broadcast batch axes", MatMulNode.class, Ops::matmulTransposedCase));
        ops.add(prim("where", 2, "REAL, random 0/1 condition; condition and both inputs broadcast together",
                WhereNode.class, r -> {
                    int[] out = shape(r);
                    NDArray cond = Samplers.mask(r, Samplers.broadcastableTo(r, out, false));
                    int[] sa = Samplers.broadcastableTo(r, out, false);
                    int[] sb = Samplers.broadcastableTo(r, out, false);
                    return new OpCase("cond " + Shapes.str(cond.shape()), x -> F.where(cond, x[0], x[1]),
                            array(r, Domain.REAL, sa), array(r, Domain.REAL, sb));
                }));
        // A float64 -> float32 cast rounds, so its forward is piecewise constant and central
        // differences measure rounding noise, not the derivative; the check runs the cast node
        // float64 -> float64 (same forward/backward code path), and AstypeTest checks the float32
        // direction by exact known answers.
        ops.add(prim("astype", 1, "any shape, REAL; the cast node float64 -> float64 (float32 rounding is "
                + "piecewise constant: checked by known answers instead)", AstypeNode.class,
                unary(Domain.REAL, x -> new AstypeNode(DType.FLOAT64).apply(x))));
    }

    private static void composites(List<OpInfo> ops) {
        ops.add(comp("square", 1, "any shape, REAL", List.of(PowNode.class), unary(Domain.REAL, Variable::square)));
        ops.add(comp("rsub", 1, "any shape, REAL; 1.5 - x", List.of(SubNode.class),
                unary(Domain.REAL, x -> x.rsub(1.5))));
        ops.add(comp("rdiv", 1, "any shape, AWAY_FROM_ZERO; 2 / x", List.of(DivNode.class),
                unary(Domain.AWAY_FROM_ZERO, x -> x.rdiv(2.0))));
        ops.add(comp("min", 1, "any shape, distinct values, random axes subset, keepDims both; -max(-x)",
                List.of(NegNode.class, MaxNode.class), r -> {
                    int[] s = shape(r);
                    int[] ax = r.nextInt(5) == 0 ? null : Samplers.axes(r, s.length);
                    boolean keep = r.nextBoolean();
                    return new OpCase("axes=" + str(ax) + " keepDims=" + keep, x -> x[0].min(ax, keep),
                            Samplers.distinct(r, s));
                }));
        ops.add(comp("mean", 1, "any shape, REAL, random axes subset, keepDims both", List.of(SumNode.class, DivNode.class),
                r -> {
                    int[] s = shape(r);
                    int[] ax = r.nextInt(5) == 0 ? null : Samplers.axes(r, s.length);
                    boolean keep = r.nextBoolean();
                    return new OpCase("axes=" + str(ax) + " keepDims=" + keep, x -> x[0].mean(ax, keep),
                            array(r, Domain.REAL, s));
                }));
        ops.add(comp("var", 1, "any shape, REAL, random axes subset, keepDims both, ddof 0 or 1 (when count > 1)",
                List.of(SubNode.class, MulNode.class, SumNode.class, DivNode.class), r -> {
                    int[] s = shape(r);
                    int[] ax = r.nextInt(5) == 0 ? null : Samplers.axes(r, s.length);
                    boolean keep = r.nextBoolean();
                    int ddof = size(s, ax) > 1 ? r.nextInt(2) : 0;
                    return new OpCase("axes=" + str(ax) + " keepDims=" + keep + " ddof=" + ddof,
                            x -> x[0].var(ax, keep, ddof), array(r, Domain.REAL, s));
                }));
        ops.add(comp("transpose", 1, "REAL, rank 0-4; swap two axes or reverse all", List.of(PermuteNode.class), r -> {
            int[] s = shape(r);
            if (s.length >= 2 && r.nextBoolean()) {
                int a = Samplers.axis(r, s.length);
                int b = Samplers.axis(r, s.length);
                return new OpCase("axes " + a + "," + b, x -> x[0].transpose(a, b), array(r, Domain.REAL, s));
            }
            return new OpCase("reversed", x -> x[0].T(), array(r, Domain.REAL, s));
        }));
        ops.add(comp("flatten", 1, "REAL, rank 0-4; (N, ...) -> (N, -1)", List.of(ReshapeNode.class),
                unary(Domain.REAL, Variable::flatten)));
        ops.add(comp("unsqueeze", 1, "REAL, rank 0-3, random position", List.of(ReshapeNode.class), r -> {
            int[] s = shape(r, 0, 3, 3);
            int axis = Samplers.axis(r, s.length + 1);
            return new OpCase("axis=" + axis, x -> x[0].unsqueeze(axis), array(r, Domain.REAL, s));
        }));
        ops.add(comp("squeeze", 1, "REAL, rank 0-4 (size-1 axes frequent)", List.of(ReshapeNode.class),
                unary(Domain.REAL, Variable::squeeze)));
        ops.add(comp("slice", 1, "REAL, rank 1-4, start..stop along a random axis", List.of(GetItemNode.class), r -> {
            int[] s = shape(r, 1, 4, 3);
            int axis = Samplers.axis(r, s.length);
            int d = s[Shapes.axis("slice", axis, s.length)];
            int start = r.nextInt(d);
            int stop = between(r, start + 1, d);
            return new OpCase("axis=" + axis + " " + start + ":" + stop, x -> x[0].slice(axis, start, stop),
                    array(r, Domain.REAL, s));
        }));
        ops.add(comp("take", 1, "REAL, rank 1-4, rows along axis 0 with repeats", List.of(GetItemNode.class), r -> {
            int[] s = shape(r, 1, 4, 3);
            int[] rows = Samplers.labels(r, between(r, 1, 4), s[0]);
            return new OpCase("rows=" + str(rows), x -> x[0].take(rows), array(r, Domain.REAL, s));
        }));
        ops.add(comp("takeInt64", 1, "REAL, rank 1-3, rows along axis 0 by an INT64 id array of rank 0-2 (repeats, "
                + "negative ids)", List.of(GetItemNode.class, ReshapeNode.class), r -> {
            int[] s = shape(r, 1, 3, 3);
            int[] idShape = shape(r, 0, 2, 3);
            long[] ids = new long[Shapes.size(idShape)];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = r.nextInt(2 * s[0]) - s[0];
            }
            NDArray idx = NDArray.of(ids, idShape);
            return new OpCase("ids=" + idx, x -> x[0].take(idx), array(r, Domain.REAL, s));
        }));
        ops.add(comp("maskedSelect", 1, "REAL, rank 0-3, a random BOOL mask broadcast with it (broadcast, reshape, gather)",
                List.of(GetItemNode.class), r -> {
            int[] s = shape(r, 0, 3, 3);
            NDArray mask = Samplers.mask(r, Samplers.broadcastableTo(r, s, false));
            return new OpCase("mask " + mask, x -> x[0].maskedSelect(mask), array(r, Domain.REAL, s));
        }));
        ops.add(comp("stack", 2, "REAL, two equal shapes of rank 0-3, random new axis", List.of(ReshapeNode.class,
                ConcatNode.class), r -> {
                    int[] s = shape(r, 0, 3, 3);
                    int axis = Samplers.axis(r, s.length + 1);
                    return new OpCase("axis=" + axis, x -> F.stack(axis, x), array(r, Domain.REAL, s),
                            array(r, Domain.REAL, s));
                }));
        ops.add(comp("split", 1, "REAL, rank 1-4, 1-3 pieces along a random axis; checked as "
                + "concat(reversed pieces scaled by 1, 2, 3)", List.of(GetItemNode.class), r -> {
                    int[] s = shape(r, 1, 4, 3);
                    int axis = Samplers.axis(r, s.length);
                    int a = Shapes.axis("split", axis, s.length);
                    int[] sizes = Samplers.splitSizes(r, s[a], between(r, 1, s[a]));
                    return new OpCase("axis=" + axis + " sizes=" + str(sizes), x -> {
                        Variable[] parts = F.split(x[0], axis, sizes);
                        Variable[] rev = new Variable[parts.length];
                        for (int i = 0; i < parts.length; i++) {
                            rev[parts.length - 1 - i] = parts[i].mul(i + 1.0);
                        }
                        return F.concat(axis, rev);
                    }, array(r, Domain.REAL, s));
                }));
        ops.add(comp("softmax", 1, "REAL, rank 1-4, random axis", List.of(SubNode.class, ExpNode.class, SumNode.class,
                DivNode.class), axisOp((x, a) -> F.softmax(x, a))));
        ops.add(comp("logSoftmax", 1, "REAL, rank 1-4, random axis", List.of(SubNode.class, ExpNode.class,
                SumNode.class, LogNode.class), axisOp((x, a) -> F.logSoftmax(x, a))));
        ops.add(comp("logsumexp", 1, "REAL, rank 1-4, random axis, keepDims both", List.of(SubNode.class,
                ExpNode.class, SumNode.class, LogNode.class, AddNode.class), r -> {
                    int[] s = shape(r, 1, 4, 3);
                    int axis = Samplers.axis(r, s.length);
                    boolean keep = r.nextBoolean();
                    return new OpCase("axis=" + axis + " keepDims=" + keep, x -> F.logsumexp(x[0], axis, keep),
                            array(r, Domain.REAL, s));
                }));
    }

    /** An op taking one axis of a rank 1-4 REAL array. */
    private static Function<Random, OpCase> axisOp(java.util.function.BiFunction<Variable, Integer, Variable> f) {
        return r -> {
            int[] s = shape(r, 1, 4, 3);
            int axis = Samplers.axis(r, s.length);
            return new OpCase("axis=" + axis, x -> f.apply(x[0], axis), array(r, Domain.REAL, s));
        };
    }

    /** A shape of rank 0-4 whose size is {@code n}, built from the prime factors of n in random groups. */
    private static int[] factorise(Random r, int n) {
        List<Integer> f = new ArrayList<>();
        int m = n;
        for (int p = 2; p <= m; p++) {
            while (m % p == 0) {
                f.add(p);
                m /= p;
            }
        }
        int rank = between(r, Math.min(f.size(), 1), 4);
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        if (rank == 0) {
            return s;
        }
        for (int p : f) {
            s[r.nextInt(rank)] *= p;
        }
        return s;
    }

    private static OpCase matmulCase(Random r) {
        int m = between(r, 1, 3);
        int k = between(r, 1, 3);
        int n = between(r, 1, 3);
        int variant = r.nextInt(7);
        int[] sa;
        int[] sb;
        String what;
        switch (variant) {
            case 0:
                sa = new int[] {m, k};
                sb = new int[] {k, n};
                what = "2-D";
                break;
            case 1: {
                int[] batch = shape(r, 1, 2, 3);
                int[] ba = Samplers.broadcastableTo(r, batch, false);
                int[] bb = Samplers.broadcastableTo(r, batch, false);
                if (ba.length == 0 && bb.length == 0) {
                    ba = batch;
                }
                sa = concat(ba, m, k);
                sb = concat(bb, k, n);
                what = "batched";
                break;
            }
            case 2:
                sa = new int[] {k};
                sb = new int[] {k, n};
                what = "1-D @ 2-D";
                break;
            case 3:
                sa = new int[] {m, k};
                sb = new int[] {k};
                what = "2-D @ 1-D";
                break;
            case 4:
                sa = new int[] {k};
                sb = new int[] {k};
                what = "1-D @ 1-D";
                break;
            case 5:
                sa = new int[] {k};
                sb = concat(shape(r, 1, 2, 3), k, n);
                what = "1-D @ batched";
                break;
            default:
                sa = concat(shape(r, 1, 2, 3), m, k);
                sb = new int[] {k};
                what = "batched @ 1-D";
        }
        return new OpCase(what, x -> x[0].matmul(x[1]), array(r, Domain.REAL, sa), array(r, Domain.REAL, sb));
    }

    private static OpCase matmulTransposedCase(Random r) {
        int m = between(r, 1, 3);
        int k = between(r, 1, 3);
        int n = between(r, 1, 3);
        boolean ta = r.nextBoolean();
        boolean tb = !ta || r.nextBoolean();
        int[] ba = new int[0];
        int[] bb = new int[0];
        if (r.nextBoolean()) {
            int[] batch = shape(r, 1, 2, 3);
            ba = Samplers.broadcastableTo(r, batch, false);
            bb = Samplers.broadcastableTo(r, batch, false);
        }
        int[] sa = ta ? concat(ba, k, m) : concat(ba, m, k);
        int[] sb = tb ? concat(bb, n, k) : concat(bb, k, n);
        String what = (ta ? "Aᵀ" : "A") + (tb ? "Bᵀ" : "B") + " " + Shapes.str(sa) + " " + Shapes.str(sb);
        return new OpCase(what, x -> x[0].matmul(x[1], ta, tb), array(r, Domain.REAL, sa), array(r, Domain.REAL, sb));
    }

    private static int[] concat(int[] batch, int a, int b) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = a;
        s[batch.length + 1] = b;
        return s;
    }
}
