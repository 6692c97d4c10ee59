package dev.nabla.ndarray.io;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * The one JSON writer of Nabla (RFC 8259): every JSON file or line the project writes goes through it.
 * It writes a value tree built from
 * <ul>
 *   <li>{@link Map} with {@link String} keys (an object, in the map's iteration order),</li>
 *   <li>{@link Collection} or {@code Object[]}/{@code double[]}/{@code long[]}/{@code int[]} (an array),</li>
 *   <li>{@link String} and {@link CharSequence} (a string: {@code "} and {@code \} escaped, every control
 *       character below U+0020 escaped, U+2028/U+2029 and lone surrogates written as {@code \}{@code uXXXX},
 *       so that the output is valid JSON and valid UTF-8 whatever the string holds),</li>
 *   <li>{@link Long}, {@link Integer}, {@link Short}, {@link Byte} (an integer, exactly),</li>
 *   <li>{@link Double} and {@link Float} (the shortest decimal that reads back as the same value, e.g.
 *       {@code 0.1}, {@code 1.0}, {@code 1.5e-8}; see {@link #number(double)}). NaN and the infinities,
 *       which JSON cannot represent, are written as {@code null}: the files record "no value" for them
 *       (a diverged loss, an accuracy that does not apply),</li>
 *   <li>{@link Boolean} and {@code null}.</li>
 * </ul>
 * Anything else (another {@link Number} type, a key that is not a string, a structure nested deeper than
 * {@value #MAX_DEPTH} levels, e.g. a cycle) is refused with an {@link IllegalArgumentException} naming
 * the path of the offending value. The output reads back with the project's strict parser.
 * Stateless and thread-safe (the value tree must not change while it is written).
 */
public final class JsonWriter {
    /** Deepest nesting written; the same limit the parser applies. */
    public static final int MAX_DEPTH = 64;

    private final StringBuilder out;
    private final boolean indent;

    private JsonWriter(StringBuilder out, boolean indent) {
        this.out = out;
        this.indent = indent;
    }

    /** {@code value} as compact JSON on one line (no trailing newline): a metrics row, a bench line. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        new JsonWriter(sb, false).value(value, 0, "$");
        return sb.toString();
    }

    /** {@code value} as JSON indented by two spaces per level, ending with a newline: a config or summary file. */
    public static String writeIndented(Object value) {
        StringBuilder sb = new StringBuilder();
        new JsonWriter(sb, true).value(value, 0, "$");
        return sb.append('\n').toString();
    }

    /** Appends {@code s} to {@code out} as a JSON string literal (quotes included), escaped as described above. */
    public static void writeString(StringBuilder out, CharSequence s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        unicodeEscape(out, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(out, c); // lone: not encodable in UTF-8, but a valid JSON escape
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
    }

    /**
     * {@code v} as a JSON number: the decimal with the fewest significant digits that parses back to
     * exactly {@code v} (the closest such one when several have that length), in plain notation when its
     * exponent lies in [-7, 21) and always with a fraction or exponent ({@code 1.0}, {@code 2.5e-8},
     * {@code 1e+21} is written {@code 1e21}), so that it reads as a floating-point number. NaN and infinities
     * give {@code null}. Java 17's {@link Double#toString} is not always the shortest form, hence this.
     */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            return "null";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0.0" : "0.0";
        }
        return format(shortest(new BigDecimal(v), v, false));
    }

    /** {@code v} as a JSON number, the shortest decimal that parses back to the same {@code float}. */
    public static String number(float v) {
        if (!Float.isFinite(v)) {
            return "null";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0.0" : "0.0";
        }
        return format(shortest(new BigDecimal(v), v, true));
    }

    private static BigDecimal shortest(BigDecimal exact, double v, boolean asFloat) {
        RoundingMode[] modes = {RoundingMode.HALF_EVEN, RoundingMode.FLOOR, RoundingMode.CEILING};
        for (int p = 1; p <= 17; p++) {
            for (RoundingMode m : modes) {
                BigDecimal d = exact.round(new MathContext(p, m));
                String s = d.toString();
                boolean same = asFloat ? Float.parseFloat(s) == (float) v : Double.parseDouble(s) == v;
                if (same) {
                    return d.stripTrailingZeros();
                }
            }
        }
        return exact.round(MathContext.DECIMAL64).stripTrailingZeros(); // 16-17 digits always round-trip
    }

    private static String format(BigDecimal d) {
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - d.scale() - 1;
        String sign = d.signum() < 0 ? "-" : "";
        if (exponent >= -7 && exponent < 21) {
            String plain = d.toPlainString();
            return plain.indexOf('.') < 0 ? plain + ".0" : plain;
        }
        return sign + digits.charAt(0) + (digits.length() > 1 ? "." + digits.substring(1) : "") + "e" + exponent;
    }

    private void value(Object v, int depth, String path) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JsonWriter: " + path + " is nested deeper than " + MAX_DEPTH
                    + " levels (a structure that contains itself?); flatten it");
        }
        if (v == null) {
            out.append("null");
        } else if (v instanceof CharSequence) {
            writeString(out, (CharSequence) v);
        } else if (v instanceof Boolean) {
            out.append(v);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            out.append(((Number) v).longValue());
        } else if (v instanceof Double) {
            out.append(number((Double) v));
        } else if (v instanceof Float) {
            out.append(number((Float) v));
        } else if (v instanceof Map) {
            object((Map<?, ?>) v, depth, path);
        } else if (v instanceof Collection) {
            array(((Collection<?>) v).toArray(), depth, path);
        } else if (v instanceof Object[]) {
            array((Object[]) v, depth, path);
        } else if (v instanceof double[]) {
            array(java.util.Arrays.stream((double[]) v).boxed().toArray(), depth, path);
        } else if (v instanceof long[]) {
            array(java.util.Arrays.stream((long[]) v).boxed().toArray(), depth, path);
        } else if (v instanceof int[]) {
            array(java.util.Arrays.stream((int[]) v).boxed().toArray(), depth, path);
        } else {
            throw new IllegalArgumentException("JsonWriter: " + path + " is a " + v.getClass().getName()
                    + ", which has no JSON form; give a Map, Collection, array, String, Long, Integer, Double, Float, "
                    + "Boolean or null");
        }
    }

    private void object(Map<?, ?> m, int depth, String path) {
        if (m.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw new IllegalArgumentException("JsonWriter: a key of " + path + " is "
                        + (e.getKey() == null ? "null" : "a " + e.getKey().getClass().getName() + " (" + e.getKey() + ")")
                        + "; JSON object keys are strings");
            }
            String key = (String) e.getKey();
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(depth + 1);
            writeString(out, key);
            out.append(indent ? ": " : ":");
            value(e.getValue(), depth + 1, path + "." + key);
        }
        newline(depth);
        out.append('}');
    }

    private void array(Object[] items, int depth, String path) {
        if (items.length == 0) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < items.length; i++) {
            if (i > 0) {
                out.append(indent ? ", " : ",");
            }
            value(items[i], depth + 1, path + "[" + i + "]");
        }
        out.append(']');
    }

    private void newline(int depth) {
        if (indent) {
            out.append('\n');
            for (int i = 0; i < depth; i++) {
                out.append("  ");
            }
        }
    }
}
