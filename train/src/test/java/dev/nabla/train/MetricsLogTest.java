package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    @TempDir
    Path dir;

    @Test
    void writesOneJsonAndOneCsvLinePerEpoch() throws IOException {
        try (MetricsLog log = MetricsLog.open(dir, List.of("loss", "acc"), -1)) {
            log.append(1, 0.5, Double.NaN);
            log.append(2, 0.25, 0.875);
        }
        assertEquals(List.of("{\"epoch\":1,\"loss\":0.5,\"acc\":null}", "{\"epoch\":2,\"loss\":0.25,\"acc\":0.875}"),
                Files.readAllLines(dir.resolve(MetricsLog.JSONL)));
        assertEquals(List.of("epoch,loss,acc", "1,0.5,", "2,0.25,0.875"), Files.readAllLines(dir.resolve(MetricsLog.CSV)));
    }

    @Test
    void aPlantedSymlinkAtTheOldTemporaryNameOrAtTheLogIsNeverFollowed() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.createSymbolicLink(run.resolve(MetricsLog.JSONL + ".tmp"), victim);
        Files.createSymbolicLink(run.resolve(MetricsLog.CSV + ".tmp"), victim);
        Files.createSymbolicLink(run.resolve(MetricsLog.CSV), victim);
        try (MetricsLog log = MetricsLog.open(run, List.of("loss"), -1)) {
            log.append(1, 0.5);
        }
        assertEquals("precious", Files.readString(victim));
        assertTrue(Files.isRegularFile(run.resolve(MetricsLog.CSV), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of("epoch,loss", "1,0.5"), Files.readAllLines(run.resolve(MetricsLog.CSV)));
        assertEquals(List.of("{\"epoch\":1,\"loss\":0.5}"), Files.readAllLines(run.resolve(MetricsLog.JSONL)));
    }

    @Test
    void valuesRoundTripExactly() throws IOException {
        double v = 0.1 + 0.2;
        try (MetricsLog log = MetricsLog.open(dir, List.of("x"), -1)) {
            log.append(1, v);
        }
        String cell = Files.readAllLines(dir.resolve(MetricsLog.CSV)).get(1).split(",")[1];
        assertEquals(v, Double.parseDouble(cell));
    }

    @Test
    void resumeKeepsRowsUpToTheCheckpointEpochAndDropsHalfLines() throws IOException {
        try (MetricsLog log = MetricsLog.open(dir, List.of("loss"), -1)) {
            log.append(1, 3);
            log.append(2, 2);
            log.append(3, 1);
        }
        // a crash mid-line (simulated) after epoch 3's row
        Files.writeString(dir.resolve(MetricsLog.JSONL), "{\"epoch\":4,\"lo", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        try (MetricsLog log = MetricsLog.open(dir, List.of("loss"), 2)) {
            log.append(3, 0.5);
        }
        // JSON writes a double as one (3.0); the epoch is an integer
        assertEquals(List.of("{\"epoch\":1,\"loss\":3.0}", "{\"epoch\":2,\"loss\":2.0}", "{\"epoch\":3,\"loss\":0.5}"),
                Files.readAllLines(dir.resolve(MetricsLog.JSONL)));
        assertEquals(List.of("epoch,loss", "1,3", "2,2", "3,0.5"), Files.readAllLines(dir.resolve(MetricsLog.CSV)));
    }

    @Test
    void resumingWithOtherColumnsFails() throws IOException {
        try (MetricsLog log = MetricsLog.open(dir, List.of("loss"), -1)) {
            log.append(1, 3);
        }
        IOException e = assertThrows(IOException.class, () -> MetricsLog.open(dir, List.of("loss", "acc"), 1));
        assertTrue(e.getMessage().contains("epoch,loss,acc"), e.getMessage());
    }

    @Test
    void wrongNumberOfValuesIsNamed() throws IOException {
        try (MetricsLog log = MetricsLog.open(dir, List.of("loss", "acc"), -1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.append(1, 1.0));
            assertTrue(e.getMessage().contains("expected 2 values [loss, acc] but got 1"), e.getMessage());
        }
    }
}
