package dev.nabla.nn.detection;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.F;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Arrays;
import java.util.Locale;

/**
 * Box arithmetic with torchvision.ops' semantics: {@code box_convert}, {@code box_area},
 * {@code box_iou} and {@code generalized_box_iou}. Each comes for {@link Variable}s (built from
 * autograd primitives, so differentiable to any order; see {@link DetectionOps}) and for plain
 * {@link NDArray}s (computed directly in float64, for NMS and evaluation).
 * Boxes are {@code (..., 4)} arrays; the pairwise functions take {@code (N, 4)} and {@code (M, 4)}
 * in {@code (x1, y1, x2, y2)} form and refuse a box with {@code x2 < x1} or {@code y2 < y1}.
 * Stateless and thread-safe.
 */
public final class Boxes {
    private Boxes() {}

    // ------------------------------------------------------------------ conversion

    /**
     * {@code boxes} ({@code (..., 4)}) converted from layout {@code from} to {@code to}, as
     * torchvision's {@code box_convert} (through {@code xyxy}; {@code cx - 0.5 w}, {@code cx + 0.5 w}
     * for centres). Differentiable; equal formats return {@code boxes} itself.
     */
    public static Variable convert(Variable boxes, BoxFormat from, BoxFormat to) {
        checkLastAxis("box_convert", "boxes", boxes.shape());
        if (from == to) {
            return boxes;
        }
        Variable[] c = columns(boxes);
        Variable[] xyxy;
        switch (from) {
            case XYWH:
                xyxy = new Variable[] {c[0], c[1], c[0].add(c[2]), c[1].add(c[3])};
                break;
            case CXCYWH: {
                Variable hw = c[2].mul(0.5);
                Variable hh = c[3].mul(0.5);
                xyxy = new Variable[] {c[0].sub(hw), c[1].sub(hh), c[0].add(hw), c[1].add(hh)};
                break;
            }
            default:
                xyxy = c;
        }
        Variable[] out;
        switch (to) {
            case XYWH:
                out = new Variable[] {xyxy[0], xyxy[1], xyxy[2].sub(xyxy[0]), xyxy[3].sub(xyxy[1])};
                break;
            case CXCYWH:
                out = new Variable[] {xyxy[0].add(xyxy[2]).mul(0.5), xyxy[1].add(xyxy[3]).mul(0.5),
                        xyxy[2].sub(xyxy[0]), xyxy[3].sub(xyxy[1])};
                break;
            default:
                out = xyxy;
        }
        return F.stack(-1, out);
    }

    /** {@link #convert(Variable, BoxFormat, BoxFormat)} of an array (same dtype, no graph). */
    public static NDArray convert(NDArray boxes, BoxFormat from, BoxFormat to) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            return convert(Variable.constant(boxes), from, to).data().copy();
        }
    }

    // ------------------------------------------------------------------ area

    /**
     * The areas {@code (x2 - x1) (y2 - y1)} of {@code (..., 4)} boxes in {@code xyxy} form, shape
     * {@code (...)}, as torchvision's {@code box_area} (an inverted box gives a negative area: it
     * is not checked here). Differentiable.
     */
    public static Variable boxArea(Variable boxes) {
        checkLastAxis("box_area", "boxes", boxes.shape());
        Variable[] c = columns(boxes);
        return c[2].sub(c[0]).mul(c[3].sub(c[1]));
    }

    /** {@link #boxArea(Variable)} of an array (same dtype, no graph). */
    public static NDArray boxArea(NDArray boxes) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            return boxArea(Variable.constant(boxes)).data().copy();
        }
    }

    // ------------------------------------------------------------------ IoU

    /**
     * The pairwise intersection over union of {@code (N, 4)} and {@code (M, 4)} {@code xyxy} boxes,
     * shape {@code (N, M)}, as torchvision's {@code box_iou}: {@code inter / (area1 + area2 - inter)}
     * with the intersection's sides clamped at 0. Two zero-area boxes with no union give NaN (0/0),
     * as torchvision. Differentiable away from the kinks (coinciding edges, touching boxes).
     */
    public static Variable boxIou(Variable boxes1, Variable boxes2) {
        Pairwise p = new Pairwise("box_iou", boxes1, boxes2);
        return p.inter.div(p.union);
    }

    /**
     * The pairwise generalized IoU (Rezatofighi et al., 2019) of {@code (N, 4)} and {@code (M, 4)}
     * {@code xyxy} boxes, shape {@code (N, M)}, as torchvision's {@code generalized_box_iou}:
     * {@code iou - (areaC - union) / areaC} with {@code areaC} the area of the smallest enclosing box.
     * In {@code [-1, 1]}. Differentiable away from the kinks.
     */
    public static Variable generalizedBoxIou(Variable boxes1, Variable boxes2) {
        Pairwise p = new Pairwise("generalized_box_iou", boxes1, boxes2);
        Variable iou = p.inter.div(p.union);
        Variable cw = p.ax2.maximum(p.bx2).sub(p.ax1.minimum(p.bx1)).relu();
        Variable ch = p.ay2.maximum(p.by2).sub(p.ay1.minimum(p.by1)).relu();
        Variable areaC = cw.mul(ch);
        return iou.sub(areaC.sub(p.union).div(areaC));
    }

    /** {@link #boxIou(Variable, Variable)} of arrays, computed directly in float64. */
    public static NDArray boxIou(NDArray boxes1, NDArray boxes2) {
        return pairwise("box_iou", boxes1, boxes2, false);
    }

    /** {@link #generalizedBoxIou(Variable, Variable)} of arrays, computed directly in float64. */
    public static NDArray generalizedBoxIou(NDArray boxes1, NDArray boxes2) {
        return pairwise("generalized_box_iou", boxes1, boxes2, true);
    }

    /** The IoU of two {@code xyxy} boxes given by their coordinates (float64; NaN for 0/0). */
    public static double iou(double ax1, double ay1, double ax2, double ay2,
                             double bx1, double by1, double bx2, double by2) {
        double iw = Math.max(0, Math.min(ax2, bx2) - Math.max(ax1, bx1));
        double ih = Math.max(0, Math.min(ay2, by2) - Math.max(ay1, by1));
        double inter = iw * ih;
        double union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter;
        return inter / union;
    }

    private static NDArray pairwise(String op, NDArray a, NDArray b, boolean generalized) {
        checkPairwise(op, a.shape(), b.shape());
        double[] x = a.toArray();
        double[] y = b.toArray();
        checkOrdered(op, "boxes1", x);
        checkOrdered(op, "boxes2", y);
        int n = a.shape(0);
        int m = b.shape(0);
        double[] out = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double ax1 = x[4 * i], ay1 = x[4 * i + 1], ax2 = x[4 * i + 2], ay2 = x[4 * i + 3];
                double bx1 = y[4 * j], by1 = y[4 * j + 1], bx2 = y[4 * j + 2], by2 = y[4 * j + 3];
                double iw = Math.max(0, Math.min(ax2, bx2) - Math.max(ax1, bx1));
                double ih = Math.max(0, Math.min(ay2, by2) - Math.max(ay1, by1));
                double inter = iw * ih;
                double union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter;
                double v = inter / union;
                if (generalized) {
                    double cw = Math.max(0, Math.max(ax2, bx2) - Math.min(ax1, bx1));
                    double ch = Math.max(0, Math.max(ay2, by2) - Math.min(ay1, by1));
                    double areaC = cw * ch;
                    v -= (areaC - union) / areaC;
                }
                out[i * m + j] = v;
            }
        }
        return NDArray.of(out, n, m);
    }

    /** The columns of a {@code (N, 4)} pair broadcast to {@code (N, 1)} and {@code (1, M)}, with intersection and union. */
    private static final class Pairwise {
        final Variable ax1, ay1, ax2, ay2, bx1, by1, bx2, by2, inter, union;

        Pairwise(String op, Variable a, Variable b) {
            checkPairwise(op, a.shape(), b.shape());
            checkOrdered(op, "boxes1", dev.nabla.autograd.Vmap.values(a).toArray()); // every example under vmap
            checkOrdered(op, "boxes2", dev.nabla.autograd.Vmap.values(b).toArray());
            int n = a.shape(0);
            int m = b.shape(0);
            Variable[] ca = columns(a);
            Variable[] cb = columns(b);
            ax1 = ca[0].reshape(n, 1);
            ay1 = ca[1].reshape(n, 1);
            ax2 = ca[2].reshape(n, 1);
            ay2 = ca[3].reshape(n, 1);
            bx1 = cb[0].reshape(1, m);
            by1 = cb[1].reshape(1, m);
            bx2 = cb[2].reshape(1, m);
            by2 = cb[3].reshape(1, m);
            Variable iw = ax2.minimum(bx2).sub(ax1.maximum(bx1)).relu();
            Variable ih = ay2.minimum(by2).sub(ay1.maximum(by1)).relu();
            inter = iw.mul(ih);
            Variable areaA = ax2.sub(ax1).mul(ay2.sub(ay1));
            Variable areaB = bx2.sub(bx1).mul(by2.sub(by1));
            union = areaA.add(areaB).sub(inter);
        }
    }

    // ------------------------------------------------------------------ helpers and checks

    /** The four columns of a {@code (..., 4)} variable, each of shape {@code (...)}. */
    static Variable[] columns(Variable boxes) {
        int r = boxes.ndim();
        Variable[] c = new Variable[4];
        for (int k = 0; k < 4; k++) {
            Index[] ix = new Index[r];
            Arrays.fill(ix, Index.all());
            ix[r - 1] = Index.at(k);
            c[k] = boxes.getItem(ix);
        }
        return c;
    }

    /** Fails unless {@code shape} is {@code (..., 4)}. */
    static void checkLastAxis(String op, String what, int[] shape) {
        if (shape.length == 0 || shape[shape.length - 1] != 4) {
            throw new IllegalArgumentException(op + ": " + what + " must have shape (..., 4) (one box per row: four "
                    + "coordinates), got " + Shapes.str(shape));
        }
    }

    /** Fails unless both shapes are {@code (N, 4)} and {@code (M, 4)}. */
    static void checkPairwise(String op, int[] a, int[] b) {
        checkRows(op, "boxes1", a);
        checkRows(op, "boxes2", b);
    }

    /** Fails unless {@code shape} is {@code (N, 4)}. */
    static void checkRows(String op, String what, int[] shape) {
        if (shape.length != 2 || shape[1] != 4) {
            throw new IllegalArgumentException(op + ": " + what + " must have shape (N, 4) (one (x1, y1, x2, y2) box "
                    + "per row), got " + Shapes.str(shape) + (shape.length == 1 && shape[0] == 4
                    ? "; make a single box a batch of one with reshape(1, 4)" : ""));
        }
    }

    /**
     * Fails when a box of the flat {@code (..., 4)} coordinates {@code c} has {@code x2 < x1} or
     * {@code y2 < y1}, or a NaN coordinate, naming the first such box.
     */
    static void checkOrdered(String op, String what, double[] c) {
        for (int i = 0; i + 3 < c.length; i += 4) {
            boolean nan = Double.isNaN(c[i]) || Double.isNaN(c[i + 1]) || Double.isNaN(c[i + 2]) || Double.isNaN(c[i + 3]);
            if (nan || c[i + 2] < c[i] || c[i + 3] < c[i + 1]) {
                String box = String.format(Locale.ROOT, "(%s, %s, %s, %s)", num(c[i]), num(c[i + 1]), num(c[i + 2]),
                        num(c[i + 3]));
                String why = nan ? "a NaN coordinate" : c[i + 2] < c[i] ? "x2 < x1" : "y2 < y1";
                throw new IllegalArgumentException(op + ": " + what + "[" + (i / 4) + "] = " + box + " has " + why
                        + "; boxes must be (x1, y1, x2, y2) with x1 <= x2 and y1 <= y2 (convert (x, y, w, h) or "
                        + "(cx, cy, w, h) boxes with Boxes.convert first)");
            }
        }
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
