package dev.nabla.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images (PNG that ImageIO decodes to the expected pixels, PyTorch's float scaling), text (laid out
 * and byte-equal after the wall time to PyTorch's record) and hparams (the three plugin messages and
 * the metric scalars in a run of their own, known encoded bytes), and their errors.
 */
class ImageTextHparamsTest {
    @TempDir
    Path dir;

    private static Raster decode(Payload.Image im) throws IOException {
        BufferedImage b = ImageIO.read(new ByteArrayInputStream(im.encoded()));
        assertEquals(im.width(), b.getWidth());
        assertEquals(im.height(), b.getHeight());
        return b.getRaster();
    }

    private Payload.Image writeAndRead(NDArray image, String formats) throws IOException {
        Path file;
        try (EventWriter w = EventWriter.open(dir.resolve("img" + System.nanoTime()), EventWriterTest.FIXED)) {
            file = w.file();
            w.addImage("pic", image, formats, 3);
        }
        List<Event> events = EventReader.readAll(file);
        assertEquals(3, events.get(1).step());
        return events.get(1).value("pic").orElseThrow().image().orElseThrow();
    }

    @Test
    void rgbImageChwAndHwcGiveTheSamePixels() throws IOException {
        // 3 channels, 2 rows, 3 columns; 0.5 -> 127.5 -> 127 (truncated), 1.2 -> 255 (clipped), -0.1 -> 0
        double[] chw = {
            0.0, 0.5, 1.0, 1.2, -0.1, 0.2, // R
            1.0, 0.0, 0.25, 0.75, 0.1, 0.9, // G
            0.3, 0.6, 0.9, 0.0, 1.0, 0.5}; // B
        NDArray img = NDArray.of(chw, 3, 2, 3);
        Payload.Image a = writeAndRead(img, "CHW");
        assertEquals(2, a.height());
        assertEquals(3, a.width());
        assertEquals(3, a.colorspace());
        Raster r = decode(a);
        int[][] expectR = {{0, 127, 255}, {255, 0, 51}};
        int[][] expectG = {{255, 0, 63}, {191, 25, 229}};
        int[][] expectB = {{76, 153, 229}, {0, 255, 127}};
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                assertEquals(expectR[y][x], r.getSample(x, y, 0), "R at " + y + "," + x);
                assertEquals(expectG[y][x], r.getSample(x, y, 1), "G at " + y + "," + x);
                assertEquals(expectB[y][x], r.getSample(x, y, 2), "B at " + y + "," + x);
            }
        }
        Payload.Image b = writeAndRead(img.permute(1, 2, 0).copy(), "HWC");
        assertArrayEquals(a.encoded(), b.encoded());
    }

    @Test
    void grayAndRgba() throws IOException {
        NDArray gray = NDArray.of(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, 2, 3).astype(DType.FLOAT32);
        Payload.Image g = writeAndRead(gray, "HW");
        assertEquals(1, g.colorspace());
        Raster r = decode(g);
        assertEquals(1, r.getNumBands());
        // float32: 0.2f * 255f = 51.0, 0.6f * 255f = 153.0, 0.8f * 255f = 204.0
        assertArrayEquals(new int[] {0, 51, 102, 153, 204, 255}, r.getSamples(0, 0, 3, 2, 0, (int[]) null));
        assertArrayEquals(g.encoded(), writeAndRead(gray.reshape(1, 2, 3), "CHW").encoded());
        NDArray rgba = NDArray.full(0.5, 1, 1, 4);
        rgba.set(1.0, 0, 0, 3);
        Payload.Image c = writeAndRead(rgba, "HWC");
        assertEquals(4, c.colorspace());
        Raster rr = decode(c);
        assertEquals(4, rr.getNumBands());
        assertArrayEquals(new int[] {127, 127, 127, 255}, rr.getPixel(0, 0, (int[]) null));
    }

    @Test
    void imageRecordLayout() throws IOException {
        Path file;
        try (EventWriter w = EventWriter.open(dir, EventWriterTest.FIXED)) {
            file = w.file();
            w.addImage("pic", NDArray.full(0.5, 3, 4, 5), 1);
        }
        assertEquals("1:I64 2:VARINT 5:{1:{1:LEN 4:{1:VARINT 2:VARINT 3:VARINT 4:LEN}}}",
                WireStructure.of(EventWriterTest.records(file).get(1)));
    }

    @Test
    void textIsLaidOutAndEncodedLikePyTorchs() throws IOException {
        byte[] theirs = EventWriterTest.records(ReferenceFileTest.reference()).get(12);
        Path file;
        try (EventWriter w = EventWriter.open(dir, EventWriterTest.FIXED)) {
            file = w.file();
            w.addText("notes", "hello from pytorch", 0);
            w.addText("unicode", "\u00e9t\u00e9 **bold** \ud83d\ude00", 7);
        }
        List<byte[]> records = EventWriterTest.records(file);
        assertEquals("1:I64 5:{1:{1:LEN 8:{1:VARINT 2:{2:{1:VARINT}} 8:LEN} 9:{1:{1:LEN}}}}", WireStructure.of(theirs));
        assertEquals(WireStructure.of(theirs), WireStructure.of(records.get(1)));
        assertArrayEquals(Arrays.copyOfRange(theirs, 9, theirs.length), Arrays.copyOfRange(records.get(1), 9, records.get(1).length));
        List<Event> events = EventReader.readAll(file);
        assertEquals("hello from pytorch", events.get(1).value("notes/text_summary").orElseThrow().text().orElseThrow());
        assertEquals("\u00e9t\u00e9 **bold** \ud83d\ude00", events.get(2).value("unicode/text_summary").orElseThrow().text().orElseThrow());
        assertEquals(7, events.get(2).step());
    }

    @Test
    void hparamsKnownEncoding() {
        // HParamsPluginData{session_start_info {hparams {key: "lr" value {number_value: 0.5}}}}, by hand:
        // Value = 11 <0.5 LE>; entry = 0a 02 'l' 'r' 12 09 <Value>; SSI = 0a 0f <entry>; data = 1a 11 <SSI>
        byte[] expected = {0x1a, 0x11, 0x0a, 0x0f, 0x0a, 0x02, 'l', 'r', 0x12, 0x09, 0x11, 0, 0, 0, 0, 0, 0, (byte) 0xe0, 0x3f};
        assertArrayEquals(expected, HParams.sessionStart(Map.of("lr", 0.5)));
        // session end: HParamsPluginData{session_end_info {status: STATUS_SUCCESS}} = 22 02 08 01
        assertArrayEquals(new byte[] {0x22, 0x02, 0x08, 0x01}, HParams.sessionEnd());
        // experiment: hparam_infos {name "lr" type DATA_TYPE_FLOAT64} metric_infos {name {tag "acc"}}
        byte[] exp = {0x12, 0x11, 0x22, 0x06, 0x0a, 0x02, 'l', 'r', 0x20, 0x03, 0x2a, 0x07, 0x0a, 0x05, 0x12, 0x03, 'a', 'c', 'c'};
        assertArrayEquals(exp, HParams.experiment(Map.of("lr", 0.5), List.of("acc")));
    }

    @Test
    void hparamsRoundTrip() throws IOException {
        Map<String, Object> hp = new LinkedHashMap<>();
        hp.put("lr", 0.01);
        hp.put("optimizer", "adam");
        hp.put("layers", 3);
        hp.put("augment", true);
        hp.put("unused", null);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("hparam/accuracy", 0.9);
        metrics.put("hparam/loss", 0.1);
        Path mainFile;
        Path run;
        try (EventWriter w = EventWriter.open(dir, EventWriterTest.FIXED)) {
            mainFile = w.file();
            run = w.addHparams(hp, metrics, "lr=0.01", 5);
        }
        assertEquals(dir.resolve("lr=0.01"), run);
        assertEquals(1, EventReader.readAll(mainFile).size(), "the main run holds only its file version, as in PyTorch");
        List<Path> files;
        try (Stream<Path> s = Files.list(run)) {
            files = s.collect(Collectors.toList());
        }
        assertEquals(1, files.size());
        assertTrue(files.get(0).getFileName().toString().startsWith("events.out.tfevents.1796175808."));
        List<Event> events = EventReader.readAll(files.get(0));
        assertEquals(1 + 3 + 2, events.size());
        String[] tags = {HParams.EXPERIMENT_TAG, HParams.SESSION_START_INFO_TAG, HParams.SESSION_END_INFO_TAG};
        HParams.Content[] contents = new HParams.Content[3];
        for (int i = 0; i < 3; i++) {
            Event e = events.get(1 + i);
            assertEquals(5, e.step());
            SummaryValue v = e.value(tags[i]).orElseThrow();
            assertEquals(new Payload.Empty(), v.payload());
            assertEquals("hparams", v.plugin().orElseThrow().pluginName());
            contents[i] = HParams.decode(v.plugin().get().content());
        }
        assertEquals(new HParams.Experiment(List.of(new HParams.Info("lr", HParams.DATA_TYPE_FLOAT64),
                new HParams.Info("optimizer", HParams.DATA_TYPE_STRING), new HParams.Info("layers", HParams.DATA_TYPE_FLOAT64),
                new HParams.Info("augment", HParams.DATA_TYPE_BOOL)), List.of("hparam/accuracy", "hparam/loss")), contents[0]);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("lr", 0.01);
        values.put("optimizer", "adam");
        values.put("layers", 3.0);
        values.put("augment", true);
        assertEquals(new HParams.SessionStart(values), contents[1]);
        assertEquals(List.copyOf(values.keySet()), List.copyOf(((HParams.SessionStart) contents[1]).hparams().keySet()), "order kept");
        assertEquals(new HParams.SessionEnd(HParams.STATUS_SUCCESS), contents[2]);
        assertEquals((double) 0.9f, events.get(4).value("hparam/accuracy").orElseThrow().scalar().orElseThrow(), 0.0);
        assertEquals((double) 0.1f, events.get(5).value("hparam/loss").orElseThrow().scalar().orElseThrow(), 0.0);
        assertEquals(5, events.get(5).step());
    }

    @Test
    void hparamsDefaultRunIsTheWallTime() throws IOException {
        try (EventWriter w = EventWriter.open(dir, EventWriterTest.FIXED)) {
            Path run = w.addHparams(Map.of("lr", 0.1), Map.of("loss", 1.0));
            assertEquals(dir.resolve("1796175808.7355452"), run); // as PyTorch's str(time.time())
            assertEquals(0, EventReader.readAll(Files.list(run).findFirst().orElseThrow()).get(1).step());
        }
    }

    @Test
    void errors() throws IOException {
        try (EventWriter w = EventWriter.open(dir, EventWriterTest.FIXED)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.addImage("pic", NDArray.zeros(2, 3, 4), 0));
            assertEquals("EventWriter.addImage('pic'): the image has 2 channels (shape [2, 3, 4], CHW); TensorBoard images have "
                    + "1 (gray), 3 (RGB) or 4 (RGBA)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> w.addImage("pic", NDArray.zeros(3, 4), 0));
            assertEquals("EventWriter.addImage('pic'): dataFormats \"CHW\" needs a 3-d array, got shape [3, 4]; pass \"CHW\", "
                    + "\"HWC\" or \"HW\" to match the array", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> w.addImage("pic", NDArray.zeros(3, 4), "NCHW", 0));
            assertEquals("EventWriter.addImage('pic'): dataFormats \"NCHW\" is not one of \"CHW\", \"HWC\", \"HW\"", e.getMessage());
            NDArray nan = NDArray.zeros(2, 2);
            nan.set(Double.NaN, 1, 0);
            e = assertThrows(IllegalArgumentException.class, () -> w.addImage("pic", nan, "HW", 0));
            assertEquals("EventWriter.addImage('pic'): pixel (y 1, x 0, channel 0) is NaN; images need numbers in [0, 1]",
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> w.addImage("pic", NDArray.zeros(0, 4), "HW", 0));
            assertEquals("EventWriter.addImage('pic'): the image is empty (shape [0, 4], HW)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> w.addText("t", null, 0));
            assertEquals("EventWriter.addText('t'): the text is null; log \"\" for an empty note", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> w.addHparams(Map.of("layers", List.of(1, 2)), Map.of("loss", 1.0), "r", 0));
            assertTrue(e.getMessage().startsWith("EventWriter.addHparams: hyperparameter 'layers' is a java.util."), e.getMessage());
            assertTrue(e.getMessage().endsWith("([1, 2]); use a Number, String or Boolean (PyTorch: int, float, str, bool)"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> w.addHparams(Map.of("lr", 1), Map.of("loss", 1.0), "../x", 0));
            assertEquals("EventWriter.addHparams: run name '../x' is not a single directory name; use a name such as "
                    + "\"lr=0.1\" (it becomes a subdirectory of the log directory)", e.getMessage());
            TensorBoardFormatException f = assertThrows(TensorBoardFormatException.class, () -> HParams.decode(new byte[] {0x08, 0}));
            assertEquals("hparams plugin content: offset 0: HParamsPluginData holds no experiment, session_start_info or "
                    + "session_end_info", f.getMessage());
            w.flush();
            assertEquals(1, EventReader.readAll(w.file()).size(), "failed calls wrote nothing");
            assertEquals(Optional.empty(), EventReader.readAll(w.file()).get(0).value("pic"));
        }
    }
}
