package dev.nabla.ndarray.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's strict RFC 8259 JSON parser, into {@code LinkedHashMap}/{@code List}/{@code String}/{@link Num}/
 * {@code Boolean}/{@link #NULL}: duplicate keys, trailing commas, unescaped control characters, leading
 * zeros and anything after the value are refused with the character offset. It reads safetensors headers
 * and lets tests check what {@link JsonWriter} (the one writer) produced; it exists so that the io package
 * needs no JSON dependency.
 * Stateless and thread-safe: each {@link #parse} call uses its own parser.
 */
public final class Json {
    /** Stand-in for JSON {@code null} (maps cannot tell a null value from a missing key). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Deepest nesting accepted; a safetensors header needs 3 levels, so this only stops stack abuse. */
    private static final int MAX_DEPTH = 64;

    /** A JSON number kept as its literal text, converted on demand with range checks. Immutable and thread-safe. */
    public static final class Num {
        final String text;

        Num(String text) {
            this.text = text;
        }

        /** The number exactly as written in the JSON text. */
        public String text() {
            return text;
        }

        /** The number as the nearest double (the JSON grammar is a subset of Java's, so this never fails). */
        public double toDouble() {
            return Double.parseDouble(text);
        }

        /** The value as a non-negative integer, or -1 when it is fractional, negative or beyond long range. */
        long asNonNegativeLong() {
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                    return -1;
                }
            }
            if (text.length() > 19) {
                return -1;
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** A syntax error with the character offset where it was found. */
    public static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;

        ParseException(String message, int offset) {
            super(message + " at character " + offset);
        }
    }

    private final String s;
    private int pos;

    private Json(String s) {
        this.s = s;
    }

    /** Parses one JSON value followed only by whitespace. */
    public static Object parse(String text) throws ParseException {
        Json p = new Json(text);
        p.skipWhitespace();
        Object v = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw new ParseException("unexpected " + p.describeHere() + " after the end of the JSON value", p.pos);
        }
        return v;
    }

    private Object value(int depth) throws ParseException {
        if (depth > MAX_DEPTH) {
            throw new ParseException("nesting deeper than " + MAX_DEPTH + " levels", pos);
        }
        if (pos >= s.length()) {
            throw new ParseException("unexpected end of input, expected a value", pos);
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return NULL;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw new ParseException("unexpected " + describeHere() + ", expected a value", pos);
        }
    }

    private Map<String, Object> object(int depth) throws ParseException {
        pos++; // '{'
        Map<String, Object> m = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return m;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw new ParseException("expected a string key but found " + describeHere(), pos);
            }
            int keyPos = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth + 1);
            if (m.containsKey(key)) {
                throw new ParseException("duplicate key \"" + key + "\"", keyPos);
            }
            m.put(key, v);
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                return m;
            } else {
                throw new ParseException("expected ',' or '}' but found " + describeHere(), pos);
            }
        }
    }

    private List<Object> array(int depth) throws ParseException {
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth + 1));
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                return list;
            } else {
                throw new ParseException("expected ',' or ']' but found " + describeHere(), pos);
            }
        }
    }

    private String string() throws ParseException {
        int start = pos;
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw new ParseException("unterminated string", start);
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw new ParseException("unescaped control character U+" + String.format("%04X", (int) c)
                        + " in a string", pos - 1);
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= s.length()) {
                throw new ParseException("unterminated escape", pos);
            }
            char e = s.charAt(pos++);
            switch (e) {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u':
                    if (pos + 4 > s.length()) {
                        throw new ParseException("truncated \\u escape", pos);
                    }
                    int cp = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(s.charAt(pos + i), 16);
                        if (d < 0) {
                            throw new ParseException("bad hex digit in \\u escape", pos + i);
                        }
                        cp = cp * 16 + d;
                    }
                    pos += 4;
                    sb.append((char) cp);
                    break;
                default:
                    throw new ParseException("invalid escape \\" + e, pos - 1);
            }
        }
    }

    private Num number() throws ParseException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (peek() >= '1' && peek() <= '9') {
            digits();
        } else {
            throw new ParseException("malformed number", start);
        }
        if (peek() == '.') {
            pos++;
            if (!(peek() >= '0' && peek() <= '9')) {
                throw new ParseException("malformed number: digits must follow '.'", pos);
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!(peek() >= '0' && peek() <= '9')) {
                throw new ParseException("malformed number: digits must follow the exponent", pos);
            }
            digits();
        }
        return new Num(s.substring(start, pos));
    }

    private void digits() {
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
    }

    private void literal(String word) throws ParseException {
        if (!s.startsWith(word, pos)) {
            throw new ParseException("unexpected " + describeHere() + ", expected a value", pos);
        }
        pos += word.length();
    }

    private void expect(char c) throws ParseException {
        if (peek() != c) {
            throw new ParseException("expected '" + c + "' but found " + describeHere(), pos);
        }
        pos++;
    }

    /** The current character, or NUL at the end (NUL cannot appear unescaped in valid JSON outside strings). */
    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private String describeHere() {
        if (pos >= s.length()) {
            return "end of input";
        }
        char c = s.charAt(pos);
        return c < 0x20 || c > 0x7e ? "character U+" + String.format("%04X", (int) c) : "'" + c + "'";
    }

    /** Appends {@code v} as a JSON string literal (see {@link JsonWriter#writeString}). */
    static void writeString(StringBuilder out, String v) {
        JsonWriter.writeString(out, v);
    }
}
