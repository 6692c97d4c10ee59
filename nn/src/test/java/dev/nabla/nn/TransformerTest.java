package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The transformer layers and stacks: PyTorch's state-dict keys and shapes (listed from PyTorch's
 * documented module layout), pre- and post-norm as defined (recomputed from the submodules),
 * masks reaching the attention, the stacks, the positional modules, and whole-module gradient
 * checks in float64.
 */
class TransformerTest {

    /** PyTorch's {@code MultiheadAttention} entries under {@code prefix}, for width {@code e}. */
    static void attention(Map<String, int[]> keys, String prefix, int e) {
        keys.put(prefix + "in_proj_weight", new int[] {3 * e, e});
        keys.put(prefix + "in_proj_bias", new int[] {3 * e});
        keys.put(prefix + "out_proj.weight", new int[] {e, e});
        keys.put(prefix + "out_proj.bias", new int[] {e});
    }

    /**
     * {@code nn.TransformerEncoderLayer(d_model=e, nhead, dim_feedforward=f).state_dict()}: the
     * order of PyTorch's {@code __init__} (self_attn, linear1, dropout, linear2, norm1, norm2).
     */
    static Map<String, int[]> encoderLayerKeys(String prefix, int e, int f) {
        Map<String, int[]> k = new LinkedHashMap<>();
        attention(k, prefix + "self_attn.", e);
        k.put(prefix + "linear1.weight", new int[] {f, e});
        k.put(prefix + "linear1.bias", new int[] {f});
        k.put(prefix + "linear2.weight", new int[] {e, f});
        k.put(prefix + "linear2.bias", new int[] {e});
        for (String n : new String[] {"norm1", "norm2"}) {
            k.put(prefix + n + ".weight", new int[] {e});
            k.put(prefix + n + ".bias", new int[] {e});
        }
        return k;
    }

    /** {@code nn.TransformerDecoderLayer}: self_attn, multihead_attn, linear1, linear2, norm1..norm3. */
    static Map<String, int[]> decoderLayerKeys(String prefix, int e, int f) {
        Map<String, int[]> k = new LinkedHashMap<>();
        attention(k, prefix + "self_attn.", e);
        attention(k, prefix + "multihead_attn.", e);
        k.put(prefix + "linear1.weight", new int[] {f, e});
        k.put(prefix + "linear1.bias", new int[] {f});
        k.put(prefix + "linear2.weight", new int[] {e, f});
        k.put(prefix + "linear2.bias", new int[] {e});
        for (String n : new String[] {"norm1", "norm2", "norm3"}) {
            k.put(prefix + n + ".weight", new int[] {e});
            k.put(prefix + n + ".bias", new int[] {e});
        }
        return k;
    }

    static void assertKeys(Map<String, int[]> expected, Module m) {
        Map<String, NDArray> sd = m.stateDict();
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(sd.keySet()));
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), sd.get(e.getKey()).shape(), e.getKey());
        }
    }

    static TransformerEncoderLayer encoderLayer(boolean normFirst, boolean batchFirst, TransformerActivation act,
                                                long seed) {
        return new TransformerEncoderLayer(4, 2, 6, 0.0, act, 1e-5, batchFirst, normFirst, new Random(seed));
    }

    @Test
    void encoderLayerAndStackHavePyTorchsStateDict() {
        assertKeys(encoderLayerKeys("", 8, 16), new TransformerEncoderLayer(8, 2, 16, 0.1, TransformerActivation.RELU,
                1e-5, false, false, new Random(0)));
        Map<String, int[]> stack = new LinkedHashMap<>(encoderLayerKeys("layers.0.", 8, 16));
        stack.putAll(encoderLayerKeys("layers.1.", 8, 16));
        stack.put("norm.weight", new int[] {8});
        stack.put("norm.bias", new int[] {8});
        Random r = new Random(0);
        TransformerEncoder enc = new TransformerEncoder(i -> new TransformerEncoderLayer(8, 2, 16, 0.1,
                TransformerActivation.RELU, 1e-5, false, false, r), 2, new LayerNorm(8));
        assertKeys(stack, enc);
        // PyTorch's default dim_feedforward is 2048
        assertArrayEquals(new int[] {2048, 8}, new TransformerEncoderLayer(8, 2, r).stateDict().get("linear1.weight").shape());
    }

    @Test
    void decoderLayerAndStackHavePyTorchsStateDict() {
        assertKeys(decoderLayerKeys("", 8, 16), new TransformerDecoderLayer(8, 4, 16, 0.1, TransformerActivation.GELU,
                1e-5, true, true, new Random(0)));
        Map<String, int[]> stack = new LinkedHashMap<>(decoderLayerKeys("layers.0.", 8, 16));
        stack.putAll(decoderLayerKeys("layers.1.", 8, 16));
        stack.putAll(decoderLayerKeys("layers.2.", 8, 16));
        Random r = new Random(0);
        TransformerDecoder dec = new TransformerDecoder(i -> new TransformerDecoderLayer(8, 4, 16, 0.1,
                TransformerActivation.RELU, 1e-5, false, false, r), 3, null);
        assertKeys(stack, dec);
    }

    @Test
    void postNormAndPreNormAreAsDefined() {
        Random r = new Random(1);
        NDArray x = NDArray.randn(r, 3, 2, 4);
        for (boolean normFirst : new boolean[] {false, true}) {
            TransformerEncoderLayer layer = encoderLayer(normFirst, false, TransformerActivation.RELU, 2);
            Map<String, Module> c = layer.children();
            MultiheadAttention sa = (MultiheadAttention) c.get("self_attn");
            Module lin1 = c.get("linear1");
            Module lin2 = c.get("linear2");
            Module n1 = c.get("norm1");
            Module n2 = c.get("norm2");
            java.util.function.UnaryOperator<Variable> ff = h -> lin2.call(Functional.relu(lin1.call(h)));
            Variable in = new Variable(x);
            Variable expected;
            if (normFirst) {
                Variable h = in.add(sa.selfAttention(n1.call(in)));
                expected = h.add(ff.apply(n2.call(h)));
            } else {
                Variable h = n1.call(in.add(sa.selfAttention(in)));
                expected = n2.call(h.add(ff.apply(h)));
            }
            NDArray got = layer.call(in).data();
            assertTrue(expected.data().allClose(got, 0, 1e-13), "normFirst=" + normFirst);
        }
        // the same weights give different outputs pre- and post-norm
        TransformerEncoderLayer post = encoderLayer(false, false, TransformerActivation.RELU, 3);
        TransformerEncoderLayer pre = encoderLayer(true, false, TransformerActivation.RELU, 3);
        assertArrayEquals(post.stateDict().get("linear1.weight").toArray(), pre.stateDict().get("linear1.weight").toArray());
        NDArray a = post.call(new Variable(x)).data();
        NDArray b = pre.call(new Variable(x)).data();
        assertTrue(a.maxAbsDiff(b) > 1e-3, "pre- and post-norm coincide");
        // post-norm ends in LayerNorm (unit weight, zero bias): every position has mean 0, variance ~1
        NDArray mean = a.mean(new int[] {2}, false);
        assertTrue(mean.abs().max(null, false).item() < 1e-12);
        NDArray preMean = b.mean(new int[] {2}, false);
        assertTrue(preMean.abs().max(null, false).item() > 1e-3, "pre-norm output is not normalized");
    }

    @Test
    void decoderPostAndPreNormAreAsDefined() {
        Random r = new Random(4);
        NDArray t = NDArray.randn(r, 2, 3, 4);
        NDArray mem = NDArray.randn(r, 2, 5, 4);
        for (boolean normFirst : new boolean[] {false, true}) {
            TransformerDecoderLayer layer = new TransformerDecoderLayer(4, 2, 6, 0.0, TransformerActivation.GELU, 1e-5,
                    true, normFirst, new Random(5));
            Map<String, Module> c = layer.children();
            MultiheadAttention sa = (MultiheadAttention) c.get("self_attn");
            MultiheadAttention ca = (MultiheadAttention) c.get("multihead_attn");
            Module lin1 = c.get("linear1");
            Module lin2 = c.get("linear2");
            java.util.function.UnaryOperator<Variable> ff = h -> lin2.call(Functional.gelu(lin1.call(h)));
            Variable m = new Variable(mem);
            java.util.function.UnaryOperator<Variable> cross = h -> ca.apply(MultiheadAttention.Input.of(h, m, m)).output();
            Variable in = new Variable(t);
            Variable causal = Variable.constant(Attention.squareSubsequentMask(3));
            java.util.function.UnaryOperator<Variable> self = h -> sa.apply(MultiheadAttention.Input.self(h)
                    .withAttnMask(causal)).output();
            Variable expected;
            if (normFirst) {
                Variable h = in.add(self.apply(c.get("norm1").call(in)));
                h = h.add(cross.apply(c.get("norm2").call(h)));
                expected = h.add(ff.apply(c.get("norm3").call(h)));
            } else {
                Variable h = c.get("norm1").call(in.add(self.apply(in)));
                h = c.get("norm2").call(h.add(cross.apply(h)));
                expected = c.get("norm3").call(h.add(ff.apply(h)));
            }
            NDArray got = layer.apply(TransformerDecoderLayer.Input.of(in, m).withTgtMask(causal)).data();
            assertTrue(expected.data().allClose(got, 0, 1e-13), "normFirst=" + normFirst);
            NDArray viaFlag = layer.apply(TransformerDecoderLayer.Input.of(in, m).withTgtCausal(true)).data();
            assertTrue(viaFlag.allClose(got, 0, 1e-14));
            assertThrows(UnsupportedOperationException.class, () -> layer.forward(in));
        }
    }

    @Test
    void causalEncoderOutputAtPositionTIgnoresLaterTokens() {
        TransformerEncoderLayer layer = encoderLayer(true, true, TransformerActivation.RELU, 6);
        NDArray x = NDArray.randn(new Random(7), 1, 5, 4);
        NDArray y = x.copy().set(5.0, 0, 4, 2);
        NDArray a = layer.forward(new Variable(x), null, null, true).data();
        NDArray b = layer.forward(new Variable(y), null, null, true).data();
        assertEquals(0.0, a.slice(1, 0, 4).maxAbsDiff(b.slice(1, 0, 4)));
        assertTrue(a.slice(1, 4, 5).maxAbsDiff(b.slice(1, 4, 5)) > 1e-6);
        // key padding: a padded key's value does not matter
        Variable pad = Variable.constant(NDArray.of(new boolean[] {false, false, false, false, true}, 1, 5));
        NDArray pa = layer.forward(new Variable(x), null, pad, false).data();
        NDArray pb = layer.forward(new Variable(y), null, pad, false).data();
        assertEquals(0.0, pa.slice(1, 0, 4).maxAbsDiff(pb.slice(1, 0, 4)));
    }

    @Test
    void batchFirstLayerEqualsSequenceFirst() {
        TransformerEncoderLayer sf = encoderLayer(false, false, TransformerActivation.GELU, 8);
        TransformerEncoderLayer bf = encoderLayer(false, true, TransformerActivation.GELU, 9);
        bf.loadStateDict(sf.stateDict(), true);
        NDArray x = NDArray.randn(new Random(10), 2, 3, 4);
        NDArray a = bf.call(new Variable(x)).data();
        NDArray b = sf.call(new Variable(x.transpose(0, 1))).data().transpose(0, 1);
        assertTrue(a.allClose(b, 0, 1e-13));
    }

    @Test
    void dropoutInTrainingOnlyAndSeeded() {
        NDArray x = NDArray.randn(new Random(11), 3, 2, 4);
        TransformerEncoderLayer a = new TransformerEncoderLayer(4, 2, 6, 0.3, TransformerActivation.RELU, 1e-5, false,
                false, new Random(12));
        TransformerEncoderLayer b = new TransformerEncoderLayer(4, 2, 6, 0.3, TransformerActivation.RELU, 1e-5, false,
                false, new Random(12));
        NDArray ta = a.call(new Variable(x)).data();
        assertArrayEquals(ta.toArray(), b.call(new Variable(x)).data().toArray(), "same seed, same masks");
        a.eval();
        NDArray e1 = a.call(new Variable(x)).data();
        NDArray e2 = a.call(new Variable(x)).data();
        assertArrayEquals(e1.toArray(), e2.toArray());
        assertFalse(e1.allClose(ta, 0, 1e-9), "training output used dropout");
    }

    @Test
    void stacksRunEveryLayerThenTheNorm() {
        Random r = new Random(13);
        List<TransformerEncoderLayer> built = new ArrayList<>();
        TransformerEncoder enc = new TransformerEncoder(i -> {
            TransformerEncoderLayer l = encoderLayer(true, true, TransformerActivation.RELU, 20 + i);
            built.add(l);
            return l;
        }, 2, new LayerNorm(4));
        NDArray x = NDArray.randn(r, 2, 3, 4);
        Variable expected = new Variable(x);
        for (TransformerEncoderLayer l : built) {
            expected = l.forward(expected, null, null, true);
        }
        expected = enc.children().get("norm").call(expected);
        assertTrue(expected.data().allClose(enc.forward(new Variable(x), null, null, true).data(), 0, 0));
        List<TransformerDecoderLayer> dl = new ArrayList<>();
        TransformerDecoder dec = new TransformerDecoder(i -> {
            TransformerDecoderLayer l = new TransformerDecoderLayer(4, 2, 6, 0.0, TransformerActivation.RELU, 1e-5, true,
                    false, new Random(30 + i));
            dl.add(l);
            return l;
        }, 2, null);
        NDArray mem = NDArray.randn(r, 2, 4, 4);
        Variable d = new Variable(x);
        for (TransformerDecoderLayer l : dl) {
            d = l.forward(d, new Variable(mem));
        }
        assertTrue(d.data().allClose(dec.forward(new Variable(x), new Variable(mem)).data(), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TransformerEncoder(i -> null, 0, null));
    }

    @Test
    void sinusoidalTableByHand() {
        NDArray pe = SinusoidalPositionalEncoding.table(3, 4);
        // position 1, d = 4: frequencies 1 and 1/10000^(2/4) = 0.01
        assertArrayEquals(new double[] {0, 1, 0, 1}, pe.get0(0).toArray(), 1e-15);
        assertArrayEquals(new double[] {Math.sin(1), Math.cos(1), Math.sin(0.01), Math.cos(0.01)}, pe.get0(1).toArray(),
                1e-15);
        assertArrayEquals(new double[] {Math.sin(2), Math.cos(2), Math.sin(0.02), Math.cos(0.02)}, pe.get0(2).toArray(),
                1e-15);
        SinusoidalPositionalEncoding enc = new SinusoidalPositionalEncoding(4, 10, false);
        assertEquals(List.of("pe"), List.copyOf(enc.stateDict().keySet()));
        assertTrue(enc.parameters().isEmpty(), "the encoding is fixed");
        NDArray x = NDArray.randn(new Random(14), 3, 2, 4); // (L, N, E)
        NDArray y = enc.call(new Variable(x)).data();
        for (int n = 0; n < 2; n++) {
            assertTrue(y.transpose(0, 1).get0(n).allClose(x.transpose(0, 1).get0(n).add(pe), 0, 1e-15));
        }
        SinusoidalPositionalEncoding bf = new SinusoidalPositionalEncoding(4, 10, true);
        NDArray yb = bf.call(new Variable(x.transpose(0, 1))).data();
        assertTrue(yb.allClose(y.transpose(0, 1), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> enc.call(new Variable(NDArray.zeros(11, 4))));
    }

    @Test
    void learnedPositionalEmbeddingAddsItsRowsAndIsTrained() {
        LearnedPositionalEmbedding p = new LearnedPositionalEmbedding(5, 3, true, 0.02, new Random(15));
        assertEquals(List.of("weight"), List.copyOf(p.namedParameters().keySet()));
        assertArrayEquals(new int[] {5, 3}, p.weight().shape());
        NDArray x = NDArray.randn(new Random(16), 2, 4, 3);
        NDArray y = p.call(new Variable(x)).data();
        for (int n = 0; n < 2; n++) {
            assertTrue(y.get0(n).allClose(x.get0(n).add(p.weight().data().slice(0, 0, 4)), 0, 1e-15));
        }
        GradCheck.checkParameters(() -> p.call(new Variable(x)).square().sum(), p.namedParameters()).orThrow();
        assertThrows(IllegalArgumentException.class, () -> p.call(new Variable(NDArray.zeros(2, 6, 3))));
    }

    @Test
    void gradientsOfWholeLayersInFloat64() {
        Random r = new Random(17);
        NDArray x = NDArray.randn(r, 3, 2, 4);
        NDArray target = NDArray.randn(r, 3, 2, 4);
        for (boolean normFirst : new boolean[] {false, true}) {
            TransformerEncoderLayer layer = encoderLayer(normFirst, false, TransformerActivation.GELU, 18);
            Variable pad = Variable.constant(NDArray.of(new boolean[] {false, false, true, false, false, false}, 2, 3));
            GradCheck.checkParameters(() -> layer.forward(new Variable(x), null, pad, true).sub(new Variable(target))
                    .square().sum(), layer.namedParameters()).orThrow();
            dev.nabla.autograd.GradGradCheck.check(v -> layer.forward(v[0], null, pad, true), x).orThrow();
        }
        TransformerDecoderLayer dec = new TransformerDecoderLayer(4, 2, 5, 0.0, TransformerActivation.GELU, 1e-5, false,
                true, new Random(19));
        NDArray mem = NDArray.randn(r, 4, 2, 4);
        GradCheck.checkParameters(() -> dec.apply(TransformerDecoderLayer.Input.of(new Variable(x), new Variable(mem))
                .withTgtCausal(true)).sub(new Variable(target)).square().sum(), dec.namedParameters()).orThrow();
        GradCheck.check(v -> dec.forward(v[0], v[1]), x, mem).orThrow();
    }
}
