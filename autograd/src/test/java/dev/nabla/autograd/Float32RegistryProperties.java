package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.testing.NablaArbitraries;
import dev.nabla.autograd.testing.OpTry;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Every op of the registry run on float32 inputs: the output, every value of the forward graph,
 * the first derivatives (vᵀJ) and the second derivatives through createGraph are float32, and
 * agree with the same op run in float64 on the same values to float32 precision. (Gradient
 * checks themselves stay float64: {@link OpRegistryProperties}.)
 */
class Float32RegistryProperties {
    static final int TRIES_PER_OP = 15;

    /** Relative agreement asked of float32 against float64, scaled by the largest float64 value. */
    static final double TOLERANCE = 1e-4;

    @Provide
    Arbitrary<OpTry> opTries() {
        return NablaArbitraries.opTries(TRIES_PER_OP);
    }

    static Variable[] leaves(NDArray[] in, DType dtype) {
        Variable[] xs = new Variable[in.length];
        for (int i = 0; i < in.length; i++) {
            xs[i] = new Variable(in[i].astype(dtype).copy(), true);
        }
        return xs;
    }

    static void assertFloat32Close(NDArray f64, Variable got, String what) {
        assertEquals(DType.FLOAT32, got.dtype(), what + ": dtype");
        NDArray g = got.data();
        double scale = 1;
        for (int i = 0; i < f64.size(); i++) {
            scale = Math.max(scale, Math.abs(f64.getFlat(i)));
        }
        double diff = g.maxAbsDiff(f64);
        assertTrue(diff <= TOLERANCE * scale, what + ": float32 differs from float64 by " + diff + " (scale " + scale
                + ")\n  float32 " + g + "\n  float64 " + f64);
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 100_000, shrinking = ShrinkingMode.OFF)
    void float32GraphsStayFloat32AndTrackFloat64(@ForAll("opTries") OpTry t) {
        OpInfo op = t.op();
        if (op.name().equals("astype")) {
            return; // its registry case casts to float64 by design
        }
        OpCase c = op.sample(new Random(t.seed()));
        String what = op.name() + " " + c;
        NDArray[] in = c.inputs();
        for (int i = 0; i < in.length; i++) {
            in[i] = in[i].astype(DType.FLOAT32); // the float32 values both runs use
        }
        Variable[] x32 = leaves(in, DType.FLOAT32);
        Variable[] x64 = leaves(in, DType.FLOAT64);
        Variable y32 = c.fn().apply(x32);
        Variable y64 = c.fn().apply(x64);
        for (Variable v : Float32AutogradTest.graph(y32)) {
            if (!v.dtype().isFloatingPoint()) {
                continue; // an integer index input (take, put) is a constant, not a value of the float graph
            }
            assertEquals(DType.FLOAT32, v.dtype(), what + ": a value of the forward graph");
        }
        assertFloat32Close(y64.data(), y32, what + ": forward");

        NDArray v = NDArray.randn(new Random(t.seed() ^ 1), DType.FLOAT32, y32.shape());
        Variable[] g32 = Autograd.grad(new Variable[] {y32}, x32, new Variable[] {new Variable(v)}, true);
        Variable[] g64 = Autograd.grad(new Variable[] {y64}, x64, new Variable[] {new Variable(v.astype(DType.FLOAT64))},
                true);
        Variable s32 = null;
        Variable s64 = null;
        for (int i = 0; i < in.length; i++) {
            assertFloat32Close(g64[i].data(), g32[i], what + ": gradient of input " + i);
            NDArray w = NDArray.randn(new Random(t.seed() + i), DType.FLOAT32, in[i].shape());
            Variable d32 = g32[i].mul(new Variable(w)).sum();
            Variable d64 = g64[i].mul(new Variable(w.astype(DType.FLOAT64))).sum();
            s32 = s32 == null ? d32 : s32.add(d32);
            s64 = s64 == null ? d64 : s64.add(d64);
        }
        if (!op.twiceDifferentiable() || !s32.requiresGrad()) {
            return; // linear ops: the gradient does not depend on the inputs
        }
        Variable[] gg32 = Autograd.grad(new Variable[] {s32}, x32, null, false);
        Variable[] gg64 = Autograd.grad(new Variable[] {s64}, x64, null, false);
        for (int i = 0; i < in.length; i++) {
            assertFloat32Close(gg64[i].data(), gg32[i], what + ": second derivative of input " + i);
        }
    }
}
