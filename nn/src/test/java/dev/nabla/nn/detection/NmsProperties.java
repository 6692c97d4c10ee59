package dev.nabla.nn.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/**
 * NMS against a brute-force reference, idempotence, and batched NMS against per-class NMS merged;
 * boxes on an integer grid and scores from six values, so ties and exact threshold hits occur.
 */
class NmsProperties {
    @Provide
    Arbitrary<BoxSets.Drawn> sets() {
        return BoxSets.sets(12);
    }

    /**
     * The reference, written from the definition without sorting: repeatedly take the unvisited box
     * of highest priority (higher score, then lower index) by a linear scan; keep it unless a kept box
     * overlaps it with IoU above the threshold (IoU from the overlap of the intervals).
     */
    static List<Long> reference(double[] b, double[] s, List<Integer> members, double thr) {
        List<Integer> left = new ArrayList<>(members);
        List<Long> kept = new ArrayList<>();
        while (!left.isEmpty()) {
            int best = left.get(0);
            for (int i : left) {
                if (s[i] > s[best] || (s[i] == s[best] && i < best)) {
                    best = i;
                }
            }
            left.remove(Integer.valueOf(best));
            boolean suppressed = false;
            for (long k : kept) {
                if (overlap(b, (int) k, best) > thr) {
                    suppressed = true;
                }
            }
            if (!suppressed) {
                kept.add((long) best);
            }
        }
        return kept;
    }

    private static double overlap(double[] b, int i, int j) {
        double w = Math.min(b[4 * i + 2], b[4 * j + 2]) - Math.max(b[4 * i], b[4 * j]);
        double h = Math.min(b[4 * i + 3], b[4 * j + 3]) - Math.max(b[4 * i + 1], b[4 * j + 1]);
        double inter = w > 0 && h > 0 ? w * h : 0;
        double ai = (b[4 * i + 2] - b[4 * i]) * (b[4 * i + 3] - b[4 * i + 1]);
        double aj = (b[4 * j + 2] - b[4 * j]) * (b[4 * j + 3] - b[4 * j + 1]);
        return inter / (ai + aj - inter);
    }

    private static List<Long> list(NDArray a) {
        List<Long> l = new ArrayList<>();
        for (long v : a.toLongArray()) {
            l.add(v);
        }
        return l;
    }

    private static List<Integer> range(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }

    private static final double[] THRESHOLDS = {0, 0.1, 0.25, 0.5, 0.7, 1};

    @Property(tries = 300)
    void nmsMatchesTheBruteForceReference(@ForAll("sets") BoxSets.Drawn d, @ForAll @DoubleRange(min = 0, max = 1) double t) {
        for (double thr : new double[] {t, THRESHOLDS[(int) ((d.seed() & Long.MAX_VALUE) % THRESHOLDS.length)]}) {
            NDArray keep = Nms.nms(d.boxes(), d.scores(), thr);
            assertEquals(DType.INT64, keep.dtype());
            assertArrayEquals(new int[] {keep.size()}, keep.shape());
            assertEquals(reference(d.b(), d.s(), range(d.n()), thr), list(keep), "threshold " + thr);
        }
    }

    @Property(tries = 300)
    void nmsOfTheKeptSetKeepsItAll(@ForAll("sets") BoxSets.Drawn d, @ForAll @DoubleRange(min = 0, max = 1) double thr) {
        long[] keep = Nms.nms(d.boxes(), d.scores(), thr).toLongArray();
        double[] b = d.b();
        double[] s = d.s();
        double[] kb = new double[4 * keep.length];
        double[] ks = new double[keep.length];
        for (int k = 0; k < keep.length; k++) {
            System.arraycopy(b, 4 * (int) keep[k], kb, 4 * k, 4);
            ks[k] = s[(int) keep[k]];
            if (k > 0) {
                assertTrue(ks[k] <= ks[k - 1], "scores decrease");
            }
        }
        long[] again = Nms.nms(NDArray.of(kb, keep.length, 4), NDArray.of(ks, keep.length), thr).toLongArray();
        long[] all = new long[keep.length];
        java.util.Arrays.setAll(all, i -> i);
        assertArrayEquals(all, again);
        // every kept pair is at most the threshold apart
        for (int i = 0; i < keep.length; i++) {
            for (int j = i + 1; j < keep.length; j++) {
                assertTrue(overlap(b, (int) keep[i], (int) keep[j]) <= thr);
            }
        }
    }

    @Property(tries = 300)
    void batchedNmsIsPerClassNmsMerged(@ForAll("sets") BoxSets.Drawn d, @ForAll @DoubleRange(min = 0, max = 1) double thr) {
        NDArray got = Nms.batchedNms(d.boxes(), d.scores(), d.classes(), thr);
        long[] c = d.classes().toLongArray();
        double[] s = d.s();
        List<Long> merged = new ArrayList<>();
        for (long cls = 0; cls < 3; cls++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < d.n(); i++) {
                if (c[i] == cls) {
                    members.add(i);
                }
            }
            merged.addAll(reference(d.b(), s, members, thr));
        }
        merged.sort((x, y) -> s[(int) (long) x] != s[(int) (long) y] ? Double.compare(s[(int) (long) y], s[(int) (long) x])
                : Long.compare(x, y));
        assertEquals(merged, list(got));
        // with a single class it is plain NMS
        NDArray zeros = NDArray.zeros(DType.INT64, d.n());
        assertEquals(list(Nms.nms(d.boxes(), d.scores(), thr)), list(Nms.batchedNms(d.boxes(), d.scores(), zeros, thr)));
    }
}
