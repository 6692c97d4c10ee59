package dev.nabla.nn.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the box functions over random non-degenerate boxes on an integer grid. */
class BoxesProperties {
    @Provide
    Arbitrary<BoxSets.Drawn> sets() {
        return BoxSets.sets(6);
    }

    @Property(tries = 300)
    void iouIsSymmetricAndInTheUnitInterval(@ForAll("sets") BoxSets.Drawn a, @ForAll("sets") BoxSets.Drawn b) {
        NDArray ab = Boxes.boxIou(a.boxes(), b.boxes());
        NDArray ba = Boxes.boxIou(b.boxes(), a.boxes());
        assertArrayEquals(new int[] {a.n(), b.n()}, ab.shape());
        for (int i = 0; i < a.n(); i++) {
            for (int j = 0; j < b.n(); j++) {
                double v = ab.get(i, j);
                assertEquals(v, ba.get(j, i), 0.0);
                assertTrue(v >= 0 && v <= 1, "IoU " + v);
                // by a direct computation of the overlap area on the unit grid
                assertEquals(gridIou(a.b(), i, b.b(), j), v, 1e-12);
            }
        }
    }

    /** IoU by counting the unit cells covered (the corners are integers). */
    private static double gridIou(double[] a, int i, double[] b, int j) {
        int inter = 0;
        int union = 0;
        for (int x = 0; x < 16; x++) {
            for (int y = 0; y < 16; y++) {
                boolean inA = x >= a[4 * i] && x + 1 <= a[4 * i + 2] && y >= a[4 * i + 1] && y + 1 <= a[4 * i + 3];
                boolean inB = x >= b[4 * j] && x + 1 <= b[4 * j + 2] && y >= b[4 * j + 1] && y + 1 <= b[4 * j + 3];
                inter += inA && inB ? 1 : 0;
                union += inA || inB ? 1 : 0;
            }
        }
        return (double) inter / union;
    }

    @Property(tries = 200)
    void everyBoxHasIouOneWithItself(@ForAll("sets") BoxSets.Drawn a) {
        NDArray self = Boxes.boxIou(a.boxes(), a.boxes());
        NDArray gself = Boxes.generalizedBoxIou(a.boxes(), a.boxes());
        for (int i = 0; i < a.n(); i++) {
            assertEquals(1.0, self.get(i, i), 0.0);
            assertEquals(1.0, gself.get(i, i), 0.0);
        }
    }

    @Property(tries = 300)
    void giouIsBetweenMinusOneAndIouAndMatchesTheVariableForm(@ForAll("sets") BoxSets.Drawn a,
                                                                @ForAll("sets") BoxSets.Drawn b) {
        NDArray g = Boxes.generalizedBoxIou(a.boxes(), b.boxes());
        NDArray iou = Boxes.boxIou(a.boxes(), b.boxes());
        double[] gv = g.toArray();
        double[] iv = iou.toArray();
        for (int k = 0; k < gv.length; k++) {
            assertTrue(gv[k] >= -1 && gv[k] <= 1, "GIoU " + gv[k]);
            assertTrue(gv[k] <= iv[k] + 1e-15, "GIoU " + gv[k] + " above IoU " + iv[k]);
        }
        assertArrayEquals(gv, Boxes.generalizedBoxIou(new Variable(a.boxes()), new Variable(b.boxes())).data().toArray(),
                1e-12);
        assertArrayEquals(iv, Boxes.boxIou(new Variable(a.boxes()), new Variable(b.boxes())).data().toArray(), 1e-12);
    }

    @Property(tries = 200)
    void conversionsRoundTrip(@ForAll("sets") BoxSets.Drawn a) {
        for (BoxFormat f : BoxFormat.values()) {
            NDArray inF = Boxes.convert(a.boxes(), BoxFormat.XYXY, f);
            for (BoxFormat g : BoxFormat.values()) {
                NDArray inG = Boxes.convert(inF, f, g);
                assertArrayEquals(Boxes.convert(a.boxes(), BoxFormat.XYXY, g).toArray(), inG.toArray(), 1e-12, f + "->" + g);
                assertArrayEquals(inF.toArray(), Boxes.convert(inG, g, f).toArray(), 1e-12, f + "->" + g + "->" + f);
            }
        }
        // areas are the product of the xywh sides
        NDArray wh = Boxes.convert(a.boxes(), BoxFormat.XYXY, BoxFormat.XYWH);
        double[] area = Boxes.boxArea(a.boxes()).toArray();
        for (int i = 0; i < a.n(); i++) {
            assertEquals(wh.get(i, 2) * wh.get(i, 3), area[i], 0.0);
        }
    }

    @Property(tries = 200)
    void lossesAreOneMinusTheMatchedDiagonal(@ForAll("sets") BoxSets.Drawn a) {
        NDArray rolled = a.n() == 0 ? a.boxes() : NDArray.concat(0, a.boxes().getItem(
                dev.nabla.ndarray.Index.range(1, a.n())), a.boxes().getItem(dev.nabla.ndarray.Index.range(0, 1)));
        double[] giou = Boxes.generalizedBoxIou(a.boxes(), rolled).toArray();
        double[] iou = Boxes.boxIou(a.boxes(), rolled).toArray();
        double[] gl = BoxLosses.generalizedBoxIouLoss(new Variable(a.boxes()), new Variable(rolled)).data().toArray();
        double[] il = BoxLosses.iouLoss(new Variable(a.boxes()), new Variable(rolled)).data().toArray();
        for (int i = 0; i < a.n(); i++) {
            // eps (1e-7) shifts the values by at most about 1e-7 relative to a union/enclosing area >= 1
            assertEquals(1 - giou[i * a.n() + i], gl[i], 1e-6);
            assertEquals(1 - iou[i * a.n() + i], il[i], 1e-6);
            assertTrue(gl[i] >= 0 && gl[i] <= 2, "GIoU loss " + gl[i]);
        }
    }
}
