package dev.nabla.nn;

/** Argument checks and repr pieces shared by the convolution layers. Stateless and thread-safe. */
final class ConvLayers {
    private ConvLayers() {}

    /** Positive channel counts, positive groups dividing both (PyTorch's messages). */
    static void checkChannels(String op, int in, int out, int groups) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException(op + ": in_channels and out_channels must be positive, but got in_channels="
                    + in + ", out_channels=" + out);
        }
        if (groups < 1) {
            throw new IllegalArgumentException(op + ": groups must be a positive integer, but got groups=" + groups);
        }
        if (in % groups != 0) {
            throw new IllegalArgumentException(op + ": in_channels must be divisible by groups, but got in_channels="
                    + in + ", groups=" + groups);
        }
        if (out % groups != 0) {
            throw new IllegalArgumentException(op + ": out_channels must be divisible by groups, but got out_channels="
                    + out + ", groups=" + groups);
        }
    }

    /** Kernel, stride and dilation at least 1, padding at least 0. */
    static void checkScalars(String op, int kernel, int stride, int padding, int dilation) {
        if (kernel < 1 || stride < 1 || dilation < 1 || padding < 0) {
            throw new IllegalArgumentException(op + ": kernel_size, stride and dilation must be at least 1 and padding at"
                    + " least 0, but got kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding
                    + ", dilation=" + dilation);
        }
    }

    /** PyTorch's repr tail: groups when not 1, bias=False when absent, padding_mode when not zeros. */
    static String reprTail(String s, int groups, boolean bias, String paddingMode) {
        if (groups != 1) {
            s += ", groups=" + groups;
        }
        if (!bias) {
            s += ", bias=False";
        }
        return "zeros".equals(paddingMode) ? s : s + ", padding_mode=" + paddingMode;
    }
}
