package dev.nabla.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardStreamsTest {

    @Test
    void streamsPartitionTheDataSetByUnshuffledShardPosition() {
        // N = 23, B = 10, m = 4: shards of 4, 4, 2; stream k holds positions k*4.. of each run of 10
        ShardStreams s = ShardStreams.of(23, 10, 4);
        assertEquals(3, s.numShards());
        assertEquals(2, s.stepsPerEpoch());
        assertArrayEquals(new int[] {0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22}, s.members(0));
        assertArrayEquals(new int[] {4, 5, 6, 7, 14, 15, 16, 17}, s.members(1));
        assertArrayEquals(new int[] {8, 9, 18, 19}, s.members(2));
        for (int k = 0; k < 3; k++) {
            for (int i : s.members(k)) {
                assertEquals(k, s.streamOf(i));
            }
        }
    }

    @Test
    void epochOrderDrawsEachShardFromItsStreamWithoutRepeats() {
        ShardStreams s = ShardStreams.of(53, 12, 5); // shards 5, 5, 2; 4 steps
        int[] order = s.epochOrder(7L, 3);
        assertEquals(4 * 12, order.length);
        Set<Integer> seen = new HashSet<>();
        for (int t = 0; t < 4; t++) {
            for (int p = 0; p < 12; p++) {
                int i = order[t * 12 + p];
                assertTrue(seen.add(i), "sample " + i + " drawn twice in one epoch");
                assertEquals(p / 5, s.streamOf(i), "batch position " + p + " comes from its shard's stream");
            }
        }
        for (int k = 0; k < 3; k++) {
            int[] so = s.streamOrder(s.members(k), 7L, 3, k);
            for (int t = 0; t < 4; t++) {
                int[] shard = s.shard(so, t, k);
                assertArrayEquals(Arrays.copyOfRange(order, t * 12 + k * 5, t * 12 + k * 5 + s.shardLength(k)), shard);
            }
        }
    }

    @Test
    void sameSeedSameOrderOtherEpochOtherOrder() {
        ShardStreams s = ShardStreams.of(200, 32, 8);
        assertArrayEquals(s.epochOrder(1L, 1), s.epochOrder(1L, 1));
        assertFalse(Arrays.equals(s.epochOrder(1L, 1), s.epochOrder(1L, 2)));
        assertFalse(Arrays.equals(s.epochOrder(1L, 1), s.epochOrder(2L, 1)));
    }

    @Test
    void refusesAnEmptyEpoch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShardStreams.of(5, 8, 2));
        assertTrue(e.getMessage().contains("5 samples") && e.getMessage().contains("batch size <= 5"), e.getMessage());
    }
}
