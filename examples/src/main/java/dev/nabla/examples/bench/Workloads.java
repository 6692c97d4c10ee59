package dev.nabla.examples.bench;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.autograd.compile.Compiled;
import dev.nabla.autograd.compile.CompiledStep;
import dev.nabla.data.ArrayDataset;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.Gemm;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Functional;
import dev.nabla.nn.Linear;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.Module;
import dev.nabla.nn.RNN;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Sigmoid;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;
import dev.nabla.train.parallel.DataParallel;
import dev.nabla.train.parallel.ReplicaFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The workloads of examples/BENCHMARKS.md, each built as a {@link Runnable} that performs one timed call
 * (one W1 run, one training step, one product), in float64 or float32. Models are built as a
 * user builds them, from nn's modules and losses and optim's optimizers, converted with
 * {@link Module#to}; W6 calls the GEMM directly.
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
    static Runnable w1(String config, DType dtype) {
        final double a = 0.9999;
        final double b = 0.5;
        final double c = 0.25;
        Variable x = new Variable(NDArray.full(dtype, 0.5, 1), true);
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

    // ------------------------------------------------------------------ J1

    /**
     * J1: the Jacobian-vector product of a 1,000-input, 1,000-output function (ten rounds of
     * {@code y = tanh(0.9·y + 0.1·sin y)}, 40 elementwise ops) in a random direction: in true forward mode
     * ({@code forward}, {@link Autograd#jvp}) or by the double-vjp trick ({@code double-vjp},
     * {@link Autograd#jvpByDoubleVjp}: a forward, a recorded backward and a backward of that).
     */
    static Runnable j1(String config, DType dtype) {
        Random rng = new Random(11);
        NDArray[] x = {NDArray.randn(rng, 1000).astype(dtype)};
        NDArray[] v = {NDArray.randn(rng, 1000).astype(dtype)};
        Autograd.Fn f = z -> {
            Variable y = z[0];
            for (int i = 0; i < 10; i++) {
                y = y.mul(0.9).add(y.sin().mul(0.1)).tanh();
            }
            return y;
        };
        switch (config) {
            case "forward":
                return () -> sink = Autograd.jvp(f, x, v).getFlat(0);
            case "double-vjp":
                return () -> sink = Autograd.jvpByDoubleVjp(f, x, v).getFlat(0);
            default:
                throw new IllegalArgumentException("J1: unknown config '" + config + "' (forward, double-vjp)");
        }
    }

    // ------------------------------------------------------------------ V1

    /**
     * V1: the gradient of each example's loss for a logistic model with 100 features over a batch
     * of 256 examples (the per-example gradients of differentially private SGD, say): in one
     * {@link Autograd#vmap} call ({@code vmap}: batching rules, one batched forward and backward)
     * or by a Java loop of one forward and one backward per example ({@code loop}).
     */
    static Runnable v1(String config, DType dtype) {
        Random rng = new Random(13);
        int n = 256;
        int d = 100;
        NDArray xs = NDArray.randn(rng, n, d).astype(dtype);
        NDArray ys = NDArray.of(labels(rng, n, 2), n).astype(dtype);
        Variable w = new Variable(NDArray.randn(rng, d).mul(0.1).astype(dtype), true);
        Autograd.Fn grad = v -> {
            Variable p = v[0].matmul(w).sigmoid();
            Variable loss = v[1].mul(p.log()).add(v[1].rsub(1).mul(p.rsub(1).log())).neg();
            return Autograd.grad(loss, w)[0];
        };
        switch (config) {
            case "vmap": {
                Autograd.Fn perExample = Autograd.vmap(grad);
                Variable x = Variable.constant(xs);
                Variable y = Variable.constant(ys);
                return () -> sink = perExample.apply(x, y).data().getFlat(0);
            }
            case "loop": {
                Variable[] x = new Variable[n];
                Variable[] y = new Variable[n];
                for (int b = 0; b < n; b++) {
                    x[b] = Variable.constant(xs.getItem(dev.nabla.ndarray.Index.at(b)));
                    y[b] = Variable.constant(ys.getItem(dev.nabla.ndarray.Index.at(b)));
                }
                return () -> {
                    double s = 0;
                    for (int b = 0; b < n; b++) {
                        s += grad.apply(x[b], y[b]).data().getFlat(0);
                    }
                    sink = s;
                };
            }
            default:
                throw new IllegalArgumentException("V1: unknown config '" + config + "' (vmap, loop)");
        }
    }

    // ------------------------------------------------------------------ helpers

    static int[] labels(Random rng, int n, int classes) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(classes);
        }
        return t;
    }

    // ------------------------------------------------------------------ W2, W3

    /**
     * One training step of a classifier as a user writes it: zero the gradients, cross-entropy of
     * the model's logits (mean over the batch), backward, optimizer step.
     */
    static Runnable classifierStep(Module model, Optimizer opt, Variable x, int[] labels, boolean compiled) {
        if (compiled) {
            CompiledStep step = Compiled.step(model.parameters(),
                    in -> Functional.crossEntropy(model.call(in[0]), labels), opt::step);
            NDArray xs = x.data();
            return () -> sink = step.run(xs).item();
        }
        return () -> {
            opt.zeroGrad();
            Variable loss = Functional.crossEntropy(model.call(x), labels);
            loss.backward();
            opt.step();
            sink = loss.item();
        };
    }

    /** W2: MLP 784-100-10 (nn.Linear), sigmoid hidden, softmax cross-entropy (mean), plain SGD lr 0.1. */
    static Runnable w2(int batch, DType dtype, boolean compiled) {
        Random rng = new Random(0);
        Variable x = new Variable(NDArray.rand(rng, dtype, batch, 784));
        int[] t = labels(rng, batch, 10);
        Module model = new Sequential(new Linear(784, 100, rng), new Sigmoid(), new Linear(100, 10, rng)).to(dtype);
        return classifierStep(model, new SGD(model.parameters(), 0.1), x, t, compiled);
    }

    /** W3: MLP 784-1000-1000-10 (nn.Linear), ReLU, softmax cross-entropy, Adam lr 1e-3. */
    static Runnable w3(int batch, DType dtype, boolean compiled) {
        Random rng = new Random(0);
        Variable x = new Variable(NDArray.rand(rng, dtype, batch, 784));
        int[] t = labels(rng, batch, 10);
        Module model = w3Model(rng, dtype);
        return classifierStep(model, new Adam(model.parameters(), 1e-3), x, t, compiled);
    }

    private static Module w3Model(Random rng, DType dtype) {
        return new Sequential(new Linear(784, 1000, rng), new ReLU(), new Linear(1000, 1000, rng), new ReLU(),
                new Linear(1000, 10, rng)).to(dtype);
    }

    /**
     * W3 or W4 trained data-parallel ({@link DataParallel}) on {@code workers} threads: the same
     * model, data and optimizer as {@link #w3}/{@link #w4}, the batch cut into two micro-shards of
     * {@code batch / 2} samples (so 1 and 2 workers do the same arithmetic: the figures show the
     * threads' scaling, plus the cost of the replicas and the reduction against the plain step).
     */
    static Runnable dataParallel(String workload, int batch, int workers, DType dtype) {
        Random rng = new Random(0);
        boolean w3 = workload.equals("W3");
        NDArray x = w3 ? NDArray.rand(rng, dtype, batch, 784) : NDArray.rand(rng, dtype, batch, 1, 28, 28);
        int[] t = labels(rng, batch, 10);
        ReplicaFactory f = r -> w3 ? w3Model(r, dtype) : w4Model(r, dtype);
        Module master = f.create(rng);
        Optimizer opt = w3 ? new Adam(master.parameters(), 1e-3) : new SGD(master.parameters(), 0.1);
        Batch b = DataLoader.of(ArrayDataset.of(x, t), batch).epoch(0).iterator().next();
        DataParallel dp = DataParallel.builder(master, f).workers(workers).shardSize(batch / 2).build(batch);
        long[] step = {0};
        return () -> sink = dp.step(b, step[0]++, opt).loss;
    }

    /** The Spark context of the Spark configurations; one per JVM, replaced when the master changes. */
    private static org.apache.spark.api.java.JavaSparkContext spark;

    /**
     * W3 trained on Spark ({@link dev.nabla.distributed.SparkTrainer}) in local mode on {@code cores}
     * cores: the model, optimizer and two micro-shards of {@code batch / 2} of {@link #dataParallel},
     * on 4 batches of random samples cached on the executor (one step per call, epoch after epoch),
     * so against {@code -w1}/{@code -w2} the figures show Spark's per-step overhead: the broadcast of
     * the parameters, two tasks, the gradients' return through the block manager, the reduction.
     */
    static Runnable spark(String workload, int batch, int cores, DType dtype) {
        return spark(workload, batch, cores, dtype, dev.nabla.distributed.SparkTrainer.Exchange.DRIVER);
    }

    /** {@link #spark} with the shard gradients exchanged as {@code exchange} says (barrier mode: {@code -barrier2}). */
    static Runnable spark(String workload, int batch, int cores, DType dtype, dev.nabla.distributed.SparkTrainer.Exchange exchange) {
        if (!workload.equals("W3")) {
            throw new IllegalArgumentException("bench: Spark configurations exist for W3 only");
        }
        Random rng = new Random(0);
        int n = 4 * batch;
        NDArray x = NDArray.rand(rng, dtype, n, 784);
        int[] t = labels(rng, n, 10);
        ReplicaFactory f = r -> w3Model(r, dtype);
        Module master = f.create(rng);
        String url = "local[" + cores + "]";
        if (spark != null && !spark.master().equals(url)) {
            spark.stop();
            spark = null;
        }
        if (spark == null) {
            spark = new org.apache.spark.api.java.JavaSparkContext(dev.nabla.examples.train.SparkRun.conf(url, "nabla bench"));
            spark.setLogLevel("WARN");
        }
        dev.nabla.distributed.SparkTrainer.Stepper s = dev.nabla.distributed.SparkTrainer
                .builder(spark, master, f, new Adam(master.parameters(), 1e-3)).batchSize(batch).shardSize(batch / 2)
                .dtype(dtype).partitions(2).exchange(exchange).build().stepper(ArrayDataset.of(x, t));
        return () -> sink = s.step();
    }

    // ------------------------------------------------------------------ W4

    /**
     * W4: LeNet built from nn's modules (Conv2d 1->6 5x5, ReLU, MaxPool2d 2; Conv2d 6->16 5x5,
     * ReLU, MaxPool2d 2; Flatten; Linear 256-120-84-10 with ReLU), softmax cross-entropy (mean),
     * plain SGD lr 0.1, on (N, 1, 28, 28) inputs. Parameters take PyTorch's default
     * initialization, drawn layer by layer from the same generator after the data.
     */
    static Runnable w4(int batch, DType dtype, boolean compiled) {
        Random rng = new Random(0);
        Variable x = new Variable(NDArray.rand(rng, dtype, batch, 1, 28, 28));
        int[] t = labels(rng, batch, 10);
        Module model = w4Model(rng, dtype);
        return classifierStep(model, new SGD(model.parameters(), 0.1), x, t, compiled);
    }

    private static Module w4Model(Random rng, DType dtype) {
        return new Sequential(
                new Conv2d(1, 6, 5, rng), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5, rng), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(256, 120, rng), new ReLU(),
                new Linear(120, 84, rng), new ReLU(),
                new Linear(84, 10, rng)).to(dtype);
    }

    // ------------------------------------------------------------------ W5

    /**
     * W5: tanh RNN (nn.RNN, input 1, hidden 100) with a linear output (100 -> 1), T = 30 steps, MSE
     * summed over steps (T times the mean over all steps), full BPTT, Adam lr 1e-3; inputs and
     * targets standard normal, (T, N, 1).
     */
    static Runnable w5(int batch, DType dtype, boolean compiled) {
        final int steps = 30;
        Random rng = new Random(0);
        Variable xs = new Variable(NDArray.randn(rng, dtype, steps, batch, 1));
        Variable ys = new Variable(NDArray.randn(rng, dtype, steps, batch, 1));
        RNN rnn = new RNN(1, 100, rng);
        Linear out = new Linear(100, 1, rng);
        rnn.to(dtype);
        out.to(dtype);
        List<Parameter> params = new ArrayList<>(rnn.parameters());
        params.addAll(out.parameters());
        Optimizer opt = new Adam(params, 1e-3);
        if (compiled) {
            CompiledStep step = Compiled.step(params, in -> Functional.mseLoss(out.call(rnn.call(in[0])), in[1]).mul(steps),
                    opt::step);
            NDArray a = xs.data();
            NDArray b = ys.data();
            return () -> sink = step.run(a, b).item();
        }
        return () -> {
            opt.zeroGrad();
            Variable loss = Functional.mseLoss(out.call(rnn.call(xs)), ys).mul(steps);
            loss.backward();
            opt.step();
            sink = loss.item();
        };
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

    /**
     * W6 in float32: C = A·B for square n x n float operands through {@link Gemm#current()} (the
     * same values as {@link #w6}, rounded to float).
     */
    static Runnable w6Float(int n) {
        Random rng = new Random(0);
        float[] a = toFloat(NDArray.rand(rng, n, n).toArray());
        float[] b = toFloat(NDArray.rand(rng, n, n).toArray());
        float[] c = new float[n * n];
        return () -> {
            Gemm.current().gemm(false, false, n, n, n, 1f, a, 0, b, 0, 0f, c, 0);
            sink = c[n + 1];
        };
    }

    /**
     * The products of the W2 b1000 and W3 b128 training steps, by name, as {m, n, k, transA, transB}
     * (1 = transposed operand, row-major storage): W6 configurations that time one of them alone.
     */
    static final java.util.Map<String, int[]> GEMM_SHAPES = gemmShapes();

    private static java.util.Map<String, int[]> gemmShapes() {
        java.util.Map<String, int[]> s = new java.util.LinkedHashMap<>();
        s.put("w2-fwd1", new int[] {1000, 100, 784, 0, 1});
        s.put("w2-fwd2", new int[] {1000, 10, 100, 0, 1});
        s.put("w2-dw1", new int[] {100, 784, 1000, 1, 0});
        s.put("w2-dw2", new int[] {10, 100, 1000, 1, 0});
        s.put("w2-dh", new int[] {1000, 100, 10, 0, 0});
        s.put("w3-fwd1", new int[] {128, 1000, 784, 0, 1});
        s.put("w3-fwd2", new int[] {128, 1000, 1000, 0, 1});
        s.put("w3-fwd3", new int[] {128, 10, 1000, 0, 1});
        s.put("w3-dw1", new int[] {1000, 784, 128, 1, 0});
        s.put("w3-dw2", new int[] {1000, 1000, 128, 1, 0});
        s.put("w3-dw3", new int[] {10, 1000, 128, 1, 0});
        s.put("w3-dx2", new int[] {128, 1000, 1000, 0, 0});
        s.put("w3-dx3", new int[] {128, 1000, 10, 0, 0});
        return java.util.Collections.unmodifiableMap(s);
    }

    /** The multiply-adds times two of a W6 configuration: a square {@code nN} or a named training-step shape. */
    static double w6Flops(String config) {
        int[] s = GEMM_SHAPES.get(config);
        if (s == null) {
            double n = Integer.parseInt(config.substring(1));
            return 2.0 * n * n * n;
        }
        return 2.0 * s[0] * s[1] * s[2];
    }

    /** W6 for a configuration: square {@code nN} or a named shape of {@link #GEMM_SHAPES}, float64 or float32. */
    static Runnable w6(String config, boolean float32) {
        int[] s = GEMM_SHAPES.get(config);
        if (s == null) {
            int n = Integer.parseInt(config.substring(1));
            return float32 ? w6Float(n) : w6(n);
        }
        int m = s[0];
        int n = s[1];
        int k = s[2];
        boolean ta = s[3] != 0;
        boolean tb = s[4] != 0;
        Random rng = new Random(0);
        double[] a = NDArray.rand(rng, m, k).toArray();
        double[] b = NDArray.rand(rng, k, n).toArray();
        if (float32) {
            float[] fa = toFloat(a);
            float[] fb = toFloat(b);
            float[] fc = new float[m * n];
            return () -> {
                Gemm.current().gemm(ta, tb, m, n, k, 1f, fa, 0, fb, 0, 0f, fc, 0);
                sink = fc[1];
            };
        }
        double[] c = new double[m * n];
        return () -> {
            Gemm.current().gemm(ta, tb, m, n, k, 1.0, a, 0, b, 0, 0.0, c, 0);
            sink = c[1];
        };
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    /** The batch size of a W2–W5 configuration such as {@code b128} or {@code b128-compiled}. */
    static int batchOf(String config) {
        int dash = config.indexOf('-');
        return Integer.parseInt(config.substring(1, dash < 0 ? config.length() : dash));
    }

    /**
     * Whether a configuration runs the step through {@link Compiled#step} (recorded once, then
     * replayed, bitwise the eager step) instead of eagerly.
     */
    static boolean isCompiled(String config) {
        return config.endsWith("-compiled");
    }

    /** Every configuration of a workload, in the order they are run. */
    static List<String> configs(String workload) {
        List<String> cs = new ArrayList<>();
        switch (workload) {
            case "W1": cs.add("fwd+bwd"); cs.add("fwd"); cs.add("fwd-nograd"); break;
            case "W2": cs.add("b1"); cs.add("b100"); cs.add("b1000");
                cs.add("b1-compiled"); cs.add("b100-compiled"); cs.add("b1000-compiled"); break;
            case "W3": cs.add("b128"); cs.add("b128-compiled"); cs.add("b128-w1"); cs.add("b128-w2"); cs.add("b128-spark1");
                cs.add("b128-spark2"); cs.add("b128-barrier2"); break;
            case "W4": cs.add("b64"); cs.add("b64-compiled"); cs.add("b64-w1"); cs.add("b64-w2"); break;
            case "W5": cs.add("b1"); cs.add("b32"); cs.add("b1-compiled"); cs.add("b32-compiled"); break;
            case "W6": cs.add("n256"); cs.add("n512"); cs.add("n1024"); cs.addAll(GEMM_SHAPES.keySet()); break;
            case "J1": cs.add("forward"); cs.add("double-vjp"); break;
            case "V1": cs.add("vmap"); cs.add("loop"); break;
            default: throw new IllegalArgumentException("unknown workload '" + workload + "' (W1..W6, J1, V1)");
        }
        return cs;
    }
}
