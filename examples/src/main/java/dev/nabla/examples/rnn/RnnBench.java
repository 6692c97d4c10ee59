package dev.nabla.examples.rnn;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.JsonWriter;
import dev.nabla.nn.RNN;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Times one forward + backward step of a one-layer tanh {@link RNN} (default T = 30, N = 32,
 * H = 100, inputSize = 100) and prints one JSON line. Arguments: {@code [T N H inputSize iterations]}.
 * A measurement program, not a test.
 * Not thread-safe: a timing runs alone, on one thread.
 */
public final class RnnBench {
    private RnnBench() {}

    /** Runs the benchmark. */
    public static void main(String[] args) {
        int t = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int h = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int f = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int iters = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        Random rng = new Random(0);
        RNN rnn = new RNN(f, h, rng);
        Variable x = new Variable(NDArray.randn(rng, t, n, f));
        for (int i = 0; i < Math.max(20, iters / 4); i++) {
            step(rnn, x);
        }
        double[] ms = new double[iters];
        for (int i = 0; i < iters; i++) {
            long t0 = System.nanoTime();
            step(rnn, x);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        double mean = Arrays.stream(ms).average().orElse(Double.NaN);
        Arrays.sort(ms);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "rnn_tanh_forward_backward");
        line.put("T", t);
        line.put("N", n);
        line.put("H", h);
        line.put("inputSize", f);
        line.put("iterations", iters);
        line.put("median_ms", millis3(ms[iters / 2]));
        line.put("mean_ms", millis3(mean));
        line.put("min_ms", millis3(ms[0]));
        System.out.println(JsonWriter.write(line));
    }

    private static double millis3(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }

    private static void step(RNN rnn, Variable x) {
        rnn.zeroGrad();
        rnn.forward(x).square().mean().backward();
    }
}
