package dev.nabla.data;

import java.util.Random;

/**
 * Seeded Fisher-Yates shuffles, the one implementation behind the data loader's epoch order, the
 * splits and the examples' own orderings, so that the same generator gives the same order
 * everywhere. Stateless and thread-safe (the generator passed in is the caller's to confine).
 */
public final class Shuffle {
    private Shuffle() {}

    /** Shuffles {@code a} in place: Fisher-Yates from the last element down, one {@code nextInt} per step. */
    public static void inPlace(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** {@code 0..n-1} shuffled by {@code rng}. */
    public static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        inPlace(p, rng);
        return p;
    }
}
