package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.testing.BroadcastPair;
import dev.nabla.autograd.testing.NablaArbitraries;
import dev.nabla.autograd.testing.Seeds;
import dev.nabla.ndarray.Gather;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The random draws keep their promises: compatible shapes, domains, gaps away from kinks. */
class SamplersProperties {

    @Property(tries = 200)
    void shapesStayInBounds(@ForAll(supplier = Seeds.class) long seed) {
        int[] s = Samplers.shape(new Random(seed));
        assertTrue(s.length <= Samplers.MAX_RANK);
        for (int d : s) {
            assertTrue(d >= 1 && d <= Samplers.MAX_DIM, Arrays.toString(s));
        }
    }

    @Property(tries = 200)
    void broadcastPairsBroadcast(@ForAll(supplier = Seeds.class) long seed) {
        int[][] p = Samplers.broadcastPair(new Random(seed));
        Shapes.broadcast("test", p[0], p[1]); // throws if incompatible
    }

    @Example
    void broadcastPairsCoverDifferentRanksAndSizeOneAxes() {
        boolean differentRanks = false;
        boolean sizeOneAgainstLarger = false;
        boolean scalar = false;
        for (long seed = 0; seed < 300; seed++) {
            int[][] p = Samplers.broadcastPair(new Random(seed));
            differentRanks |= p[0].length != p[1].length;
            scalar |= p[0].length == 0 || p[1].length == 0;
            int n = Math.min(p[0].length, p[1].length);
            for (int i = 1; i <= n; i++) {
                int a = p[0][p[0].length - i];
                int b = p[1][p[1].length - i];
                sizeOneAgainstLarger |= (a == 1) != (b == 1);
            }
        }
        assertTrue(differentRanks && sizeOneAgainstLarger && scalar);
    }

    @Property(tries = 200)
    void broadcastableToIsStrictWhenAsked(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        int[] t = Samplers.shape(r, 1, 4, 3);
        int[] s = Samplers.broadcastableTo(r, t, true);
        assertTrue(Shapes.broadcastable(s, t));
        assertTrue(!Arrays.equals(s, t), Arrays.toString(s) + " vs " + Arrays.toString(t));
    }

    @Property(tries = 100)
    void domainSamplesStayInTheirDomain(@ForAll Domain d, @ForAll(supplier = Seeds.class) long seed) {
        NDArray a = Samplers.array(new Random(seed), d, 50);
        for (double v : a.toArray()) {
            assertTrue(d.contains(v), d + " produced " + v);
        }
    }

    @Property(tries = 200)
    void distinctValuesHaveGaps(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        NDArray a = Samplers.distinct(r, Samplers.shape(r));
        double[] v = a.toArray();
        Arrays.sort(v);
        for (int i = 1; i < v.length; i++) {
            assertTrue(v[i] - v[i - 1] >= 0.01, Arrays.toString(v));
        }
    }

    @Property(tries = 200)
    void separatedPairsNeverComeClose(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        int[][] s = Samplers.broadcastPair(r);
        NDArray[] ab = Samplers.separated(r, s[0], s[1]);
        NDArray gap = ab[0].sub(ab[1]).abs();
        assertTrue(gap.size() == 0 || gap.min(null, false).item() >= 0.1 - 1e-12, gap.toString());
    }

    @Property(tries = 100)
    void awayFromKeepsTheMargin(@ForAll(supplier = Seeds.class) long seed) {
        double[] kinks = {-0.5, 0.0, 1.0};
        NDArray a = Samplers.awayFrom(new Random(seed), -2, 2, kinks, 0.05, 40);
        for (double v : a.toArray()) {
            for (double k : kinks) {
                assertTrue(Math.abs(v - k) >= 0.05);
            }
        }
    }

    @Property(tries = 200)
    void indicesResolveToNonEmptyResults(@ForAll(supplier = Seeds.class) long seed) {
        Random r = new Random(seed);
        int[] s = Samplers.shape(r, 1, 4, 3);
        Index[] ix = Samplers.index(r, s);
        Gather g = Gather.resolve(s, ix);
        assertTrue(Shapes.size(g.resultShape()) > 0);
    }

    @Property(tries = 200)
    void axesPermutationsAndSplits(@ForAll(supplier = Seeds.class) long seed, @ForAll @IntRange(min = 0, max = 5) int n) {
        Random r = new Random(seed);
        int[] ax = Samplers.axes(r, n);
        Set<Integer> seen = new HashSet<>();
        for (int a : ax) {
            assertTrue(a >= -n && a < n);
            assertTrue(seen.add((a + n) % n), Arrays.toString(ax));
        }
        int[] p = Samplers.permutation(r, n);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < n; i++) {
            assertEquals(i, sorted[i]);
        }
        int total = n + 3;
        int parts = Samplers.between(r, 1, total);
        int[] sizes = Samplers.splitSizes(r, total, parts);
        assertEquals(parts, sizes.length);
        assertEquals(total, Arrays.stream(sizes).sum());
        assertTrue(Arrays.stream(sizes).allMatch(x -> x >= 1));
    }

    // ------------------------------------------------------------ the test-jar arbitraries

    @Provide
    Arbitrary<BroadcastPair> pairs() {
        return NablaArbitraries.broadcastPairs();
    }

    @Property(tries = 200)
    void arbitraryBroadcastPairsBroadcast(@ForAll("pairs") BroadcastPair p) {
        int[] out = p.result();
        assertTrue(Shapes.broadcastable(p.a(), out) && Shapes.broadcastable(p.b(), out));
    }

    @Provide
    Arbitrary<int[]> shapes() {
        return NablaArbitraries.shapes();
    }

    @Property(tries = 200)
    void arbitraryShapesHaveRankUpToFourAndPositiveSizes(@ForAll("shapes") int[] s) {
        assertTrue(s.length <= 4);
        assertTrue(Arrays.stream(s).allMatch(d -> d >= 1 && d <= 4));
    }

    @Provide
    Arbitrary<NDArray> awayFromZero() {
        return NablaArbitraries.arrays(Domain.AWAY_FROM_ZERO);
    }

    @Property(tries = 100)
    void arbitraryArraysRespectTheirDomain(@ForAll("awayFromZero") NDArray a) {
        for (double v : a.toArray()) {
            assertTrue(Domain.AWAY_FROM_ZERO.contains(v), Double.toString(v));
        }
    }
}
