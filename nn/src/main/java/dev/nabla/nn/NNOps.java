package dev.nabla.nn;

import static dev.nabla.autograd.Samplers.array;
import static dev.nabla.autograd.Samplers.between;
import static dev.nabla.autograd.Samplers.pick;
import static dev.nabla.autograd.Samplers.shape;

import dev.nabla.autograd.AbsNode;
import dev.nabla.autograd.DivNode;
import dev.nabla.autograd.Domain;
import dev.nabla.autograd.ErfNode;
import dev.nabla.autograd.ConcatNode;
import dev.nabla.autograd.ExpNode;
import dev.nabla.autograd.GetItemNode;
import dev.nabla.autograd.LeakyReluNode;
import dev.nabla.autograd.LogNode;
import dev.nabla.autograd.MatMulNode;
import dev.nabla.autograd.MaximumNode;
import dev.nabla.autograd.MulNode;
import dev.nabla.autograd.NegNode;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.OpCase;
import dev.nabla.autograd.OpInfo;
import dev.nabla.autograd.PowNode;
import dev.nabla.autograd.Samplers;
import dev.nabla.autograd.SigmoidNode;
import dev.nabla.autograd.SubNode;
import dev.nabla.autograd.SumNode;
import dev.nabla.autograd.TanhNode;
import dev.nabla.autograd.Variable;
import dev.nabla.autograd.WhereNode;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.conv.AvgPool2dNode;
import dev.nabla.nn.conv.Conv2dInputGradNode;
import dev.nabla.nn.conv.Conv2dNode;
import dev.nabla.nn.conv.MaxPool2dNode;
import dev.nabla.nn.conv.PoolOptions;
import dev.nabla.nn.detection.DetectionOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The op registry of {@link Functional}, in the spirit of PyTorch's OpInfo and beside the core's
 * {@code dev.nabla.autograd.Ops}: one {@link OpInfo} per differentiable function of the namespace
 * (and per setting that takes a different path — each reduction, class weights, label smoothing,
 * probability targets), followed by the detection functions of {@code dev.nabla.nn.detection}
 * ({@link DetectionOps}: box conversion, area, IoU, GIoU and the IoU losses). The nn module's generic first- and second-order properties and
 * {@code nabla gradcheck} iterate it, and a coverage test demands an entry for every public
 * function of {@link Functional} that returns a {@link Variable}.
 * Thread-safe: built once, in class initialization, and unmodifiable.
 */
public final class NNOps {
    private NNOps() {}

    private static final List<OpInfo> REGISTRY = Collections.unmodifiableList(withDetection(build()));

    /** The functional namespace's entries, attention's ({@link AttentionOps}), then the detection functions' ({@link DetectionOps}). */
    private static List<OpInfo> withDetection(List<OpInfo> ops) {
        ops.addAll(AttentionOps.registry());
        ops.addAll(DetectionOps.registry());
        return ops;
    }

    /** Every registered function, in a fixed order. */
    public static List<OpInfo> registry() {
        return REGISTRY;
    }

    private static OpInfo comp(String name, int arity, String inputs, List<Class<? extends Node>> nodes,
                               Function<Random, OpCase> sampler) {
        return new OpInfo(name, OpInfo.Kind.COMPOSITE, arity, inputs, true, nodes, sampler);
    }

    private static OpInfo comp(String name, int arity, String inputs, boolean twice, List<Class<? extends Node>> nodes,
                               Function<Random, OpCase> sampler) {
        return new OpInfo(name, OpInfo.Kind.COMPOSITE, arity, inputs, twice, nodes, sampler);
    }

    private static Function<Random, OpCase> unary(Domain d, UnaryOperator<Variable> f) {
        return r -> new OpCase("", x -> f.apply(x[0]), array(r, d, shape(r)));
    }

    /** An elementwise loss of two same-shape inputs under every reduction. */
    private static Function<Random, OpCase> pairLoss(Domain dy, Domain dt,
                                                     java.util.function.BiFunction<Variable[], Reduction, Variable> f) {
        return r -> {
            int[] s = shape(r, 1, 3, 3);
            Reduction red = pick(r, Reduction.values());
            return new OpCase("reduction=" + red.torchName(), x -> f.apply(x, red), array(r, dy, s), array(r, dt, s));
        };
    }

    private static NDArray probabilities(Random r, int n, int c) {
        double[] p = new double[n * c];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < c; j++) {
                p[i * c + j] = 0.1 + r.nextDouble();
                sum += p[i * c + j];
            }
            for (int j = 0; j < c; j++) {
                p[i * c + j] /= sum;
            }
        }
        return NDArray.of(p, n, c);
    }

    private static NDArray positive(Random r, int... shape) {
        return Samplers.array(r, Domain.POSITIVE, shape);
    }

    /** Settings of cross-entropy drawn at random: weight or not, an ignored target or not, reduction, smoothing. */
    private static CrossEntropyOptions options(Random r, int c, boolean smoothing) {
        CrossEntropyOptions o = CrossEntropyOptions.defaults().reduction(pick(r, Reduction.values()));
        if (r.nextBoolean()) {
            o = o.weight(positive(r, c));
        }
        if (r.nextBoolean()) {
            o = o.ignoreIndex(0);
        }
        if (smoothing && r.nextBoolean()) {
            o = o.labelSmoothing(pick(r, 0.1, 0.3));
        }
        return o;
    }

    /** An op taking one axis of a rank 1-3 REAL array. */
    private static Function<Random, OpCase> axisOp(java.util.function.BiFunction<Variable, Integer, Variable> f) {
        return r -> {
            int[] s = shape(r, 1, 3, 3);
            int axis = Samplers.axis(r, s.length);
            return new OpCase("axis=" + axis, x -> f.apply(x[0], axis), array(r, Domain.REAL, s));
        };
    }

    /** A piecewise loss with a kink at |y - t| = {@code kink}: differences drawn at least 0.1 away from it (and from 0). */
    private static Function<Random, OpCase> kinkLoss(double kink,
                                                     java.util.function.BiFunction<Variable[], Reduction, Variable> f) {
        return r -> {
            int[] s = shape(r, 1, 3, 3);
            Reduction red = pick(r, Reduction.values());
            NDArray t = array(r, Domain.REAL, s);
            NDArray d = Samplers.awayFrom(r, -3 * kink, 3 * kink, new double[] {-kink, 0.0, kink}, 0.1 * kink, s);
            return new OpCase("reduction=" + red.torchName(), x -> f.apply(x, red), t.add(d), t);
        };
    }

    private static List<OpInfo> build() {
        List<OpInfo> ops = new ArrayList<>();
        // ---------------------------------------------------------------- activations
        ops.add(comp("relu", 1, "any shape, AWAY_FROM_ZERO (kink at 0)", List.of(LeakyReluNode.class),
                unary(Domain.AWAY_FROM_ZERO, Functional::relu)));
        ops.add(comp("leakyRelu", 1, "any shape, AWAY_FROM_ZERO, default slope 0.01", List.of(LeakyReluNode.class),
                unary(Domain.AWAY_FROM_ZERO, Functional::leakyRelu)));
        ops.add(comp("sigmoid", 1, "any shape, REAL", List.of(SigmoidNode.class), unary(Domain.REAL, Functional::sigmoid)));
        ops.add(comp("tanh", 1, "any shape, REAL", List.of(TanhNode.class), unary(Domain.REAL, Functional::tanh)));
        ops.add(comp("softplus", 1, "any shape, REAL", List.of(MaximumNode.class, AbsNode.class, ExpNode.class,
                LogNode.class), unary(Domain.REAL, Functional::softplus)));
        ops.add(comp("logSigmoid", 1, "any shape, REAL", List.of(NegNode.class, MaximumNode.class, ExpNode.class,
                LogNode.class), unary(Domain.REAL, Functional::logSigmoid)));
        ops.add(comp("gelu", 1, "any shape, REAL (erf form)", List.of(ErfNode.class, MulNode.class),
                unary(Domain.REAL, Functional::gelu)));
        ops.add(comp("geluTanh", 1, "any shape, REAL (approximate=\"tanh\")", List.of(PowNode.class, TanhNode.class,
                MulNode.class), unary(Domain.REAL, x -> Functional.gelu(x, "tanh"))));
        ops.add(comp("silu", 1, "any shape, REAL", List.of(SigmoidNode.class, MulNode.class),
                unary(Domain.REAL, Functional::silu)));
        ops.add(comp("elu", 1, "any shape, AWAY_FROM_ZERO (kink at 0), alpha in {1, 0.5}", List.of(WhereNode.class,
                MaximumNode.class, ExpNode.class), r -> {
                    double alpha = pick(r, 1.0, 0.5);
                    return new OpCase("alpha=" + alpha, x -> Functional.elu(x[0], alpha),
                            array(r, Domain.AWAY_FROM_ZERO, shape(r)));
                }));
        ops.add(comp("softmax", 1, "REAL, rank 1-3, random axis", List.of(ExpNode.class, DivNode.class),
                axisOp(Functional::softmax)));
        ops.add(comp("logSoftmax", 1, "REAL, rank 1-3, random axis", List.of(ExpNode.class, LogNode.class),
                axisOp(Functional::logSoftmax)));
        // ---------------------------------------------------------------- linear, conv, pooling
        ops.add(comp("linear", 3, "REAL x (N, in) or (B, N, in), W (out, in), b (out,)", List.of(LinearNode.class), r -> {
                    int in = between(r, 1, 3);
                    int out = between(r, 1, 3);
                    int[] xs = r.nextBoolean() ? new int[] {between(r, 1, 3), in}
                            : new int[] {between(r, 1, 2), between(r, 1, 3), in};
                    return new OpCase("", x -> Functional.linear(x[0], x[1], x[2]), array(r, Domain.REAL, xs),
                            array(r, Domain.REAL, out, in), array(r, Domain.REAL, out));
                }));
        ops.add(comp("conv2d", 3, "REAL x (N, C, H, W), w (OC, C, KH, KW), b (OC); stride 1-2, padding 0-1, dilation 1-2",
                List.of(Conv2dNode.class), r -> {
                    int n = between(r, 1, 2);
                    int c = between(r, 1, 2);
                    int oc = between(r, 1, 2);
                    int k = between(r, 1, 3);
                    int s = between(r, 1, 2);
                    int p = between(r, 0, 1);
                    int d = k == 1 ? 1 : between(r, 1, 2);
                    int h = d * (k - 1) + between(r, 1, 3);
                    int w = d * (k - 1) + between(r, 1, 3);
                    return new OpCase("stride=" + s + " padding=" + p + " dilation=" + d,
                            x -> Functional.conv2d(x[0], x[1], x[2], new int[] {s}, new int[] {p}, new int[] {d}),
                            array(r, Domain.REAL, n, c, h, w), array(r, Domain.REAL, oc, c, k, k), array(r, Domain.REAL, oc));
                }));
        ops.add(comp("maxPool2d", 1, "distinct values (N, C, H, W) (no ties), kernel 2, stride 1-2", List.of(MaxPool2dNode.class),
                r -> {
                    int s = between(r, 1, 2);
                    int[] shape = {between(r, 1, 2), between(r, 1, 2), between(r, 2, 4), between(r, 2, 4)};
                    return new OpCase("kernel=2 stride=" + s,
                            x -> Functional.maxPool2d(x[0], new int[] {2}, PoolOptions.defaults().stride(s)),
                            Samplers.distinct(r, shape));
                }));
        ops.add(comp("avgPool2d", 1, "REAL (N, C, H, W), kernel 2, stride 1-2, padding 0-1, countIncludePad both",
                List.of(AvgPool2dNode.class), r -> {
                    int s = between(r, 1, 2);
                    int p = between(r, 0, 1);
                    boolean include = r.nextBoolean();
                    int[] shape = {between(r, 1, 2), between(r, 1, 2), between(r, 2, 4), between(r, 2, 4)};
                    return new OpCase("kernel=2 stride=" + s + " padding=" + p + " countIncludePad=" + include,
                            x -> Functional.avgPool2d(x[0], new int[] {2},
                                    PoolOptions.defaults().stride(s).padding(p).countIncludePad(include)),
                            array(r, Domain.REAL, shape));
                }));
        ops.add(comp("globalAvgPool2d", 1, "REAL (N, C, H, W), keepDims both", List.of(SumNode.class), r -> {
            boolean keep = r.nextBoolean();
            return new OpCase("keepDims=" + keep, x -> Functional.globalAvgPool2d(x[0], keep),
                    array(r, Domain.REAL, between(r, 1, 2), between(r, 1, 3), between(r, 1, 3), between(r, 1, 3)));
        }));
        // ---------------------------------------------------------------- recurrent cells
        ops.add(comp("rnnCell", 6, "REAL x (N, I), h (N, H), weights in PyTorch's layout, tanh or relu (away from 0)",
                List.of(LinearNode.class), r -> {
                    int n = between(r, 1, 2);
                    int in = between(r, 1, 3);
                    int hs = between(r, 1, 3);
                    RNNCell.Nonlinearity act = r.nextBoolean() ? RNNCell.Nonlinearity.TANH : RNNCell.Nonlinearity.RELU;
                    // relu: inputs small against a bias of 2 keep every pre-activation away from the kink
                    double bias = act == RNNCell.Nonlinearity.RELU ? 2.0 : 0.0;
                    return new OpCase("nonlinearity=" + act, x -> Functional.rnnCell(x[0], x[1], x[2], x[3], x[4],
                            x[5], act), array(r, Domain.REAL, n, in).mul(0.2), array(r, Domain.REAL, n, hs).mul(0.2),
                            array(r, Domain.REAL, hs, in).mul(0.2), array(r, Domain.REAL, hs, hs).mul(0.2),
                            array(r, Domain.REAL, hs).mul(0.1).add(bias), array(r, Domain.REAL, hs).mul(0.1));
                }));
        ops.add(comp("rnnLayer", 6, "REAL x (T, N, I) or (N, T, I) batch-first, h0 (N, H), weights in PyTorch's layout, "
                + "biases (H); T 1-3, tanh or relu (away from 0), forward or reverse (nn.RNN's fused layer node)",
                List.of(RNNLayerNode.class), r -> {
                    int t = between(r, 1, 3);
                    int n = between(r, 1, 2);
                    int in = between(r, 1, 3);
                    int hs = between(r, 1, 3);
                    boolean reverse = r.nextBoolean();
                    boolean batchFirst = r.nextBoolean();
                    RNNCell.Nonlinearity act = r.nextBoolean() ? RNNCell.Nonlinearity.TANH : RNNCell.Nonlinearity.RELU;
                    // relu: inputs small against a bias of 2 keep every pre-activation away from the kink
                    double bias = act == RNNCell.Nonlinearity.RELU ? 2.0 : 0.0;
                    int[] xs = batchFirst ? new int[] {n, t, in} : new int[] {t, n, in};
                    return new OpCase("nonlinearity=" + act + " reverse=" + reverse + " batchFirst=" + batchFirst,
                            x -> RNNLayerNode.layer(x[0], x[1], x[2], x[3], x[4], x[5], act, reverse, batchFirst),
                            array(r, Domain.REAL, xs).mul(0.2), array(r, Domain.REAL, n, hs).mul(0.2),
                            array(r, Domain.REAL, hs, in).mul(0.2), array(r, Domain.REAL, hs, hs).mul(0.2),
                            array(r, Domain.REAL, hs).mul(0.1).add(bias), array(r, Domain.REAL, hs).mul(0.1));
                }));
        ops.add(comp("rnnLayerNoBias", 4, "REAL x (T, N, I) or (N, T, I) batch-first, h0 (N, H), weights in PyTorch's "
                + "layout, no biases; T 1-3, tanh, forward or reverse (nn.RNN's fused layer node, 4-input form)",
                List.of(RNNLayerNode.class), r -> {
                    int t = between(r, 1, 3);
                    int n = between(r, 1, 2);
                    int in = between(r, 1, 3);
                    int hs = between(r, 1, 3);
                    boolean reverse = r.nextBoolean();
                    boolean batchFirst = r.nextBoolean();
                    int[] xs = batchFirst ? new int[] {n, t, in} : new int[] {t, n, in};
                    return new OpCase("reverse=" + reverse + " batchFirst=" + batchFirst,
                            x -> RNNLayerNode.layer(x[0], x[1], x[2], x[3], null, null, RNNCell.Nonlinearity.TANH, reverse,
                                    batchFirst),
                            array(r, Domain.REAL, xs), array(r, Domain.REAL, n, hs), array(r, Domain.REAL, hs, in),
                            array(r, Domain.REAL, hs, hs));
                }));
        ops.add(comp("lstmCell", 7, "REAL x (N, I), h, c (N, H), weights (4H, I), (4H, H), biases (4H); h' + c' checked",
                List.of(SigmoidNode.class, TanhNode.class), r -> {
                    int n = between(r, 1, 2);
                    int in = between(r, 1, 2);
                    int hs = between(r, 1, 2);
                    return new OpCase("", x -> {
                        LSTMState st = Functional.lstmCell(x[0], x[1], x[2], x[3], x[4], x[5], x[6]);
                        return st.h().add(st.c().mul(0.5));
                    }, array(r, Domain.REAL, n, in), array(r, Domain.REAL, n, hs), array(r, Domain.REAL, n, hs),
                            array(r, Domain.REAL, 4 * hs, in), array(r, Domain.REAL, 4 * hs, hs),
                            array(r, Domain.REAL, 4 * hs), array(r, Domain.REAL, 4 * hs));
                }));
        ops.add(comp("gruCell", 6, "REAL x (N, I), h (N, H), weights (3H, I), (3H, H), biases (3H)",
                List.of(SigmoidNode.class, TanhNode.class), r -> {
                    int n = between(r, 1, 2);
                    int in = between(r, 1, 2);
                    int hs = between(r, 1, 2);
                    return new OpCase("", x -> Functional.gruCell(x[0], x[1], x[2], x[3], x[4], x[5]),
                            array(r, Domain.REAL, n, in), array(r, Domain.REAL, n, hs), array(r, Domain.REAL, 3 * hs, in),
                            array(r, Domain.REAL, 3 * hs, hs), array(r, Domain.REAL, 3 * hs), array(r, Domain.REAL, 3 * hs));
                }));
        // ---------------------------------------------------------------- normalization, dropout, embedding
        ops.add(comp("normalize", 3, "REAL x rank 2-3, gamma and beta broadcasting, random axes", List.of(DivNode.class),
                r -> {
                    int[] s = {between(r, 2, 4), between(r, 2, 3), between(r, 1, 2)};
                    int[] axes = r.nextBoolean() ? new int[] {0} : new int[] {0, 2};
                    int[] bs = {1, s[1], 1};
                    return new OpCase("axes=" + Arrays.toString(axes),
                            x -> Functional.normalize(x[0], x[1], x[2], 1e-5, axes),
                            array(r, Domain.REAL, s), array(r, Domain.REAL, bs), array(r, Domain.REAL, bs));
                }));
        ops.add(comp("batchNorm", 3, "REAL x (N, C) or (N, C, H, W) with N·H·W >= 2, gamma, beta (C)", List.of(DivNode.class),
                r -> {
                    int c = between(r, 1, 3);
                    int[] s = r.nextBoolean() ? new int[] {between(r, 2, 4), c} : new int[] {between(r, 1, 2), c, 2, between(r, 1, 2)};
                    return new OpCase("", x -> Functional.batchNorm(x[0], x[1], x[2], 1e-5), array(r, Domain.REAL, s),
                            array(r, Domain.REAL, c), array(r, Domain.REAL, c));
                }));
        ops.add(comp("batchNormInference", 3, "REAL x (N, C, L), given positive running var, gamma, beta (C)",
                List.of(DivNode.class), r -> {
                    int c = between(r, 1, 3);
                    NDArray mean = array(r, Domain.REAL, c);
                    NDArray var = positive(r, c);
                    return new OpCase("", x -> Functional.batchNormInference(x[0], mean, var, x[1], x[2], 1e-5),
                            array(r, Domain.REAL, between(r, 1, 3), c, between(r, 1, 2)), array(r, Domain.REAL, c),
                            array(r, Domain.REAL, c));
                }));
        ops.add(comp("layerNorm", 3, "REAL x (N, D) or (N, T, D), D >= 2, weight and bias (D)", List.of(DivNode.class),
                r -> {
                    int d = between(r, 2, 4);
                    int[] s = r.nextBoolean() ? new int[] {between(r, 1, 3), d} : new int[] {between(r, 1, 2), between(r, 1, 2), d};
                    return new OpCase("", x -> Functional.layerNorm(x[0], new int[] {d}, x[1], x[2], 1e-5),
                            array(r, Domain.REAL, s), array(r, Domain.REAL, d), array(r, Domain.REAL, d));
                }));
        ops.add(comp("dropout", 1, "REAL, any shape, p in {0.25, 0.5}, training, a fixed mask per case (seeded)",
                List.of(MulNode.class), r -> {
                    double p = pick(r, 0.25, 0.5);
                    long seed = r.nextLong();
                    return new OpCase("p=" + p, x -> Functional.dropout(x[0], p, true, new Random(seed)),
                            array(r, Domain.REAL, shape(r, 1, 3, 3)));
                }));
        ops.add(comp("embedding", 1, "REAL weight (num, dim), INT64 ids of shape (N) or (N, T), repeats allowed",
                List.of(GetItemNode.class), r -> {
                    int num = between(r, 1, 4);
                    int dim = between(r, 1, 3);
                    int[] idShape = r.nextBoolean() ? new int[] {between(r, 1, 4)} : new int[] {between(r, 1, 2), between(r, 1, 3)};
                    int count = dev.nabla.ndarray.Shapes.size(idShape);
                    long[] ids = new long[count];
                    for (int i = 0; i < count; i++) {
                        ids[i] = r.nextInt(num);
                    }
                    NDArray idArray = NDArray.of(ids, idShape);
                    return new OpCase("ids=" + Arrays.toString(ids), x -> Functional.embedding(idArray, x[0]),
                            array(r, Domain.REAL, num, dim));
                }));
        // ---------------------------------------------------------------- losses: regression
        ops.add(comp("mseLoss", 2, "two REAL arrays of one shape, every reduction", List.of(SubNode.class, MulNode.class),
                pairLoss(Domain.REAL, Domain.REAL, (x, red) -> Functional.mseLoss(x[0], x[1], red))));
        ops.add(comp("l1Loss", 2, "two arrays of one shape, far apart (|y - t| away from 0), every reduction",
                List.of(AbsNode.class), r -> {
                    int[] s = shape(r, 1, 3, 3);
                    Reduction red = pick(r, Reduction.values());
                    NDArray[] yt = Samplers.separated(r, s, s);
                    return new OpCase("reduction=" + red.torchName(), x -> Functional.l1Loss(x[0], x[1], red), yt[0], yt[1]);
                }));
        ops.add(comp("huberLoss", 2, "y, t of one shape with |y - t| away from delta = 1, every reduction; once differentiable",
                false, List.of(WhereNode.class), kinkLoss(1.0, (x, red) -> Functional.huberLoss(x[0], x[1], 1.0, red))));
        ops.add(comp("smoothL1Loss", 2, "y, t of one shape with |y - t| away from beta = 0.5, every reduction; once differentiable",
                false, List.of(WhereNode.class), kinkLoss(0.5, (x, red) -> Functional.smoothL1Loss(x[0], x[1], 0.5, red))));
        // ---------------------------------------------------------------- losses: classification
        ops.add(comp("crossEntropy", 1, "REAL logits (N, C), N 1-4, C 2-4, int64 labels, PyTorch's defaults",
                List.of(ExpNode.class, LogNode.class, GetItemNode.class), r -> {
                    int n = between(r, 1, 4);
                    int c = between(r, 2, 4);
                    NDArray labels = NDArray.of(Samplers.labels(r, n, c), n).astype(DType.INT64);
                    return new OpCase("labels=" + labels, x -> Functional.crossEntropy(x[0], labels),
                            array(r, Domain.REAL, n, c));
                }));
        ops.add(comp("crossEntropyOptions", 1, "REAL logits (N, C), labels with class weights, ignore index 0, "
                + "label smoothing and every reduction drawn at random", List.of(ExpNode.class, LogNode.class,
                GetItemNode.class), r -> {
                    int n = between(r, 2, 4);
                    int c = between(r, 2, 4);
                    int[] t = Samplers.labels(r, n, c);
                    t[0] = c - 1; // at least one target is never the ignore index 0
                    CrossEntropyOptions o = options(r, c, true);
                    return new OpCase(o + " labels=" + Arrays.toString(t), x -> Functional.crossEntropy(x[0], t, o),
                            array(r, Domain.REAL, n, c));
                }));
        ops.add(comp("crossEntropyProbs", 2, "REAL logits (N, C) and probability targets (N, C); weight, smoothing, "
                + "reduction at random", List.of(ExpNode.class, LogNode.class), r -> {
                    int n = between(r, 1, 3);
                    int c = between(r, 2, 4);
                    CrossEntropyOptions o = options(r, c, true).ignoreIndex(CrossEntropyOptions.DEFAULT_IGNORE_INDEX);
                    return new OpCase(o.toString(), x -> Functional.crossEntropy(x[0], x[1], o),
                            array(r, Domain.REAL, n, c), probabilities(r, n, c));
                }));
        ops.add(comp("nllLoss", 1, "log-probabilities (N, C), labels, weight/ignore/reduction at random",
                List.of(GetItemNode.class), r -> {
                    int n = between(r, 2, 4);
                    int c = between(r, 2, 4);
                    int[] t = Samplers.labels(r, n, c);
                    t[0] = c - 1;
                    CrossEntropyOptions o = options(r, c, false);
                    return new OpCase(o + " labels=" + Arrays.toString(t), x -> Functional.nllLoss(x[0], t, o),
                            array(r, Domain.REAL, n, c));
                }));
        ops.add(comp("binaryCrossEntropy", 2, "probabilities in (0.1, 0.9), targets in [0, 1], optional weight, every reduction",
                List.of(LogNode.class), r -> {
                    int[] s = shape(r, 1, 2, 3);
                    Reduction red = pick(r, Reduction.values());
                    NDArray w = r.nextBoolean() ? positive(r, s[s.length - 1]) : null;
                    NDArray p = Samplers.awayFrom(r, 0.1, 0.9, new double[0], 0.0, s);
                    NDArray t = Samplers.awayFrom(r, 0.0, 1.0, new double[0], 0.0, s);
                    return new OpCase("weight=" + (w != null) + " reduction=" + red.torchName(),
                            x -> Functional.binaryCrossEntropy(x[0], x[1], w, red), p, t);
                }));
        ops.add(comp("binaryCrossEntropyWithLogits", 2, "REAL logits, targets in [0, 1], optional weight and posWeight, "
                + "every reduction", List.of(ExpNode.class, LogNode.class), r -> {
                    int[] s = shape(r, 1, 2, 3);
                    Reduction red = pick(r, Reduction.values());
                    int c = s[s.length - 1];
                    NDArray w = r.nextBoolean() ? positive(r, c) : null;
                    NDArray pw = r.nextBoolean() ? positive(r, c) : null;
                    NDArray t = Samplers.awayFrom(r, 0.0, 1.0, new double[0], 0.0, s);
                    return new OpCase("weight=" + (w != null) + " posWeight=" + (pw != null) + " reduction=" + red.torchName(),
                            x -> Functional.binaryCrossEntropyWithLogits(x[0], x[1], w, pw, red),
                            array(r, Domain.REAL, s), t);
                }));
        // ---------------------------------------------------------------- penalties
        ops.add(comp("l2Penalty", 2, "two REAL arrays, lambda 0.3", List.of(MulNode.class, SumNode.class), r ->
                new OpCase("lambda=0.3", x -> Functional.l2Penalty(List.of(x[0], x[1]), 0.3),
                        array(r, Domain.REAL, shape(r, 1, 2, 3)), array(r, Domain.REAL, shape(r, 1, 2, 3)))));
        ops.add(comp("l1Penalty", 1, "AWAY_FROM_ZERO array (kink at 0), lambda 0.3", List.of(AbsNode.class), r ->
                new OpCase("lambda=0.3", x -> Functional.l1Penalty(List.of(x[0]), 0.3),
                        array(r, Domain.AWAY_FROM_ZERO, shape(r, 1, 2, 3)))));
        convVariants(ops);
        return ops;
    }

    // ---------------------------------------------------------------- convolution variants, resampling, adaptive pooling, group norm (issue 16)

    /** A positive channel count that is a multiple of {@code groups}: groups·(1 or 2). */
    private static int perGroup(Random r, int groups) {
        return groups * between(r, 1, 2);
    }

    private static void convVariants(List<OpInfo> ops) {
        ops.add(comp("conv2dGroups", 3, "REAL x (N, C, H, W), w (OC, C/groups, K, K), b (OC); groups 2-3 (depthwise when "
                + "C = groups), stride 1-2, padding 0-1, dilation 1-2", List.of(Conv2dNode.class, ConcatNode.class), r -> {
                    int g = between(r, 2, 3);
                    int c = perGroup(r, g);
                    int oc = perGroup(r, g);
                    int k = between(r, 1, 3);
                    int s = between(r, 1, 2);
                    int p = between(r, 0, 1);
                    int d = k == 1 ? 1 : between(r, 1, 2);
                    int h = d * (k - 1) + between(r, 1, 3);
                    int w = d * (k - 1) + between(r, 1, 3);
                    return new OpCase("groups=" + g + " C=" + c + " OC=" + oc + " stride=" + s + " padding=" + p
                            + " dilation=" + d, x -> Functional.conv2d(x[0], x[1], x[2], new int[] {s}, new int[] {p},
                            new int[] {d}, g), array(r, Domain.REAL, between(r, 1, 2), c, h, w),
                            array(r, Domain.REAL, oc, c / g, k, k), array(r, Domain.REAL, oc));
                }));
        ops.add(comp("conv2dSame", 3, "REAL x (N, C, H, W), w (OC, C/groups, KH, KW) with KH, KW 1-4 (even: odd total, "
                + "extra on the bottom/right), dilation 1-2, groups 1-2, padding=\"same\"", List.of(Conv2dNode.class),
                r -> {
                    int g = between(r, 1, 2);
                    int c = perGroup(r, g);
                    int oc = perGroup(r, g);
                    int kh = between(r, 1, 4);
                    int kw = between(r, 1, 4);
                    int d = between(r, 1, 2);
                    return new OpCase("kernel=(" + kh + ", " + kw + ") dilation=" + d + " groups=" + g,
                            x -> Functional.conv2d(x[0], x[1], x[2], new int[] {1}, "same", new int[] {d}, g),
                            array(r, Domain.REAL, 1, c, between(r, 1, 3), between(r, 1, 3)),
                            array(r, Domain.REAL, oc, c / g, kh, kw), array(r, Domain.REAL, oc));
                }));
        ops.add(comp("conv2dPaddingMode", 3, "REAL x (N, C, H, W) with H, W >= 2, Conv2d's reflect/replicate/circular "
                + "padding 1 (pad, then an unpadded conv), stride 1-2", List.of(GetItemNode.class, Conv2dNode.class),
                r -> {
                    String mode = pick(r, "reflect", "replicate", "circular");
                    int c = between(r, 1, 2);
                    int oc = between(r, 1, 2);
                    int k = between(r, 1, 3);
                    int s = between(r, 1, 2);
                    return new OpCase("padding_mode=" + mode + " kernel=" + k + " stride=" + s,
                            x -> Functional.conv2d(Functional.pad(x[0], new int[] {1, 1, 1, 1}, mode, 0.0), x[1], x[2],
                                    new int[] {s}, new int[] {0}, new int[] {1}, 1),
                            array(r, Domain.REAL, 1, c, between(r, 2, 3), between(r, 2, 3)),
                            array(r, Domain.REAL, oc, c, k, k), array(r, Domain.REAL, oc));
                }));
        ops.add(comp("pad", 1, "REAL rank 3-4, every mode of F.pad: pads 0-2 on the last 1-2 axes (reflect below the "
                + "axis size, circular at most it), constant value 0 or 0.5", List.of(GetItemNode.class), r -> {
                    String mode = pick(r, "constant", "reflect", "replicate", "circular");
                    int[] s = r.nextBoolean() ? new int[] {1, between(r, 1, 2), between(r, 2, 3)}
                            : new int[] {1, 1, between(r, 2, 3), between(r, 2, 3)};
                    int axes = between(r, 1, 2);
                    int[] pad = new int[2 * axes];
                    for (int k = 0; k < pad.length; k++) {
                        int dim = s[s.length - 1 - k / 2];
                        pad[k] = between(r, 0, "reflect".equals(mode) ? Math.min(2, dim - 1) : 2);
                    }
                    double value = "constant".equals(mode) ? pick(r, 0.0, 0.5) : 0.0;
                    return new OpCase("mode=" + mode + " pad=" + Arrays.toString(pad) + " value=" + value,
                            x -> Functional.pad(x[0], pad, mode, value), array(r, Domain.REAL, s));
                }));
        ops.add(comp("convTranspose2d", 3, "REAL x (N, C, H, W), w (C, OC/groups, K, K), b (OC); stride 1-2, padding "
                + "0..D(K-1)/2, output padding below max(stride, dilation), dilation 1-2, groups 1-2",
                List.of(Conv2dInputGradNode.class), r -> {
                    int g = between(r, 1, 2);
                    int c = perGroup(r, g);
                    int oc = perGroup(r, g);
                    int k = between(r, 1, 3);
                    int s = between(r, 1, 2);
                    int d = k == 1 ? 1 : between(r, 1, 2);
                    int p = between(r, 0, d * (k - 1) / 2);
                    int op = between(r, 0, Math.max(s, d) - 1);
                    return new OpCase("groups=" + g + " kernel=" + k + " stride=" + s + " padding=" + p
                            + " output_padding=" + op + " dilation=" + d,
                            x -> Functional.convTranspose2d(x[0], x[1], x[2], new int[] {s}, new int[] {p},
                                    new int[] {op}, g, new int[] {d}),
                            array(r, Domain.REAL, between(r, 1, 2), c, between(r, 1, 3), between(r, 1, 3)),
                            array(r, Domain.REAL, c, oc / g, k, k), array(r, Domain.REAL, oc));
                }));
        ops.add(comp("conv1d", 3, "REAL x (N, C, L), w (OC, C/groups, K), b (OC); groups 1-2, stride 1-2, padding 0-1 "
                + "or \"same\" (stride 1), dilation 1-2", List.of(Conv2dNode.class), r -> {
                    int g = between(r, 1, 2);
                    int c = perGroup(r, g);
                    int oc = perGroup(r, g);
                    int k = between(r, 1, 3);
                    int d = k == 1 ? 1 : between(r, 1, 2);
                    boolean same = r.nextBoolean();
                    int s = same ? 1 : between(r, 1, 2);
                    int p = between(r, 0, 1);
                    int len = d * (k - 1) + between(r, 1, 3);
                    return new OpCase("groups=" + g + " stride=" + s + " padding=" + (same ? "same" : p) + " dilation="
                            + d, x -> same ? Functional.conv1d(x[0], x[1], x[2], 1, "same", d, g)
                            : Functional.conv1d(x[0], x[1], x[2], s, p, d, g),
                            array(r, Domain.REAL, between(r, 1, 2), c, len), array(r, Domain.REAL, oc, c / g, k),
                            array(r, Domain.REAL, oc));
                }));
        ops.add(comp("convTranspose1d", 3, "REAL x (N, C, L), w (C, OC/groups, K), b (OC); stride 1-2, padding "
                + "0..D(K-1)/2, output padding, dilation 1-2, groups 1-2", List.of(Conv2dInputGradNode.class), r -> {
                    int g = between(r, 1, 2);
                    int c = perGroup(r, g);
                    int oc = perGroup(r, g);
                    int k = between(r, 1, 3);
                    int s = between(r, 1, 2);
                    int d = k == 1 ? 1 : between(r, 1, 2);
                    int p = between(r, 0, d * (k - 1) / 2);
                    int op = between(r, 0, Math.max(s, d) - 1);
                    return new OpCase("groups=" + g + " stride=" + s + " padding=" + p + " output_padding=" + op
                            + " dilation=" + d, x -> Functional.convTranspose1d(x[0], x[1], x[2], s, p, op, g, d),
                            array(r, Domain.REAL, between(r, 1, 2), c, between(r, 1, 3)),
                            array(r, Domain.REAL, c, oc / g, k), array(r, Domain.REAL, oc));
                }));
        ops.add(comp("interpolate", 1, "REAL (N, C, L) or (N, C, H, W), mode nearest, a size 1-5 or a scale factor in "
                + "{1.5, 2, 2.5}", List.of(GetItemNode.class), r -> {
                    int[] s = r.nextBoolean() ? new int[] {1, between(r, 1, 2), between(r, 1, 3)}
                            : new int[] {1, between(r, 1, 2), between(r, 1, 3), between(r, 1, 3)};
                    boolean bySize = r.nextBoolean();
                    int[] size = bySize ? new int[] {between(r, 1, 5)} : null;
                    double[] scale = bySize ? null : new double[] {pick(r, 1.5, 2.0, 2.5)};
                    return new OpCase("nearest size=" + Arrays.toString(size) + " scale=" + Arrays.toString(scale),
                            x -> Functional.interpolate(x[0], size, scale, "nearest", null), array(r, Domain.REAL, s));
                }));
        ops.add(comp("interpolateLinear", 1, "REAL (N, C, L) linear or (N, C, H, W) bilinear, align corners true, false "
                + "or unset, a size per axis 1-5 or a scale factor in {1.5, 2, 2.5}", List.of(GetItemNode.class,
                MulNode.class), r -> {
                    boolean twoD = r.nextBoolean();
                    int[] s = twoD ? new int[] {1, between(r, 1, 2), between(r, 1, 3), between(r, 1, 3)}
                            : new int[] {between(r, 1, 2), between(r, 1, 2), between(r, 1, 4)};
                    String mode = twoD ? "bilinear" : "linear";
                    Boolean align = pick(r, Boolean.TRUE, Boolean.FALSE, null);
                    boolean bySize = r.nextBoolean();
                    int[] size = bySize ? (twoD ? new int[] {between(r, 1, 5), between(r, 1, 5)} : new int[] {between(r, 1, 5)})
                            : null;
                    double[] scale = bySize ? null : new double[] {pick(r, 1.5, 2.0, 2.5)};
                    return new OpCase(mode + " align_corners=" + align + " size=" + Arrays.toString(size) + " scale="
                            + Arrays.toString(scale), x -> Functional.interpolate(x[0], size, scale, mode, align),
                            array(r, Domain.REAL, s));
                }));
        ops.add(comp("adaptiveAvgPool2d", 1, "REAL (N, C, H, W) with H, W 1-5, output size 1-4 (int or pair, larger or "
                + "smaller than the input, overlapping windows)", List.of(MatMulNode.class), r -> {
                    int[] o = r.nextBoolean() ? new int[] {between(r, 1, 4)} : new int[] {between(r, 1, 4), between(r, 1, 4)};
                    return new OpCase("output_size=" + Arrays.toString(o), x -> Functional.adaptiveAvgPool2d(x[0], o),
                            array(r, Domain.REAL, between(r, 1, 2), between(r, 1, 2), between(r, 1, 5), between(r, 1, 5)));
                }));
        ops.add(comp("adaptiveMaxPool2d", 1, "distinct values (N, C, H, W) (no ties), H, W 1-5, output size 1-4",
                List.of(dev.nabla.autograd.TakeNode.class), r -> {
                    int[] o = r.nextBoolean() ? new int[] {between(r, 1, 4)} : new int[] {between(r, 1, 4), between(r, 1, 4)};
                    return new OpCase("output_size=" + Arrays.toString(o), x -> Functional.adaptiveMaxPool2d(x[0], o),
                            Samplers.distinct(r, between(r, 1, 2), between(r, 1, 2), between(r, 1, 5), between(r, 1, 5)));
                }));
        ops.add(comp("groupNorm", 3, "REAL x (N, C, L) or (N, C, H, W), groups 1-3, at least 2 values per group, weight "
                + "and bias (C)", List.of(DivNode.class), r -> {
                    int g = between(r, 1, 3);
                    int cpg = between(r, 1, 2);
                    int c = g * cpg;
                    int[] s = r.nextBoolean() ? new int[] {between(r, 1, 2), c, cpg == 1 ? between(r, 2, 3) : between(r, 1, 3)}
                            : new int[] {between(r, 1, 2), c, 2, between(r, 1, 2)};
                    return new OpCase("num_groups=" + g, x -> Functional.groupNorm(x[0], g, x[1], x[2], 1e-5),
                            array(r, Domain.REAL, s), array(r, Domain.REAL, c), array(r, Domain.REAL, c));
                }));
    }
}
