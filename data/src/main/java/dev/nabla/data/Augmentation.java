package dev.nabla.data;

import dev.nabla.ndarray.NDArray;
import java.util.Random;

/**
 * A random transformation of one input (an image, usually), drawing all randomness from the
 * given generator so that a seeded run is reproducible. See {@link ImageAugment} for the
 * standard ones; a {@link DataLoader} applies one to every sample of a training batch.
 * Implementations must be thread-safe (stateless apart from the generator passed in): a prefetching
 * {@link DataLoader} calls them on its background thread.
 */
@FunctionalInterface
public interface Augmentation {

    /** The transformed input; must not modify {@code x} in place. */
    NDArray apply(NDArray x, Random rng);

    /** This augmentation followed by {@code next}. */
    default Augmentation andThen(Augmentation next) {
        return (x, rng) -> next.apply(apply(x, rng), rng);
    }
}
