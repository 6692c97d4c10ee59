package dev.nabla.nn.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;

/** VOC all-points AP worked by hand. */
class MeanAveragePrecisionTest {
    private static NDArray rows(double... v) {
        return NDArray.of(v, v.length / 4, 4);
    }

    private static NDArray ids(long... v) {
        return NDArray.of(v, v.length);
    }

    /**
     * Class 0: three ground-truth boxes (one in image 0, two in image 1) and four detections ranked
     * TP, FP (no box there), TP, FP (a duplicate of the first): recall 1/3, 1/3, 2/3, 2/3, precision
     * 1, 1/2, 2/3, 1/2; made monotone 1, 2/3, 2/3, 1/2; AP = 1/3 · 1 + 1/3 · 2/3 = 5/9.
     * Class 1: one box and one detection at IoU exactly 0.5, which VOC's strict test rejects: AP 0
     * (and 1 at a threshold of 0.4). Class 2 has no ground truth: NaN, left out of the mean.
     */
    private static MeanAveragePrecision worked(double threshold) {
        MeanAveragePrecision m = new MeanAveragePrecision(3, threshold);
        m.add(rows(0, 0, 10, 10, 0, 0, 10, 10, 0, 0, 4, 2, 40, 40, 50, 50), NDArray.of(0.9, 0.6, 0.95, 0.3),
                ids(0, 0, 1, 2), rows(0, 0, 10, 10, 0, 0, 4, 4), ids(0, 1));
        m.add(rows(50, 50, 60, 60, 20, 20, 30, 30), NDArray.of(0.8, 0.7), ids(0, 0),
                rows(0, 0, 10, 10, 20, 20, 30, 30), ids(0, 0));
        return m;
    }

    @Test
    void handWorkedAveragePrecision() {
        MeanAveragePrecision m = worked(0.5);
        assertEquals(2, m.images());
        assertEquals(5.0 / 9, m.averagePrecision(0), 1e-15);
        assertEquals(0.0, m.averagePrecision(1), 0.0);
        assertTrue(Double.isNaN(m.averagePrecision(2)));
        assertEquals((5.0 / 9 + 0) / 2, m.mean(), 1e-15);
        MeanAveragePrecision loose = worked(0.4);
        assertEquals(1.0, loose.averagePrecision(1), 0.0);
        assertEquals((5.0 / 9 + 1) / 2, loose.mean(), 1e-15);
    }

    @Test
    void perfectAndEmptyDetectors() {
        MeanAveragePrecision m = new MeanAveragePrecision(2, 0.5);
        m.add(rows(0, 0, 5, 5, 10, 10, 20, 20), NDArray.of(0.9, 0.1), ids(0, 1), rows(0, 0, 5, 5, 10, 10, 20, 20), ids(0, 1));
        assertEquals(1.0, m.mean(), 0.0);
        // a class with ground truth but no detection scores 0
        MeanAveragePrecision none = new MeanAveragePrecision(1, 0.5);
        none.add(NDArray.zeros(0, 4), NDArray.zeros(0), ids(), rows(0, 0, 1, 1), ids(0));
        assertEquals(0.0, none.mean(), 0.0);
        assertTrue(Double.isNaN(new MeanAveragePrecision(1, 0.5).mean()));
    }

    @Test
    void allPointsApOfACurve() {
        // recall 0.5 at precision 1, then recall 1 at precision 0.5 after a miss: 0.5 · 1 + 0.5 · (2/3)
        assertEquals(0.5 + 0.5 * 2 / 3.0, MeanAveragePrecision.allPointsAp(new double[] {0.5, 0.5, 1},
                new double[] {1, 0.5, 2 / 3.0}), 1e-15);
        assertEquals(0.0, MeanAveragePrecision.allPointsAp(new double[0], new double[0]), 0.0);
    }

    @Test
    void malformedInputsAreRefused() {
        MeanAveragePrecision m = new MeanAveragePrecision(2, 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.add(rows(0, 0, 1, 1), NDArray.of(0.5), ids(2), rows(0, 0, 1, 1), ids(0)));
        assertTrue(e.getMessage().contains("predLabels[0] = 2.0 is not a class in [0, 2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> m.add(rows(0, 0, 1, 1), NDArray.of(0.5, 0.2), ids(0), rows(0, 0, 1, 1), ids(0)));
        assertTrue(e.getMessage().contains("predScores must have shape (1,)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> m.add(rows(0, 0, 1, 1), NDArray.of(0.5), ids(0), rows(3, 0, 1, 1), ids(0)));
        assertTrue(e.getMessage().contains("trueBoxes[0] = (3, 0, 1, 1) has x2 < x1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MeanAveragePrecision(0, 0.5));
        assertEquals(0, m.images());
    }
}
