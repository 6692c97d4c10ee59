package dev.nabla.nn.detection;

import dev.nabla.nn.Reduction;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Shapes;
import java.util.Arrays;

/**
 * Differentiable box-regression losses over matched pairs of {@code (..., 4)} boxes in
 * {@code (x1, y1, x2, y2)} form, with torchvision's definitions: the GIoU loss of
 * {@code torchvision.ops.generalized_box_iou_loss} ({@code 1 - GIoU}, with {@code eps} added to
 * the union and to the enclosing area) and the plain IoU loss {@code 1 - inter / (union + eps)}
 * built the same way. The per-pair losses have the boxes' leading shape; {@link Reduction#MEAN}
 * averages them (0 for no pairs), {@link Reduction#SUM} adds them.
 * Stateless and thread-safe.
 */
public final class BoxLosses {
    private BoxLosses() {}

    /** torchvision's default {@code eps}: keeps the divisions finite for zero-area boxes. */
    public static final double EPS = 1e-7;

    /** {@link #iouLoss(Variable, Variable, Reduction, double)} with no reduction and {@link #EPS}. */
    public static Variable iouLoss(Variable boxes1, Variable boxes2) {
        return iouLoss(boxes1, boxes2, Reduction.NONE, EPS);
    }

    /**
     * {@code 1 - inter / (union + eps)} of each pair {@code boxes1[i]}, {@code boxes2[i]} (same shape
     * {@code (..., 4)}), reduced by {@code reduction}. Differentiable away from coinciding edges and
     * touching boxes; 1 with zero gradient for disjoint boxes.
     */
    public static Variable iouLoss(Variable boxes1, Variable boxes2, Reduction reduction, double eps) {
        Pair p = new Pair("iou_loss", boxes1, boxes2);
        return reduce(p.iou(eps).rsub(1), reduction);
    }

    /** {@link #generalizedBoxIouLoss(Variable, Variable, Reduction, double)} with no reduction and {@link #EPS}. */
    public static Variable generalizedBoxIouLoss(Variable boxes1, Variable boxes2) {
        return generalizedBoxIouLoss(boxes1, boxes2, Reduction.NONE, EPS);
    }

    /**
     * torchvision's {@code generalized_box_iou_loss}: {@code 1 - (iou - (areaC - union) / (areaC + eps))}
     * with {@code iou = inter / (union + eps)} and {@code areaC} the smallest enclosing box's area, for
     * each pair of the same-shape {@code (..., 4)} inputs, reduced by {@code reduction}. In
     * {@code [0, 2]}; unlike the IoU loss it still has a gradient for disjoint boxes.
     */
    public static Variable generalizedBoxIouLoss(Variable boxes1, Variable boxes2, Reduction reduction, double eps) {
        Pair p = new Pair("generalized_box_iou_loss", boxes1, boxes2);
        Variable areaC = p.a[2].maximum(p.b[2]).sub(p.a[0].minimum(p.b[0]))
                .mul(p.a[3].maximum(p.b[3]).sub(p.a[1].minimum(p.b[1])));
        Variable giou = p.iou(eps).sub(areaC.sub(p.union).div(areaC.add(eps)));
        return reduce(giou.rsub(1), reduction);
    }

    private static Variable reduce(Variable loss, Reduction reduction) {
        switch (reduction) {
            case MEAN:
                return loss.size() == 0 ? loss.sum().mul(0.0) : loss.mean();
            case SUM:
                return loss.sum();
            default:
                return loss;
        }
    }

    /** The columns, intersection and union of matched box pairs. */
    private static final class Pair {
        final Variable[] a;
        final Variable[] b;
        final Variable inter;
        final Variable union;

        Pair(String op, Variable boxes1, Variable boxes2) {
            Boxes.checkLastAxis(op, "boxes1", boxes1.shape());
            Boxes.checkLastAxis(op, "boxes2", boxes2.shape());
            if (!Arrays.equals(boxes1.shape(), boxes2.shape())) {
                throw new IllegalArgumentException(op + ": boxes1 and boxes2 must have the same shape (one matched pair "
                        + "per row), got " + Shapes.str(boxes1.shape()) + " and " + Shapes.str(boxes2.shape())
                        + "; for all pairs of two sets use Boxes.boxIou or Boxes.generalizedBoxIou");
            }
            Boxes.checkOrdered(op, "boxes1", dev.nabla.autograd.Vmap.values(boxes1).toArray()); // every example under vmap
            Boxes.checkOrdered(op, "boxes2", dev.nabla.autograd.Vmap.values(boxes2).toArray());
            a = Boxes.columns(boxes1);
            b = Boxes.columns(boxes2);
            Variable iw = a[2].minimum(b[2]).sub(a[0].maximum(b[0])).relu();
            Variable ih = a[3].minimum(b[3]).sub(a[1].maximum(b[1])).relu();
            inter = iw.mul(ih);
            Variable area1 = a[2].sub(a[0]).mul(a[3].sub(a[1]));
            Variable area2 = b[2].sub(b[0]).mul(b[3].sub(b[1]));
            union = area1.add(area2).sub(inter);
        }

        Variable iou(double eps) {
            return inter.div(union.add(eps));
        }
    }
}
