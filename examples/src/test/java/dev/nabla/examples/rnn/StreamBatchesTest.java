package dev.nabla.examples.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamBatchesTest {

    private static int[] range(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Tokens 0..20 in 2 streams of span 10 (token 20 is dropped), blocks of 4: the layout by hand. */
    @Test
    void laysOutParallelContiguousStreamsTimeMajor() {
        StreamBatches b = new StreamBatches("test", range(21), 2, 4, 0);
        assertEquals(10, b.span());
        StreamBatches.Block first = b.nextInPass();
        assertTrue(first.fresh());
        assertEquals(4, first.steps());
        assertArrayEquals(new int[] {0, 10, 1, 11, 2, 12, 3, 13}, first.inputs());
        assertArrayEquals(new int[] {1, 11, 2, 12, 3, 13, 4, 14}, first.targets());
        StreamBatches.Block second = b.nextInPass();
        assertFalse(second.fresh(), "the second block continues the first: carry the state");
        assertArrayEquals(new int[] {4, 14, 5, 15, 6, 16, 7, 17}, second.inputs());
        StreamBatches.Block third = b.nextInPass();
        assertEquals(1, third.steps(), "the last block is short: 9 predictions per stream of 10");
        assertArrayEquals(new int[] {8, 18}, third.inputs());
        assertArrayEquals(new int[] {9, 19}, third.targets());
        assertNull(b.nextInPass());
    }

    /** Every pass predicts each next token of each stream once (after its offset) and restarts fresh. */
    @Test
    void passesWrapAtSeededOffsetsWithFreshState() {
        StreamBatches b = new StreamBatches("test", range(400), 4, 7, 11);
        List<Integer> offsets = new ArrayList<>();
        int lastPass = -1;
        int predicted = 0;
        while (b.pass() < 6) {
            StreamBatches.Block blk = b.next();
            if (b.pass() != lastPass) {
                assertTrue(blk.fresh());
                offsets.add(blk.inputs()[0]);
                if (lastPass >= 0) {
                    assertEquals(99 - offsets.get(offsets.size() - 2), predicted / 4, "one full pass");
                }
                lastPass = b.pass();
                predicted = 0;
            } else {
                assertFalse(blk.fresh());
            }
            for (int k = 0; k < blk.targets().length; k++) {
                assertEquals(blk.inputs()[k] + 1, blk.targets()[k]);
            }
            predicted += blk.targets().length;
        }
        assertEquals(0, offsets.get(0));
        for (int o : offsets) {
            assertTrue(o >= 0 && o < 7, "offset " + o);
        }
        assertTrue(offsets.stream().distinct().count() > 2, "offsets vary from pass to pass: " + offsets);
        // Same seed, same offsets; restore continues where a cursor left off.
        StreamBatches again = new StreamBatches("test", range(400), 4, 7, 11);
        StreamBatches resumed = new StreamBatches("test", range(400), 4, 7, 11);
        for (int i = 0; i < 40; i++) {
            again.next();
        }
        StreamBatches probe = new StreamBatches("test", range(400), 4, 7, 11);
        for (int i = 0; i < 40; i++) {
            probe.next();
        }
        resumed.restore(probe.pass(), probe.position());
        for (int i = 0; i < 30; i++) {
            StreamBatches.Block x = again.next();
            StreamBatches.Block y = resumed.next();
            assertArrayEquals(x.inputs(), y.inputs());
            assertEquals(x.fresh(), y.fresh());
        }
    }

    @Test
    void errorsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StreamBatches("char-lstm", range(5), 4, 8, 0));
        assertTrue(e.getMessage().startsWith("char-lstm: a stream of 5 tokens is too short for 4 parallel streams"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new StreamBatches("op", range(50), 2, 0, 0));
        assertTrue(e.getMessage().contains("sequence length must be positive"), e.getMessage());
        StreamBatches b = new StreamBatches("op", range(50), 2, 4, 0);
        e = assertThrows(IllegalArgumentException.class, () -> b.restore(0, 25));
        assertTrue(e.getMessage().contains("position 25"), e.getMessage());
    }
}
