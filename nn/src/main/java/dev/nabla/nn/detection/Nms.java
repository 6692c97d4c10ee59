package dev.nabla.nn.detection;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Non-maximum suppression with torchvision's semantics ({@code torchvision.ops.nms} and
 * {@code batched_nms}): boxes are visited in order of decreasing score; each box not yet
 * suppressed is kept and suppresses every later box whose IoU with it is strictly greater than
 * the threshold. Equal scores are ordered by ascending index (a stable sort), so the result is
 * deterministic; torchvision leaves that order unspecified. Results are int64 index arrays in
 * decreasing score order. Stateless and thread-safe.
 */
public final class Nms {
    private Nms() {}

    /**
     * The indices of the boxes kept by NMS, int64 of shape {@code (K,)}, by decreasing score.
     *
     * @param boxes {@code (N, 4)} boxes in {@code (x1, y1, x2, y2)} form
     * @param scores {@code (N,)} scores (no NaN)
     * @param iouThreshold boxes whose IoU with a kept, higher-scoring box exceeds this are discarded
     */
    public static NDArray nms(NDArray boxes, NDArray scores, double iouThreshold) {
        double[][] bs = check("nms", boxes, scores, iouThreshold);
        int n = bs[1].length;
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        return indices(keep(bs[0], bs[1], all, iouThreshold));
    }

    /**
     * NMS within each category: boxes of different categories never suppress each other
     * ({@code torchvision.ops.batched_nms}). Returns the kept indices, int64 {@code (K,)}, by decreasing
     * score (ties by ascending index).
     *
     * @param boxes {@code (N, 4)} boxes in {@code (x1, y1, x2, y2)} form
     * @param scores {@code (N,)} scores (no NaN)
     * @param classIdxs {@code (N,)} integer category of each box (int64 or int32)
     * @param iouThreshold as in {@link #nms}
     */
    public static NDArray batchedNms(NDArray boxes, NDArray scores, NDArray classIdxs, double iouThreshold) {
        double[][] bs = check("batched_nms", boxes, scores, iouThreshold);
        int n = bs[1].length;
        if (classIdxs.ndim() != 1 || classIdxs.shape(0) != n) {
            throw new IllegalArgumentException("batched_nms: idxs must have shape (N,) = (" + n + ",) (one category per "
                    + "box), got " + Shapes.str(classIdxs.shape()));
        }
        if (classIdxs.dtype() != DType.INT64 && classIdxs.dtype() != DType.INT32) {
            throw new IllegalArgumentException("batched_nms: idxs must be an int64 or int32 array of categories, got "
                    + classIdxs.dtype() + "; convert it with astype(DType.INT64)");
        }
        TreeMap<Long, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            byClass.computeIfAbsent(classIdxs.getFlatLong(i), k -> new ArrayList<>()).add(i);
        }
        boolean[] kept = new boolean[n];
        for (List<Integer> members : byClass.values()) {
            int[] m = members.stream().mapToInt(Integer::intValue).toArray();
            for (int i : keep(bs[0], bs[1], m, iouThreshold)) {
                kept[i] = true;
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (kept[i]) {
                out.add(i);
            }
        }
        int[] sorted = byScore(bs[1], out.stream().mapToInt(Integer::intValue).toArray());
        return indices(sorted);
    }

    /** The members kept by NMS over {@code members} (indices into {@code b}, {@code s}), by decreasing score. */
    static int[] keep(double[] b, double[] s, int[] members, double thr) {
        int[] order = byScore(s, members);
        boolean[] suppressed = new boolean[order.length];
        int[] keep = new int[order.length];
        int k = 0;
        for (int p = 0; p < order.length; p++) {
            if (suppressed[p]) {
                continue;
            }
            int i = order[p];
            keep[k++] = i;
            for (int q = p + 1; q < order.length; q++) {
                if (!suppressed[q]) {
                    int j = order[q];
                    double iou = Boxes.iou(b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3],
                            b[4 * j], b[4 * j + 1], b[4 * j + 2], b[4 * j + 3]);
                    if (iou > thr) {
                        suppressed[q] = true;
                    }
                }
            }
        }
        return Arrays.copyOf(keep, k);
    }

    /** {@code members} sorted by decreasing score, equal scores by ascending index (stable). */
    static int[] byScore(double[] s, int[] members) {
        Integer[] o = new Integer[members.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = members[i];
        }
        Arrays.sort(o, Comparator.comparingDouble((Integer i) -> -s[i]).thenComparingInt(i -> i));
        int[] out = new int[o.length];
        for (int i = 0; i < o.length; i++) {
            out[i] = o[i];
        }
        return out;
    }

    private static NDArray indices(int[] idx) {
        long[] l = new long[idx.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = idx[i];
        }
        return NDArray.of(l, l.length);
    }

    /** Checks the inputs; returns the flat box coordinates and the scores. */
    private static double[][] check(String op, NDArray boxes, NDArray scores, double thr) {
        Boxes.checkRows(op, "boxes", boxes.shape());
        int n = boxes.shape(0);
        if (scores.ndim() != 1 || scores.shape(0) != n) {
            throw new IllegalArgumentException(op + ": scores must have shape (N,) = (" + n + ",) (one score per box), got "
                    + Shapes.str(scores.shape()));
        }
        if (Double.isNaN(thr)) {
            throw new IllegalArgumentException(op + ": iou_threshold is NaN; pass a number, e.g. 0.5");
        }
        double[] b = boxes.toArray();
        Boxes.checkOrdered(op, "boxes", b);
        double[] s = scores.toArray();
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(s[i])) {
                throw new IllegalArgumentException(op + ": scores[" + i + "] is NaN; NMS needs every score ordered "
                        + "(replace NaN scores, e.g. with -inf, or drop those boxes)");
            }
        }
        return new double[][] {b, s};
    }
}
