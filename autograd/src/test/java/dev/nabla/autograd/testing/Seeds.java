package dev.nabla.autograd.testing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;

/**
 * Seeds for the core's seeded samplers: any long, without jqwik's edge cases (0, ±1, MIN, MAX
 * mean nothing special for a seed). Use as {@code @ForAll(supplier = Seeds.class) long seed}.
 */
public final class Seeds implements ArbitrarySupplier<Long> {
    @Override
    public Arbitrary<Long> get() {
        return NablaArbitraries.seeds();
    }

    /** Exposed for {@link NablaArbitraries#seeds()}. */
    static Arbitrary<Long> arbitrary() {
        return Arbitraries.longs().withoutEdgeCases();
    }
}
