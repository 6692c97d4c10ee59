package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;

/**
 * The products of the W2 b1000 and W3 b128 training steps (issue 18; the W6 bench configurations
 * w2-fwd1 ... w3-dx3), in both element types: the blocked path with every kernel and thread count,
 * and the default instance, give bitwise the bits of the direct loop (the reference sum order:
 * per 512-deep k slice, fma from 0 in increasing k), with beta 0 and beta 1 (a gradient added into
 * C) and operands at offsets.
 */
class TrainingShapeGemmTest {
    /** {m, n, k, transA, transB}. */
    private static final int[][] SHAPES = {
        {1000, 100, 784, 0, 1}, {1000, 10, 100, 0, 1}, {100, 784, 1000, 1, 0}, {10, 100, 1000, 1, 0},
        {1000, 100, 10, 0, 0}, {128, 1000, 784, 0, 1}, {128, 1000, 1000, 0, 1}, {128, 10, 1000, 0, 1},
        {1000, 784, 128, 1, 0}, {1000, 1000, 128, 1, 0}, {10, 1000, 128, 1, 0}, {128, 1000, 1000, 0, 0},
        {128, 1000, 10, 0, 0},
    };

    private static String describe(int[] s, float beta) {
        return s[0] + "x" + s[1] + "x" + s[2] + (s[3] != 0 ? " transA" : "") + (s[4] != 0 ? " transB" : "") + " beta=" + beta;
    }

    @Example
    void float32BlockedEqualsDirectOnTheTrainingShapes() {
        List<FloatGemmKernel> kernels = new ArrayList<>();
        kernels.add(BlockedGemm.scalarFloatKernel());
        if (BlockedGemm.vectorFloatKernel() != null) {
            kernels.add(BlockedGemm.vectorFloatKernel());
        }
        Random r = new Random(18);
        for (int[] s : SHAPES) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = new float[3 + m * k];
            float[] b = new float[5 + k * n];
            float[] c0 = new float[1 + m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < c0.length; i++) {
                c0[i] = (float) r.nextGaussian();
            }
            for (float beta : new float[] {0f, 1f}) {
                float[] ref = c0.clone();
                new BlockedGemm(kernels.get(0), 1, BlockedGemm.DIRECT, Long.MAX_VALUE)
                        .gemm(s[3] != 0, s[4] != 0, m, n, k, 1f, a, 3, b, 5, beta, ref, 1);
                for (FloatGemmKernel kern : kernels) {
                    for (int threads = 1; threads <= 2; threads++) {
                        float[] got = c0.clone();
                        new BlockedGemm(kern, threads, BlockedGemm.BLOCKED, 0)
                                .gemm(s[3] != 0, s[4] != 0, m, n, k, 1f, a, 3, b, 5, beta, got, 1);
                        assertArrayEquals(ref, got, kern.name() + ", " + threads + " threads, " + describe(s, beta));
                    }
                }
                float[] got = c0.clone();
                new BlockedGemm().gemm(s[3] != 0, s[4] != 0, m, n, k, 1f, a, 3, b, 5, beta, got, 1);
                assertArrayEquals(ref, got, "default instance, " + describe(s, beta));
            }
        }
    }

    @Example
    void float64BlockedEqualsDirectOnTheTrainingShapes() {
        List<GemmKernel> kernels = new ArrayList<>();
        kernels.add(BlockedGemm.scalarKernel());
        if (BlockedGemm.vectorKernel() != null) {
            kernels.add(BlockedGemm.vectorKernel());
        }
        Random r = new Random(81);
        for (int[] s : SHAPES) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            double[] a = new double[3 + m * k];
            double[] b = new double[5 + k * n];
            double[] c0 = new double[1 + m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextGaussian();
            }
            for (int i = 0; i < c0.length; i++) {
                c0[i] = r.nextGaussian();
            }
            for (double beta : new double[] {0.0, 1.0}) {
                double[] ref = c0.clone();
                new BlockedGemm(kernels.get(0), 1, BlockedGemm.DIRECT, Long.MAX_VALUE)
                        .gemm(s[3] != 0, s[4] != 0, m, n, k, 1.0, a, 3, b, 5, beta, ref, 1);
                for (GemmKernel kern : kernels) {
                    for (int threads = 1; threads <= 2; threads++) {
                        double[] got = c0.clone();
                        new BlockedGemm(kern, threads, BlockedGemm.BLOCKED, 0)
                                .gemm(s[3] != 0, s[4] != 0, m, n, k, 1.0, a, 3, b, 5, beta, got, 1);
                        assertArrayEquals(ref, got, kern.name() + ", " + threads + " threads, " + describe(s, (float) beta));
                    }
                }
                double[] got = c0.clone();
                new BlockedGemm().gemm(s[3] != 0, s[4] != 0, m, n, k, 1.0, a, 3, b, 5, beta, got, 1);
                assertArrayEquals(ref, got, "default instance, " + describe(s, (float) beta));
            }
        }
    }
}
