package dev.nabla.nn.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;

/** Hand-worked NMS cases, the tie order, and the error messages. */
class NmsTest {
    private static NDArray rows(double... v) {
        return NDArray.of(v, v.length / 4, 4);
    }

    // box 0 = [0,10]², box 1 = [1,11]x[0,10] (IoU with 0: 90 / 110 = 0.818), box 2 = [5,15]x[0,10]
    // (IoU with 0: 50 / 150 = 1/3, with 1: 60 / 140 = 0.43), box 3 = [20,30]² (disjoint from all)
    private static final NDArray BOXES = rows(0, 0, 10, 10, 1, 0, 11, 10, 5, 0, 15, 10, 20, 20, 30, 30);

    @Test
    void handWorkedSuppression() {
        NDArray scores = NDArray.of(0.9, 0.8, 0.7, 0.1);
        assertArrayEquals(new long[] {0, 2, 3}, Nms.nms(BOXES, scores, 0.5).toLongArray());
        // 0.4: box 2 survives box 0 (1/3) and box 1 is suppressed before it could suppress box 2
        assertArrayEquals(new long[] {0, 2, 3}, Nms.nms(BOXES, scores, 0.4).toLongArray());
        assertArrayEquals(new long[] {0, 3}, Nms.nms(BOXES, scores, 0.3).toLongArray());
        assertArrayEquals(new long[] {0, 1, 2, 3}, Nms.nms(BOXES, scores, 0.9).toLongArray());
        // box 1 first: it suppresses 0 (0.818) but not 2 (0.43) at 0.5
        assertArrayEquals(new long[] {1, 2, 3}, Nms.nms(BOXES, NDArray.of(0.8, 0.9, 0.7, 0.1), 0.5).toLongArray());
        // an IoU equal to the threshold is not suppressed (strictly greater, as torchvision)
        assertArrayEquals(new long[] {0, 1}, Nms.nms(rows(0, 0, 10, 10, 5, 0, 15, 10), NDArray.of(1, 0.5),
                1.0 / 3).toLongArray());
        assertArrayEquals(new long[0], Nms.nms(NDArray.zeros(0, 4), NDArray.zeros(0), 0.5).toLongArray());
    }

    @Test
    void equalScoresAreVisitedByAscendingIndex() {
        NDArray tie = NDArray.of(0.5, 0.5, 0.5, 0.5);
        assertArrayEquals(new long[] {0, 2, 3}, Nms.nms(BOXES, tie, 0.5).toLongArray());
        NDArray classes = NDArray.of(new long[] {1, 0, 1, 0}, 4);
        // per class at 0.4: {0, 2} (IoU 1/3) keeps both, {1, 3} keeps both; all four by score, ties by index
        assertArrayEquals(new long[] {0, 1, 2, 3}, Nms.batchedNms(BOXES, tie, classes, 0.4).toLongArray());
        // at 0.3 box 0 suppresses box 2 of its class; box 1 (IoU 0.818 with box 0) is another class and stays
        assertArrayEquals(new long[] {0, 1, 3}, Nms.batchedNms(BOXES, tie, classes, 0.3).toLongArray());
        NDArray scores = NDArray.of(0.9, 0.8, 0.7, 0.1);
        assertArrayEquals(new long[] {0, 1, 3}, Nms.batchedNms(BOXES, scores, NDArray.of(new long[] {0, 1, 0, 1}, 4), 0.3)
                .toLongArray());
    }

    @Test
    void malformedInputsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nms.nms(BOXES, NDArray.of(1, 2, 3), 0.5));
        assertTrue(e.getMessage().startsWith("nms: scores must have shape (N,) = (4,)") && e.getMessage().contains("got (3,)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Nms.nms(rows(0, 0, 1, 1, 3, 0, 1, 1), NDArray.of(1, 2), 0.5));
        assertTrue(e.getMessage().startsWith("nms: boxes[1] = (3, 0, 1, 1) has x2 < x1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Nms.nms(rows(0, 0, 1, 1), NDArray.of(Double.NaN), 0.5));
        assertTrue(e.getMessage().contains("scores[0] is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Nms.nms(NDArray.zeros(4), NDArray.zeros(1), 0.5));
        assertTrue(e.getMessage().startsWith("nms: boxes must have shape (N, 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Nms.batchedNms(BOXES, NDArray.of(1, 2, 3, 4), NDArray.of(0, 1, 0, 1), 0.5));
        assertTrue(e.getMessage().contains("idxs must be an int64 or int32") && e.getMessage().contains("FLOAT64"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Nms.batchedNms(BOXES, NDArray.of(1, 2, 3, 4), NDArray.of(new long[] {0, 1}, 2), 0.5));
        assertTrue(e.getMessage().startsWith("batched_nms: idxs must have shape (N,) = (4,)"), e.getMessage());
    }
}
