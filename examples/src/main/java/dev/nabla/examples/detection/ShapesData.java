package dev.nabla.examples.detection;

import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A synthetic detection data set drawn from a seed: grey {@value #SIZE}×{@value #SIZE} images on
 * a faintly noisy background, each with 1 to 3 filled shapes of classes {@link #CLASSES} (an
 * axis-aligned rectangle, a disc, an upward triangle) of brightness 0.5-1 and sides
 * {@value #MIN_SIDE}-{@value #MAX_SIDE} pixels. A shape's box is its exact extent in
 * {@code (x1, y1, x2, y2)} pixels (the rasterized pixels are those whose centres fall inside the
 * shape). Boxes do not overlap (at least a pixel apart), and no two box centres share a cell of the
 * detector's {@value #STRIDE}-pixel grid, so each object has one responsible cell.
 * Immutable after construction and thread-safe (the arrays it returns are copies or immutable).
 */
final class ShapesData {
    /** Image side in pixels. */
    static final int SIZE = 32;
    /** The detector's output stride: one grid cell per {@code STRIDE × STRIDE} pixels. */
    static final int STRIDE = 4;
    /** Grid cells per side. */
    static final int GRID = SIZE / STRIDE;
    /** Smallest shape side. */
    static final int MIN_SIDE = 6;
    /** Largest shape side. */
    static final int MAX_SIDE = 14;
    /** Class names, by class index. */
    static final List<String> CLASSES = List.of("rectangle", "disc", "triangle");
    /** Standard deviation of the background noise. */
    static final double NOISE = 0.05;

    /** One image's objects: {@code (G, 4)} xyxy boxes and their class indices. */
    record Objects(double[][] boxes, int[] labels) {
        NDArray boxArray() {
            double[] flat = new double[4 * boxes.length];
            for (int i = 0; i < boxes.length; i++) {
                System.arraycopy(boxes[i], 0, flat, 4 * i, 4);
            }
            return NDArray.of(flat, boxes.length, 4);
        }

        NDArray labelArray() {
            long[] l = new long[labels.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = labels[i];
            }
            return NDArray.of(l, l.length);
        }
    }

    private final double[] pixels;
    private final List<Objects> objects;

    /** {@code n} images drawn from {@code rng}. */
    ShapesData(int n, Random rng) {
        pixels = new double[n * SIZE * SIZE];
        objects = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            objects.add(drawImage(rng, pixels, i * SIZE * SIZE));
        }
    }

    /** Number of images. */
    int size() {
        return objects.size();
    }

    /** The objects of image {@code i}. */
    Objects objects(int i) {
        return objects.get(i);
    }

    /** Images {@code idx} as an {@code (len, 1, SIZE, SIZE)} float64 batch. */
    NDArray images(int[] idx) {
        double[] out = new double[idx.length * SIZE * SIZE];
        for (int k = 0; k < idx.length; k++) {
            System.arraycopy(pixels, idx[k] * SIZE * SIZE, out, k * SIZE * SIZE, SIZE * SIZE);
        }
        return NDArray.of(out, idx.length, 1, SIZE, SIZE);
    }

    /** The grey value of pixel {@code (x, y)} of image {@code i}. */
    double pixel(int i, int x, int y) {
        return pixels[i * SIZE * SIZE + y * SIZE + x];
    }

    private static Objects drawImage(Random rng, double[] px, int off) {
        for (int p = 0; p < SIZE * SIZE; p++) {
            px[off + p] = Math.max(0, Math.min(1, 0.1 + NOISE * rng.nextGaussian()));
        }
        int count = 1 + rng.nextInt(3);
        List<double[]> boxes = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int attempt = 0; boxes.size() < count && attempt < 200; attempt++) {
            int cls = rng.nextInt(CLASSES.size());
            double w = MIN_SIDE + rng.nextDouble() * (MAX_SIDE - MIN_SIDE);
            double h = cls == 1 ? w : MIN_SIDE + rng.nextDouble() * (MAX_SIDE - MIN_SIDE);
            double x1 = rng.nextDouble() * (SIZE - w);
            double y1 = rng.nextDouble() * (SIZE - h);
            double[] box = {x1, y1, x1 + w, y1 + h};
            double brightness = 0.5 + 0.5 * rng.nextDouble();
            if (fits(box, boxes)) {
                boxes.add(box);
                labels.add(cls);
                paint(px, off, cls, box, brightness);
            }
        }
        int[] l = new int[labels.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels.get(i);
        }
        return new Objects(boxes.toArray(new double[0][]), l);
    }

    /** Whether {@code b} keeps a pixel away from every box so far and its centre cell is free. */
    private static boolean fits(double[] b, List<double[]> boxes) {
        for (double[] o : boxes) {
            boolean apart = b[2] + 1 <= o[0] || o[2] + 1 <= b[0] || b[3] + 1 <= o[1] || o[3] + 1 <= b[1];
            if (!apart || cell(b) == cell(o)) {
                return false;
            }
        }
        return true;
    }

    /** The grid cell (row-major index) holding the centre of {@code b}. */
    static int cell(double[] b) {
        int cx = Math.min(GRID - 1, (int) ((b[0] + b[2]) / 2 / STRIDE));
        int cy = Math.min(GRID - 1, (int) ((b[1] + b[3]) / 2 / STRIDE));
        return cy * GRID + cx;
    }

    private static void paint(double[] px, int off, int cls, double[] b, double v) {
        double cx = (b[0] + b[2]) / 2;
        double cy = (b[1] + b[3]) / 2;
        double r = (b[2] - b[0]) / 2;
        for (int y = (int) b[1]; y < Math.min(SIZE, (int) Math.ceil(b[3])); y++) {
            for (int x = (int) b[0]; x < Math.min(SIZE, (int) Math.ceil(b[2])); x++) {
                double u = x + 0.5;
                double t = y + 0.5;
                if (u < b[0] || u > b[2] || t < b[1] || t > b[3]) {
                    continue;
                }
                boolean inside;
                if (cls == 0) {
                    inside = true;
                } else if (cls == 1) {
                    inside = (u - cx) * (u - cx) + (t - cy) * (t - cy) <= r * r;
                } else {
                    // apex (cx, y1), base from (x1, y2) to (x2, y2): the half-width grows linearly with depth
                    double half = (b[2] - b[0]) / 2 * (t - b[1]) / (b[3] - b[1]);
                    inside = Math.abs(u - cx) <= half;
                }
                if (inside) {
                    px[off + y * SIZE + x] = v;
                }
            }
        }
    }
}
