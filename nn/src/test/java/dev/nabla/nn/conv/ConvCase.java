package dev.nabla.nn.conv;

import dev.nabla.ndarray.NDArray;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * A random sliding-window configuration for property tests: batch, channels, kernel, stride,
 * padding, dilation and an input size chosen so that the output size is a whole number (the
 * output size is drawn first and the input size derived from it). Sizes stay tiny (N ≤ 2, C ≤ 3,
 * H, W ≤ 7) so that finite-difference checks run in milliseconds.
 */
public final class ConvCase {
    public final int n;
    public final int c;
    public final int oc;
    public final int kh;
    public final int kw;
    public final int sh;
    public final int sw;
    public final int ph;
    public final int pw;
    public final int dh;
    public final int dw;
    public final int h;
    public final int w;
    public final long seed;

    private ConvCase(int n, int c, int oc, int[] k, int[] s, int[] p, int[] d, int h, int w, long seed) {
        this.n = n;
        this.c = c;
        this.oc = oc;
        this.kh = k[0];
        this.kw = k[1];
        this.sh = s[0];
        this.sw = s[1];
        this.ph = p[0];
        this.pw = p[1];
        this.dh = d[0];
        this.dw = d[1];
        this.h = h;
        this.w = w;
        this.seed = seed;
    }

    /**
     * Convolution cases: kernel 1..3, stride 1..3, padding 0..2, dilation 1..2 per axis (drawn
     * independently, so non-square ones appear), output 1..3 per axis, input 1..7.
     */
    public static Arbitrary<ConvCase> conv() {
        return Arbitraries.randomValue(r -> draw(r, 3, 2, 2, false));
    }

    /** Pooling cases: dilation 1 and padding at most half the kernel (PyTorch's rule for pooling). */
    public static Arbitrary<ConvCase> pool() {
        return Arbitraries.randomValue(r -> draw(r, 3, 2, 1, true));
    }

    private static ConvCase draw(Random r, int maxK, int maxP, int maxD, boolean pooling) {
        while (true) {
            int[] k = {1 + r.nextInt(maxK), 1 + r.nextInt(maxK)};
            int[] s = {1 + r.nextInt(3), 1 + r.nextInt(3)};
            int[] d = {1 + r.nextInt(maxD), 1 + r.nextInt(maxD)};
            int[] p = {r.nextInt(maxP + 1), r.nextInt(maxP + 1)};
            if (pooling && (2 * p[0] > k[0] || 2 * p[1] > k[1])) {
                continue;
            }
            int oh = 1 + r.nextInt(3);
            int ow = 1 + r.nextInt(3);
            int h = (oh - 1) * s[0] + d[0] * (k[0] - 1) + 1 - 2 * p[0];
            int w = (ow - 1) * s[1] + d[1] * (k[1] - 1) + 1 - 2 * p[1];
            if (h < 1 || h > 7 || w < 1 || w > 7) {
                continue;
            }
            return new ConvCase(1 + r.nextInt(2), 1 + r.nextInt(3), 1 + r.nextInt(3), k, s, p, d, h, w, r.nextLong());
        }
    }

    /** The geometry of this case under {@code op}. */
    public ConvGeometry geometry(String op) {
        return new ConvGeometry(op, kh, kw, sh, sw, ph, pw, dh, dw);
    }

    /** Output height. */
    public int oh() {
        return (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
    }

    /** Output width. */
    public int ow() {
        return (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
    }

    /** Input shape (N, C, H, W). */
    public int[] inputShape() {
        return new int[] {n, c, h, w};
    }

    /** Weight shape (OC, C, KH, KW). */
    public int[] weightShape() {
        return new int[] {oc, c, kh, kw};
    }

    /** A standard-normal input from this case's seed. */
    public NDArray input() {
        return NDArray.randn(new Random(seed), inputShape());
    }

    /** A standard-normal weight from this case's seed. */
    public NDArray weight() {
        return NDArray.randn(new Random(seed + 1), weightShape());
    }

    /** A standard-normal bias from this case's seed. */
    public NDArray bias() {
        return NDArray.randn(new Random(seed + 2), oc);
    }

    /**
     * An input whose values are all distinct and at least 0.1 apart (a shuffled, scaled range plus
     * an offset), so that a max-pooling window never has a tie, even under finite-difference steps.
     */
    public NDArray distinctInput() {
        int size = n * c * h * w;
        Random r = new Random(seed + 3);
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = 0.1 * i - 0.05 * size;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return NDArray.of(v, inputShape());
    }

    @Override
    public String toString() {
        return "ConvCase(N=" + n + ", C=" + c + ", OC=" + oc + ", H=" + h + ", W=" + w + ", kernel=(" + kh + "," + kw
                + "), stride=(" + sh + "," + sw + "), padding=(" + ph + "," + pw + "), dilation=(" + dh + "," + dw
                + "), seed=" + seed + ")";
    }
}
