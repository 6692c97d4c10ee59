package dev.nabla.data;

import java.util.Arrays;

/**
 * The characters of a text corpus, sorted by code point, each mapped to its position (its id):
 * the vocabulary of a character-level language model. Works on Unicode code points, so
 * characters outside the Basic Multilingual Plane count as one symbol.
 * Immutable and thread-safe.
 */
public final class Vocabulary {
    private final int[] codePoints;

    private Vocabulary(int[] sortedUnique) {
        this.codePoints = sortedUnique;
    }

    /** The sorted distinct characters of {@code text}. */
    public static Vocabulary of(String text) {
        int[] cps = text.codePoints().distinct().sorted().toArray();
        if (cps.length == 0) {
            throw new IllegalArgumentException("Vocabulary.of: the text is empty; a vocabulary needs at least one character");
        }
        return new Vocabulary(cps);
    }

    /** The number of distinct characters. */
    public int size() {
        return codePoints.length;
    }

    /** The characters in id order, as a string. */
    public String symbols() {
        return new String(codePoints, 0, codePoints.length);
    }

    /** Whether the character (code point) is in the vocabulary. */
    public boolean contains(int codePoint) {
        return Arrays.binarySearch(codePoints, codePoint) >= 0;
    }

    /** The id of one character (code point). */
    public int id(int codePoint) {
        int i = Arrays.binarySearch(codePoints, codePoint);
        if (i < 0) {
            throw new IllegalArgumentException("Vocabulary.encode: character " + describe(codePoint)
                    + " is not in the vocabulary of " + codePoints.length + " characters");
        }
        return i;
    }

    /** The character (code point) of an id. */
    public int codePoint(int id) {
        if (id < 0 || id >= codePoints.length) {
            throw new IndexOutOfBoundsException("Vocabulary.decode: id " + id + " is out of range for a vocabulary of "
                    + codePoints.length + " characters (ids 0.." + (codePoints.length - 1) + ")");
        }
        return codePoints[id];
    }

    /** The ids of the characters of {@code text}; fails on a character outside the vocabulary. */
    public int[] encode(String text) {
        int[] cps = text.codePoints().toArray();
        int[] out = new int[cps.length];
        for (int i = 0; i < cps.length; i++) {
            int id = Arrays.binarySearch(codePoints, cps[i]);
            if (id < 0) {
                throw new IllegalArgumentException("Vocabulary.encode: character " + describe(cps[i]) + " at position "
                        + i + " is not in the vocabulary of " + codePoints.length + " characters");
            }
            out[i] = id;
        }
        return out;
    }

    /** The text of a sequence of ids. */
    public String decode(int... ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            sb.appendCodePoint(codePoint(id));
        }
        return sb.toString();
    }

    static String describe(int cp) {
        String shown = cp == '\n' ? "\\n" : cp == '\t' ? "\\t" : cp == '\r' ? "\\r" : new String(Character.toChars(cp));
        return "'" + shown + "' (" + String.format("U+%04X", cp) + ")";
    }
}
