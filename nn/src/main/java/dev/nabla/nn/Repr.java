package dev.nabla.nn;

import java.math.BigDecimal;

/** Python's spelling of values in module reprs ({@code True}, {@code 1e-05}, {@code (3, 3)}). Stateless. */
final class Repr {
    private Repr() {}

    /** {@code True} or {@code False}. */
    static String bool(boolean b) {
        return b ? "True" : "False";
    }

    /** A double as Python's {@code repr(float)}: {@code 0.1}, {@code 1.0}, {@code 1e-05}, {@code 1e+16}. */
    static String num(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = b.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - b.scale(); // decimal exponent of the first digit
        String sign = d < 0 ? "-" : "";
        if (exp >= -4 && exp < 16) {
            String plain = b.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /** A Python tuple of ints: {@code (3, 3)}, {@code (10,)}. */
    static String tuple(int... v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(v[i]);
        }
        return sb.append(v.length == 1 ? ",)" : ")").toString();
    }

    /** An int when both values agree (how a square kernel given as one int prints), else a pair. */
    static String intOrPair(int a, int b) {
        return a == b ? Integer.toString(a) : tuple(a, b);
    }
}
