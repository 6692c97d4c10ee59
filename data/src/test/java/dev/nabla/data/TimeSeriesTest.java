package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sliding windows and the airline passengers series. */
class TimeSeriesTest {
    @TempDir
    Path dir;

    @Test
    void airlinePassengersIsBoxAndJenkinsSeriesG() {
        TimeSeries s = TimeSeries.airlinePassengers();
        assertEquals(144, s.length());
        assertEquals("1949-01", s.times().get(0));
        assertEquals("1960-12", s.times().get(143));
        double[] v = s.values();
        assertEquals(112, v[0]);
        assertEquals(432, v[143]);
        double total = 0;
        double max = 0;
        for (double x : v) {
            total += x;
            max = Math.max(max, x);
        }
        // R's AirPassengers: sum 40363, maximum 622 (July 1960)
        assertEquals(40363, total);
        assertEquals(622, max);
    }

    @Test
    void windowsPairInputsWithTheFollowingValues() {
        double[] series = {1, 2, 3, 4, 5, 6};
        ArrayDataset d = TimeSeries.windows(series, 3, 2);
        assertEquals(2, d.size());
        assertArrayEquals(new double[] {2, 3, 4}, d.get(1).x().toArray());
        assertArrayEquals(new double[] {5, 6}, d.get(1).target().toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimeSeries.windows(series, 5, 2));
        assertTrue(e.getMessage().contains("length 6 is too short for window 5 + horizon 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TimeSeries.windows(series, 0, 1));
    }

    @Test
    void hugeWindowsAndHorizonsFailWithExactCounts() {
        double[] series = {1, 2, 3, 4, 5, 6};
        // window + horizon overflowed int: the count of windows wrapped to a positive 9 and the arrays overflowed
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimeSeries.windows(series, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("length 6 is too short for window 2147483647 + horizon 2147483647 (needs at"
                + " least 4294967294 values)"), e.getMessage());
        // 50,000 windows of 50,000 values: 2.5e9 cells, more than one array holds (the int product was negative)
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> TimeSeries.windows(new double[100_000], 50_000, 1));
        assertTrue(big.getMessage().startsWith("TimeSeries.windows: 50000 windows of 50000 inputs and 1 targets need"
                + " 2500000000 values in one array"), big.getMessage());
        IllegalArgumentException seq = assertThrows(IllegalArgumentException.class,
                () -> CharCorpus.sequences(new int[100_000], 50_000, 1));
        assertTrue(seq.getMessage().startsWith("CharCorpus.sequences: 50000 sequences of length 50000 need 2500000000"),
                seq.getMessage());
    }

    @Property(tries = 30)
    void everyWindowIsAContiguousSlice(@ForAll @IntRange(min = 2, max = 40) int n,
                                       @ForAll @IntRange(min = 1, max = 6) int window,
                                       @ForAll @IntRange(min = 1, max = 3) int horizon) {
        if (window + horizon > n) {
            return;
        }
        double[] series = new double[n];
        for (int i = 0; i < n; i++) {
            series[i] = i * i;
        }
        ArrayDataset d = TimeSeries.windows(series, window, horizon);
        assertEquals(n - window - horizon + 1, d.size());
        for (int i = 0; i < d.size(); i++) {
            double[] x = d.get(i).x().toArray();
            double[] y = d.get(i).target().toArray();
            for (int t = 0; t < window; t++) {
                assertEquals(series[i + t], x[t]);
            }
            for (int h = 0; h < horizon; h++) {
                assertEquals(series[i + window + h], y[h]);
            }
        }
    }

    @Test
    void csvSeriesErrors() throws IOException {
        Path p = Files.writeString(dir.resolve("s.csv"), "t,v\na,1\nb,x\n");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> TimeSeries.readCsv(p, "t", "v"));
        assertEquals(3, e.line());
        assertEquals(2, e.column());
        MalformedDataException m = assertThrows(MalformedDataException.class, () -> TimeSeries.readCsv(p, "t", "value"));
        assertTrue(m.getMessage().contains("no column named 'value'"), m.getMessage());
    }
}
