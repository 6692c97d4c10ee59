package dev.nabla.train.tensorboard;

import java.util.Arrays;

/** A growable {@code double[]} for decoding repeated fields without boxing. Not thread-safe. */
final class DoubleList {
    private double[] a = new double[16];
    private int n;

    void add(double v) {
        if (n == a.length) {
            a = Arrays.copyOf(a, 2 * n);
        }
        a[n++] = v;
    }

    double[] toArray() {
        return Arrays.copyOf(a, n);
    }
}
