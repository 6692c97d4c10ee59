package dev.nabla.nn.detection;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Mean average precision of a detector, PASCAL VOC style (the 2010+ devkit's all-points AP):
 * per class, all detections of all images are ranked by decreasing score (equal scores keep the
 * order they were added in); each is a true positive when its IoU with some ground-truth box of
 * its class in its image is strictly greater than the threshold and that box (the one with the
 * largest IoU) is not matched yet, else a false positive. AP is the area under the
 * precision-recall curve after precision is made monotone (each precision replaced by the largest
 * at equal or higher recall), summed over the points where recall changes. The mean runs over the
 * classes that have ground truth; a class without ground truth has AP NaN and is left out.
 * Not thread-safe: an accumulator; use one per thread or synchronize.
 */
public final class MeanAveragePrecision {
    private final int numClasses;
    private final double iouThreshold;
    /** Per class: detections as {score, image, order} plus their boxes. */
    private final List<List<double[]>> detections = new ArrayList<>();
    /** Per image: ground-truth boxes (flat xyxy) and labels. */
    private final List<double[]> truthBoxes = new ArrayList<>();
    private final List<long[]> truthLabels = new ArrayList<>();
    private final long[] truthCount;
    private long added;

    /** An empty accumulator for classes {@code 0..numClasses-1} at IoU threshold {@code iouThreshold} (VOC: 0.5). */
    public MeanAveragePrecision(int numClasses, double iouThreshold) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("MeanAveragePrecision: numClasses must be >= 1, got " + numClasses);
        }
        if (!(iouThreshold >= 0 && iouThreshold < 1)) {
            throw new IllegalArgumentException("MeanAveragePrecision: iouThreshold must be in [0, 1), got " + iouThreshold);
        }
        this.numClasses = numClasses;
        this.iouThreshold = iouThreshold;
        this.truthCount = new long[numClasses];
        for (int c = 0; c < numClasses; c++) {
            detections.add(new ArrayList<>());
        }
    }

    /**
     * Adds one image: its detections ({@code (P, 4)} xyxy boxes, {@code (P,)} scores, {@code (P,)}
     * integer labels) and its ground truth ({@code (G, 4)} boxes, {@code (G,)} labels).
     */
    public void add(NDArray predBoxes, NDArray predScores, NDArray predLabels, NDArray trueBoxes, NDArray trueLabels) {
        String op = "MeanAveragePrecision.add";
        Boxes.checkRows(op, "predBoxes", predBoxes.shape());
        Boxes.checkRows(op, "trueBoxes", trueBoxes.shape());
        int p = predBoxes.shape(0);
        int g = trueBoxes.shape(0);
        checkVector(op, "predScores", predScores, p);
        checkVector(op, "predLabels", predLabels, p);
        checkVector(op, "trueLabels", trueLabels, g);
        double[] pb = predBoxes.toArray();
        double[] tb = trueBoxes.toArray();
        Boxes.checkOrdered(op, "predBoxes", pb);
        Boxes.checkOrdered(op, "trueBoxes", tb);
        long[] pl = labels(op, "predLabels", predLabels);
        long[] tl = labels(op, "trueLabels", trueLabels);
        double[] ps = predScores.toArray();
        int image = truthBoxes.size();
        for (int i = 0; i < p; i++) {
            if (Double.isNaN(ps[i])) {
                throw new IllegalArgumentException(op + ": predScores[" + i + "] is NaN; every detection needs a score");
            }
            detections.get((int) pl[i]).add(new double[] {ps[i], image, added++, pb[4 * i], pb[4 * i + 1], pb[4 * i + 2],
                    pb[4 * i + 3]});
        }
        for (long c : tl) {
            truthCount[(int) c]++;
        }
        truthBoxes.add(tb);
        truthLabels.add(tl);
    }

    /** The number of images added. */
    public int images() {
        return truthBoxes.size();
    }

    /** The average precision of class {@code c}: in [0, 1], NaN when the class has no ground truth. */
    public double averagePrecision(int c) {
        if (c < 0 || c >= numClasses) {
            throw new IllegalArgumentException("MeanAveragePrecision.averagePrecision: class " + c + " is out of range [0, "
                    + numClasses + ")");
        }
        if (truthCount[c] == 0) {
            return Double.NaN;
        }
        List<double[]> dets = new ArrayList<>(detections.get(c));
        dets.sort((x, y) -> x[0] != y[0] ? Double.compare(y[0], x[0]) : Double.compare(x[2], y[2]));
        List<boolean[]> used = new ArrayList<>();
        for (long[] l : truthLabels) {
            used.add(new boolean[l.length]);
        }
        int n = dets.size();
        double[] recall = new double[n];
        double[] precision = new double[n];
        long tp = 0;
        for (int k = 0; k < n; k++) {
            double[] d = dets.get(k);
            int image = (int) d[1];
            double[] tb = truthBoxes.get(image);
            long[] tl = truthLabels.get(image);
            double best = Double.NEGATIVE_INFINITY;
            int bestJ = -1;
            for (int j = 0; j < tl.length; j++) {
                if (tl[j] == c) {
                    double iou = Boxes.iou(d[3], d[4], d[5], d[6], tb[4 * j], tb[4 * j + 1], tb[4 * j + 2], tb[4 * j + 3]);
                    if (iou > best) {
                        best = iou;
                        bestJ = j;
                    }
                }
            }
            if (bestJ >= 0 && best > iouThreshold && !used.get(image)[bestJ]) {
                used.get(image)[bestJ] = true;
                tp++;
            }
            recall[k] = (double) tp / truthCount[c];
            precision[k] = (double) tp / (k + 1);
        }
        return allPointsAp(recall, precision);
    }

    /** The mean of {@link #averagePrecision} over the classes with ground truth (NaN when none has). */
    public double mean() {
        double s = 0;
        int k = 0;
        for (int c = 0; c < numClasses; c++) {
            double ap = averagePrecision(c);
            if (!Double.isNaN(ap)) {
                s += ap;
                k++;
            }
        }
        return k == 0 ? Double.NaN : s / k;
    }

    /**
     * VOC's all-points AP of a precision-recall curve given point by point (recall non-decreasing):
     * precision made monotone from the right, then summed over recall steps (the devkit's {@code voc_ap}).
     */
    public static double allPointsAp(double[] recall, double[] precision) {
        if (recall.length != precision.length) {
            throw new IllegalArgumentException("allPointsAp: recall and precision differ in length (" + recall.length
                    + " and " + precision.length + ")");
        }
        int n = recall.length;
        double[] mrec = new double[n + 2];
        double[] mpre = new double[n + 2];
        mrec[n + 1] = 1;
        for (int i = 0; i < n; i++) {
            mrec[i + 1] = recall[i];
            mpre[i + 1] = precision[i];
        }
        for (int i = n; i >= 0; i--) {
            mpre[i] = Math.max(mpre[i], mpre[i + 1]);
        }
        double ap = 0;
        for (int i = 0; i <= n; i++) {
            if (mrec[i + 1] != mrec[i]) {
                ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1];
            }
        }
        return ap;
    }

    private static void checkVector(String op, String what, NDArray a, int n) {
        if (a.ndim() != 1 || a.shape(0) != n) {
            throw new IllegalArgumentException(op + ": " + what + " must have shape (" + n + ",) (one per box), got "
                    + Shapes.str(a.shape()));
        }
    }

    private long[] labels(String op, String what, NDArray a) {
        long[] l = new long[a.size()];
        for (int i = 0; i < l.length; i++) {
            double v = a.getFlat(i);
            if (v != Math.rint(v) || v < 0 || v >= numClasses) {
                throw new IllegalArgumentException(op + ": " + what + "[" + i + "] = " + v + " is not a class in [0, "
                        + numClasses + ")");
            }
            l[i] = (long) v;
        }
        return l;
    }

    @Override
    public String toString() {
        double[] ap = new double[numClasses];
        Arrays.setAll(ap, this::averagePrecision);
        return "MeanAveragePrecision(iou > " + iouThreshold + ", " + images() + " images, AP per class "
                + Arrays.toString(ap) + ", mAP " + mean() + ")";
    }
}
