package dev.nabla.nn.conv;

import dev.nabla.ndarray.NDArray;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * A random sliding-window configuration for property tests: batch, channels, kernel, stride,
 * padding, dilation, an input size and, for pooling, ceilMode, countIncludePad and a divisor
 * override. The output size is drawn first, the input size derived from it plus 0 to S-1 extra
 * rows and columns, so that about half the cases with a stride above 1 do not tile the input
 * (rows and columns that no floor-mode window reaches, partial last windows in ceil mode). Sizes
 * stay tiny (N ≤ 2, C ≤ 3, H, W ≤ 7) so that finite-difference checks run in milliseconds. The
 * output size {@link #oh()} is PyTorch's formula, written here independently of ConvGeometry.
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
    /** Whether this is a pooling case (then {@link #ceil} applies). */
    public final boolean pooling;
    /** Pooling: output sizes rounded up. */
    public final boolean ceil;
    /** Average pooling: padding counted in the divisor. */
    public final boolean countIncludePad;
    /** Average pooling: the divisor override, or 0 for none. */
    public final int divisor;

    private ConvCase(int n, int c, int oc, int[] k, int[] s, int[] p, int[] d, int h, int w, long seed, boolean pooling,
                     boolean ceil, boolean countIncludePad, int divisor) {
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
        this.pooling = pooling;
        this.ceil = ceil;
        this.countIncludePad = countIncludePad;
        this.divisor = divisor;
    }

    /**
     * Convolution cases: kernel 1..3, stride 1..3, padding 0..2, dilation 1..2 per axis (drawn
     * independently, so non-square ones appear), output 1..3 per axis, input 1..7.
     */
    public static Arbitrary<ConvCase> conv() {
        return Arbitraries.randomValue(r -> draw(r, 3, 2, 2, false));
    }

    /**
     * Pooling cases: dilation 1, padding at most half the kernel (PyTorch's rule for pooling),
     * ceilMode, countIncludePad and a divisor override (a third of the cases) drawn at random.
     */
    public static Arbitrary<ConvCase> pool() {
        return Arbitraries.randomValue(r -> draw(r, 3, 2, 1, true));
    }

    /**
     * Max-pooling cases: as {@link #pool()} with dilation 1..2, and only cases where every window
     * holds a real input (a dilated window can step over the input entirely; that edge case has
     * its own test).
     */
    public static Arbitrary<ConvCase> maxPool() {
        return Arbitraries.randomValue(r -> draw(r, 3, 2, 2, true));
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
            // extra rows/columns below S: the same floor-mode output, but windows that do not tile
            int h = (oh - 1) * s[0] + d[0] * (k[0] - 1) + 1 - 2 * p[0] + r.nextInt(s[0]);
            int w = (ow - 1) * s[1] + d[1] * (k[1] - 1) + 1 - 2 * p[1] + r.nextInt(s[1]);
            if (h < 1 || h > 7 || w < 1 || w > 7) {
                continue;
            }
            boolean ceil = pooling && r.nextBoolean();
            boolean include = !pooling || r.nextBoolean();
            int divisor = pooling && r.nextInt(3) == 0 ? (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(5)) : 0;
            ConvCase c = new ConvCase(1 + r.nextInt(2), 1 + r.nextInt(3), 1 + r.nextInt(3), k, s, p, d, h, w,
                    r.nextLong(), pooling, ceil, include, divisor);
            if (pooling && !c.everyWindowHasAnInput()) {
                continue;
            }
            return c;
        }
    }

    /**
     * The geometry of this case under {@code op}: a pooling geometry (with this case's ceilMode)
     * for a pooling case, else a convolution's.
     */
    public ConvGeometry geometry(String op) {
        return pooling
                ? ConvGeometry.pooling(op, new int[] {kh, kw}, new int[] {sh, sw}, new int[] {ph, pw},
                        new int[] {dh, dw}, ceil)
                : new ConvGeometry(op, kh, kw, sh, sw, ph, pw, dh, dw);
    }

    /** This pooling case's settings for max pooling (stride, padding, dilation, ceilMode). */
    public PoolOptions maxOptions() {
        return PoolOptions.defaults().stride(sh, sw).padding(ph, pw).dilation(dh, dw).ceilMode(ceil);
    }

    /** This pooling case's settings for average pooling (dilation must be 1). */
    public PoolOptions avgOptions() {
        PoolOptions o = PoolOptions.defaults().stride(sh, sw).padding(ph, pw).ceilMode(ceil)
                .countIncludePad(countIncludePad);
        return divisor == 0 ? o : o.divisorOverride(divisor);
    }

    /** Output height by PyTorch's formula (pooling_output_shape for a pooling case). */
    public int oh() {
        return length(h, kh, sh, ph, dh);
    }

    /** Output width. */
    public int ow() {
        return length(w, kw, sw, pw, dw);
    }

    private int length(int in, int k, int s, int p, int d) {
        int num = in + 2 * p - d * (k - 1) - 1;
        if (!ceil) {
            return Math.floorDiv(num, s) + 1;
        }
        int out = Math.floorDiv(num + s - 1, s) + 1;
        return (out - 1) * s >= in + p ? out - 1 : out;
    }

    /** Whether every window (dilated taps included) reads at least one real input element. */
    boolean everyWindowHasAnInput() {
        return everyWindowHits(h, oh(), kh, sh, ph, dh) && everyWindowHits(w, ow(), kw, sw, pw, dw);
    }

    private static boolean everyWindowHits(int in, int out, int k, int s, int p, int d) {
        for (int o = 0; o < out; o++) {
            boolean hit = false;
            for (int i = 0; i < k; i++) {
                int at = o * s - p + i * d;
                hit |= at >= 0 && at < in;
            }
            if (!hit) {
                return false;
            }
        }
        return true;
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
                + ")" + (pooling ? ", ceil=" + ceil + ", countIncludePad=" + countIncludePad + ", divisor=" + divisor : "")
                + ", seed=" + seed + ")";
    }
}
