package dev.nabla.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * A character-level text corpus: the text, its {@link Vocabulary} and the text as a stream of
 * ids, with a train/validation split of the stream (the first part trains, the rest validates,
 * so that no validation text leaks into training windows) and fixed-length training sequences.
 * Immutable and thread-safe.
 */
public final class CharCorpus {
    private final String text;
    private final Vocabulary vocabulary;
    private final int[] ids;

    private CharCorpus(String text) {
        this.text = text;
        this.vocabulary = Vocabulary.of(text);
        this.ids = vocabulary.encode(text);
    }

    /** A corpus of {@code text} (non-empty). */
    public static CharCorpus of(String text) {
        return new CharCorpus(text);
    }

    /** A UTF-8 text file (gzip-compressed or plain); invalid UTF-8 is reported with its byte offset. */
    public static CharCorpus load(Path file) {
        return new CharCorpus(decode(DataFiles.open(file), file.toString()));
    }

    /** Tiny Shakespeare (Karpathy's char-rnn corpus, 1,115,394 characters, 65 distinct), shipped with this module. */
    public static CharCorpus tinyShakespeare() {
        String name = "text/tinyshakespeare.txt";
        return new CharCorpus(decode(DataFiles.openResource(name), "classpath:" + DataFiles.RESOURCE_ROOT + name));
    }

    private static String decode(InputStream in, String source) {
        byte[] bytes;
        try (InputStream s = in) {
            bytes = s.readAllBytes();
        } catch (ZipException e) {
            throw new MalformedDataException(source, -1, -1, "corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new MalformedDataException(source, -1, -1, "truncated compressed data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("CharCorpus: cannot read " + source + ": " + e.getMessage(), e);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            String t = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(buf).toString();
            if (t.isEmpty()) {
                throw new MalformedDataException(source, "the file is empty; a corpus needs text");
            }
            return t;
        } catch (CharacterCodingException e) {
            throw new MalformedDataException(source, -1, -1, "not valid UTF-8 near byte offset " + buf.position(), e);
        }
    }

    /** The whole text. */
    public String text() {
        return text;
    }

    /** The sorted distinct characters. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The number of characters (code points). */
    public int length() {
        return ids.length;
    }

    /** The whole text as ids (a copy). */
    public int[] ids() {
        return ids.clone();
    }

    /** The first {@code floor(length * trainFraction)} ids: the training stream. */
    public int[] trainIds(double trainFraction) {
        int cut = cut(trainFraction);
        return Arrays.copyOfRange(ids, 0, cut);
    }

    /** The ids after the training stream: the validation stream. */
    public int[] validationIds(double trainFraction) {
        int cut = cut(trainFraction);
        return Arrays.copyOfRange(ids, cut, ids.length);
    }

    private int cut(double trainFraction) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("CharCorpus: trainFraction must be in (0, 1) but got " + trainFraction);
        }
        int c = (int) Math.floor(ids.length * trainFraction);
        if (c < 2 || ids.length - c < 2) {
            throw new IllegalArgumentException("CharCorpus: trainFraction " + trainFraction + " of " + ids.length
                    + " characters leaves fewer than 2 characters in one part");
        }
        return c;
    }

    /**
     * Next-character training pairs from a stream of ids: sample {@code i} has input
     * {@code ids[i*stride .. i*stride+seqLength)} and target the same window shifted by one, both as
     * {@code (seqLength)} arrays of ids (doubles); for {@code N} samples the dataset holds
     * {@code (N, seqLength)} inputs and targets.
     */
    public static ArrayDataset sequences(int[] ids, int seqLength, int stride) {
        if (seqLength <= 0 || stride <= 0) {
            throw new IllegalArgumentException("CharCorpus.sequences: need seqLength > 0 and stride > 0 but got "
                    + seqLength + " and " + stride);
        }
        if (ids.length < seqLength + 1) {
            throw new IllegalArgumentException("CharCorpus.sequences: a stream of " + ids.length
                    + " ids is too short for one sequence of length " + seqLength + " plus its next character");
        }
        int n = (ids.length - seqLength - 1) / stride + 1;
        long cells = (long) n * seqLength;
        if (cells > TimeSeries.MAX_ARRAY) {
            throw new IllegalArgumentException("CharCorpus.sequences: " + n + " sequences of length " + seqLength
                    + " need " + cells + " ids in one array, more than the " + TimeSeries.MAX_ARRAY
                    + " a Java array holds; use a larger stride or a shorter stream");
        }
        double[] x = new double[n * seqLength];
        double[] y = new double[n * seqLength];
        for (int i = 0; i < n; i++) {
            int s = i * stride;
            for (int t = 0; t < seqLength; t++) {
                x[i * seqLength + t] = ids[s + t];
                y[i * seqLength + t] = ids[s + t + 1];
            }
        }
        return new ArrayDataset(x, n, new int[] {seqLength}, null, y, new int[] {seqLength}, null);
    }
}
