package dev.nabla.train;

import java.util.Random;

/**
 * Independent, reproducible seeds derived from the run's seed and a stream coordinate (SplitMix64
 * mixing), so that the shuffling and dropout of epoch k depend only on (seed, k): a resumed run
 * draws exactly what an uninterrupted one would have.
 * Stateless and thread-safe.
 */
public final class Seeds {
    private Seeds() {}

    /** Stream for the data order of each epoch. */
    public static final long SHUFFLE = 1;
    /** Stream for dropout masks and other randomness inside the model during each epoch. */
    public static final long MODEL = 2;
    /** Stream for initialization. */
    public static final long INIT = 3;
    /** Stream for data splits and synthetic data. */
    public static final long DATA = 4;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /** The SplitMix64 finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed for {@code (seed, stream, index)}. */
    public static long derive(long seed, long stream, long index) {
        long h = mix(seed + GOLDEN * (stream + 1));
        return mix(h + GOLDEN * (index + 1));
    }

    /** A generator for {@code (seed, stream, index)}. */
    public static Random random(long seed, long stream, long index) {
        return new Random(derive(seed, stream, index));
    }
}
