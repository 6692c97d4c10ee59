package dev.nabla.nn.conv;

import dev.nabla.ndarray.Gemm;
import java.util.Arrays;

/**
 * The innermost typed loops of the convolution and pooling kernels, for raw {@code double[]}
 * (float64) or {@code float[]} (float32) arrays passed as {@code Object}. The kernels' index and
 * geometry logic is written once over {@code Object} arrays and calls these for every run of
 * contiguous elements; only these short loops exist twice (Java has no generics over primitive
 * types). Each method dispatches once per run on the array's class, which the JIT predicts
 * perfectly within one dtype; a float32 call computes in float (and the float GEMM), a float64
 * call exactly as the kernels did before they were typed.
 */
final class Typed {
    private Typed() {}

    /** A new zeroed array of {@code n} floats when {@code f32}, else of {@code n} doubles. */
    static Object alloc(boolean f32, int n) {
        return f32 ? new float[n] : new double[n];
    }

    /** Zeroes {@code a[from..to)}. */
    static void zero(Object a, int from, int to) {
        if (a instanceof float[] f) {
            Arrays.fill(f, from, to, 0f);
        } else {
            Arrays.fill((double[]) a, from, to, 0.0);
        }
    }

    /** {@code dst[d + q] = src[s + q·stride]} for q below n. */
    static void copyStrided(Object src, int s, int stride, Object dst, int d, int n) {
        if (src instanceof float[] f) {
            float[] t = (float[]) dst;
            for (int q = 0; q < n; q++) {
                t[d + q] = f[s + q * stride];
            }
        } else {
            double[] a = (double[]) src;
            double[] t = (double[]) dst;
            for (int q = 0; q < n; q++) {
                t[d + q] = a[s + q * stride];
            }
        }
    }

    /** {@code dst[d + q·stride] += src[s + q]} for q below n. */
    static void addStrided(Object src, int s, Object dst, int d, int stride, int n) {
        if (src instanceof float[] f) {
            float[] t = (float[]) dst;
            if (stride == 1) {
                for (int q = 0; q < n; q++) {
                    t[d + q] += f[s + q];
                }
            } else {
                for (int q = 0; q < n; q++) {
                    t[d + q * stride] += f[s + q];
                }
            }
        } else {
            double[] a = (double[]) src;
            double[] t = (double[]) dst;
            if (stride == 1) {
                for (int q = 0; q < n; q++) {
                    t[d + q] += a[s + q];
                }
            } else {
                for (int q = 0; q < n; q++) {
                    t[d + q * stride] += a[s + q];
                }
            }
        }
    }

    /** {@code dst[d + q] = src[s + q] + bias[f]} (bias 0 when {@code bias} is null) for q below n. */
    static void copyPlusBias(Object src, int s, Object bias, int f, Object dst, int d, int n) {
        if (src instanceof float[] a) {
            float[] t = (float[]) dst;
            float b = bias == null ? 0f : ((float[]) bias)[f];
            for (int q = 0; q < n; q++) {
                t[d + q] = a[s + q] + b;
            }
        } else {
            double[] a = (double[]) src;
            double[] t = (double[]) dst;
            double b = bias == null ? 0.0 : ((double[]) bias)[f];
            for (int q = 0; q < n; q++) {
                t[d + q] = a[s + q] + b;
            }
        }
    }

    /** {@code C = op(A)·op(B) + beta·C} (see {@link Gemm}) in the arrays' type, beta 0 or 1. */
    static void gemm(Gemm gemm, boolean transA, boolean transB, int m, int n, int k, Object a, Object b, boolean accumulate,
                     Object c) {
        if (a instanceof float[] f) {
            gemm.gemm(transA, transB, m, n, k, 1f, f, 0, (float[]) b, 0, accumulate ? 1f : 0f, (float[]) c, 0);
        } else {
            gemm.gemm(transA, transB, m, n, k, 1.0, (double[]) a, 0, (double[]) b, 0, accumulate ? 1.0 : 0.0,
                    (double[]) c, 0);
        }
    }

    /** Whether every value of {@code a} is finite. */
    static boolean allFinite(Object a) {
        if (a instanceof float[] f) {
            for (float v : f) {
                if (v - v != 0f) { // NaN exactly for NaN and infinite v
                    return false;
                }
            }
            return true;
        }
        for (double v : (double[]) a) {
            if (v - v != 0.0) {
                return false;
            }
        }
        return true;
    }
}
