package dev.nabla.examples.detection;

import dev.nabla.autograd.F;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Functional;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.Module;
import dev.nabla.nn.Reduction;
import dev.nabla.nn.detection.BoxFormat;
import dev.nabla.nn.detection.BoxLosses;
import dev.nabla.nn.detection.Boxes;
import dev.nabla.nn.detection.Nms;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tiny anchor-free, single-scale detector in the spirit of YOLO and CenterNet, for
 * {@code (N, 1, 32, 32)} images: conv 1→16, ReLU, max-pool; conv 16→32, ReLU, max-pool (an 8×8
 * grid of 4-pixel cells); two more 3×3 convs 32→32 with ReLU (receptive field 26 pixels); a 1×1
 * head of {@value #OUT} channels per cell: an objectness logit, {@value #NUM_CLASSES} class
 * logits, the box centre's offset in the cell (through a sigmoid) and its log width and height
 * relative to {@value #ANCHOR} pixels. The cell holding an object's centre is responsible for it.
 * Loss: binary cross-entropy of objectness (mean over positive cells plus mean over negative
 * ones, so the few positives are not drowned), cross-entropy of the class and the GIoU loss of
 * the decoded box on the positive cells.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
final class ShapesDetector extends Module {
    static final int NUM_CLASSES = 3;
    static final int OUT = 1 + NUM_CLASSES + 4;
    /** The box size in pixels that log width/height 0 stands for. */
    static final double ANCHOR = 10;
    private static final int G = ShapesData.GRID;
    private static final int S = ShapesData.STRIDE;

    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Conv2d conv3;
    private final Conv2d conv4;
    private final Conv2d head;
    private final MaxPool2d pool;

    /** A detector whose parameters are drawn from {@code rng}. */
    ShapesDetector(Random rng) {
        conv1 = registerModule("conv1", new Conv2d(1, 16, 3, 1, 1, rng));
        conv2 = registerModule("conv2", new Conv2d(16, 32, 3, 1, 1, rng));
        conv3 = registerModule("conv3", new Conv2d(32, 32, 3, 1, 1, rng));
        conv4 = registerModule("conv4", new Conv2d(32, 32, 3, 1, 1, rng));
        head = registerModule("head", new Conv2d(32, OUT, 1, 1, 0, rng));
        pool = registerModule("pool", new MaxPool2d(2));
    }

    /** The raw head output {@code (N, OUT, 8, 8)} for images {@code (N, 1, 32, 32)}. */
    @Override
    public Variable forward(Variable x) {
        int[] s = x.shape();
        if (s.length != 4 || s[1] != 1 || s[2] != ShapesData.SIZE || s[3] != ShapesData.SIZE) {
            throw new IllegalArgumentException("ShapesDetector: expected grey 32x32 images as (N, 1, 32, 32), got "
                    + Shapes.str(s));
        }
        Variable h = pool.call(conv1.call(x).relu());
        h = pool.call(conv2.call(h).relu());
        h = conv3.call(h).relu();
        h = conv4.call(h).relu();
        return head.call(h);
    }

    /** The head output as one row of {@value #OUT} numbers per cell: {@code (N·64, OUT)}, cells row-major per image. */
    static Variable cells(Variable out) {
        return out.permute(0, 2, 3, 1).reshape(out.shape(0) * G * G, OUT);
    }

    /** The parts of the training loss of one batch. */
    record Loss(Variable total, double objectness, double classification, double box) {}

    /** The training loss of a batch whose images have the objects {@code truth}. */
    Loss loss(Variable images, List<ShapesData.Objects> truth) {
        Variable rows = cells(call(images));
        int n = truth.size();
        double[] target = new double[n * G * G];
        List<Integer> pos = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<double[]> boxes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ShapesData.Objects o = truth.get(i);
            for (int k = 0; k < o.labels().length; k++) {
                int row = i * G * G + ShapesData.cell(o.boxes()[k]);
                target[row] = 1;
                pos.add(row);
                labels.add(o.labels()[k]);
                boxes.add(o.boxes()[k]);
            }
        }
        int np = pos.size();
        double[] weight = new double[target.length];
        for (int r = 0; r < target.length; r++) {
            weight[r] = target[r] == 1 ? 1.0 / np : 1.0 / (target.length - np);
        }
        Variable obj = rows.slice(1, 0, 1).reshape(target.length);
        Variable t = Variable.constant(NDArray.of(target, target.length));
        Variable objLoss = Functional.binaryCrossEntropyWithLogits(obj, t, NDArray.of(weight, weight.length), null, Reduction.SUM);
        int[] p = pos.stream().mapToInt(Integer::intValue).toArray();
        Variable chosen = rows.take(p);
        Variable clsLoss = Functional.crossEntropy(chosen.slice(1, 1, 1 + NUM_CLASSES),
                labels.stream().mapToInt(Integer::intValue).toArray());
        double[] flat = new double[4 * np];
        for (int k = 0; k < np; k++) {
            System.arraycopy(boxes.get(k), 0, flat, 4 * k, 4);
        }
        Variable predicted = decode(chosen.slice(1, 1 + NUM_CLASSES, OUT), p);
        Variable boxLoss = BoxLosses.generalizedBoxIouLoss(predicted, Variable.constant(NDArray.of(flat, np, 4)),
                Reduction.MEAN, BoxLosses.EPS);
        return new Loss(objLoss.add(clsLoss).add(boxLoss), objLoss.item(), clsLoss.item(), boxLoss.item());
    }

    /** xyxy boxes {@code (P, 4)} from the box channels {@code (P, 4)} of the cells {@code rows} (indices into N·64). */
    static Variable decode(Variable boxChannels, int[] rows) {
        double[] col = new double[rows.length];
        double[] row = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            int c = rows[k] % (G * G);
            col[k] = c % G;
            row[k] = c / G;
        }
        Variable[] ch = F.split(boxChannels, 1, 1, 1, 1, 1);
        Variable cx = ch[0].reshape(rows.length).sigmoid().add(Variable.constant(NDArray.of(col, col.length))).mul(S);
        Variable cy = ch[1].reshape(rows.length).sigmoid().add(Variable.constant(NDArray.of(row, row.length))).mul(S);
        Variable w = ch[2].reshape(rows.length).exp().mul(ANCHOR);
        Variable h = ch[3].reshape(rows.length).exp().mul(ANCHOR);
        return Boxes.convert(F.stack(1, cx, cy, w, h), BoxFormat.CXCYWH, BoxFormat.XYXY);
    }

    /** One image's detections after NMS: xyxy boxes, scores and class indices, by decreasing score. */
    record Detections(NDArray boxes, NDArray scores, NDArray labels) {
        int size() {
            return scores.size();
        }
    }

    /**
     * The detections in each image of a head output (computed without a graph): every cell's score is
     * σ(objectness) times its largest class probability; cells scoring at least {@code minScore} are
     * kept, then per-class NMS at IoU {@code nmsIou}, then at most {@code maxPerImage} by score.
     */
    static List<Detections> detect(NDArray out, double minScore, double nmsIou, int maxPerImage) {
        int n = out.shape(0);
        double[] v = out.toArray();
        List<Detections> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<double[]> boxes = new ArrayList<>();
            List<Double> scores = new ArrayList<>();
            List<Long> labels = new ArrayList<>();
            for (int c = 0; c < G * G; c++) {
                int y = c / G;
                int x = c % G;
                double[] ch = new double[OUT];
                for (int k = 0; k < OUT; k++) {
                    ch[k] = v[((i * OUT + k) * G + y) * G + x];
                }
                double best = Double.NEGATIVE_INFINITY;
                int cls = 0;
                for (int k = 0; k < NUM_CLASSES; k++) {
                    if (ch[1 + k] > best) {
                        best = ch[1 + k];
                        cls = k;
                    }
                }
                double z = 0;
                for (int k = 0; k < NUM_CLASSES; k++) {
                    z += Math.exp(ch[1 + k] - best);
                }
                double score = NDArray.sigmoid(ch[0]) / z;
                if (score >= minScore) {
                    double cx = (x + NDArray.sigmoid(ch[4])) * S;
                    double cy = (y + NDArray.sigmoid(ch[5])) * S;
                    double w = Math.exp(ch[6]) * ANCHOR;
                    double h = Math.exp(ch[7]) * ANCHOR;
                    boxes.add(new double[] {cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h});
                    scores.add(score);
                    labels.add((long) cls);
                }
            }
            result.add(suppress(boxes, scores, labels, nmsIou, maxPerImage));
        }
        return result;
    }

    private static Detections suppress(List<double[]> boxes, List<Double> scores, List<Long> labels, double nmsIou,
                                       int max) {
        int m = boxes.size();
        double[] b = new double[4 * m];
        double[] s = new double[m];
        long[] l = new long[m];
        for (int k = 0; k < m; k++) {
            System.arraycopy(boxes.get(k), 0, b, 4 * k, 4);
            s[k] = scores.get(k);
            l[k] = labels.get(k);
        }
        long[] keep = Nms.batchedNms(NDArray.of(b, m, 4), NDArray.of(s, m), NDArray.of(l, m), nmsIou).toLongArray();
        int k = Math.min(max, keep.length);
        double[] kb = new double[4 * k];
        double[] ks = new double[k];
        long[] kl = new long[k];
        for (int j = 0; j < k; j++) {
            int i = (int) keep[j];
            System.arraycopy(b, 4 * i, kb, 4 * j, 4);
            ks[j] = s[i];
            kl[j] = l[i];
        }
        return new Detections(NDArray.of(kb, k, 4), NDArray.of(ks, k), NDArray.of(kl, k));
    }
}
