package dev.nabla.examples.detection;

import dev.nabla.ndarray.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws test images with their true boxes (dashed, white) and the detector's boxes scoring at least
 * {@value #MIN_DRAWN} (solid, one colour per class, labelled with class and score) into a PNG,
 * written atomically. Uses only {@link BufferedImage} and {@link ImageIO}, so it works headless.
 * Stateless and thread-safe.
 */
final class DetectionPictures {
    private DetectionPictures() {}

    /** Images drawn. */
    static final int COUNT = 8;
    /** Images per row. */
    static final int COLS = 4;
    /** Screen pixels per image pixel. */
    static final int SCALE = 6;
    /** The least score of a drawn detection. */
    static final double MIN_DRAWN = 0.5;
    private static final int GAP = 8;
    private static final int TITLE = 28;
    private static final Color[] CLASS_COLORS = {new Color(230, 80, 60), new Color(60, 170, 230), new Color(250, 200, 40)};

    static void write(Path png, ShapesData data, List<ShapesDetector.Detections> dets, String title) throws IOException {
        int n = dets.size();
        int side = ShapesData.SIZE * SCALE;
        int rows = Math.max(1, (n + COLS - 1) / COLS);
        int width = COLS * side + (COLS + 1) * GAP;
        int height = TITLE + rows * side + (rows + 1) * GAP;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(40, 40, 40));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString(title, GAP, 19);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
        for (int i = 0; i < n; i++) {
            int ox = GAP + (i % COLS) * (side + GAP);
            int oy = TITLE + GAP + (i / COLS) * (side + GAP);
            for (int y = 0; y < ShapesData.SIZE; y++) {
                for (int x = 0; x < ShapesData.SIZE; x++) {
                    int v = (int) Math.round(255 * Math.max(0, Math.min(1, data.pixel(i, x, y))));
                    g.setColor(new Color(v, v, v));
                    g.fillRect(ox + x * SCALE, oy + y * SCALE, SCALE, SCALE);
                }
            }
            ShapesData.Objects o = data.objects(i);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
            for (double[] b : o.boxes()) {
                rect(g, ox, oy, b);
            }
            ShapesDetector.Detections d = dets.get(i);
            double[] boxes = d.boxes().toArray();
            g.setStroke(new BasicStroke(2f));
            for (int k = 0; k < d.size(); k++) {
                double score = d.scores().getFlat(k);
                if (score < MIN_DRAWN) {
                    continue;
                }
                int cls = (int) d.labels().getFlatLong(k);
                g.setColor(CLASS_COLORS[cls]);
                double[] b = {boxes[4 * k], boxes[4 * k + 1], boxes[4 * k + 2], boxes[4 * k + 3]};
                rect(g, ox, oy, b);
                String label = String.format(Locale.ROOT, "%s %.2f", ShapesData.CLASSES.get(cls), score);
                int tx = (int) Math.max(ox, Math.min(ox + side - 70, ox + b[0] * SCALE));
                int ty = (int) Math.max(oy + 11, oy + b[1] * SCALE - 3);
                g.drawString(label, tx, ty);
            }
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", bytes)) {
            throw new IOException("detections: no PNG writer available");
        }
        AtomicFiles.write(png, bytes.toByteArray());
    }

    private static void rect(Graphics2D g, int ox, int oy, double[] b) {
        int x1 = (int) Math.round(ox + Math.max(0, b[0]) * SCALE);
        int y1 = (int) Math.round(oy + Math.max(0, b[1]) * SCALE);
        int x2 = (int) Math.round(ox + Math.min(ShapesData.SIZE, b[2]) * SCALE);
        int y2 = (int) Math.round(oy + Math.min(ShapesData.SIZE, b[3]) * SCALE);
        g.drawRect(x1, y1, Math.max(1, x2 - x1), Math.max(1, y2 - y1));
    }
}
