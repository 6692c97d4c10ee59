package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * nn.RNN through the fused {@link RNNLayerNode} against the unrolled cell steps
 * ({@link RNNBase#runUnrolled}): outputs, final states and every gradient (parameters, input,
 * initial state) bitwise equal, for both dtypes, both activations, one and two layers,
 * uni- and bidirectional, batch-first or not, with and without biases and h0; and the
 * createGraph (Variable) backward bitwise equal to the raw one.
 */
class RNNLayerNodeTest {
    private static final int T = 5;
    private static final int N = 3;
    private static final int I = 2;
    private static final int H = 4;

    /** One configuration's results: output, h_n, then the gradients in a fixed order; {@code labels} gets their names. */
    private static List<NDArray> run(List<String> labels, DType dtype, RNNCell.Nonlinearity act, int layers, boolean bidir,
                                     boolean batchFirst, boolean bias, boolean withH0, boolean fused, boolean createGraph) {
        return run(labels, T, N, I, H, dtype, act, layers, bidir, batchFirst, bias, withH0, fused, createGraph);
    }

    private static List<NDArray> run(List<String> labels, int T, int N, int I, int H, DType dtype, RNNCell.Nonlinearity act, int layers, boolean bidir, boolean batchFirst,
                                     boolean bias, boolean withH0, boolean fused, boolean createGraph) {
        Random r = new Random(11);
        RNNOptions o = RNNOptions.defaults().numLayers(layers).bidirectional(bidir).batchFirst(batchFirst).bias(bias);
        RNN rnn = new RNN(I, H, act, o, r);
        rnn.to(dtype);
        int d = bidir ? 2 : 1;
        Variable x = new Variable(NDArray.randn(r, batchFirst ? new int[] {N, T, I} : new int[] {T, N, I}).astype(dtype), true);
        Variable h0 = withH0 ? new Variable(NDArray.randn(r, d * layers, N, H).astype(dtype), true) : null;
        NDArray c1 = NDArray.randn(r, batchFirst ? new int[] {N, T, d * H} : new int[] {T, N, d * H}).astype(dtype);
        NDArray c2 = NDArray.randn(r, d * layers, N, H).astype(dtype);
        Variable[] res;
        if (fused) {
            res = rnn.run(x, h0);
        } else {
            Variable[][] w = new Variable[layers * d][];
            for (int l = 0; l < layers; l++) {
                for (int k = 0; k < d; k++) {
                    w[l * d + k] = rnn.layerWeights(l, k == 1);
                }
            }
            res = rnn.runUnrolled(x, new Variable[] {h0}, w);
        }
        Variable loss = res[0].mul(new Variable(c1)).sum().add(res[1].mul(new Variable(c2)).sum());
        List<NDArray> outs = new ArrayList<>();
        outs.add(res[0].data());
        outs.add(res[1].data());
        List<Variable> wrt = new ArrayList<>(rnn.parameters());
        labels.clear();
        labels.add("output");
        labels.add("h_n");
        labels.addAll(rnn.namedParameters().keySet());
        labels.add("x");
        labels.add("h0");
        wrt.add(x);
        if (h0 != null) {
            wrt.add(h0);
        }
        if (createGraph) {
            for (Variable g : Autograd.grad(new Variable[] {loss}, wrt.toArray(new Variable[0]), null, true)) {
                outs.add(g.data());
            }
        } else {
            loss.backward();
            for (Variable v : wrt) {
                outs.add(v.grad().data());
            }
        }
        return outs;
    }

    /**
     * Bitwise equality of everything but the input-side parameter gradients (weight_ih, bias_ih):
     * their per-step terms are the unrolled ones bit for bit, but the unrolled graph's input-side
     * products of layer 0 (and of a layer above a bidirectional one) share one generation, so the
     * engine sums them in its priority queue's tie order, which the fused node does not reproduce
     * (it sums from the last computed step to the first); they must agree within
     * 4·T·N·eps·max|g| (eps the dtype's machine epsilon), above the error bound of a reordered T-term sum.
     * With {@code strict} every array must be bitwise equal (the raw and the Variable backward).
     */
    private static void assertEqual(List<String> labels, List<NDArray> a, List<NDArray> b, String what, boolean strict) {
        assertEquals(a.size(), b.size(), what);
        for (int i = 0; i < a.size(); i++) {
            NDArray p = a.get(i);
            NDArray q = b.get(i);
            String name = what + " " + labels.get(i);
            assertEquals(p.dtype(), q.dtype(), name);
            assertTrue(java.util.Arrays.equals(p.shape(), q.shape()), name + " shape");
            double[] u = p.toArray();
            double[] v = q.toArray();
            boolean inputSide = !strict && labels.get(i).startsWith("weight_ih") || labels.get(i).startsWith("bias_ih");
            double max = 0;
            for (double e : u) {
                max = Math.max(max, Math.abs(e));
            }
            double tol = 4 * a.get(0).shape()[0] * a.get(0).shape()[1] * (p.dtype() == DType.FLOAT32 ? Math.ulp(1.0f) : Math.ulp(1.0)) * max;
            for (int k = 0; k < u.length; k++) {
                boolean ok = inputSide ? Math.abs(u[k] - v[k]) <= tol
                        : Double.doubleToRawLongBits(u[k]) == Double.doubleToRawLongBits(v[k]);
                if (!ok) {
                    throw new AssertionError(name + " element " + k + ": " + u[k] + " vs " + v[k]
                            + (inputSide ? " (tolerance " + tol + ")" : " (must be bitwise equal)"));
                }
            }
        }
    }

    @Test
    void fusedEqualsUnrolledBitwiseInEveryConfiguration() {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (RNNCell.Nonlinearity act : RNNCell.Nonlinearity.values()) {
                for (int layers = 1; layers <= 2; layers++) {
                    for (boolean bidir : new boolean[] {false, true}) {
                        for (boolean batchFirst : new boolean[] {false, true}) {
                            for (boolean bias : new boolean[] {true, false}) {
                                for (boolean withH0 : new boolean[] {false, true}) {
                                    String what = dtype + " " + act + " layers=" + layers + " bidir=" + bidir
                                            + " batchFirst=" + batchFirst + " bias=" + bias + " h0=" + withH0;
                                    List<String> labels = new ArrayList<>();
                                    List<NDArray> ref = run(labels, dtype, act, layers, bidir, batchFirst, bias, withH0,
                                            false, false);
                                    List<NDArray> raw = run(labels, dtype, act, layers, bidir, batchFirst, bias, withH0,
                                            true, false);
                                    assertEqual(labels, ref, raw, what, false);
                                    List<NDArray> graph = run(labels, dtype, act, layers, bidir, batchFirst, bias, withH0,
                                            true, true);
                                    assertEqual(labels, ref, graph, what + " createGraph", false);
                                    assertEqual(labels, raw, graph, what + " raw vs createGraph", true);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Products deeper than the GEMM's 512-deep k slice (input 530, hidden 520) keep the bits too. */
    @Test
    void deepProductsSpanningSeveralKSlicesStayBitwise() {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            List<String> labels = new ArrayList<>();
            List<NDArray> ref = run(labels, 2, 2, 530, 520, dtype, RNNCell.Nonlinearity.TANH, 1, false, false, true, true,
                    false, false);
            List<NDArray> raw = run(labels, 2, 2, 530, 520, dtype, RNNCell.Nonlinearity.TANH, 1, false, false, true, true,
                    true, false);
            assertEqual(labels, ref, raw, dtype + " deep", false);
        }
    }

    /**
     * A compiled step (trace, verify, replay) through the fused layers and their raw Backward node
     * gives bitwise the eager step's loss and gradients, as the compiled-step contract demands.
     */
    @Test
    void compiledStepReplaysTheFusedLayersBitwise() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Random r = new Random(2);
            RNN rnn = new RNN(I, H, RNNCell.Nonlinearity.TANH, RNNOptions.defaults().numLayers(2).bidirectional(true), r);
            Linear head = new Linear(2 * H, 1, r);
            rnn.to(dtype);
            head.to(dtype);
            List<Parameter> params = new ArrayList<>(rnn.parameters());
            params.addAll(head.parameters());
            dev.nabla.autograd.compile.StepFunction fn = in -> Functional.mseLoss(head.call(rnn.call(in[0])), in[1]);
            dev.nabla.autograd.compile.CompiledStep step = dev.nabla.autograd.compile.Compiled.step(params, fn, () -> { });
            for (int k = 0; k < 4; k++) {
                NDArray x = NDArray.randn(r, T, N, I).astype(dtype);
                NDArray y = NDArray.randn(r, T, N, 1).astype(dtype);
                for (Parameter p : params) {
                    p.clearGrad();
                }
                NDArray eager = fn.loss(new Variable[] {new Variable(x), new Variable(y)}).data();
                List<NDArray> eagerGrads = new ArrayList<>();
                Variable loss = fn.loss(new Variable[] {new Variable(x), new Variable(y)});
                loss.backward();
                for (Parameter p : params) {
                    eagerGrads.add(p.grad().data().copy());
                }
                NDArray compiled = step.run(x, y);
                assertEquals(eager, compiled, dtype + " loss, call " + k);
                for (int i = 0; i < params.size(); i++) {
                    assertEquals(eagerGrads.get(i), params.get(i).grad().data(), dtype + " gradient " + i + ", call " + k);
                }
            }
            assertTrue(step.replays() >= 1, "the step replayed: " + step.replays());
        }
    }

    @Test
    void eagerRnnRecordsOneNodePerLayerAndDirection() {
        Random r = new Random(3);
        RNN rnn = new RNN(I, H, r);
        Variable out = rnn.forward(new Variable(NDArray.randn(r, T, N, I)));
        assertEquals("RNNLayer", out.creator().name());
    }

    @Test
    void badShapesNameTheOpAndTheShapes() {
        Variable x = new Variable(NDArray.zeros(T, N, I));
        Variable h0 = new Variable(NDArray.zeros(N, H));
        Parameter wIh = new Parameter(NDArray.zeros(H, I));
        Parameter wHh = new Parameter(NDArray.zeros(H, H));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RNNLayerNode.layer(x,
                new Variable(NDArray.zeros(N + 1, H)), wIh, wHh, null, null, RNNCell.Nonlinearity.TANH, false, false));
        assertTrue(e.getMessage().startsWith("RNNLayer:") && e.getMessage().contains("(" + (N + 1) + ", " + H + ")"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RNNLayerNode.layer(x, h0, wIh, wHh,
                new Parameter(NDArray.zeros(H)), null, RNNCell.Nonlinearity.TANH, false, false));
        assertTrue(e.getMessage().contains("both biases"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RNNLayerNode.layer(new Variable(NDArray.zeros(N, I)), h0,
                wIh, wHh, null, null, RNNCell.Nonlinearity.TANH, false, false));
        assertTrue(e.getMessage().contains("3-D"), e.getMessage());
        assertNotNull(RNNLayerNode.layer(x, h0, wIh, wHh, null, null, RNNCell.Nonlinearity.TANH, false, false));
    }

    @Test
    void noGradientForAnInputThatDoesNotRequireIt() {
        Random r = new Random(5);
        RNN rnn = new RNN(I, H, r);
        Variable x = new Variable(NDArray.randn(r, T, N, I));
        rnn.forward(x).sum().backward();
        assertNull(x.grad());
        assertNotNull(rnn.weightHh(0).grad());
    }
}
