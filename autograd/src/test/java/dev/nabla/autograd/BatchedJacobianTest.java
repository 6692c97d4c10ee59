package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.ndarray.NDArray;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Autograd#jacfwd} and {@link Autograd#jacrev} run one vmapped pass per input (jvp over the
 * basis) and per output (vjp over the basis); they agree with the one-pass-per-column and
 * one-pass-per-row forms ({@code Transforms.jacfwdByColumns}, {@code jacrevByRows}) on every registry
 * op's first cases, and with a hand-computed Jacobian.
 */
class BatchedJacobianTest {
    private static void same(NDArray want, NDArray got, String what) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        for (int k = 0; k < want.size(); k++) {
            double a = want.getFlat(k);
            double b = got.getFlat(k);
            assertEquals(a, b, 1e-12 * Math.max(1, Math.abs(a)), what + ": element " + k);
        }
    }

    @Test
    void batchedJacobiansAgreeWithTheColumnByColumnOnesOverTheRegistry() {
        for (OpInfo op : Ops.registry()) {
            if (op.nodes().contains(FunctionNode.class)) {
                continue; // custom Functions have no batching rule (VmapRegistryProperties checks the refusal)
            }
            for (int k = 0; k < 3; k++) {
                OpCase c = op.sample(new Random(OpCheck.seed(op.name(), k)));
                Autograd.MultiFn f = xs -> new Variable[] {c.fn().apply(xs)};
                NDArray[] in = c.inputs();
                NDArray[][] fwd = Autograd.jacfwd(f, in, false);
                NDArray[][] fwdCols = Transforms.jacfwdByColumns(f, in, false);
                NDArray[][] rev = Autograd.jacrev(f, in, false);
                NDArray[][] revRows = Transforms.jacrevByRows(f, in, false);
                for (int i = 0; i < in.length; i++) {
                    same(fwdCols[0][i], fwd[0][i], op.name() + " " + c + " jacfwd block " + i);
                    same(revRows[0][i], rev[0][i], op.name() + " " + c + " jacrev block " + i);
                }
            }
        }
    }

    @Test
    void customFunctionsFallBackToTheColumnForms() {
        for (String name : new String[] {"sincosFn", "maxDimFn"}) {
            OpInfo op = Ops.byName(name);
            OpCase c = op.sample(new Random(OpCheck.seed(name, 0)));
            Autograd.MultiFn f = xs -> new Variable[] {c.fn().apply(xs)};
            same(Transforms.jacfwdByColumns(f, c.inputs(), false)[0][0], Autograd.jacfwd(f, c.inputs(), false)[0][0], name);
            same(Transforms.jacrevByRows(f, c.inputs(), false)[0][0], Autograd.jacrev(f, c.inputs(), false)[0][0], name);
        }
    }

    @Test
    void jacobianOfAnElementwiseProductByHand() {
        // f(x, y) = x * y elementwise: ∂f/∂x = diag(y), ∂f/∂y = diag(x)
        NDArray x = NDArray.of(1, 2, 3);
        NDArray y = NDArray.of(4, 5, 6);
        Autograd.MultiFn f = v -> new Variable[] {v[0].mul(v[1])};
        for (NDArray[][] j : new NDArray[][][] {Autograd.jacfwd(f, new NDArray[] {x, y}, true),
                                                 Autograd.jacrev(f, new NDArray[] {x, y}, true)}) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(r == c ? y.get(r) : 0, j[0][0].get(r, c), 0);
                    assertEquals(r == c ? x.get(r) : 0, j[0][1].get(r, c), 0);
                }
            }
        }
    }
}
