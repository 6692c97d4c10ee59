package dev.nabla.nn;

import dev.nabla.ndarray.NDArray;
import java.util.Random;

/**
 * A rule that fills a weight array in place from a caller-supplied seeded generator, given the
 * layer's fan-in and fan-out. The fans are passed in (rather than read from the array's shape)
 * because layouts differ: {@link Linear} stores its weight as {@code (in, out)}, while PyTorch and
 * the convolution layers use {@code (out, in, kh, kw)}. Build instances with {@link Init}.
 * Implementations should be stateless (all randomness from the generator passed in), as those of
 * {@link Init} are: thread-safe.
 */
@FunctionalInterface
public interface Initializer {

    /**
     * Overwrites every element of {@code target} in place (bumping its version), drawing from
     * {@code rng}; {@code fanIn}/{@code fanOut} are the number of inputs feeding one output unit and
     * the number of outputs one input unit feeds.
     */
    void fill(NDArray target, int fanIn, int fanOut, Random rng);

    /**
     * Fills {@code target} using fans computed from its shape with PyTorch's convention for
     * {@code (out, in, k...)} layouts ({@link Init#fans(int[])}); for a {@link Linear} weight use
     * {@link Linear#initialize} instead, which knows its {@code (in, out)} layout.
     */
    default void fill(NDArray target, Random rng) {
        int[] f = Init.fans(target.shape());
        fill(target, f[0], f[1], rng);
    }
}
