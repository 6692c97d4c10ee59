package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.Arrays;

/**
 * Upsampling (or any resizing) of the spatial axes, PyTorch's {@code nn.Upsample(size,
 * scale_factor, mode, align_corners)}: the layer form of {@link Functional#interpolate} with
 * modes "nearest", "linear" (3-D input) and "bilinear" (4-D input). No parameters.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class Upsample extends Module {
    private final int[] size;
    private final double[] scaleFactor;
    private final String mode;
    private final Boolean alignCorners;

    /**
     * Exactly one of {@code size} (one value or one per spatial axis) and {@code scaleFactor}
     * (likewise) non-null; {@code alignCorners} null (PyTorch's None, false for linear modes) or,
     * for the linear modes only, true/false.
     */
    public Upsample(int[] size, double[] scaleFactor, String mode, Boolean alignCorners) {
        Resample.checkSettings("Upsample", size, scaleFactor, mode, alignCorners);
        this.size = size == null ? null : size.clone();
        this.scaleFactor = scaleFactor == null ? null : scaleFactor.clone();
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    /** Scales every spatial axis by {@code scaleFactor} with {@code mode} (align corners unset). */
    public Upsample(double scaleFactor, String mode) {
        this(null, new double[] {scaleFactor}, mode, null);
    }

    /** Resizes {@code x} (N, C, L) or (N, C, H, W). */
    @Override
    public Variable forward(Variable x) {
        return Functional.interpolate(x, size, scaleFactor, mode, alignCorners);
    }

    @Override
    protected String extraRepr() {
        String info;
        if (scaleFactor != null) {
            info = "scale_factor=" + (scaleFactor.length == 1 ? Repr.num(scaleFactor[0])
                    : "(" + String.join(", ", Arrays.stream(scaleFactor).mapToObj(Repr::num).toArray(String[]::new)) + ")");
        } else {
            info = "size=" + (size.length == 1 ? Integer.toString(size[0]) : Repr.tuple(size));
        }
        return info + ", mode='" + mode + "'";
    }
}
