package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void rendersCountRateLossAndEta() {
        ProgressBar bar = new ProgressBar(null, false, "epoch 1/2", 1000);
        bar.step(100, 2.0);
        bar.step(300, 1.0);
        assertEquals((100 * 2.0 + 300 * 1.0) / 400, bar.runningLoss(), 1e-15);
        String s = bar.render(System.nanoTime());
        assertTrue(s.startsWith("epoch 1/2 ["), s);
        assertTrue(s.contains("400/1000"), s);
        assertTrue(s.contains(" 40%"), s);
        assertTrue(s.contains("loss 1.2500"), s);
        assertTrue(s.contains("samples/s"), s);
        assertTrue(s.contains("ETA "), s);
        // 40% of 24 cells are filled
        assertTrue(s.contains("[==========>"), s);
    }

    @Test
    void disabledBarPrintsNothingAndEnabledBarErasesItself() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressBar off = new ProgressBar(err, false, "x", 10);
        off.step(10, 1);
        off.finish();
        assertEquals(0, bytes.size());
        ProgressBar on = new ProgressBar(err, true, "x", 10);
        on.step(10, 1);
        on.finish();
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith("\rx ["), s);
        assertTrue(s.endsWith("\r"), "the bar is erased with spaces and a carriage return: " + s);
        assertTrue(s.contains("10/10"), s);
    }

    @Test
    void durations() {
        assertEquals("0:00", ProgressBar.formatDuration(0.2));
        assertEquals("1:05", ProgressBar.formatDuration(65));
        assertEquals("1:01:01", ProgressBar.formatDuration(3661));
        assertEquals("?", ProgressBar.formatDuration(Double.NaN));
        assertEquals("?", ProgressBar.formatDuration(Double.POSITIVE_INFINITY));
    }
}
