package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * The error function: d(erf x) = 2/√π e^(−x²) dx.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class ErfNode extends Node {
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].map(ErfNode::erf);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        Variable x = input(0);
        return new Variable[] {gy.mul(x.mul(x).neg().exp().mul(TWO_OVER_SQRT_PI))};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        Variable x = input(0);
        return t[0].mul(x.mul(x).neg().exp().mul(TWO_OVER_SQRT_PI));
    }

    /**
     * erf to near double precision: the Maclaurin series for {@code |x| < 3}, the continued fraction of
     * erfc beyond.
     */
    public static double erf(double x) {
        double a = Math.abs(x);
        double r;
        if (a < 3.0) {
            double term = a;
            double sum = a;
            double x2 = a * a;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double t = term / (2 * n + 1);
                sum += t;
                if (Math.abs(t) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            r = TWO_OVER_SQRT_PI * sum;
        } else if (a > 27) {
            r = 1.0;
        } else {
            double f = a;
            for (int k = 60; k >= 1; k--) {
                f = a + (k / 2.0) / f;
            }
            r = 1.0 - Math.exp(-a * a) / (Math.sqrt(Math.PI) * f);
        }
        return x < 0 ? -r : r;
    }

    @Override
    protected Variable batch(Batch b) {
        return new ErfNode().apply(b.physical(0)); // elementwise: the same op on the whole batch
    }
}
