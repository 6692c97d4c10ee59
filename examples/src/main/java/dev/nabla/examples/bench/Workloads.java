package dev.nabla.examples.bench;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.F;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Gemm;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Linear;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The workloads of BENCHMARKS.md, each built as a {@link Runnable} that performs one timed call
 * (one W1 run, one training step, one product). The MLPs and the RNN use only the autograd core
 * (Parameters, Variable operations, {@link F#softmaxCrossEntropy}); LeNet uses nn's layers; all
 * update with {@link TinyOptim}.
 */
final class Workloads {
    private Workloads() {}

    /** Keeps results observable so that the JIT cannot drop the work. */
    static volatile double sink;

    // ------------------------------------------------------------------ W1

    /**
     * W1: x of shape (1,) requiring grad, {@code y = x}; 10,000 times {@code y = y*a + b - c}
     * (30,000 ops); then backward from y ({@code fwd+bwd}), or recording only ({@code fwd}), or
     * under no-grad ({@code fwd-nograd}).
     */
    static Runnable w1(String config) {
        final double a = 0.9999;
        final double b = 0.5;
        final double c = 0.25;
        Variable x = new Variable(NDArray.of(0.5), true);
        switch (config) {
            case "fwd+bwd":
                return () -> {
                    x.clearGrad();
                    Variable y = x;
                    for (int i = 0; i < 10_000; i++) {
                        y = y.mul(a).add(b).sub(c);
                    }
                    y.backward();
                    sink = x.grad().item();
                };
            case "fwd":
                return () -> {
                    Variable y = x;
                    for (int i = 0; i < 10_000; i++) {
                        y = y.mul(a).add(b).sub(c);
                    }
                    sink = y.item();
                };
            case "fwd-nograd":
                return () -> {
                    try (Autograd.Scope s = Autograd.noGrad()) {
                        Variable y = x;
                        for (int i = 0; i < 10_000; i++) {
                            y = y.mul(a).add(b).sub(c);
                        }
                        sink = y.item();
                    }
                };
            default:
                throw new IllegalArgumentException("W1: unknown config '" + config + "' (fwd+bwd, fwd, fwd-nograd)");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A weight of shape (in, out) drawn as randn * sqrt(1/in) (DeZero's Linear initialization). */
    static Parameter weight(Random rng, int in, int out) {
        return new Parameter(NDArray.randn(rng, in, out).mul(Math.sqrt(1.0 / in)));
    }

    static Parameter bias(int n) {
        return new Parameter(NDArray.zeros(n));
    }

    static int[] labels(Random rng, int n, int classes) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(classes);
        }
        return t;
    }

    /** One training step: zero grads, loss, backward, update. */
    static Runnable step(TinyOptim opt, java.util.function.Supplier<Variable> loss) {
        return () -> {
            opt.zeroGrad();
            Variable l = loss.get();
            l.backward();
            opt.step();
            sink = l.item();
        };
    }

    // ------------------------------------------------------------------ W2, W3

    /** W2: MLP 784-100-10, sigmoid hidden, softmax cross-entropy (mean), SGD lr 0.1. */
    static Runnable w2(int batch) {
        Random rng = new Random(0);
        Variable x = new Variable(NDArray.rand(rng, batch, 784));
        int[] t = labels(rng, batch, 10);
        Parameter w1 = weight(rng, 784, 100);
        Parameter b1 = bias(100);
        Parameter w2 = weight(rng, 100, 10);
        Parameter b2 = bias(10);
        TinyOptim opt = new TinyOptim.Sgd(List.of(w1, b1, w2, b2), 0.1);
        return step(opt, () -> F.softmaxCrossEntropy(F.linear(F.linear(x, w1, b1).sigmoid(), w2, b2), t));
    }

    /** W3: MLP 784-1000-1000-10, ReLU, softmax cross-entropy, Adam lr 1e-3. */
    static Runnable w3(int batch) {
        Random rng = new Random(0);
        Variable x = new Variable(NDArray.rand(rng, batch, 784));
        int[] t = labels(rng, batch, 10);
        Parameter w1 = weight(rng, 784, 1000);
        Parameter b1 = bias(1000);
        Parameter w2 = weight(rng, 1000, 1000);
        Parameter b2 = bias(1000);
        Parameter w3 = weight(rng, 1000, 10);
        Parameter b3 = bias(10);
        TinyOptim opt = new TinyOptim.Adam(List.of(w1, b1, w2, b2, w3, b3), 1e-3);
        return step(opt, () -> {
            Variable h = F.linear(x, w1, b1).relu();
            h = F.linear(h, w2, b2).relu();
            return F.softmaxCrossEntropy(F.linear(h, w3, b3), t);
        });
    }

    // ------------------------------------------------------------------ W4

    /**
     * W4: LeNet built from nn's modules (conv 1->6 5x5, ReLU, max-pool 2; conv 6->16 5x5, ReLU,
     * max-pool 2; flatten; fc 256-120-84-10 with ReLU), softmax cross-entropy (mean), SGD lr 0.1,
     * on (N, 1, 28, 28) inputs. Parameters take PyTorch's default initialization, drawn layer by
     * layer from the same generator after the data.
     */
    static Runnable w4(int batch) {
        Random rng = new Random(0);
        Variable x = new Variable(NDArray.rand(rng, batch, 1, 28, 28));
        int[] t = labels(rng, batch, 10);
        Sequential net = new Sequential(
                new Conv2d(1, 6, 5, rng), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5, rng), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(256, 120, rng), new ReLU(),
                new Linear(120, 84, rng), new ReLU(),
                new Linear(84, 10, rng));
        TinyOptim opt = new TinyOptim.Sgd(net.parameters(), 0.1);
        return step(opt, () -> F.softmaxCrossEntropy(net.call(x), t));
    }

    // ------------------------------------------------------------------ W5

    /**
     * W5: tanh RNN (input 1, hidden 100) with a linear output (100 -> 1), T = 30 steps, MSE summed
     * over steps, full BPTT, Adam lr 1e-3; inputs and targets standard normal.
     */
    static Runnable w5(int batch) {
        final int steps = 30;
        final int hidden = 100;
        Random rng = new Random(0);
        Variable[] xs = new Variable[steps];
        Variable[] ys = new Variable[steps];
        for (int s = 0; s < steps; s++) {
            xs[s] = new Variable(NDArray.randn(rng, batch, 1));
            ys[s] = new Variable(NDArray.randn(rng, batch, 1));
        }
        Parameter wx = weight(rng, 1, hidden);
        Parameter wh = weight(rng, hidden, hidden);
        Parameter bh = bias(hidden);
        Parameter wo = weight(rng, hidden, 1);
        Parameter bo = bias(1);
        Variable h0 = new Variable(NDArray.zeros(batch, hidden));
        TinyOptim opt = new TinyOptim.Adam(List.of(wx, wh, bh, wo, bo), 1e-3);
        return step(opt, () -> {
            Variable h = h0;
            Variable loss = null;
            for (int s = 0; s < steps; s++) {
                h = xs[s].matmul(wx).add(h.matmul(wh)).add(bh).tanh();
                Variable l = F.mse(F.linear(h, wo, bo), ys[s]);
                loss = loss == null ? l : loss.add(l);
            }
            return loss;
        });
    }

    // ------------------------------------------------------------------ W6

    /** W6: C = A·B for square n x n operands through {@link Gemm#current()}. */
    static Runnable w6(int n) {
        Random rng = new Random(0);
        double[] a = NDArray.rand(rng, n, n).toArray();
        double[] b = NDArray.rand(rng, n, n).toArray();
        double[] c = new double[n * n];
        return () -> {
            Gemm.current().gemm(false, false, n, n, n, 1.0, a, 0, b, 0, 0.0, c, 0);
            sink = c[n + 1];
        };
    }

    /** Every configuration of a workload, in the order they are run. */
    static List<String> configs(String workload) {
        List<String> cs = new ArrayList<>();
        switch (workload) {
            case "W1": cs.add("fwd+bwd"); cs.add("fwd"); cs.add("fwd-nograd"); break;
            case "W2": cs.add("b1"); cs.add("b100"); cs.add("b1000"); break;
            case "W3": cs.add("b128"); break;
            case "W4": cs.add("b64"); break;
            case "W5": cs.add("b1"); cs.add("b32"); break;
            case "W6": cs.add("n256"); cs.add("n512"); cs.add("n1024"); break;
            default: throw new IllegalArgumentException("unknown workload '" + workload + "' (W1..W6)");
        }
        return cs;
    }
}
