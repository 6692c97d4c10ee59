package dev.nabla.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.examples.Cli;
import dev.nabla.ndarray.io.Json;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.MetricsLog;
import dev.nabla.train.TensorBoardCallback;
import dev.nabla.train.Trainer;
import dev.nabla.train.tensorboard.Event;
import dev.nabla.train.tensorboard.EventReader;
import dev.nabla.train.tensorboard.Payload;
import dev.nabla.train.tensorboard.SummaryValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `nabla train iris` writes TensorBoard event files into its run directory by default, and what they
 * hold decodes (EventReader) to the run's own figures: every per-epoch scalar equals metrics.jsonl's
 * value as float32, every per-step loss and rate metrics_steps.jsonl's, there is a histogram of every
 * parameter and of its gradient for every epoch, the config as text, and an hparams session.
 * {@code --no-tensorboard} writes none.
 */
class TensorBoardRunTest {

    private static List<Path> eventFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).sorted()
                    .collect(Collectors.toList());
        }
    }

    /** tag -> step -> value, for every summary value of the files. */
    private static Map<String, Map<Long, SummaryValue>> byTag(Path file) throws IOException {
        Map<String, Map<Long, SummaryValue>> out = new HashMap<>();
        for (Event e : EventReader.readAll(file)) {
            for (SummaryValue v : e.values()) {
                out.computeIfAbsent(v.tag(), t -> new HashMap<>()).put(e.step(), v);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Path jsonl) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            out.add((Map<String, Object>) Json.parse(line));
        }
        return out;
    }

    private static double num(Object o) {
        return ((Json.Num) o).toDouble();
    }

    @Test
    void irisRunLogsItsFiguresToTensorBoard(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("iris");
        Cli.run("train", "iris", "--epochs", "3", "--out", run.toString(), "--progress", "never");
        List<Path> files = eventFiles(run);
        assertEquals(1, files.size(), "one event file in the run directory: " + files);
        Map<String, Map<Long, SummaryValue>> tags = byTag(files.get(0));

        List<Map<String, Object>> epochs = rows(run.resolve(MetricsLog.JSONL));
        assertEquals(3, epochs.size());
        int scalars = 0;
        for (Map<String, Object> row : epochs) {
            long epoch = (long) num(row.get("epoch"));
            for (String col : List.of("train_loss", "train_acc", "val_loss", "val_acc", "lr")) {
                double expected = num(row.get(col));
                double logged = tags.get("epoch/" + col).get(epoch).scalar().orElseThrow();
                assertEquals((float) expected, (float) logged, col + " of epoch " + epoch);
                scalars++;
            }
        }
        assertEquals(15, scalars);
        assertFalse(tags.containsKey("epoch/time_s"), "the wall time is not a training figure");

        List<Map<String, Object>> steps = rows(run.resolve(Trainer.STEPS_JSONL));
        assertTrue(steps.size() >= 3, "at least a step per epoch");
        for (Map<String, Object> row : steps) {
            long step = (long) num(row.get("step"));
            assertEquals((float) num(row.get("loss")),
                    (float) (double) tags.get(TensorBoardCallback.STEP_LOSS).get(step).scalar().orElseThrow(), "loss of step " + step);
            assertEquals((float) num(row.get("lr")),
                    (float) (double) tags.get(TensorBoardCallback.STEP_LR).get(step).scalar().orElseThrow(), "lr of step " + step);
        }
        assertEquals(steps.size(), tags.get(TensorBoardCallback.STEP_LOSS).size());

        // every parameter (iris' model has no buffers: its state dict is its parameters) and its gradient, every epoch
        List<String> params = tags.keySet().stream().filter(t -> t.startsWith("params/")).sorted().collect(Collectors.toList());
        List<String> expectedParams = Checkpoints.load(run.resolve(Checkpoints.LAST)).model.keySet().stream()
                .map(k -> "params/" + k).sorted().collect(Collectors.toList());
        assertEquals(expectedParams, params);
        assertFalse(params.isEmpty());
        for (String p : params) {
            String name = p.substring("params/".length());
            for (long e = 1; e <= 3; e++) {
                Payload.Histogram h = tags.get(p).get(e).histogram().orElseThrow();
                assertTrue(h.num() > 0, p + " at epoch " + e);
                assertTrue(tags.get("grads/" + name).get(e).histogram().isPresent(), "grads/" + name + " at epoch " + e);
            }
        }
        String config = tags.get("config/text_summary").get(0L).text().orElseThrow();
        assertTrue(config.contains("| model | iris |") && config.contains("| epochs | 3 |"), config);
        List<Path> hparams = eventFiles(run.resolve(TensorBoardCallback.HPARAMS_RUN));
        assertEquals(1, hparams.size());
        Map<String, Map<Long, SummaryValue>> hp = byTag(hparams.get(0));
        assertEquals((float) num(epochs.get(2).get("val_acc")), (float) (double) hp.get("hparam/val_acc").get(3L).scalar().orElseThrow());
        assertTrue(hp.containsKey("hparam/test_acc"), hp.keySet().toString());
    }

    /** The recurrent examples run their own loops; their epoch figures and parameters reach TensorBoard too. */
    @Test
    void sineRnnRunLogsItsEpochFigures(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("sine");
        Cli.run("train", "sine-rnn", "--epochs", "2", "--out", run.toString(), "--progress", "never");
        List<Path> files = eventFiles(run);
        assertEquals(1, files.size(), files.toString());
        Map<String, Map<Long, SummaryValue>> tags = byTag(files.get(0));
        for (Map<String, Object> row : rows(run.resolve(MetricsLog.JSONL))) {
            long epoch = (long) num(row.get("epoch"));
            for (String col : List.of("train_loss", "test_mse", "test_mse_clean", "lr")) {
                assertEquals((float) num(row.get(col)), (float) (double) tags.get("epoch/" + col).get(epoch).scalar().orElseThrow(),
                        col + " of epoch " + epoch);
            }
        }
        List<String> params = tags.keySet().stream().filter(t -> t.startsWith("params/")).sorted().collect(Collectors.toList());
        assertEquals(Checkpoints.load(run.resolve(Checkpoints.LAST)).model.keySet().stream().map(k -> "params/" + k).sorted()
                .collect(Collectors.toList()), params);
        assertTrue(tags.get("config/text_summary").get(0L).text().orElseThrow().contains("| model | sine-rnn |"));
        // the hparams session, as the common trainer's: last epoch's figures and the test loss (summary.json's)
        List<Path> hparams = eventFiles(run.resolve(TensorBoardCallback.HPARAMS_RUN));
        assertEquals(1, hparams.size());
        Map<String, Map<Long, SummaryValue>> hp = byTag(hparams.get(0));
        List<Map<String, Object>> epochs = rows(run.resolve(MetricsLog.JSONL));
        assertEquals((float) num(epochs.get(1).get("test_mse")),
                (float) (double) hp.get("hparam/test_mse").get(2L).scalar().orElseThrow());
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) Json.parse(Files.readString(run.resolve("summary.json")));
        assertEquals((float) num(summary.get("test_loss")), (float) (double) hp.get("hparam/test_loss").get(2L).scalar().orElseThrow());
        assertTrue(!hp.containsKey("hparam/time_s"), hp.keySet().toString());
    }

    @Test
    void noTensorBoardWritesNoEventFiles(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("quiet");
        Cli.run("train", "iris", "--epochs", "1", "--out", run.toString(), "--progress", "never", "--no-tensorboard");
        assertEquals(List.of(), eventFiles(run));
        assertTrue(Files.exists(run.resolve("metrics.jsonl")));
    }
}
