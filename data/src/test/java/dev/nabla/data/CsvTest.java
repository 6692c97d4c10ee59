package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The numeric CSV reader: header detection, column choice, labels, and errors with line and column. */
class CsvTest {
    @TempDir
    Path dir;

    private static CsvTable read(String text) {
        return Csv.reader().read(new StringReader(text), "t.csv");
    }

    @Test
    void headerIsDetectedAndColumnsKeepTheirNames() {
        CsvTable t = read("a,b,label\n1,2.5,0\n-3e2,4,1\n\n");
        assertEquals(List.of("a", "b", "label"), t.header());
        assertEquals(2, t.rows());
        assertArrayEquals(new double[] {1, 2.5, 0, -300, 4, 1}, t.values().toArray());
        assertArrayEquals(new double[] {2.5, 4}, t.column("b"));
        ArrayDataset d = t.toClassification("label");
        assertArrayEquals(new int[] {0, 1}, d.labels());
        assertArrayEquals(new double[] {1, 2.5, -300, 4}, d.features().toArray());
    }

    @Test
    void allNumericFirstLineIsData() {
        CsvTable t = read("1,2\n3,4\n");
        assertTrue(t.header().isEmpty());
        assertEquals(2, t.rows());
        CsvTable forced = Csv.reader().header(Csv.Header.PRESENT).read(new StringReader("1,2\n3,4\n"), "t.csv");
        assertEquals(1, forced.rows());
        assertEquals(List.of("1", "2"), forced.header());
    }

    @Test
    void aMalformedFirstDataRowFailsInsteadOfBecomingTheHeader() {
        // "abc" among numbers is a bad cell of the first data row; it used to make the row a header and vanish
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> read("1.0,abc,3\n4,5,6\n7,8,9\n"));
        assertEquals(1, e.line());
        assertEquals(2, e.column());
        assertTrue(e.getMessage().startsWith("t.csv, line 1, column 2: cannot parse 'abc' as a number"), e.getMessage());
        assertTrue(e.getMessage().contains("Csv.header(Header.PRESENT)"), e.getMessage());
        // a header with a numeric name is still read when PRESENT is set
        CsvTable years = Csv.reader().header(Csv.Header.PRESENT).read(new StringReader("id,2020\n1,2\n"), "t.csv");
        assertEquals(List.of("id", "2020"), years.header());
        assertEquals(1, years.rows());
        // only the kept columns decide: here the kept cells of line 1 are all text, so it is a header
        CsvTable kept = Csv.reader().columns(1).read(new StringReader("1,b\n2,3\n"), "t.csv");
        assertEquals(List.of("b"), kept.header());
        assertArrayEquals(new double[] {3}, kept.column(0));
    }

    @Test
    void chosenColumnsSkipNonNumericOnesAndQuotesAreRemoved() {
        CsvTable t = Csv.reader().columns("Passengers").read(new StringReader("\"Month\",\"Passengers\"\n"
                + "\"1949-01\",112\n\"1949-02\",\"118\"\n"), "air.csv");
        assertArrayEquals(new double[] {112, 118}, t.column(0));
        CsvTable tabs = Csv.reader().delimiter('\t').columns(0, 2).read(new StringReader("1\tx\t3\n4\ty\t6\n"), "t.tsv");
        assertArrayEquals(new double[] {1, 3, 4, 6}, tabs.values().toArray());
    }

    @Test
    void aBadCellNamesFileLineAndColumn() {
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> read("x,y,z\n1,2,3\n4,five,6\n"));
        assertEquals("t.csv, line 3, column 2: cannot parse 'five' ('y') as a number", e.getMessage());
        assertEquals(3, e.line());
        assertEquals(2, e.column());
        MalformedDataException empty = assertThrows(MalformedDataException.class, () -> read("1,2\n3,\n"));
        assertTrue(empty.getMessage().startsWith("t.csv, line 2, column 2: empty cell"), empty.getMessage());
        // "1d" and hex floats are not CSV numbers even though Double.parseDouble takes them
        assertThrows(MalformedDataException.class, () -> read("1,2\n1d,2\n"));
    }

    @Test
    void blankLinesDoNotShiftLineNumbers() {
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> read("1,2\n\n\n3,oops\n"));
        assertEquals(4, e.line());
    }

    @Test
    void raggedRowsAndUnterminatedQuotes() {
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> read("a,b\n1,2\n3,4,5\n"));
        assertTrue(e.getMessage().startsWith("t.csv, line 3: this line has 3 columns but the header (line 1) has 2"),
                e.getMessage());
        MalformedDataException q = assertThrows(MalformedDataException.class, () -> read("1,\"2\n"));
        assertTrue(q.getMessage().contains("line 1, column 2: unterminated quoted field"), q.getMessage());
    }

    @Test
    void labelsMustBeNonNegativeIntegers() {
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> read("1,0\n2,1.5\n").toClassification(-1));
        assertTrue(e.getMessage().startsWith("t.csv, line 2, column 2: the label column holds 1.5"), e.getMessage());
        assertThrows(MalformedDataException.class, () -> read("1,0\n2,-1\n").toClassification(1));
    }

    @Test
    void labelsTooLargeToCountClassesAreRefused() {
        // 2147483647 used to be accepted and numClasses() wrapped (max + 1) to a silent 0
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> read("1,0\n2,2147483647\n").toClassification(-1));
        assertTrue(e.getMessage().startsWith("t.csv, line 2, column 2: the label column holds 2147483647, too large for"
                + " a class index: labels must be below ArrayDataset.MAX_CLASSES = 1048576"), e.getMessage());
        assertEquals(2, e.line());
        MalformedDataException huge = assertThrows(MalformedDataException.class,
                () -> read("1,1e300\n").toClassification(-1));
        assertTrue(huge.getMessage().contains("too large for a class index"), huge.getMessage());
        IllegalArgumentException direct = assertThrows(IllegalArgumentException.class,
                () -> ArrayDataset.of(dev.nabla.ndarray.NDArray.of(new double[] {1, 2}, 2, 1),
                        new int[] {0, Integer.MAX_VALUE}));
        assertTrue(direct.getMessage().contains("label 2147483647 at position 1 is too large"), direct.getMessage());
        IllegalArgumentException split = assertThrows(IllegalArgumentException.class,
                () -> Splits.stratifiedTrainValidation(new int[] {0, 1, Integer.MAX_VALUE, 1}, 0.5, 1));
        assertTrue(split.getMessage().contains("label 2147483647 at position 2 is too large"), split.getMessage());
        assertEquals(ArrayDataset.MAX_CLASSES,
                read("1,0\n2," + (ArrayDataset.MAX_CLASSES - 1) + "\n").toClassification(-1).numClasses());
    }

    @Test
    void regressionTargetsAndMissingColumns() {
        ArrayDataset d = read("a,b,c\n1,2,3\n4,5,6\n").toRegression(0, 2);
        assertArrayEquals(new int[] {2, 2}, d.targets().shape());
        assertArrayEquals(new double[] {1, 3, 4, 6}, d.targets().toArray());
        assertArrayEquals(new double[] {2, 5}, d.features().toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Csv.reader().columns("nope").read(new StringReader("a,b\n1,2\n"), "t.csv"));
        assertTrue(e.getMessage().contains("no column named 'nope'") && e.getMessage().contains("[a, b]"), e.getMessage());
    }

    @Test
    void filesAndGzipFilesReadTheSame() throws IOException {
        Path p = Files.writeString(dir.resolve("d.csv"), "h1,h2\n1,2\n3,4\n");
        Path gz = dir.resolve("d.csv.gz");
        Files.write(gz, IdxTest.gzip(Files.readAllBytes(p)));
        assertArrayEquals(Csv.reader().read(p).values().toArray(), Csv.reader().read(gz).values().toArray());
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> Csv.reader().read(Files.writeString(dir.resolve("bad.csv"), "1,2\n3,x\n")));
        assertTrue(e.getMessage().startsWith(dir.resolve("bad.csv") + ", line 2, column 2"), e.getMessage());
    }

    @Test
    void truncatedGzipCsv() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sb.append(i).append(',').append(i * 7 % 13).append('\n');
        }
        byte[] gz = IdxTest.gzip(sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Path p = Files.write(dir.resolve("cut.csv.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Csv.reader().read(p));
        assertTrue(e.getMessage().contains("truncated compressed data"), e.getMessage());
    }

    @Test
    void emptyFile() {
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> read("\n\n"));
        assertTrue(e.getMessage().contains("no data"), e.getMessage());
    }
}
