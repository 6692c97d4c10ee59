package dev.nabla.nn;

import dev.nabla.ndarray.NDArray;
import java.util.Random;

/**
 * A rule that fills a weight array in place from a caller-supplied seeded generator, given the
 * layer's fan-in and fan-out. The fans are passed in (rather than read from the array's shape)
 * because a shape alone does not always say them (a recurrent weight stacks several gates'
 * blocks); {@link Linear} and the convolution layers use PyTorch's
 * {@code (out, in)} and {@code (out, in, kh, kw)} layouts. Build instances with {@link Init}.
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
     * {@code (out, in, k...)} layouts ({@link Init#fans(int[])}), which a {@link Linear} weight
     * {@code (out, in)} follows too; {@link Linear#initialize} passes its fans itself.
     */
    default void fill(NDArray target, Random rng) {
        int[] f = Init.fans(target.shape());
        fill(target, f[0], f[1], rng);
    }
}
