package dev.nabla.train;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Draws a convolution layer's filters as a grey-scale PNG: one tile per output channel, laid out in
 * a near-square grid, each tile normalised on its own (its smallest weight black, its largest
 * white; a constant filter mid-grey) and enlarged {@code scale} times, tiles separated by
 * {@code gap} mid-grey pixels. Filters with several input channels show the mean over channels.
 * Uses only {@link BufferedImage} and {@link ImageIO}, so it works headless.
 * Stateless and thread-safe.
 */
public final class FilterGrid {
    /** Grey level of the gaps between tiles. */
    public static final int BACKGROUND = 128;

    private FilterGrid() {}

    /** Number of grid columns for {@code filters} tiles: ⌈√filters⌉. */
    public static int columns(int filters) {
        return (int) Math.ceil(Math.sqrt(filters));
    }

    /** Renders {@code weight} (out, in, kH, kW) as described above. */
    public static BufferedImage render(NDArray weight, int scale, int gap) {
        int[] s = weight.shape();
        if (s.length != 4) {
            throw new IllegalArgumentException("FilterGrid: expected a convolution weight (out, in, kH, kW), but got shape "
                    + Shapes.str(s));
        }
        if (scale < 1 || gap < 0) {
            throw new IllegalArgumentException("FilterGrid: scale must be at least 1 and gap at least 0, but got scale="
                    + scale + ", gap=" + gap);
        }
        int filters = s[0];
        int channels = s[1];
        int kh = s[2];
        int kw = s[3];
        if (filters < 1 || channels < 1 || kh < 1 || kw < 1) {
            throw new IllegalArgumentException("FilterGrid: the weight has an empty axis: " + Shapes.str(s));
        }
        int cols = columns(filters);
        int rows = (filters + cols - 1) / cols;
        int tileH = kh * scale;
        int tileW = kw * scale;
        int width = cols * tileW + (cols + 1) * gap;
        int height = rows * tileH + (rows + 1) * gap;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = img.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, BACKGROUND);
            }
        }
        NDArray mean = weight.mean(new int[] {1}, false); // (out, kH, kW)
        for (int f = 0; f < filters; f++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < kh * kw; i++) {
                double v = mean.getFlat(f * kh * kw + i);
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            int x0 = gap + (f % cols) * (tileW + gap);
            int y0 = gap + (f / cols) * (tileH + gap);
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    double v = mean.getFlat((f * kh + i) * kw + j);
                    int grey = hi > lo ? (int) Math.round(255 * (v - lo) / (hi - lo)) : BACKGROUND;
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            raster.setSample(x0 + j * scale + dx, y0 + i * scale + dy, 0, grey);
                        }
                    }
                }
            }
        }
        return img;
    }

    /** Colour of the gaps between the tiles of {@link #titled} (a blue no grey level can be taken for). */
    public static final java.awt.Color GAP_COLOR = new java.awt.Color(70, 130, 180);
    /** Height in pixels of the title band of {@link #titled}. */
    public static final int TITLE_HEIGHT = 24;

    /**
     * The grid of {@link #render} in colour under a title: the tiles keep their grey levels, the gaps
     * (at least 2 pixels) are {@link #GAP_COLOR}, so that black and white tile edges stay visibly
     * separate, and {@code title} is drawn centred in a white band of {@value #TITLE_HEIGHT} pixels on top.
     */
    public static BufferedImage titled(NDArray weight, int scale, int gap, String title) {
        int g = Math.max(gap, 2);
        BufferedImage grid = render(weight, scale, g);
        int w = Math.max(grid.getWidth(), 8 * title.length() + 16);
        BufferedImage img = new BufferedImage(w, grid.getHeight() + TITLE_HEIGHT, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D gr = img.createGraphics();
        try {
            gr.setColor(java.awt.Color.WHITE);
            gr.fillRect(0, 0, img.getWidth(), img.getHeight());
            int x0 = (w - grid.getWidth()) / 2;
            gr.setColor(GAP_COLOR);
            gr.fillRect(x0, TITLE_HEIGHT, grid.getWidth(), grid.getHeight());
            int[] s = weight.shape();
            int cols = columns(s[0]);
            int tileW = s[3] * scale;
            int tileH = s[2] * scale;
            for (int f = 0; f < s[0]; f++) {
                int tx = g + (f % cols) * (tileW + g);
                int ty = g + (f / cols) * (tileH + g);
                gr.drawImage(grid.getSubimage(tx, ty, tileW, tileH), x0 + tx, TITLE_HEIGHT + ty, null);
            }
            gr.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            gr.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 13));
            gr.setColor(java.awt.Color.BLACK);
            java.awt.FontMetrics fm = gr.getFontMetrics();
            gr.drawString(title, Math.max(2, (w - fm.stringWidth(title)) / 2), (TITLE_HEIGHT + fm.getAscent()) / 2 - 1);
        } finally {
            gr.dispose();
        }
        return img;
    }

    /**
     * Writes the grid of {@code weight} to {@code file} as PNG, atomically (a temporary file in the
     * same folder, then a rename), creating the folder if needed.
     */
    public static void write(NDArray weight, Path file, int scale, int gap) throws IOException {
        writePng(render(weight, scale, gap), file);
    }

    /** Writes {@link #titled} to {@code file} as PNG, atomically. */
    public static void write(NDArray weight, Path file, int scale, int gap, String title) throws IOException {
        writePng(titled(weight, scale, gap, title), file);
    }

    private static void writePng(BufferedImage img, Path file) throws IOException {
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", png)) {
            throw new IOException("FilterGrid: no PNG writer is available in this Java runtime");
        }
        dev.nabla.ndarray.io.AtomicFiles.write(file, png.toByteArray());
    }
}
