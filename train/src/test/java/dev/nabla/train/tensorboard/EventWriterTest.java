package dev.nabla.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer: file name and first record as TensorBoard expects, scalar and histogram round trips
 * (every record's lengths and CRCs verified by the reader and by hand), records laid out like
 * PyTorch's (same field numbers and wire types as the reference file), a histogram bitwise equal
 * to the one PyTorch wrote, same-clock runs bitwise equal, and the errors.
 */
class EventWriterTest {
    static final Clock FIXED = Clock.fixed(Instant.ofEpochSecond(1_796_175_808L, 735_545_200L), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** The verified payloads of every record of {@code file}, checking by hand that the records tile the file. */
    static List<byte[]> records(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (at < b.length) {
            long n = TfRecord.getLongLe(b, at);
            assertEquals(Crc32c.masked(b, at, 8), TfRecord.getIntLe(b, at + 8), "length CRC at " + at);
            byte[] payload = java.util.Arrays.copyOfRange(b, at + 12, at + 12 + (int) n);
            assertEquals(Crc32c.masked(payload, 0, payload.length), TfRecord.getIntLe(b, at + 12 + (int) n), "payload CRC at " + at);
            out.add(payload);
            at += 12 + (int) n + 4;
        }
        assertEquals(b.length, at, "records tile the file exactly");
        return out;
    }

    @Test
    void fileNameAndFirstRecord() throws IOException {
        Path file;
        try (EventWriter w = EventWriter.open(dir.resolve("run"), FIXED)) {
            file = w.file();
            assertEquals(dir.resolve("run"), file.getParent());
            // flushed at open, as PyTorch flushes the file-version record
            assertEquals(1, records(file).size());
        }
        String name = file.getFileName().toString();
        assertTrue(name.matches("events\\.out\\.tfevents\\.1796175808\\.[A-Za-z0-9._-]+\\."
                + ProcessHandle.current().pid() + "\\.\\d+"), name);
        List<Event> events = EventReader.readAll(file);
        assertEquals(1, events.size());
        Event first = events.get(0);
        assertEquals(Optional.of("brain.Event:2"), first.fileVersion());
        assertEquals(Optional.of(EventWriter.SOURCE_WRITER), first.sourceWriter());
        assertEquals(1_796_175_808.7355452, first.wallTime(), 1e-6);
        assertEquals(0, first.step());
    }

    @Test
    void scalarRoundTrip() throws IOException {
        Path file;
        try (EventWriter w = EventWriter.open(dir, FIXED)) {
            file = w.file();
            for (int s = 0; s < 5; s++) {
                w.addScalar("train/loss", 1.0 / (s + 1), s);
                w.addScalar("val/accuracy", 0.5 + 0.1 * s, s);
            }
            w.addScalar("zero", 0.0, -3);
            w.addScalar("nan", Double.NaN, 1L << 40);
        }
        List<Event> events = EventReader.readAll(file);
        assertEquals(1 + 10 + 2, events.size());
        for (int s = 0; s < 5; s++) {
            Event loss = events.get(1 + 2 * s);
            assertEquals(s, loss.step());
            assertEquals((double) (float) (1.0 / (s + 1)), loss.value("train/loss").orElseThrow().scalar().orElseThrow(), 0.0);
            Event acc = events.get(2 + 2 * s);
            assertEquals((double) (float) (0.5 + 0.1 * s), acc.value("val/accuracy").orElseThrow().scalar().orElseThrow(), 0.0);
            assertEquals(FIXED.instant().getEpochSecond() + FIXED.instant().getNano() / 1e9, acc.wallTime(), 0.0);
        }
        Event zero = events.get(11);
        assertEquals(-3, zero.step());
        assertEquals(0.0, zero.value("zero").orElseThrow().scalar().orElseThrow(), 0.0); // a 0 simple_value is written
        assertTrue(Double.isNaN(events.get(12).value("nan").orElseThrow().scalar().orElseThrow()));
        assertEquals(1L << 40, events.get(12).step());
        assertEquals(events.size(), records(file).size());
    }

    @Test
    void scalarRecordsAreLaidOutLikePyTorchs() throws IOException {
        List<byte[]> reference = records(ReferenceFileTest.reference());
        Path file;
        try (EventWriter w = EventWriter.open(dir, FIXED)) {
            file = w.file();
            w.addScalar("train/loss", 1.0, 0);
            w.addScalar("train/loss", 0.5, 1);
        }
        List<byte[]> mine = records(file);
        assertEquals("1:I64 3:LEN 10:{1:LEN}", WireStructure.of(reference.get(0)));
        assertEquals(WireStructure.of(reference.get(0)), WireStructure.of(mine.get(0)));
        // step 0 is omitted (proto3 default), as PyTorch's protobuf omits it
        assertEquals("1:I64 5:{1:{1:LEN 2:I32}}", WireStructure.of(reference.get(1)));
        assertEquals(WireStructure.of(reference.get(1)), WireStructure.of(mine.get(1)));
        assertEquals("1:I64 2:VARINT 5:{1:{1:LEN 2:I32}}", WireStructure.of(reference.get(3)));
        assertEquals(WireStructure.of(reference.get(3)), WireStructure.of(mine.get(2)));
        // and byte for byte after the wall time (9 bytes: key + double): same tag, value and step
        assertArrayEquals(java.util.Arrays.copyOfRange(reference.get(1), 9, reference.get(1).length),
                java.util.Arrays.copyOfRange(mine.get(1), 9, mine.get(1).length));
        assertArrayEquals(java.util.Arrays.copyOfRange(reference.get(3), 9, reference.get(3).length),
                java.util.Arrays.copyOfRange(mine.get(2), 9, mine.get(2).length));
    }

    /** NumPy's {@code np.linspace(-1, 1, 101)}: {@code i * step + start}, the last set to stop. */
    static double[] numpyLinspace() {
        double[] v = new double[101];
        double step = 2.0 / 100;
        for (int i = 0; i < 101; i++) {
            v[i] = i * step + -1.0;
        }
        v[100] = 1.0;
        return v;
    }

    @Test
    void histogramIsBitwisePyTorchs() throws IOException {
        Payload.Histogram theirs = null;
        byte[] theirRecord = null;
        List<byte[]> reference = records(ReferenceFileTest.reference());
        for (byte[] r : reference) {
            Event e;
            try {
                e = EventCodec.decode(r);
            } catch (ProtoException ex) {
                throw new IllegalStateException(ex);
            }
            if (e.value("weights/layer0").isPresent()) {
                theirs = e.value("weights/layer0").get().histogram().orElseThrow();
                theirRecord = r;
            }
        }
        Path file;
        try (EventWriter w = EventWriter.open(dir, FIXED)) {
            file = w.file();
            w.addHistogram("weights/layer0", numpyLinspace(), 4);
        }
        byte[] mineRecord = records(file).get(1);
        Payload.Histogram mine = EventReader.readAll(file).get(1).value("weights/layer0").orElseThrow().histogram().orElseThrow();
        assertEquals(583, mine.bucketCount());
        assertArrayEquals(theirs.bucketLimits(), mine.bucketLimits(), 0.0);
        assertArrayEquals(theirs.bucketCounts(), mine.bucketCounts(), 0.0);
        assertEquals(theirs.sum(), mine.sum(), 0.0); // NumPy's pairwise sum, reproduced: 1.7763568394002505e-15
        assertEquals(theirs.sumSquares(), mine.sumSquares(), 0.0);
        assertEquals(theirs, mine);
        assertEquals("1:I64 2:VARINT 5:{1:{1:LEN 5:{1:I64 2:I64 3:I64 4:I64 5:I64 6:LEN 7:LEN}}}", WireStructure.of(theirRecord));
        assertEquals(WireStructure.of(theirRecord), WireStructure.of(mineRecord));
        assertArrayEquals(java.util.Arrays.copyOfRange(theirRecord, 9, theirRecord.length),
                java.util.Arrays.copyOfRange(mineRecord, 9, mineRecord.length), "the whole record after the wall time");
    }

    @Test
    void histogramOfAnNDArrayCountsEveryElement() throws IOException {
        NDArray w = NDArray.randn(new Random(7), DType.FLOAT32, 3, 4, 5);
        Path file;
        try (EventWriter writer = EventWriter.open(dir, FIXED)) {
            file = writer.file();
            writer.addHistogram("w", w, 9);
        }
        Payload.Histogram h = EventReader.readAll(file).get(1).value("w").orElseThrow().histogram().orElseThrow();
        assertEquals(60, h.num(), 0.0);
        double total = 0;
        for (double c : h.bucketCounts()) {
            total += c;
        }
        assertEquals(60, total, 0.0);
        double[] v = w.toArray();
        assertEquals(java.util.Arrays.stream(v).min().orElseThrow(), h.min(), 0.0);
        assertEquals(java.util.Arrays.stream(v).max().orElseThrow(), h.max(), 0.0);
        assertEquals(Histograms.of("t", "w", v), h);
    }

    @Test
    void sameClockSameBytes() throws IOException {
        byte[][] files = new byte[2][];
        for (int k = 0; k < 2; k++) {
            try (EventWriter w = EventWriter.open(dir.resolve("run" + k), FIXED)) {
                w.addScalar("a", Math.PI, 1);
                w.addHistogram("h", new double[] {1, 2, 3, -4.5}, 2);
                w.flush();
                files[k] = Files.readAllBytes(w.file());
            }
        }
        assertArrayEquals(files[0], files[1]);
    }

    @Test
    void flushWritesWholeRecordsOnly() throws IOException {
        try (EventWriter w = EventWriter.open(dir, FIXED)) {
            long before = Files.size(w.file());
            w.addScalar("a", 1, 1);
            assertEquals(before, Files.size(w.file()), "buffered until a flush");
            w.flush();
            assertEquals(2, records(w.file()).size());
            w.addScalar("a", 2, 2);
            w.flush();
            w.flush(); // nothing pending: no change
            assertEquals(3, records(w.file()).size());
        }
    }

    @Test
    void largeRecordsAndManyRecordsSurviveTheBuffer() throws IOException {
        double[] big = new double[300_000]; // a 2.4 MB histogram input; its record is small, its buckets few
        Random r = new Random(3);
        for (int i = 0; i < big.length; i++) {
            big[i] = r.nextGaussian();
        }
        double[] edges = new double[200_001]; // about 3.2 MB of limits and counts: larger than the buffer
        for (int i = 0; i < edges.length; i++) {
            edges[i] = -10 + 20.0 * i / (edges.length - 1);
        }
        Path file;
        try (EventWriter w = EventWriter.open(dir, FIXED)) {
            file = w.file();
            for (int i = 0; i < 20_000; i++) {
                w.addScalar("s", i, i);
            }
            w.addHistogram("big", big, edges, 1);
            w.addScalar("after", 1, 1);
        }
        List<Event> events = EventReader.readAll(file);
        assertEquals(1 + 20_000 + 2, events.size());
        assertEquals(19_999.0, events.get(20_000).value("s").orElseThrow().scalar().orElseThrow(), 0.0);
        assertEquals(300_000.0, events.get(20_001).value("big").orElseThrow().histogram().orElseThrow().num(), 0.0);
        assertTrue(events.get(20_002).value("after").isPresent());
    }

    @Test
    void threadsSharingOneWriterWriteWholeRecords() throws Exception {
        Path file;
        int threads = 4;
        int each = 2_000;
        try (EventWriter w = EventWriter.open(dir, FIXED)) {
            file = w.file();
            List<Thread> ts = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                String tag = "thread" + t;
                double[] values = {t, t + 0.5, -t};
                Thread th = new Thread(() -> {
                    try {
                        for (int i = 0; i < each; i++) {
                            w.addScalar(tag, i, i);
                            if (i % 100 == 0) {
                                w.addHistogram(tag + "/h", values, i);
                                w.flush();
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) {
                th.join();
            }
            assertTrue(failures.isEmpty(), failures.toString());
        }
        List<Event> events = EventReader.readAll(file); // every record's CRCs check
        assertEquals(1 + threads * (each + each / 100), events.size());
        for (int t = 0; t < threads; t++) {
            long next = 0;
            for (Event e : events) {
                Optional<SummaryValue> v = e.value("thread" + t);
                if (v.isPresent()) {
                    assertEquals(next, e.step(), "thread " + t + "'s scalars in its own order");
                    assertEquals((double) next, v.get().scalar().orElseThrow(), 0.0);
                    next++;
                }
            }
            assertEquals(each, next);
        }
    }

    @Test
    void errors() throws IOException {
        EventWriter w = EventWriter.open(dir, FIXED);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.addScalar("", 1, 0));
        assertEquals("EventWriter.addScalar: the tag is empty; name the series, e.g. \"train/loss\"", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.addHistogram("h", new double[0], 0));
        assertEquals("addHistogram('h'): no values; a histogram needs at least one", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.addHistogram("h", new double[] {1, Double.NaN, Double.NaN}, 0));
        assertEquals("addHistogram('h'): 2 of 3 values are not finite (the first, at flat index 1, is NaN); TensorBoard "
                + "histograms need finite values: check the model for divergence, or filter the values", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.addHistogram("h", new double[] {1}, new double[] {0, 2, 1}, 0));
        assertEquals("addHistogram('h'): bucket edges must be finite and strictly increasing, but edge 2 is 1.0 after 2.0",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.addHistogram("h", new double[] {5, 6}, new double[] {0, 1}, 0));
        assertEquals("addHistogram('h'): all 2 values (min 5.0, max 6.0) lie outside the bucket edges [0.0, 1.0]; pass "
                + "explicit edges that cover them", e.getMessage());
        w.close();
        w.close(); // idempotent
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> w.addScalar("a", 1, 0));
        assertEquals("EventWriter: the writer of " + w.file() + " is closed; open a new one", s.getMessage());
        assertEquals(1, EventReader.readAll(w.file()).size(), "failed calls wrote nothing");
        Path notADir = Files.write(dir.resolve("file"), new byte[0]);
        IOException io = assertThrows(IOException.class, () -> EventWriter.open(notADir));
        assertTrue(io.getMessage().contains("the log directory exists and is not a directory"), io.getMessage());
    }
}
