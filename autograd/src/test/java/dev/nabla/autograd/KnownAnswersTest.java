package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;

/** Known answers from the classic texts and PyTorch-style semantics of backward. */
class KnownAnswersTest {

    @Test
    void sigmoidNeuronChainRule() {
        Variable w0 = Variable.scalar(2).named("w0");
        Variable w1 = Variable.scalar(-3).named("w1");
        Variable w2 = Variable.scalar(-3).named("w2");
        Variable x0 = Variable.scalar(-1).named("x0");
        Variable x1 = Variable.scalar(-2).named("x1");
        Variable z = w0.mul(x0).add(w1.mul(x1)).add(w2);
        Variable f = z.neg().exp().add(1.0).rdiv(1.0);
        f.backward();
        assertEquals(0.73, f.item(), 0.005);
        assertEquals(-0.20, w0.grad().item(), 0.005);
        assertEquals(-0.39, w1.grad().item(), 0.005);
        assertEquals(0.20, w2.grad().item(), 0.005);
        assertEquals(0.39, x0.grad().item(), 0.005);
        assertEquals(-0.59, x1.grad().item(), 0.005);
    }

    @Test
    void appleShoppingMultiplyNodes() {
        Variable price = Variable.scalar(100);
        Variable count = Variable.scalar(2);
        Variable tax = Variable.scalar(1.1);
        Variable total = price.mul(count).mul(tax);
        total.backward();
        assertEquals(220.0, total.item(), 1e-9);
        assertEquals(2.2, price.grad().item(), 1e-9);
        assertEquals(110.0, count.grad().item(), 1e-9);
        assertEquals(200.0, tax.grad().item(), 1e-9);
    }

    @Test
    void gradientsAccumulateWhenAVariableIsReused() {
        Variable x = Variable.scalar(3);
        Variable y = x.add(x).add(x);
        y.backward();
        assertEquals(3.0, x.grad().item());
        x.clearGrad();
        x.mul(x).backward();
        assertEquals(6.0, x.grad().item());
    }

    @Test
    void intermediatesDropGradsUnlessRetained() {
        Variable x = Variable.scalar(2);
        Variable a = x.square();
        Variable b = x.square().retainGrad();
        a.add(b).backward();
        assertNull(a.grad());
        assertEquals(1.0, b.grad().item());
        assertEquals(8.0, x.grad().item());
    }

    @Test
    void nonScalarBackwardDemandsASeed() {
        Variable x = Variable.of(1, 2);
        Variable y = x.mul(2.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertTrue(e.getMessage().contains("grad can be implicitly created only for scalar outputs"), e.getMessage());
        y.backward(new Variable(NDArray.of(1, 1)));
        assertTrue(x.grad().data().allClose(NDArray.of(2, 2)));
    }

    @Test
    void secondBackwardWithoutRetainGraphNamesRetainGraph() {
        Variable x = Variable.scalar(2);
        Variable y = x.exp().mul(3.0);
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
        Variable x2 = Variable.scalar(2);
        Variable y2 = x2.exp().mul(3.0);
        y2.backward(null, true, false);
        y2.backward(null, true, false);
        assertEquals(2 * 3 * Math.exp(2), x2.grad().item(), 1e-9);
    }

    @Test
    void secondDerivativeThroughCreateGraph() {
        // y = x^4 - 2x^2: y'' = 12x^2 - 4, at x = 2: 44 (DeZero step 33)
        Variable x = Variable.scalar(2.0);
        Variable y = x.pow(4).sub(x.pow(2).mul(2.0));
        y.backward(null, false, true);
        Variable gx = x.grad();
        assertEquals(24.0, gx.item(), 1e-12);
        x.clearGrad();
        gx.backward();
        assertEquals(44.0, x.grad().item(), 1e-12);
    }

    @Test
    void millionOpChainBackpropagatesWithoutRecursion() {
        Variable x = Variable.scalar(1.0);
        Variable y = x;
        for (int i = 0; i < 1_000_000; i++) {
            y = y.mul(1.0);
        }
        y.backward();
        assertEquals(1.0, x.grad().item());
    }

    @Test
    void inPlaceModificationOfASavedArrayFailsBackward() {
        Variable w = Variable.of(1, 2, 3);
        Variable x = Variable.of(4, 5, 6);
        Variable y = w.mul(x).sum();
        x.data().addInPlace(NDArray.of(1, 1, 1), 1.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
    }

    @Test
    void softmaxFamilyKnownValues() {
        Variable x = Variable.of(1, 2, 3);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertTrue(F.softmax(x, 0).data().allClose(NDArray.of(Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z)));
        assertEquals(Math.log(z), F.logsumexp(x, 0, false).item(), 1e-12);
        assertTrue(F.logSoftmax(x, -1).data().allClose(NDArray.of(1, 2, 3).sub(Math.log(z))));
        // large logits do not overflow
        assertEquals(1000 + Math.log(2), F.logsumexp(Variable.of(1000, 1000), 0, false).item(), 1e-9);
        // a 0-d input is its own logsumexp and has softmax 1, as in PyTorch
        assertEquals(1.0, F.softmax(Variable.scalar(4), 0).item());
        assertEquals(4.0, F.logsumexp(Variable.scalar(4), -1, false).item());
    }

    @Test
    void erfKnownValue() {
        assertEquals(0.8427007929497149, Variable.scalar(1).erf().item(), 1e-15);
    }

    @Test
    void noGradScopeRecordsNothingAndIsThreadLocal() throws Exception {
        Variable x = Variable.scalar(1.0);
        try (Autograd.Scope s = Autograd.noGrad()) {
            assertNull(x.mul(2.0).creator());
            Thread t = new Thread(() -> assertTrue(Autograd.isGradEnabled()));
            t.start();
            t.join();
        }
        assertTrue(x.mul(2.0).creator() != null);
    }
}
