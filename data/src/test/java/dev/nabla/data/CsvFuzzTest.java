package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.io.Mutations;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Fuzzing the CSV readers ({@link Csv} with header detection, then {@link CsvTable#toClassification}
 * and {@link CsvTable#toRegression}; and scikit-learn's layout through {@link Tabular#readSklearnCsv}):
 * small valid tables with random mutations (byte flips, truncation, insertions, and CSV/number tokens
 * such as quotes, delimiters, newlines, {@code 1e999}, {@code 2147483648}, a BOM). Contract: the
 * reader returns or throws {@link MalformedDataException} (naming the source) or, for a table that is
 * well-formed but unusable for the asked conversion (a single column), {@link IllegalArgumentException}
 * with a message; nothing else (no NumberFormatException, AIOOBE, NPE, OOM), and one read allocates at
 * most 64 x the file size + 1 MiB. Seeds are fixed so that {@code verify} is reproducible.
 */
class CsvFuzzTest {
    private static final String SOURCE = "fuzz.csv";
    private static final byte[] TABLE = ("a,b,label\n1,2.5,0\n-3e2,4,1\n\"7\",8,2\n\n9,1e-3,1\n")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] SKLEARN = ("4,2,setosa,versicolor\n5.1,3.5,0\n4.9,3.0,1\n4.7,3.2,0\n4.6,3.1,1\n")
            .getBytes(StandardCharsets.UTF_8);
    private static final Path FILE = FuzzFiles.file("fuzz.csv");

    private static void expected(RuntimeException e, String source) {
        if (e instanceof MalformedDataException) {
            assertTrue(e.getMessage().startsWith(source), e.getMessage());
        } else if (e instanceof IllegalArgumentException) {
            assertTrue(e.getMessage() != null && e.getMessage().contains("needs at least one feature")
                    || e.getMessage().contains("single column"), e.getMessage());
        } else {
            throw e;
        }
    }

    @Property(tries = 400, seed = "20261202")
    void mutatedTables(@ForAll long rng) {
        byte[] bytes = Mutations.mutate(TABLE, rng);
        long before = Mutations.allocatedBytes();
        try {
            CsvTable t = Csv.reader().read(new ByteArrayInputStream(bytes), SOURCE);
            assertEquals(t.rows() * t.columns(), t.values().size());
            try {
                ArrayDataset d = t.toClassification(-1);
                assertTrue(d.numClasses() >= Math.min(1, d.size()) && d.numClasses() <= ArrayDataset.MAX_CLASSES,
                        "classes " + d.numClasses());
            } catch (RuntimeException e) {
                expected(e, SOURCE);
            }
            if (t.columns() >= 2) {
                t.toRegression(0);
            }
        } catch (RuntimeException e) {
            expected(e, SOURCE);
        }
        long allocated = Mutations.allocatedBytes() - before;
        assertTrue(allocated <= Mutations.allowance(bytes.length), allocated + " bytes for a " + bytes.length
                + "-byte file");
    }

    @Property(tries = 300, seed = "20261203")
    void mutatedScikitLearnTables(@ForAll long rng) {
        byte[] bytes = Mutations.mutate(SKLEARN, rng);
        FuzzFiles.write(FILE, bytes);
        long before = Mutations.allocatedBytes();
        try {
            ArrayDataset d = Tabular.readSklearnCsv(FILE);
            assertTrue(d.size() <= bytes.length, "rows vs bytes");
        } catch (RuntimeException e) {
            expected(e, FILE.toString());
        }
        long allocated = Mutations.allocatedBytes() - before;
        assertTrue(allocated <= Mutations.allowance(bytes.length), allocated + " bytes for a " + bytes.length
                + "-byte file");
    }
}
