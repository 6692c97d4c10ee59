package dev.nabla.nn;

import dev.nabla.ndarray.NDArray;

/**
 * An independent scalar-loop implementation of the three cells' equations (PyTorch's
 * definitions), on plain {@code double[][]}, to check the Variable-based cells against. Weights
 * are in PyTorch's layout: {@code wIh[gate·H + j][k]} multiplies input k for unit j.
 */
final class RNNReference {
    private RNNReference() {}

    static double[][] mat(NDArray a) {
        double[][] m = new double[a.shape(0)][a.shape(1)];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = a.get(i, j);
            }
        }
        return m;
    }

    static double[] vec(NDArray a) {
        return a == null ? null : a.toArray();
    }

    static NDArray nd(double[][] m) {
        return NDArray.of(m);
    }

    /** Pre-activation of gate block {@code g} (width H) for row n, hidden unit j. */
    static double pre(double[] x, double[] h, double[][] wIh, double[][] wHh, double[] bIh, double[] bHh,
                      int col, boolean hiddenOnly, boolean inputOnly) {
        double s = 0;
        if (!hiddenOnly) {
            for (int k = 0; k < x.length; k++) {
                s += x[k] * wIh[col][k];
            }
            s += bIh == null ? 0 : bIh[col];
        }
        if (!inputOnly) {
            for (int k = 0; k < h.length; k++) {
                s += h[k] * wHh[col][k];
            }
            s += bHh == null ? 0 : bHh[col];
        }
        return s;
    }

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    static double[][] rnn(double[][] x, double[][] h, double[][] wIh, double[][] wHh, double[] bIh, double[] bHh,
                          boolean relu) {
        int n = x.length;
        int hs = wHh[0].length;
        double[][] out = new double[n][hs];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < hs; j++) {
                double p = pre(x[r], h[r], wIh, wHh, bIh, bHh, j, false, false);
                out[r][j] = relu ? Math.max(0, p) : Math.tanh(p);
            }
        }
        return out;
    }

    /** Returns {h', c'}. */
    static double[][][] lstm(double[][] x, double[][] h, double[][] c, double[][] wIh, double[][] wHh, double[] bIh,
                             double[] bHh) {
        int n = x.length;
        int hs = wHh[0].length;
        double[][] h2 = new double[n][hs];
        double[][] c2 = new double[n][hs];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < hs; j++) {
                double i = sigmoid(pre(x[r], h[r], wIh, wHh, bIh, bHh, j, false, false));
                double f = sigmoid(pre(x[r], h[r], wIh, wHh, bIh, bHh, hs + j, false, false));
                double g = Math.tanh(pre(x[r], h[r], wIh, wHh, bIh, bHh, 2 * hs + j, false, false));
                double o = sigmoid(pre(x[r], h[r], wIh, wHh, bIh, bHh, 3 * hs + j, false, false));
                c2[r][j] = f * c[r][j] + i * g;
                h2[r][j] = o * Math.tanh(c2[r][j]);
            }
        }
        return new double[][][] {h2, c2};
    }

    static double[][] gru(double[][] x, double[][] h, double[][] wIh, double[][] wHh, double[] bIh, double[] bHh) {
        int n = x.length;
        int hs = wHh[0].length;
        double[][] out = new double[n][hs];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < hs; j++) {
                double rg = sigmoid(pre(x[r], h[r], wIh, wHh, bIh, bHh, j, false, false));
                double z = sigmoid(pre(x[r], h[r], wIh, wHh, bIh, bHh, hs + j, false, false));
                double in = pre(x[r], h[r], wIh, wHh, bIh, bHh, 2 * hs + j, false, true);
                double hn = pre(x[r], h[r], wIh, wHh, bIh, bHh, 2 * hs + j, true, false);
                double nn = Math.tanh(in + rg * hn);
                out[r][j] = (1 - z) * nn + z * h[r][j];
            }
        }
        return out;
    }

    static double maxDiff(double[][] a, NDArray b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                m = Math.max(m, Math.abs(a[i][j] - b.get(i, j)));
            }
        }
        return m;
    }
}
