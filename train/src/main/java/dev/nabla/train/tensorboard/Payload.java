package dev.nabla.train.tensorboard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The value of a {@link SummaryValue}: the {@code oneof value} of TensorFlow's {@code Summary.Value}.
 * Arrays are copied in and out, and equality compares their contents, so every payload is
 * immutable and thread-safe.
 */
public sealed interface Payload {
    /**
     * {@code simple_value} (field 2): a float32 scalar, as PyTorch's {@code add_scalar} writes it.
     *
     * @param value the scalar (TensorBoard stores float32)
     */
    record Scalar(float value) implements Payload {}

    /**
     * {@code histo} (field 5): TensorFlow's {@code HistogramProto}. Bucket {@code i} counts the
     * values between {@code bucketLimits[i-1]} and {@code bucketLimits[i]}; bucket 0 starts at
     * minus infinity (TensorBoard's reading; how the writer fills the buckets is in EventWriter).
     *
     * @param min the smallest value
     * @param max the largest value
     * @param num how many values
     * @param sum their sum
     * @param sumSquares the sum of their squares
     * @param bucketLimits the right edge of each bucket
     * @param bucketCounts the count in each bucket (doubles, as in the protocol buffer)
     */
    record Histogram(double min, double max, double num, double sum, double sumSquares, double[] bucketLimits,
            double[] bucketCounts) implements Payload {
        /** Copies the arrays. */
        public Histogram {
            bucketLimits = bucketLimits.clone();
            bucketCounts = bucketCounts.clone();
        }

        /** A copy of the bucket limits. */
        @Override
        public double[] bucketLimits() {
            return bucketLimits.clone();
        }

        /** A copy of the bucket counts. */
        @Override
        public double[] bucketCounts() {
            return bucketCounts.clone();
        }

        /** How many bucket limits there are. */
        public int bucketCount() {
            return bucketLimits.length;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Histogram)) {
                return false;
            }
            Histogram h = (Histogram) o;
            return Double.compare(min, h.min) == 0 && Double.compare(max, h.max) == 0 && Double.compare(num, h.num) == 0
                    && Double.compare(sum, h.sum) == 0 && Double.compare(sumSquares, h.sumSquares) == 0
                    && Arrays.equals(bucketLimits, h.bucketLimits) && Arrays.equals(bucketCounts, h.bucketCounts);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(new double[] {min, max, num, sum, sumSquares}) * 31 * 31
                    + Arrays.hashCode(bucketLimits) * 31 + Arrays.hashCode(bucketCounts);
        }

        @Override
        public String toString() {
            return "Histogram[min=" + min + ", max=" + max + ", num=" + num + ", sum=" + sum + ", sumSquares="
                    + sumSquares + ", " + bucketLimits.length + " limits, " + bucketCounts.length + " counts]";
        }
    }

    /**
     * {@code image} (field 4): an encoded image (the writer writes PNG).
     *
     * @param height pixels
     * @param width pixels
     * @param colorspace 1 grayscale, 2 grayscale and alpha, 3 RGB, 4 RGBA
     * @param encoded the PNG (or other encoded) bytes
     */
    record Image(int height, int width, int colorspace, byte[] encoded) implements Payload {
        /** Copies the bytes. */
        public Image {
            encoded = encoded.clone();
        }

        /** A copy of the encoded bytes. */
        @Override
        public byte[] encoded() {
            return encoded.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Image && ((Image) o).height == height && ((Image) o).width == width
                    && ((Image) o).colorspace == colorspace && Arrays.equals(((Image) o).encoded, encoded);
        }

        @Override
        public int hashCode() {
            return ((height * 31 + width) * 31 + colorspace) * 31 + Arrays.hashCode(encoded);
        }

        @Override
        public String toString() {
            return "Image[" + height + "x" + width + ", colorspace " + colorspace + ", " + encoded.length + " bytes]";
        }
    }

    /**
     * {@code tensor} (field 8): a subset of TensorFlow's {@code TensorProto}: the dtype (field 1),
     * the shape (2), and the values in {@code string_val} (8), {@code float_val} (5) or
     * {@code double_val} (6). Other value fields ({@code tensor_content}, integer and complex
     * values) are skipped by the reader: the text and hparams plugins do not use them.
     *
     * @param dtype TensorFlow's {@code DataType} number ({@link #DT_STRING} for text)
     * @param shape the dimension sizes
     * @param strings the {@code string_val} elements
     * @param floats the {@code float_val} elements
     * @param doubles the {@code double_val} elements
     */
    record Tensor(int dtype, long[] shape, List<byte[]> strings, float[] floats, double[] doubles) implements Payload {
        /** TensorFlow's {@code DT_FLOAT}. */
        public static final int DT_FLOAT = 1;
        /** TensorFlow's {@code DT_DOUBLE}. */
        public static final int DT_DOUBLE = 2;
        /** TensorFlow's {@code DT_STRING}. */
        public static final int DT_STRING = 7;

        /** Copies everything. */
        public Tensor {
            shape = shape.clone();
            strings = copy(strings);
            floats = floats.clone();
            doubles = doubles.clone();
        }

        /** A rank-1 {@code DT_STRING} tensor of one UTF-8 string, as the text plugin expects. */
        public static Tensor text(String text) {
            return new Tensor(DT_STRING, new long[] {1}, List.of(text.getBytes(StandardCharsets.UTF_8)),
                    new float[0], new double[0]);
        }

        private static List<byte[]> copy(List<byte[]> in) {
            List<byte[]> out = new ArrayList<>(in.size());
            for (byte[] b : in) {
                out.add(b.clone());
            }
            return List.copyOf(out);
        }

        /** A copy of the shape. */
        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** A copy of the strings. */
        @Override
        public List<byte[]> strings() {
            return copy(strings);
        }

        /** How many strings there are. */
        public int stringCount() {
            return strings.size();
        }

        /** A copy of string {@code i}. */
        public byte[] string(int i) {
            return strings.get(i).clone();
        }

        /** A copy of the floats. */
        @Override
        public float[] floats() {
            return floats.clone();
        }

        /** A copy of the doubles. */
        @Override
        public double[] doubles() {
            return doubles.clone();
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Tensor)) {
                return false;
            }
            Tensor t = (Tensor) o;
            if (t.dtype != dtype || !Arrays.equals(t.shape, shape) || !Arrays.equals(t.floats, floats)
                    || !Arrays.equals(t.doubles, doubles) || t.strings.size() != strings.size()) {
                return false;
            }
            for (int i = 0; i < strings.size(); i++) {
                if (!Arrays.equals(t.strings.get(i), strings.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = dtype * 31 + Arrays.hashCode(shape);
            for (byte[] b : strings) {
                h = h * 31 + Arrays.hashCode(b);
            }
            return (h * 31 + Arrays.hashCode(floats)) * 31 + Arrays.hashCode(doubles);
        }

        @Override
        public String toString() {
            return "Tensor[dtype " + dtype + ", shape " + Arrays.toString(shape) + ", " + strings.size() + " strings, "
                    + floats.length + " floats, " + doubles.length + " doubles]";
        }
    }

    /** No value: the metadata is the content (hparams summaries). */
    record Empty() implements Payload {}

    /**
     * A value kind this library does not decode ({@code audio}, field 6, or the obsolete old-style
     * histogram, field 3); its bytes are skipped.
     *
     * @param field the {@code Summary.Value} field number it came in
     */
    record Unsupported(int field) implements Payload {}
}
