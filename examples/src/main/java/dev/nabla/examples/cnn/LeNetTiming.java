package dev.nabla.examples.cnn;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Functional;
import java.util.Arrays;
import java.util.Random;

/**
 * A quick timing of one LeNet training step without the update (forward, softmax cross-entropy,
 * backward, zeroGrad) on a batch of 64 random images (uniform in [0, 1), labels uniform over 10
 * classes, fixed seed, as benchmark workload W4). Prints the per-batch time of 7 repetitions and
 * their median. Not a benchmark harness: the {@code bench} command is where speed is claimed.
 * Run: {@code java -cp ... dev.nabla.examples.cnn.LeNetTiming [batch] [itersPerRep]}.
 * Not thread-safe: a timing runs alone, on one thread.
 */
public final class LeNetTiming {
    private LeNetTiming() {}

    /** Runs the timing. */
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int inner = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Random rng = new Random(0);
        LeNet net = new LeNet(rng);
        NDArray x = NDArray.rand(rng, batch, 1, 28, 28);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rng.nextInt(10);
        }
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        int warm = 0;
        while (warm < 10 || System.nanoTime() < warmEnd) {
            step(net, x, labels);
            warm++;
        }
        double[] ms = new double[7];
        for (int r = 0; r < ms.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < inner; i++) {
                step(net, x, labels);
            }
            ms[r] = (System.nanoTime() - t0) / 1e6 / inner;
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf("LeNet forward+backward, batch %d, float64, %d warm-up steps, %d steps per repetition%n",
                batch, warm, inner);
        System.out.println("ms per batch: " + Arrays.toString(ms));
        System.out.printf("median %.2f ms per batch (min %.2f, max %.2f), %.0f samples/s%n",
                sorted[3], sorted[0], sorted[6], batch / sorted[3] * 1000);
    }

    private static void step(LeNet net, NDArray x, int[] labels) {
        net.zeroGrad();
        Variable loss = Functional.crossEntropy(net.forward(new Variable(x)), labels);
        loss.backward();
    }
}
