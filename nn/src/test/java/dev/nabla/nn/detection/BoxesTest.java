package dev.nabla.nn.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;

/** Hand-computed values of the box functions and their error messages. */
class BoxesTest {
    private static NDArray rows(double... v) {
        return NDArray.of(v, v.length / 4, 4);
    }

    @Test
    void conversionsOfOneBox() {
        NDArray xyxy = rows(1, 2, 4, 6);
        assertArrayEquals(new double[] {1, 2, 3, 4}, Boxes.convert(xyxy, BoxFormat.XYXY, BoxFormat.XYWH).toArray());
        assertArrayEquals(new double[] {2.5, 4, 3, 4}, Boxes.convert(xyxy, BoxFormat.XYXY, BoxFormat.CXCYWH).toArray());
        assertArrayEquals(new double[] {1, 2, 4, 6}, Boxes.convert(rows(1, 2, 3, 4), BoxFormat.XYWH, BoxFormat.XYXY).toArray());
        assertArrayEquals(new double[] {1, 2, 4, 6},
                Boxes.convert(rows(2.5, 4, 3, 4), BoxFormat.CXCYWH, BoxFormat.XYXY).toArray());
        assertArrayEquals(new double[] {2.5, 4, 3, 4},
                Boxes.convert(rows(1, 2, 3, 4), BoxFormat.XYWH, BoxFormat.CXCYWH).toArray());
        assertArrayEquals(new double[] {1, 2, 3, 4},
                Boxes.convert(rows(2.5, 4, 3, 4), BoxFormat.CXCYWH, BoxFormat.XYWH).toArray());
    }

    @Test
    void conversionKeepsLeadingShapeAndDtype() {
        NDArray b = NDArray.of(new float[] {0, 0, 2, 2, 1, 1, 5, 3}, 2, 1, 4);
        NDArray c = Boxes.convert(b, BoxFormat.XYXY, BoxFormat.CXCYWH);
        assertArrayEquals(new int[] {2, 1, 4}, c.shape());
        assertEquals(DType.FLOAT32, c.dtype());
        assertArrayEquals(new double[] {1, 1, 2, 2, 3, 2, 4, 2}, c.toArray());
        assertArrayEquals(new int[] {4}, Boxes.convert(NDArray.of(0, 0, 1, 1), BoxFormat.XYWH, BoxFormat.XYXY).shape());
        Variable v = new Variable(rows(1, 2, 3, 4));
        assertSame(v, Boxes.convert(v, BoxFormat.XYWH, BoxFormat.XYWH));
        assertEquals(BoxFormat.CXCYWH, BoxFormat.of("cxcywh"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BoxFormat.of("yxyx"));
        assertTrue(e.getMessage().contains("xyxy, xywh, cxcywh"), e.getMessage());
    }

    @Test
    void areas() {
        assertArrayEquals(new double[] {12, 0, 1}, Boxes.boxArea(rows(1, 2, 4, 6, 3, 3, 3, 9, -1, -1, 0, 0)).toArray());
    }

    @Test
    void iouAndGiouByHand() {
        // a = [0,2]², b = [1,3]²: intersection 1, union 4 + 4 - 1 = 7, enclosing box 9
        // c = [5,6]x[0,1] is disjoint from a: enclosing [0,6]x[0,2] = 12, union 5
        NDArray a = rows(0, 0, 2, 2);
        NDArray bc = rows(1, 1, 3, 3, 5, 0, 6, 1);
        NDArray iou = Boxes.boxIou(a, bc);
        assertArrayEquals(new int[] {1, 2}, iou.shape());
        assertArrayEquals(new double[] {1.0 / 7, 0}, iou.toArray(), 1e-15);
        NDArray giou = Boxes.generalizedBoxIou(a, bc);
        assertArrayEquals(new double[] {1.0 / 7 - 2.0 / 9, -7.0 / 12}, giou.toArray(), 1e-15);
        // the Variable forms compute the same through autograd ops
        assertArrayEquals(iou.toArray(), Boxes.boxIou(new Variable(a), new Variable(bc)).data().toArray(), 1e-15);
        assertArrayEquals(giou.toArray(), Boxes.generalizedBoxIou(new Variable(a), new Variable(bc)).data().toArray(), 1e-15);
        // nested boxes: IoU = area ratio, GIoU = IoU (the enclosing box is the outer one)
        NDArray nested = Boxes.generalizedBoxIou(rows(0, 0, 4, 4), rows(1, 1, 3, 3));
        assertEquals(0.25, nested.toArray()[0], 1e-15);
        assertEquals(0.25, Boxes.boxIou(rows(0, 0, 4, 4), rows(1, 1, 3, 3)).toArray()[0], 1e-15);
        // two identical zero-area boxes: 0/0 as torchvision
        assertTrue(Double.isNaN(Boxes.boxIou(rows(1, 1, 1, 1), rows(1, 1, 1, 1)).toArray()[0]));
        // empty sets give empty matrices
        assertArrayEquals(new int[] {0, 2}, Boxes.boxIou(NDArray.zeros(0, 4), bc).shape());
    }

    @Test
    void malformedBoxesAreRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Boxes.boxIou(NDArray.of(0, 0, 1, 1), rows(0, 0, 1, 1)));
        assertTrue(e.getMessage().startsWith("box_iou: boxes1 must have shape (N, 4)"), e.getMessage());
        assertTrue(e.getMessage().contains("got (4,)") && e.getMessage().contains("reshape(1, 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Boxes.generalizedBoxIou(rows(0, 0, 1, 1), NDArray.zeros(2, 3)));
        assertTrue(e.getMessage().startsWith("generalized_box_iou: boxes2 must have shape (N, 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Boxes.boxIou(rows(0, 0, 1, 1, 5, 1, 2, 4), rows(0, 0, 1, 1)));
        assertEquals("box_iou: boxes1[1] = (5, 1, 2, 4) has x2 < x1; boxes must be (x1, y1, x2, y2) with x1 <= x2 and "
                + "y1 <= y2 (convert (x, y, w, h) or (cx, cy, w, h) boxes with Boxes.convert first)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Boxes.generalizedBoxIou(new Variable(rows(0, 0, 1, 1)), new Variable(rows(0, 3, 1, 1))));
        assertTrue(e.getMessage().contains("boxes2[0] = (0, 3, 1, 1) has y2 < y1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Boxes.convert(NDArray.zeros(2, 5), BoxFormat.XYXY, BoxFormat.XYWH));
        assertTrue(e.getMessage().startsWith("box_convert: boxes must have shape (..., 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Boxes.boxArea(NDArray.scalar(1)));
        assertTrue(e.getMessage().contains("box_area") && e.getMessage().contains("got ()"), e.getMessage());
    }
}
