package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void rendersCountRateLossAndEta() {
        ProgressBar bar = new ProgressBar(null, false, "epoch 1/2", 1000, 120);
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
        // 40% of the 30 cells a wide terminal gets are filled
        assertTrue(s.contains("[" + "=".repeat(12) + ">" + " ".repeat(17) + "]"), s);
    }

    /** Every line fits in the terminal (one column spare, so no terminal wraps it), at 40, 80 and 120 columns. */
    @Test
    void everyRenderedLineFitsTheTerminalWidth() {
        String[] labels = {"epoch 1/2", "epoch  37/100", "epoch 12345/99999"};
        long[] totals = {10, 60_000, 1_281_167};
        for (int width : new int[] {40, 80, 120}) {
            for (String label : labels) {
                for (long total : totals) {
                    ProgressBar bar = new ProgressBar(null, false, label, total, width);
                    long t0 = System.nanoTime();
                    for (int k = 0; k <= 10; k++) {
                        // 1 ns after the start: an absurd rate (billions of samples/s), the widest figure there is
                        String s = bar.render(t0 + (k == 5 ? 1 : k * 1_000_000_000L));
                        assertTrue(s.length() <= width - 1, width + " columns: " + s.length() + " chars: " + s);
                        assertTrue(s.startsWith(label.substring(0, Math.min(label.length(), width - 1))), s);
                        bar.step((int) Math.max(1, total / 10), 0.5 + k);
                    }
                }
            }
        }
        // at 80 columns the common case keeps every figure
        ProgressBar bar = new ProgressBar(null, false, "epoch  3/10", 60_000, 80);
        long t0 = System.nanoTime();
        bar.step(24_000, 0.3);
        String s = bar.render(t0 + 2_000_000_000L);
        assertTrue(s.contains("24000/60000") && s.contains("samples/s") && s.contains("ETA"), s);
        assertTrue(s.length() <= 79, s);
    }

    @Test
    void theWidthComesFromColumnsOr80() {
        assertEquals(80, ProgressBar.columns(null));
        assertEquals(80, ProgressBar.columns("wide"));
        assertEquals(80, ProgressBar.columns("0"));
        assertEquals(132, ProgressBar.columns("132"));
    }

    /** At 80 columns the bar redraws in place: carriage returns, never a new line, each drawn line within 79 characters. */
    @Test
    void redrawsInPlaceWithCarriageReturns() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressBar bar = new ProgressBar(err, true, "epoch  3/10", 1000, 80);
        for (int i = 0; i < 10; i++) {
            bar.step(100, 0.5);
            Thread.sleep(101); // past the redraw interval: every step draws
        }
        bar.finish();
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(s.contains("\n"), "no new line per redraw");
        String[] frames = s.split("\r", -1);
        assertTrue(frames.length >= 10, "a carriage return per redraw: " + frames.length);
        for (String f : frames) {
            assertTrue(f.length() <= 79, f.length() + ": " + f);
        }
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
