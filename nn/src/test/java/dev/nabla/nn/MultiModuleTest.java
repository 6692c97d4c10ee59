package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Modules with several inputs and outputs: an encoder-decoder and a layer returning (output, state). */
class MultiModuleTest {

    record StepIn(Variable x, Variable h) {}

    record StepOut(Variable output, Variable state) {}

    /** h' = tanh(x + w ⊙ h); output = 2 h' (a layer returning (output, state), like an RNN cell). */
    static final class Cell extends MultiModule<StepIn, StepOut> {
        final Parameter w = registerParameter("w", new Parameter(NDArray.of(0.5, -1)));

        @Override
        public StepOut apply(StepIn in) {
            Variable h = in.x().add(in.h().mul(w)).tanh();
            return new StepOut(h.mul(2.0), h);
        }
    }

    record Pair(Variable src, Variable tgt) {}

    /** Encoder (a Linear) and decoder (a MultiModule of target and memory). */
    static final class EncoderDecoder extends MultiModule<Pair, Variable> {
        final Linear encoder;
        final Decoder decoder;

        EncoderDecoder(Random rng) {
            encoder = registerModule("encoder", new Linear(3, 2, rng));
            decoder = registerModule("decoder", new Decoder());
        }

        @Override
        public Variable apply(Pair in) {
            Variable memory = encoder.call(in.src());
            return decoder.apply(new StepIn(in.tgt(), memory)).output();
        }
    }

    static final class Decoder extends MultiModule<StepIn, StepOut> {
        final Cell cell = registerModule("cell", new Cell());

        @Override
        public StepOut apply(StepIn in) {
            return cell.apply(in);
        }
    }

    @Test
    void aLayerReturnsOutputAndStateWithGradientsThroughBoth() {
        Cell cell = new Cell();
        Variable x = Variable.of(0.1, 0.2);
        Variable h0 = Variable.of(1, 1);
        StepOut out = cell.apply(new StepIn(x, h0));
        double h1 = Math.tanh(0.1 + 0.5);
        double h2 = Math.tanh(0.2 - 1);
        assertArrayEquals(new double[] {h1, h2}, out.state().data().toArray(), 1e-15);
        assertArrayEquals(new double[] {2 * h1, 2 * h2}, out.output().data().toArray(), 1e-15);
        out.output().sum().add(out.state().sum()).backward();
        // d/dx of 3·tanh(x + w h) = 3 (1 − h'²); d/dw = that · h0
        assertArrayEquals(new double[] {3 * (1 - h1 * h1), 3 * (1 - h2 * h2)}, x.grad().data().toArray(), 1e-14);
        assertArrayEquals(new double[] {3 * (1 - h1 * h1), 3 * (1 - h2 * h2)}, cell.w.grad().data().toArray(), 1e-14);
        assertArrayEquals(new double[] {3 * (1 - h1 * h1) * 0.5, -3 * (1 - h2 * h2)}, h0.grad().data().toArray(), 1e-14);
    }

    @Test
    void encoderDecoderHasNestedKeysTrainsEndToEndAndFreezes() {
        EncoderDecoder model = new EncoderDecoder(new Random(1));
        assertEquals(List.of("encoder.weight", "encoder.bias", "decoder.cell.w"), List.copyOf(model.stateDict().keySet()));
        assertEquals("EncoderDecoder(\n  (encoder): Linear(in_features=3, out_features=2, bias=True)\n"
                + "  (decoder): Decoder(\n    (cell): Cell()\n  )\n)", model.toString());
        Variable src = Variable.constant(NDArray.of(new double[] {1, 2, 3}, new int[] {1, 3}));
        Variable tgt = Variable.constant(NDArray.of(new double[] {0.5, -0.5}, new int[] {1, 2}));
        model.apply(new Pair(src, tgt)).sum().backward();
        assertNotNull(model.encoder.weight().grad());
        assertNotNull(model.decoder.cell.w.grad());
        model.zeroGrad();
        model.encoder.requiresGrad(false);
        model.apply(new Pair(src, tgt)).sum().backward();
        assertNull(model.encoder.weight().grad());
        assertNotNull(model.decoder.cell.w.grad());
    }

    @Test
    void theSingleVariableForwardIsRefused() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> new Cell().call(Variable.constant(1)));
        assertTrue(e.getMessage().startsWith("Cell takes several inputs or returns several outputs: call apply(input)"),
                e.getMessage());
    }
}
