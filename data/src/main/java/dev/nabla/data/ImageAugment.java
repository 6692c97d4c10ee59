package dev.nabla.data;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * Standard image augmentations for one image of shape {@code (H, W)} or {@code (C, H, W)}: random
 * shift/crop with zero padding, horizontal flip, gaussian noise. All channels of an image get the
 * same geometric transformation. For flat inputs such as MNIST's {@code (784)} vectors, wrap an
 * augmentation with {@link #reshaped(int[], Augmentation)}.
 * Stateless and thread-safe; so are the augmentations it returns.
 */
public final class ImageAugment {
    private ImageAugment() {
    }

    /**
     * Shifts the image by {@code dy, dx} drawn uniformly from {@code [-maxShift, maxShift]}, filling
     * with zeros: the same as zero-padding by {@code maxShift} and cropping the original size at a
     * random position (torchvision's {@code RandomCrop(size, padding)}).
     */
    public static Augmentation randomShift(int maxShift) {
        if (maxShift < 0) {
            throw new IllegalArgumentException("ImageAugment.randomShift: maxShift must be >= 0 but got " + maxShift);
        }
        return (x, rng) -> {
            int[] s = imageShape("randomShift", x);
            int dy = rng.nextInt(2 * maxShift + 1) - maxShift;
            int dx = rng.nextInt(2 * maxShift + 1) - maxShift;
            return crop(x, s, s[1], s[2], maxShift - dy, maxShift - dx, maxShift);
        };
    }

    /** Zero-pads by {@code padding} on every side and crops the original size at a random position. */
    public static Augmentation randomCrop(int padding) {
        return randomShift(padding);
    }

    /**
     * Zero-pads by {@code padding} on every side and crops a {@code height x width} window at a
     * uniformly random position; the output is {@code (height, width)} or {@code (C, height, width)}.
     */
    public static Augmentation randomCrop(int height, int width, int padding) {
        if (height <= 0 || width <= 0 || padding < 0) {
            throw new IllegalArgumentException("ImageAugment.randomCrop: need height > 0, width > 0 and padding >= 0 but got "
                    + height + ", " + width + ", " + padding);
        }
        return (x, rng) -> {
            int[] s = imageShape("randomCrop", x);
            int ph = s[1] + 2 * padding;
            int pw = s[2] + 2 * padding;
            if (height > ph || width > pw) {
                throw new IllegalArgumentException("ImageAugment.randomCrop: crop " + height + "x" + width
                        + " is larger than the padded image " + ph + "x" + pw + " (image " + s[1] + "x" + s[2]
                        + ", padding " + padding + ")");
            }
            int top = rng.nextInt(ph - height + 1);
            int left = rng.nextInt(pw - width + 1);
            return crop(x, s, height, width, top, left, padding);
        };
    }

    /** Mirrors the image left-right with probability {@code p}. */
    public static Augmentation horizontalFlip(double p) {
        checkProbability("horizontalFlip", p);
        return (x, rng) -> {
            int[] s = imageShape("horizontalFlip", x);
            if (rng.nextDouble() >= p) {
                return x;
            }
            int c = s[0];
            int h = s[1];
            int w = s[2];
            double[] out = new double[c * h * w];
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h; i++) {
                    int row = (ch * h + i) * w;
                    for (int j = 0; j < w; j++) {
                        out[row + j] = x.getFlat(row + w - 1 - j);
                    }
                }
            }
            return NDArray.of(out, x.shape());
        };
    }

    /** Adds independent gaussian noise of standard deviation {@code std} to every value (any shape). */
    public static Augmentation gaussianNoise(double std) {
        if (!(std >= 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("ImageAugment.gaussianNoise: std must be finite and >= 0 but got " + std);
        }
        return (x, rng) -> {
            int n = x.size();
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = x.getFlat(i) + std * rng.nextGaussian();
            }
            return NDArray.of(out, x.shape());
        };
    }

    /**
     * Applies {@code inner} to the input viewed as {@code imageShape} and returns the result in the
     * input's shape, e.g. {@code reshaped(new int[] {28, 28}, randomShift(2))} for flat MNIST rows.
     * {@code inner} must keep the image size.
     */
    public static Augmentation reshaped(int[] imageShape, Augmentation inner) {
        int[] shape = imageShape.clone();
        return (x, rng) -> {
            if (Shapes.size(shape) != x.size()) {
                throw new IllegalArgumentException("ImageAugment.reshaped: an input of shape " + Shapes.str(x.shape())
                        + " (size " + x.size() + ") cannot be viewed as an image of shape " + Shapes.str(shape));
            }
            NDArray y = inner.apply(x.reshape(shape), rng);
            if (y.size() != x.size()) {
                throw new IllegalArgumentException("ImageAugment.reshaped: the inner augmentation changed the size from "
                        + Shapes.str(shape) + " to " + Shapes.str(y.shape()) + "; it must keep the image size");
            }
            return y.reshape(x.shape());
        };
    }

    /** {@code (C, H, W)} for an {@code (H, W)} or {@code (C, H, W)} image. */
    private static int[] imageShape(String op, NDArray x) {
        int[] s = x.shape();
        if (s.length == 2) {
            return new int[] {1, s[0], s[1]};
        }
        if (s.length == 3) {
            return s;
        }
        throw new IllegalArgumentException("ImageAugment." + op + ": expected an image of shape (H, W) or (C, H, W) but got shape "
                + Shapes.str(s) + (s.length == 1 ? "; for flat rows use ImageAugment.reshaped(new int[] {H, W}, ...)" : ""));
    }

    /**
     * The {@code height x width} window at {@code (top, left)} of the image zero-padded by {@code pad};
     * keeps the input's rank.
     */
    private static NDArray crop(NDArray x, int[] s, int height, int width, int top, int left, int pad) {
        int c = s[0];
        int h = s[1];
        int w = s[2];
        double[] out = new double[c * height * width];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < height; i++) {
                int si = top + i - pad;
                if (si < 0 || si >= h) {
                    continue;
                }
                for (int j = 0; j < width; j++) {
                    int sj = left + j - pad;
                    if (sj >= 0 && sj < w) {
                        out[(ch * height + i) * width + j] = x.getFlat((ch * h + si) * w + sj);
                    }
                }
            }
        }
        int[] shape = x.ndim() == 2 ? new int[] {height, width} : new int[] {c, height, width};
        return NDArray.of(out, shape);
    }

    private static void checkProbability(String op, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("ImageAugment." + op + ": probability must be in [0, 1] but got " + p);
        }
    }
}
