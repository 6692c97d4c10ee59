package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Backward semantics: cutting the graph (detach, unchain, unchainBackward), anomaly mode,
 * retainGraph, the version counter, thread-local grad mode, accumulation and error messages.
 */
class BackwardSemanticsTest {

    // ------------------------------------------------------------ cutting the graph

    @Test
    void detachSharesTheValueButStopsGradients() {
        Variable x = Variable.of(1, 2, 3);
        Variable y = x.mul(2.0);
        Variable d = y.detach();
        assertSame(y.data(), d.data());
        assertFalse(d.requiresGrad());
        assertNull(d.creator());
        assertNotNull(y.creator());
        d.mul(x).sum().backward();
        // only the direct use of x counts: d(d·x)/dx = d = 2x
        assertTrue(x.grad().data().allClose(NDArray.of(2, 4, 6)));
    }

    @Test
    void unchainMakesAnIntermediateALeaf() {
        Variable x = Variable.scalar(3);
        Variable y = x.square();
        y.unchain();
        assertTrue(y.isLeaf());
        assertTrue(y.requiresGrad());
        y.mul(5.0).backward();
        assertEquals(5.0, y.grad().item());
        assertNull(x.grad());
    }

    @Test
    void unchainBackwardTruncatesBackpropagationThroughTime() {
        Variable w = Variable.scalar(0.7);
        Variable x = Variable.scalar(0.3);
        Variable h = Variable.constant(0.5);
        for (int t = 0; t < 3; t++) {
            h = h.mul(w).add(x).tanh();
        }
        h.unchainBackward();
        assertNull(h.creator());
        NDArray carried = h.data();
        for (int t = 0; t < 2; t++) {
            h = h.mul(w).add(x).tanh();
        }
        h.backward();
        // the same two steps started from a constant with the carried value
        Variable w2 = Variable.scalar(0.7);
        Variable x2 = Variable.scalar(0.3);
        Variable h2 = Variable.constant(carried);
        for (int t = 0; t < 2; t++) {
            h2 = h2.mul(w2).add(x2).tanh();
        }
        h2.backward();
        assertEquals(w2.grad().item(), w.grad().item(), 0.0);
        assertEquals(x2.grad().item(), x.grad().item(), 0.0);
    }

    @Test
    void unchainBackwardOfAVeryLongChainDoesNotRecurse() {
        Variable x = Variable.scalar(1.0);
        Variable y = x;
        for (int i = 0; i < 300_000; i++) {
            y = y.add(0.0);
        }
        y.unchainBackward();
        assertTrue(y.isLeaf());
    }

    // ------------------------------------------------------------ anomaly mode

    @Test
    void anomalyModeNamesTheOpWhoseBackwardProducedNaN() {
        // sqrt'(0) = inf; times the zero from mul gives NaN inside SqrtBackward
        Variable plain = Variable.of(0.0, 4.0);
        plain.sqrt().mul(Variable.constant(NDArray.of(0, 1))).sum().backward();
        assertTrue(Double.isNaN(plain.grad().data().getFlat(0)), "without anomaly mode the NaN propagates");
        Autograd.setDetectAnomaly(true);
        try {
            Variable x = Variable.of(0.0, 4.0);
            Variable y = x.sqrt().mul(Variable.constant(NDArray.of(0, 1))).sum();
            IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
            assertTrue(e.getMessage().contains("Function 'SqrtBackward' returned nan values in its 0th output"),
                    e.getMessage());
            assertNotNull(e.getCause(), "the forward trace");
            assertTrue(e.getCause().getMessage().contains("forward call of Sqrt"), e.getCause().getMessage());
            boolean fromThisTest = false;
            for (StackTraceElement el : e.getCause().getStackTrace()) {
                fromThisTest |= el.getMethodName().equals("anomalyModeNamesTheOpWhoseBackwardProducedNaN");
            }
            assertTrue(fromThisTest, "the forward trace points at the line that called sqrt()");
        } finally {
            Autograd.setDetectAnomaly(false);
        }
        assertFalse(Autograd.isDetectAnomaly());
    }

    // ------------------------------------------------------------ retainGraph and the version counter

    @Test
    void createGraphKeepsTheGraphForAnotherBackward() {
        Variable x = Variable.scalar(1.5);
        Variable y = x.pow(3);
        y.backward(null, false, true);
        Variable g = x.grad();
        assertEquals(3 * 1.5 * 1.5, g.item(), 1e-12);
        y.backward(null, false, false); // still there: createGraph implies retainGraph
        assertEquals(2 * 3 * 1.5 * 1.5, x.grad().item(), 1e-12);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("Trying to backward through the graph a second time"), e.getMessage());
        assertTrue(e.getMessage().contains("retainGraph=true"), e.getMessage());
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Variable x = Variable.scalar(2);
        x.square().backward();
        x.square().backward();
        assertEquals(8.0, x.grad().item());
        x.clearGrad();
        assertNull(x.grad());
    }

    @Test
    void inPlaceModificationOfASavedOutputFailsBackward() {
        Variable x = Variable.of(0.5, 1.0);
        Variable y = x.exp();
        Variable z = y.sum();
        y.data().mulInPlace(2.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, z::backward);
        assertTrue(e.getMessage().contains("modified by an inplace operation: its output of Exp with shape (2,) is at "
                + "version 1; expected version 0"), e.getMessage());
    }

    @Test
    void inPlaceModificationOfAnUnsavedArrayIsHarmless() {
        // Add does not read its inputs in backward, so changing one afterwards changes nothing
        Variable a = Variable.of(1, 2);
        Variable b = Variable.of(3, 4);
        Variable y = a.add(b).sum();
        a.data().fill(100);
        y.backward();
        assertTrue(a.grad().data().allClose(NDArray.of(1, 1)));
        assertTrue(b.grad().data().allClose(NDArray.of(1, 1)));
    }

    @Test
    void detachedDataSharesTheVersionCounter() {
        Variable w = Variable.of(1, 2);
        Variable y = w.square().sum();
        w.detach().data().addInPlace(NDArray.of(1, 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("input 0 of Pow"), e.getMessage());
    }

    @Test
    void modifyingTheBaseOfASavedReshapeFailsBackward() {
        // reshape is a view: changing the leaf's storage changes what Mul saved
        Variable x = new Variable(NDArray.ones(2, 3), true);
        Variable w = new Variable(NDArray.ones(6), true);
        Variable y = x.reshape(6).mul(w).sum();
        x.data().addInPlace(NDArray.ones(2, 3));
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("input 0 of Mul with shape (6,) is at version 1; expected version 0"),
                e.getMessage());
    }

    // ------------------------------------------------------------ grad mode

    @Test
    void gradModeIsThreadLocalAndScopesNest() throws Exception {
        Variable x = Variable.scalar(1.0);
        AtomicBoolean otherThreadRecorded = new AtomicBoolean();
        AtomicBoolean otherThreadNoGradDidNotLeak = new AtomicBoolean();
        try (Autograd.Scope off = Autograd.noGrad()) {
            assertFalse(Autograd.isGradEnabled());
            assertNull(x.mul(2.0).creator());
            Thread t = new Thread(() -> otherThreadRecorded.set(x.mul(2.0).creator() != null));
            t.start();
            t.join();
            try (Autograd.Scope on = Autograd.enableGrad()) {
                assertNotNull(x.mul(2.0).creator());
            }
            assertFalse(Autograd.isGradEnabled());
        }
        assertTrue(otherThreadRecorded.get());
        assertTrue(Autograd.isGradEnabled());
        Thread t = new Thread(() -> {
            try (Autograd.Scope off = Autograd.noGrad()) {
                x.mul(2.0);
            }
        });
        t.start();
        t.join();
        otherThreadNoGradDidNotLeak.set(x.mul(2.0).creator() != null);
        assertTrue(otherThreadNoGradDidNotLeak.get());
    }

    @Test
    void constantsRecordNothing() {
        Variable c = new Variable(NDArray.of(1, 2));
        Variable y = c.mul(3.0).exp();
        assertNull(y.creator());
        assertFalse(y.requiresGrad());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void backwardOnAnotherThreadWorks() throws Exception {
        Variable x = Variable.scalar(3);
        Variable y = x.square();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                y.backward();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        assertNull(failure.get());
        assertEquals(6.0, x.grad().item());
    }

    // ------------------------------------------------------------ messages

    @Test
    void seedShapeMismatchIsReported() {
        Variable x = Variable.of(1, 2);
        Variable y = x.mul(2.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> y.backward(new Variable(NDArray.ones(3))));
        assertTrue(e.getMessage().contains("Mismatch in shape: grad_output[0] has a shape of (3,) and output[0] has a "
                + "shape of (2,)"), e.getMessage());
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> x.setGrad(new Variable(NDArray.ones(3))));
        assertTrue(g.getMessage().contains("assigned grad has shape (3,) but the variable has shape (2,)"),
                g.getMessage());
    }

    @Test
    void requiresGradCannotBeTurnedOffOnANonLeaf() {
        Variable y = Variable.scalar(1).mul(2.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        assertTrue(e.getMessage().contains("use detach()"), e.getMessage());
    }

    @Test
    void toStringShowsValueNameAndCreator() {
        Variable x = Variable.of(1, 2).named("x");
        assertEquals("variable([1., 2.], shape=(2,), name=x, requiresGrad=true)", x.toString());
        assertEquals("variable([2., 4.], shape=(2,), creator=Mul)", x.mul(2.0).toString());
    }
}
