package dev.nabla.train.tensorboard;

import dev.nabla.ndarray.NDArray;
import java.util.Arrays;

/**
 * Turns an {@link NDArray} image into a TensorBoard image payload the way PyTorch's
 * {@code summary.image} does for float tensors: lay it out as height-width-channel, multiply by 255
 * in float32, clip to [0, 255], truncate to bytes, encode as PNG. Stateless and thread-safe.
 */
final class Images {
    private Images() {}

    static Payload.Image toPng(String tag, NDArray image, String dataFormats) {
        int[] shape = image.shape();
        String where = "EventWriter.addImage('" + tag + "'): ";
        if (dataFormats == null || !(dataFormats.equals("CHW") || dataFormats.equals("HWC") || dataFormats.equals("HW"))) {
            throw new IllegalArgumentException(where + "dataFormats " + (dataFormats == null ? "null" : "\"" + dataFormats + "\"")
                    + " is not one of \"CHW\", \"HWC\", \"HW\"");
        }
        if (shape.length != dataFormats.length()) {
            throw new IllegalArgumentException(where + "dataFormats \"" + dataFormats + "\" needs a " + dataFormats.length()
                    + "-d array, got shape " + Arrays.toString(shape) + "; pass \"CHW\", \"HWC\" or \"HW\" to match the array");
        }
        int h;
        int w;
        int c;
        switch (dataFormats) {
            case "CHW":
                c = shape[0];
                h = shape[1];
                w = shape[2];
                break;
            case "HWC":
                h = shape[0];
                w = shape[1];
                c = shape[2];
                break;
            default:
                h = shape[0];
                w = shape[1];
                c = 1;
        }
        if (c != 1 && c != 3 && c != 4) {
            throw new IllegalArgumentException(where + "the image has " + c + " channels (shape " + Arrays.toString(shape) + ", "
                    + dataFormats + "); TensorBoard images have 1 (gray), 3 (RGB) or 4 (RGBA)");
        }
        if (h == 0 || w == 0) {
            throw new IllegalArgumentException(where + "the image is empty (shape " + Arrays.toString(shape) + ", " + dataFormats + ")");
        }
        byte[] px = new byte[h * w * c];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    int flat = dataFormats.equals("CHW") ? (k * h + y) * w + x : (y * w + x) * c + k;
                    float v = (float) image.getFlat(flat);
                    if (Float.isNaN(v)) {
                        throw new IllegalArgumentException(where + "pixel (y " + y + ", x " + x + ", channel " + k
                                + ") is NaN; images need numbers in [0, 1]");
                    }
                    float scaled = Math.max(0f, Math.min(255f, v * 255f));
                    px[(y * w + x) * c + k] = (byte) (int) scaled;
                }
            }
        }
        return new Payload.Image(h, w, c, Png.encode(h, w, c, px));
    }
}
