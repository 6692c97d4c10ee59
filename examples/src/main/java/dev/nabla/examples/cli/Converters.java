package dev.nabla.examples.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Number options that say what they expect: {@code --epochs abc} gives
 * {@code --epochs expects a positive integer, got "abc"} (the option's name is added by {@link Errors}),
 * never Java's {@code For input string: "abc"}. The plain integer and number converters are registered
 * for every option of the command line; the bounded ones are named by the options that need them.
 * Stateless and thread-safe.
 */
public final class Converters {
    private Converters() {}

    private static TypeConversionException expects(String what, String value) {
        return new TypeConversionException("expects " + what + ", got \"" + value + "\"");
    }

    private static long parseLong(String what, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw expects(what, value);
        }
    }

    private static int parseInt(String what, String value, int min) {
        long v = parseLong(what, value);
        if (v < min || v > Integer.MAX_VALUE) {
            throw expects(what, value);
        }
        return (int) v;
    }

    private static double parseFinite(String what, String value) {
        try {
            double v = Double.parseDouble(value.trim());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw expects(what, value);
    }

    /** Any int. */
    public static final class Int implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return parseInt("an integer", value, Integer.MIN_VALUE);
        }
    }

    /** An int of at least 1 (epochs, batch size, cases). */
    public static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return parseInt("a positive integer", value, 1);
        }
    }

    /** An int of at least 0 (limits, where 0 means "all" or "off"). */
    public static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return parseInt("an integer >= 0", value, 0);
        }
    }

    /** Any long (seeds). */
    public static final class AnyLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parseLong("an integer", value);
        }
    }

    /** Any finite number. */
    public static final class Finite implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return parseFinite("a finite number", value);
        }
    }

    /** A finite number above 0 (learning rates). */
    public static final class PositiveFinite implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = parseFinite("a positive finite number", value);
            if (!(v > 0)) {
                throw expects("a positive finite number", value);
            }
            return v;
        }
    }

    /** A finite number of at least 0 (weight decay). */
    public static final class NonNegativeFinite implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = parseFinite("a finite number >= 0", value);
            if (!(v >= 0)) {
                throw expects("a finite number >= 0", value);
            }
            return v;
        }
    }
}
