package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.testing.NablaArbitraries;
import dev.nabla.autograd.testing.OpTry;
import dev.nabla.autograd.testing.Seeds;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Forward-mode properties of every op in {@link Ops#registry()} ({@link OpCheck#forwardMode}): the
 * jvp of each drawn case against the reverse-mode vᵀJ (⟨u, Jv⟩ = ⟨Jᵀu, v⟩) and central differences,
 * and forward over reverse against reverse over reverse, reverse over forward and central
 * differences, in float64; exhaustive over {@link #TRIES_PER_OP} deterministic tries per op (the
 * second order over {@link #SECOND_ORDER_TRIES_PER_OP}: it runs three Hessian-vector products and
 * two gradients per try), plus a randomized property over ops and seeds, and float32 tangents
 * against float64 ones as {@link Float32RegistryProperties} does for gradients.
 */
class ForwardModeRegistryProperties {
    /** Deterministic tries per op of the first-order property. */
    static final int TRIES_PER_OP = 100;

    /** Deterministic tries per op of the second-order property. */
    static final int SECOND_ORDER_TRIES_PER_OP = 50;

    @Provide
    Arbitrary<OpTry> opTries() {
        return NablaArbitraries.opTries(TRIES_PER_OP);
    }

    /** Deterministic tries per op of the float32 property. */
    static final int FLOAT32_TRIES_PER_OP = 15;

    /** Random (op, seed) tries of the randomized property. */
    static final int RANDOM_TRIES = 300;

    @Provide
    Arbitrary<OpInfo> ops() {
        return NablaArbitraries.ops();
    }

    @Provide
    Arbitrary<OpTry> float32Tries() {
        return NablaArbitraries.opTries(FLOAT32_TRIES_PER_OP);
    }

    @Provide
    Arbitrary<OpTry> secondOrderTries() {
        return NablaArbitraries.opTries(SECOND_ORDER_TRIES_PER_OP);
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 100_000, shrinking = ShrinkingMode.OFF)
    void jvpMatchesReverseModeAndCentralDifferences(@ForAll("opTries") OpTry t) {
        OpCheck.Report r = OpCheck.forwardMode(t.op(), t.seed(), true, false);
        assertTrue(r.passed(), r::toString);
        assertTrue(r.first() != null, "forward-mode check did not run");
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 100_000, shrinking = ShrinkingMode.OFF)
    void forwardOverReverseMatchesReverseOverReverse(@ForAll("secondOrderTries") OpTry t) {
        if (!t.op().twiceDifferentiable()) {
            return;
        }
        OpCheck.Report r = OpCheck.forwardMode(t.op(), t.seed(), false, true);
        assertTrue(r.passed(), r::toString);
        assertTrue(r.second() != null, "forward-over-reverse check did not run");
    }

    @Property(tries = RANDOM_TRIES, shrinking = ShrinkingMode.OFF)
    void randomCasesPassBothForwardOrders(@ForAll("ops") OpInfo op, @ForAll(supplier = Seeds.class) long seed) {
        OpCheck.Report r = OpCheck.forwardMode(op, seed);
        assertTrue(r.passed(), r::toString);
    }

    /** The forward-mode tangent of the case on {@code in} converted to {@code dtype} (grad mode off). */
    private static Variable tangent(OpCase c, NDArray[] in, NDArray[] v, DType dtype) {
        try (Autograd.Scope s = Autograd.noGrad(); ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
            Variable[] xs = new Variable[in.length];
            for (int i = 0; i < in.length; i++) {
                xs[i] = ForwardAD.makeDual(new Variable(in[i].astype(dtype).copy()),
                        new Variable(v[i].astype(dtype)), level);
            }
            Variable y = c.fn().apply(xs);
            Variable t = ForwardAD.tangent(y);
            return t == null ? new Variable(NDArray.zerosLike(y.data())) : t;
        }
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 100_000, shrinking = ShrinkingMode.OFF)
    void float32TangentsStayFloat32AndTrackFloat64(@ForAll("float32Tries") OpTry t) {
        OpInfo op = t.op();
        if (op.name().equals("astype")) {
            return; // its registry case casts to float64 by design
        }
        OpCase c = op.sample(new Random(t.seed()));
        NDArray[] in = c.inputs();
        NDArray[] v = new NDArray[in.length];
        Random r = new Random(t.seed() ^ 3);
        for (int i = 0; i < in.length; i++) {
            in[i] = in[i].astype(DType.FLOAT32); // the float32 values both runs use
            v[i] = NDArray.randn(r, DType.FLOAT32, in[i].shape());
        }
        Variable t32 = tangent(c, in, v, DType.FLOAT32);
        Variable t64 = tangent(c, in, v, DType.FLOAT64);
        Float32RegistryProperties.assertFloat32Close(t64.data(), t32, op.name() + " " + c + ": tangent");
    }

    @Example
    void exhaustiveTriesAreExactlyKPerOp() {
        long count = NablaArbitraries.opTries(TRIES_PER_OP).exhaustive().orElseThrow().maxCount();
        assertEquals((long) Ops.registry().size() * TRIES_PER_OP, count);
    }
}
