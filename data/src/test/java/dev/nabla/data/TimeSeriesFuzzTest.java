package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.io.Mutations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Fuzzing {@link TimeSeries#readCsv} and {@link TimeSeries#windows}: a small monthly series in CSV
 * with random mutations (bytes and CSV/number tokens), then windows of random sizes including huge
 * ones near {@code Integer.MAX_VALUE}. Contract: reading returns or throws {@link MalformedDataException}
 * naming the file; windowing returns or throws {@link IllegalArgumentException} with a
 * {@code TimeSeries.windows} message; nothing else, and one read allocates at most 64 x the file size
 * + 1 MiB. Seeds are fixed so that {@code verify} is reproducible.
 */
class TimeSeriesFuzzTest {
    private static final byte[] SERIES = ("\"Month\",\"Passengers\"\n\"1949-01\",112\n\"1949-02\",118\n\"1949-03\",132\n"
            + "\"1949-04\",129\n\"1949-05\",121\n\"1949-06\",135\n").getBytes(StandardCharsets.UTF_8);
    private static final Path FILE = FuzzFiles.file("fuzz-series.csv");
    private static final int[] SIZES = {0, 1, 2, 3, -1, Integer.MAX_VALUE, Integer.MAX_VALUE - 1, 1 << 30, Integer.MIN_VALUE};

    @Property(tries = 300, seed = "20261202")
    void mutatedSeriesAndWindows(@ForAll long rng) {
        byte[] bytes = Mutations.mutate(SERIES, rng);
        FuzzFiles.write(FILE, bytes);
        long before = Mutations.allocatedBytes();
        TimeSeries s = null;
        try {
            s = TimeSeries.readCsv(FILE, "Month", "Passengers");
            assertEquals(s.length(), s.times().size());
        } catch (MalformedDataException e) {
            assertTrue(e.getMessage().startsWith(FILE.toString()), e.getMessage());
        }
        long allocated = Mutations.allocatedBytes() - before;
        assertTrue(allocated <= Mutations.allowance(bytes.length), allocated + " bytes for a " + bytes.length
                + "-byte file");
        if (s == null) {
            return;
        }
        Random r = new Random(rng);
        int window = SIZES[r.nextInt(SIZES.length)];
        int horizon = SIZES[r.nextInt(SIZES.length)];
        try {
            ArrayDataset d = s.windows(window, horizon);
            assertEquals(s.length() - window - horizon + 1, d.size());
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("TimeSeries.windows: "), e.getMessage());
        }
    }
}
