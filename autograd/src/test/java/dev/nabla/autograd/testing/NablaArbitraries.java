package dev.nabla.autograd.testing;

import dev.nabla.autograd.Domain;
import dev.nabla.autograd.OpCase;
import dev.nabla.autograd.OpInfo;
import dev.nabla.autograd.Ops;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik arbitraries for Nabla's property tests, published in the autograd test-jar for the other
 * modules and for users: shapes (ranks 0-4, size-1 axes frequent), broadcast-compatible shape
 * pairs, NDArrays with values from a {@link Domain} (kept away from an op's kinks and poles),
 * registry ops and their deterministic tries. Shapes and values shrink toward small, simple ones.
 */
public final class NablaArbitraries {
    private NablaArbitraries() {}

    /** Shapes of rank 0-4 with axis sizes 1-4. */
    public static Arbitrary<int[]> shapes() {
        return shapes(0, 4, 4);
    }

    /** Shapes of rank {@code minRank..maxRank} with axis sizes {@code 1..maxDim}; size 1 is drawn often. */
    public static Arbitrary<int[]> shapes(int minRank, int maxRank, int maxDim) {
        Arbitrary<Integer> dim = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(1)),
                Tuple.of(2, Arbitraries.integers().between(1, maxDim)));
        return dim.list().ofMinSize(minRank).ofMaxSize(maxRank)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Shapes that broadcast to {@code target}: some leading axes dropped and some axes set to 1
     * (including {@code target} itself and the scalar shape).
     */
    public static Arbitrary<int[]> broadcastableTo(int[] target) {
        int[] t = target.clone();
        return Combinators.combine(
                        Arbitraries.integers().between(0, t.length),
                        Arbitraries.of(false, false, true).list().ofSize(t.length))
                .as((drop, ones) -> {
                    int[] s = new int[t.length - drop];
                    for (int i = 0; i < s.length; i++) {
                        s[i] = ones.get(i + drop) ? 1 : t[i + drop];
                    }
                    return s;
                });
    }

    /** Pairs of shapes (ranks 0-4, sizes 1-4) that broadcast together, different ranks and size-1 axes included. */
    public static Arbitrary<BroadcastPair> broadcastPairs() {
        return broadcastPairs(4, 4);
    }

    /** Broadcast-compatible pairs drawn from a common shape of rank up to {@code maxRank}. */
    public static Arbitrary<BroadcastPair> broadcastPairs(int maxRank, int maxDim) {
        return shapes(0, maxRank, maxDim).flatMap(out -> Combinators.combine(broadcastableTo(out), broadcastableTo(out))
                .as(BroadcastPair::new));
    }

    /** Values of one domain (magnitudes with a random sign for signed domains). */
    public static Arbitrary<Double> values(Domain domain) {
        Arbitrary<Double> m = Arbitraries.doubles().between(domain.low(), domain.high()).ofScale(6);
        if (!domain.signed()) {
            return m;
        }
        return Combinators.combine(m, Arbitraries.of(1.0, -1.0)).as((v, s) -> v * s);
    }

    /** Arrays of {@code shape} with values from {@code domain}. */
    public static Arbitrary<NDArray> arrays(int[] shape, Domain domain) {
        int[] s = shape.clone();
        int n = Shapes.size(s);
        return values(domain).list().ofSize(n).map(l -> {
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = l.get(i);
            }
            return NDArray.of(d, s.clone());
        });
    }

    /** Arrays of shapes from {@code shapes} with values from {@code domain}. */
    public static Arbitrary<NDArray> arrays(Arbitrary<int[]> shapes, Domain domain) {
        return shapes.flatMap(s -> arrays(s, domain));
    }

    /** Arrays of any shape (ranks 0-4, sizes 1-4) with values from {@code domain}. */
    public static Arbitrary<NDArray> arrays(Domain domain) {
        return arrays(shapes(), domain);
    }

    /** Two arrays of broadcast-compatible shapes, values from {@code da} and {@code db}. */
    public static Arbitrary<NDArray[]> broadcastArrays(Domain da, Domain db) {
        return broadcastPairs().flatMap(p -> Combinators.combine(arrays(p.a(), da), arrays(p.b(), db))
                .as((x, y) -> new NDArray[] {x, y}));
    }

    /** Seeds for seeded samplers: any long, without edge cases. */
    public static Arbitrary<Long> seeds() {
        return Seeds.arbitrary();
    }

    /** Values drawn by a seeded sampler (such as the {@code Samplers} of the core); shrinks only the seed. */
    public static <T> Arbitrary<T> fromSampler(Function<Random, T> sampler) {
        return seeds().map(seed -> sampler.apply(new Random(seed)));
    }

    /** Every op of the registry. */
    public static Arbitrary<OpInfo> ops() {
        return Arbitraries.of(Ops.registry());
    }

    /** Cases of one op drawn from its registry sampler. */
    public static Arbitrary<OpCase> cases(OpInfo op) {
        return fromSampler(op::sample);
    }

    /**
     * Tries {@code 0..k-1} of every registry op: used with {@code GenerationMode.EXHAUSTIVE}, a
     * property then runs exactly {@code k} deterministic cases per op.
     */
    public static Arbitrary<OpTry> opTries(int k) {
        List<OpTry> all = new ArrayList<>();
        for (OpInfo op : Ops.registry()) {
            for (int i = 0; i < k; i++) {
                all.add(new OpTry(op, i));
            }
        }
        return Arbitraries.of(all);
    }
}
