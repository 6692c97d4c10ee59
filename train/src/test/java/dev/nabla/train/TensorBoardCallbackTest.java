package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.ArrayDataset;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.SGD;
import dev.nabla.train.tensorboard.Event;
import dev.nabla.train.tensorboard.EventReader;
import dev.nabla.train.tensorboard.Payload;
import dev.nabla.train.tensorboard.SummaryValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TensorBoard callback on a model with a convolution: the first Conv2d's filters are logged as a
 * grid image every epoch, and with a fixed clock two runs with the same seed write byte-identical
 * event files (everything but the wall time is determined by the run).
 */
class TensorBoardCallbackTest {

    private static ArrayDataset images(long seed) {
        Random r = new Random(seed);
        int n = 24;
        double[] x = new double[n * 36];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int p = 0; p < 36; p++) {
                x[i * 36 + p] = (y[i] == 1 && p % 6 < 3 ? 1 : 0) + 0.1 * r.nextGaussian();
            }
        }
        return ArrayDataset.of(NDArray.of(x, n, 1, 6, 6), y);
    }

    private static Path run(Path dir) throws IOException {
        Random init = new Random(3);
        Module m = new Sequential(new Conv2d(1, 4, 3, init), new ReLU(), new Flatten(), new Linear(4 * 4 * 4, 2, init));
        Clock fixed = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);
        Trainer.builder(m, SGD.builder(m.parameters()).lr(0.05).build()).train(images(1)).validation(images(2)).epochs(2)
                .batchSize(8).seed(4).runDir(dir).plots(false).tensorBoardClock(fixed)
                .config(Map.of("model", "tiny-cnn")).build().fit();
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents."))
                    .collect(Collectors.toList());
            assertEquals(1, files.size(), files.toString());
            return files.get(0);
        }
    }

    @Test
    void theFirstConvolutionsFiltersAreAnImageAndFixedClockRunsAreIdentical(@TempDir Path tmp) throws IOException {
        Path a = run(tmp.resolve("a"));
        Path b = run(tmp.resolve("b"));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "same seed, fixed clock: the same bytes");
        int images = 0;
        for (Event e : EventReader.readAll(a)) {
            for (SummaryValue v : e.values()) {
                if (v.tag().equals("filters/0")) {
                    Payload.Image img = v.image().orElseThrow();
                    // 4 filters of 3x3 at 8 px per tap in a 2x2 grid with 2-px gaps
                    assertEquals(2 * 24 + 3 * 2, img.width());
                    assertEquals(2 * 24 + 3 * 2, img.height());
                    assertEquals(1, img.colorspace());
                    assertTrue(e.step() == 1 || e.step() == 2, "at epochs 1 and 2: " + e.step());
                    images++;
                }
            }
        }
        assertEquals(2, images, "one image per epoch");
    }
}
