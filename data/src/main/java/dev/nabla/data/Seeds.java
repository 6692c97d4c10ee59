package dev.nabla.data;

import java.util.Random;

/** Derives independent, reproducible generators from a seed and stream coordinates (SplitMix64 mixing). */
final class Seeds {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** The SplitMix64 finalizer: a bijective mix with good avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed for stream {@code stream} and coordinates {@code a, b}, distinct for distinct inputs with high probability. */
    static long derive(long seed, long stream, long a, long b) {
        long h = mix(seed + GOLDEN * (stream + 1));
        h = mix(h + GOLDEN * (a + 1));
        return mix(h + GOLDEN * (b + 1));
    }

    /** A generator for the given coordinates. */
    static Random random(long seed, long stream, long a, long b) {
        return new Random(derive(seed, stream, a, b));
    }
}
