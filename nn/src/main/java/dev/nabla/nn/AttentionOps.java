package dev.nabla.nn;

import static dev.nabla.autograd.Samplers.array;
import static dev.nabla.autograd.Samplers.between;

import dev.nabla.autograd.AddNode;
import dev.nabla.autograd.Domain;
import dev.nabla.autograd.DivNode;
import dev.nabla.autograd.ExpNode;
import dev.nabla.autograd.MatMulNode;
import dev.nabla.autograd.MulNode;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.OpCase;
import dev.nabla.autograd.OpInfo;
import dev.nabla.autograd.SubNode;
import dev.nabla.autograd.SumNode;
import dev.nabla.autograd.Variable;
import dev.nabla.autograd.WhereNode;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * The op registry of the attention functions ({@link Attention#scaledDotProductAttention}): one
 * {@link OpInfo} per variant (plain with a drawn or default scale, BOOL mask, differentiable
 * float mask, causal, and dropout with a fixed seed, so that every evaluation draws the same
 * mask), for the generic first- and second-order gradient properties, in autograd's format so it
 * folds into nn's registry.
 * Thread-safe: built once, in class initialization, and unmodifiable.
 */
public final class AttentionOps {
    private AttentionOps() {}

    private static final List<Class<? extends Node>> CORE = List.of(MulNode.class, MatMulNode.class, SubNode.class,
            ExpNode.class, SumNode.class, DivNode.class);

    private static final List<OpInfo> REGISTRY = Collections.unmodifiableList(build());

    /** Every attention entry, in a fixed order. */
    public static List<OpInfo> registry() {
        return REGISTRY;
    }

    /** Drawn shapes: batch axes (rank 0-2, sizes 1-2), L, S, E, Ev in 1-3. */
    private record Dims(int[] batch, int l, int s, int e, int ev) {
        static Dims draw(Random r) {
            int[] batch = new int[between(r, 0, 2)];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = between(r, 1, 2);
            }
            return new Dims(batch, between(r, 1, 3), between(r, 1, 3), between(r, 1, 3), between(r, 1, 3));
        }

        int[] shape(int a, int b) {
            int[] s = Arrays.copyOf(batch, batch.length + 2);
            s[batch.length] = a;
            s[batch.length + 1] = b;
            return s;
        }

        NDArray[] qkv(Random r) {
            return new NDArray[] {array(r, Domain.REAL, shape(l, e)), array(r, Domain.REAL, shape(s, e)),
                array(r, Domain.REAL, shape(s, ev))};
        }

        @Override
        public String toString() {
            return "batch=" + Arrays.toString(batch) + " L=" + l + " S=" + s + " E=" + e + " Ev=" + ev;
        }
    }

    private static OpInfo entry(String name, int arity, String inputs, List<Class<? extends Node>> extra,
                                Function<Random, OpCase> sampler) {
        List<Class<? extends Node>> nodes = new ArrayList<>(CORE);
        nodes.addAll(extra);
        return new OpInfo(name, OpInfo.Kind.COMPOSITE, arity, inputs, true, nodes, sampler);
    }

    private static List<OpInfo> build() {
        List<OpInfo> ops = new ArrayList<>();
        ops.add(entry("scaledDotProductAttention", 3, "REAL q (..., L, E), k (..., S, E), v (..., S, Ev); batch rank 0-2, "
                + "sizes 1-3; scale 1/sqrt(E) or drawn in [0.3, 1.5]", List.of(), r -> {
                    Dims d = Dims.draw(r);
                    Double scale = r.nextBoolean() ? null : 0.3 + 1.2 * r.nextDouble();
                    return new OpCase(d + " scale=" + scale, x -> Attention.scaledDotProductAttention(x[0], x[1], x[2], null,
                            0.0, false, scale, false, null), d.qkv(r));
                }));
        ops.add(entry("scaledDotProductAttentionBoolMask", 3, "as scaledDotProductAttention, with a drawn BOOL mask "
                + "(L, S) or (..., L, S), true = take part, now and then a fully masked row", List.of(WhereNode.class), r -> {
                    Dims d = Dims.draw(r);
                    int[] ms = r.nextBoolean() ? new int[] {d.l(), d.s()} : d.shape(d.l(), d.s());
                    boolean[] m = new boolean[dev.nabla.ndarray.Shapes.size(ms)];
                    for (int i = 0; i < m.length; i++) {
                        m[i] = r.nextInt(3) != 0;
                    }
                    Variable mask = Variable.constant(NDArray.of(m, ms));
                    return new OpCase(d + " mask=" + Arrays.toString(m), x -> Attention.scaledDotProductAttention(x[0], x[1],
                            x[2], mask, false), d.qkv(r));
                }));
        ops.add(entry("scaledDotProductAttentionFloatMask", 4, "as scaledDotProductAttention, plus a REAL additive mask "
                + "(L, S), differentiated too", List.of(AddNode.class), r -> {
                    Dims d = Dims.draw(r);
                    NDArray[] qkv = d.qkv(r);
                    NDArray mask = array(r, Domain.REAL, d.l(), d.s());
                    return new OpCase(d.toString(), x -> Attention.scaledDotProductAttention(x[0], x[1], x[2], x[3], false),
                            qkv[0], qkv[1], qkv[2], mask);
                }));
        ops.add(entry("scaledDotProductAttentionCausal", 3, "as scaledDotProductAttention with is_causal (top-left "
                + "aligned: query i sees keys 0..i, so no row is fully masked)", List.of(WhereNode.class), r -> {
                    Dims d = Dims.draw(r);
                    return new OpCase(d.toString(), x -> Attention.scaledDotProductAttention(x[0], x[1], x[2], null, true),
                            d.qkv(r));
                }));
        ops.add(entry("scaledDotProductAttentionDropout", 3, "as scaledDotProductAttention in training with dropout p in "
                + "{0.25, 0.5}, every evaluation drawing its mask from the same fixed seed", List.of(), r -> {
                    Dims d = Dims.draw(r);
                    double p = r.nextBoolean() ? 0.25 : 0.5;
                    long seed = r.nextLong();
                    return new OpCase(d + " p=" + p + " seed=" + seed, x -> Attention.scaledDotProductAttention(x[0], x[1],
                            x[2], null, p, false, null, true, new Random(seed)), d.qkv(r));
                }));
        return ops;
    }
}
