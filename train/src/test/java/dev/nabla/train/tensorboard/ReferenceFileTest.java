package dev.nabla.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The reader decodes the PyTorch-written reference file ({@code reference.tfevents}) to exactly what
 * TensorBoard's own EventAccumulator read from it ({@code reference.json}): every scalar (float32
 * widened to double, compared exactly), the histogram's statistics and bucket count, the tag lists,
 * and the text.
 */
class ReferenceFileTest {
    static Path reference() {
        try {
            return Path.of(ReferenceFileTest.class.getResource("reference.tfevents").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> expected() {
        try (InputStream in = ReferenceFileTest.class.getResourceAsStream("reference.json")) {
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Json.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double num(Object o) {
        return ((Json.Num) o).toDouble();
    }

    @Test
    void firstRecordIsTheFileVersion() throws IOException {
        List<Event> events = EventReader.readAll(reference());
        assertEquals(13, events.size());
        Event first = events.get(0);
        assertEquals("brain.Event:2", first.fileVersion().orElseThrow());
        assertEquals("tensorboard.summary.writer.event_file_writer", first.sourceWriter().orElseThrow());
        assertTrue(first.values().isEmpty());
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i).fileVersion().isEmpty());
            assertTrue(events.get(i).wallTime() >= events.get(i - 1).wallTime(), "wall times ascend");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void scalarsMatchEventAccumulator() throws IOException {
        Map<String, List<double[]>> got = new LinkedHashMap<>();
        for (Event e : EventReader.readAll(reference())) {
            for (SummaryValue v : e.values()) {
                if (v.scalar().isPresent()) {
                    got.computeIfAbsent(v.tag(), t -> new ArrayList<>()).add(new double[] {e.step(), v.scalar().get()});
                }
            }
        }
        Map<String, Object> scalars = (Map<String, Object>) expected().get("scalars");
        assertEquals(new TreeSet<>(scalars.keySet()), new TreeSet<>(got.keySet()));
        for (Map.Entry<String, Object> s : scalars.entrySet()) {
            List<Object> points = (List<Object>) s.getValue();
            List<double[]> mine = got.get(s.getKey());
            assertEquals(points.size(), mine.size(), s.getKey());
            for (int i = 0; i < points.size(); i++) {
                List<Object> p = (List<Object>) points.get(i);
                assertEquals(num(p.get(0)), mine.get(i)[0], s.getKey() + " step");
                // exact: the float32 simple_value widened to double, as TensorBoard's Python reads it
                assertEquals(num(p.get(1)), mine.get(i)[1], 0.0, s.getKey() + " value at step " + i);
            }
        }
        // a value that is not exact in float32 pins the widening: 1/3 as float32
        assertEquals((double) (1f / 3f), got.get("train/loss").get(2)[1], 0.0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void histogramMatchesEventAccumulator() throws IOException {
        Map<String, Object> h = (Map<String, Object>) expected().get("histogram");
        Payload.Histogram found = null;
        long step = -1;
        for (Event e : EventReader.readAll(reference())) {
            for (SummaryValue v : e.values()) {
                if (v.tag().equals(h.get("tag")) && v.histogram().isPresent()) {
                    found = v.histogram().get();
                    step = e.step();
                }
            }
        }
        assertTrue(found != null, "histogram " + h.get("tag"));
        assertEquals(num(h.get("step")), step);
        assertEquals(num(h.get("min")), found.min(), 0.0);
        assertEquals(num(h.get("max")), found.max(), 0.0);
        assertEquals(num(h.get("num")), found.num(), 0.0);
        assertEquals(num(h.get("sum")), found.sum(), 0.0);
        assertEquals(num(h.get("sum_squares")), found.sumSquares(), 0.0);
        assertEquals((int) num(h.get("buckets")), found.bucketCount());
        assertEquals(found.bucketLimits().length, found.bucketCounts().length);
        double total = 0;
        for (double c : found.bucketCounts()) {
            total += c;
        }
        assertEquals(101.0, total, 0.0, "every value of linspace(-1, 1, 101) is in a bucket");
    }

    @Test
    @SuppressWarnings("unchecked")
    void tagsAndText() throws IOException {
        Map<String, Object> tags = (Map<String, Object>) expected().get("tags");
        TreeSet<String> scalars = new TreeSet<>();
        TreeSet<String> histograms = new TreeSet<>();
        TreeSet<String> tensors = new TreeSet<>();
        String text = null;
        for (Event e : EventReader.readAll(reference())) {
            for (SummaryValue v : e.values()) {
                Payload p = v.payload();
                if (p instanceof Payload.Scalar) {
                    scalars.add(v.tag());
                } else if (p instanceof Payload.Histogram) {
                    histograms.add(v.tag());
                } else if (p instanceof Payload.Tensor) {
                    tensors.add(v.tag());
                    text = v.text().orElseThrow();
                    Payload.Tensor t = (Payload.Tensor) p;
                    assertEquals(Payload.Tensor.DT_STRING, t.dtype());
                    assertEquals(1, t.shape().length);
                    assertEquals(1, t.shape()[0]);
                    assertEquals("text", v.plugin().orElseThrow().pluginName());
                }
            }
        }
        assertEquals(new TreeSet<>((List<String>) (List<?>) tags.get("scalars")), scalars);
        assertEquals(new TreeSet<>((List<String>) (List<?>) tags.get("histograms")), histograms);
        assertEquals(new TreeSet<>((List<String>) (List<?>) tags.get("tensors")), tensors);
        assertEquals("hello from pytorch", text);
    }

    @Test
    void offsetsAdvanceRecordByRecord() throws IOException {
        // record offsets in the reference, from its hex dump: 0, 88, 134, ...
        try (EventReader r = EventReader.open(reference())) {
            assertEquals(0, r.offset());
            r.next();
            assertEquals(88, r.offset());
            r.next();
            assertEquals(134, r.offset());
            while (r.next().isPresent()) {
                // drain
            }
            assertEquals(10094, r.offset());
            assertTrue(r.next().isEmpty(), "stays at the end");
        }
    }
}
