package dev.nabla.data;

import com.google.common.primitives.Ints;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipException;

/**
 * The small classic classification tables shipped with this module (scikit-learn's copies):
 * iris (150 x 4, 3 classes), wine (178 x 13, 3 classes), breast cancer (569 x 30, 2 classes:
 * 0 malignant, 1 benign) and the 8x8 digits (1797 x 64, pixel values 0-16, 10 classes). Values
 * are returned unscaled; fit a {@link Standardizer} on the training split.
 * Stateless and thread-safe.
 */
public final class Tabular {
    /** The names accepted by {@link #load(String)}. */
    public static final List<String> NAMES = List.of("iris", "wine", "breast_cancer", "digits");

    private Tabular() {
    }

    /** Fisher's iris: {@code (150, 4)} (sepal length, sepal width, petal length, petal width in cm), 3 classes. */
    public static ArrayDataset iris() {
        return shippedSklearn("iris.csv");
    }

    /** The wine recognition data: {@code (178, 13)} chemical measurements, 3 cultivars. */
    public static ArrayDataset wine() {
        return shippedSklearn("wine_data.csv");
    }

    /** Breast Cancer Wisconsin (Diagnostic): {@code (569, 30)}, labels 0 = malignant, 1 = benign. */
    public static ArrayDataset breastCancer() {
        return shippedSklearn("breast_cancer.csv");
    }

    /** The 8x8 handwritten digits: {@code (1797, 64)} pixel values 0-16 (row-major 8x8), labels 0-9. */
    public static ArrayDataset digits() {
        String name = "classpath:" + DataFiles.RESOURCE_ROOT + "tabular/digits.csv.gz";
        CsvTable t = Csv.reader().header(Csv.Header.ABSENT).read(DataFiles.openResource("tabular/digits.csv.gz"), name);
        if (t.columns() != 65) {
            throw new MalformedDataException(name, "expected 65 columns (64 pixels and the label) but found " + t.columns());
        }
        List<String> names = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            names.add(Integer.toString(d));
        }
        return t.toClassification(-1).withClassNames(names);
    }

    /** One of {@link #NAMES} (case-insensitive; {@code breast-cancer} also works), for command lines. */
    public static ArrayDataset load(String name) {
        switch (name.toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "iris":
                return iris();
            case "wine":
                return wine();
            case "breast_cancer":
                return breastCancer();
            case "digits":
                return digits();
            default:
                throw new IllegalArgumentException("Tabular.load: unknown data set '" + name + "'; choose one of " + NAMES);
        }
    }

    /**
     * Reads a table in scikit-learn's CSV layout: a first line {@code n_samples,n_features,class names...},
     * then rows of {@code n_features} values and an integer label. The counts of the first line are checked.
     */
    public static ArrayDataset readSklearnCsv(Path file) {
        return sklearn(DataFiles.open(file), file.toString());
    }

    private static ArrayDataset shippedSklearn(String file) {
        return sklearn(DataFiles.openResource("tabular/" + file), "classpath:" + DataFiles.RESOURCE_ROOT + "tabular/" + file);
    }

    private static ArrayDataset sklearn(InputStream in, String source) {
        String text;
        try (InputStream s = in) {
            text = new String(s.readAllBytes(), StandardCharsets.UTF_8);
        } catch (ZipException e) {
            throw new MalformedDataException(source, -1, -1, "corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new MalformedDataException(source, -1, -1, "truncated compressed data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Tabular: cannot read " + source + ": " + e.getMessage(), e);
        }
        int eol = text.indexOf('\n');
        String first = (eol < 0 ? text : text.substring(0, eol)).trim();
        String[] head = Csv.split(source, 1, first, ',');
        if (head.length < 2 || !head[0].trim().matches("\\d+") || !head[1].trim().matches("\\d+")) {
            throw new MalformedDataException(source, 1, -1, "expected scikit-learn's header line "
                    + "'n_samples,n_features,class names...' but found '" + first + "'");
        }
        Integer nParsed = Ints.tryParse(head[0].trim());
        Integer fParsed = Ints.tryParse(head[1].trim());
        if (nParsed == null || fParsed == null) {
            throw new MalformedDataException(source, 1, nParsed == null ? 1 : 2, "the header line declares "
                    + (nParsed == null ? head[0].trim() + " samples" : head[1].trim() + " features")
                    + ", more than an int can count; the header line is damaged");
        }
        int n = nParsed;
        int f = fParsed;
        List<String> classes = new ArrayList<>();
        for (String c : Arrays.copyOfRange(head, 2, head.length)) {
            classes.add(c.trim());
        }
        CsvTable t = Csv.reader().skipLines(1).header(Csv.Header.ABSENT).read(new StringReader(text), source);
        if (t.rows() != n || t.columns() != f + 1) {
            throw new MalformedDataException(source, "the header line declares " + n + " samples of " + f
                    + " features (and a label column) but the file holds " + t.rows() + " rows of " + t.columns()
                    + " columns");
        }
        ArrayDataset d = t.toClassification(-1);
        if (classes.isEmpty()) {
            return d;
        }
        int[] labels = d.labels();
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] >= classes.size()) {
                throw new MalformedDataException(source, t.line(r), t.columns(), "label " + labels[r] + " has no class"
                        + " name: the header line names " + classes.size() + " classes " + classes + " (labels 0.."
                        + (classes.size() - 1) + ")");
            }
        }
        return d.withClassNames(classes);
    }
}
