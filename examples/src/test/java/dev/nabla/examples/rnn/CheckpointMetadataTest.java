package dev.nabla.examples.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.CharCorpus;
import dev.nabla.train.Checkpoints;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint metadata is untrusted: sizes are checked against the tensors before a model is
 * allocated, missing trainer entries and keys give messages (never an NPE), and key lists in
 * messages are capped.
 */
class CheckpointMetadataTest {
    static final CharCorpus TEXT = CharCorpus.of("to be or not to be, that is the question\n".repeat(40));
    static final CharLstmExample.Settings TINY = new CharLstmExample.Settings(4, 8, 1, 8, 3, 5.0, 10, 1.0, 4, 8);

    @TempDir
    static Path trained;

    @TempDir
    Path tmp;

    @BeforeAll
    static void train() throws IOException {
        new CharLstmExample().train(RnnRunsForTests.run("char-lstm", 1, 4, 0.01, 0, trained).ctx(), TEXT, TINY);
    }

    /** A copy of the trained last.safetensors in a fresh run directory, with {@code edit} applied to tensors and metadata. */
    private Path damaged(String name, Consumer<Map<String, NDArray>> tensors, Consumer<Map<String, String>> meta)
            throws IOException {
        Path last = trained.resolve(Checkpoints.LAST);
        Map<String, NDArray> t = new LinkedHashMap<>(Safetensors.load(last));
        Map<String, String> m = new LinkedHashMap<>(Safetensors.loadMetadata(last));
        tensors.accept(t);
        meta.accept(m);
        Path dir = Files.createDirectories(tmp.resolve(name));
        Safetensors.save(dir.resolve(Checkpoints.LAST), t, m);
        return dir;
    }

    private static IllegalArgumentException resumeFails(Path dir) {
        return assertThrows(IllegalArgumentException.class, () -> new CharLstmExample().train(
                RnnRunsForTests.run("char-lstm", 2, 4, 0.01, 0, dir, 0, 0, dir, 0).ctx(), TEXT, TINY));
    }

    @Test
    void resumeWithoutBestValNamesTheEntry() throws IOException {
        // was a NullPointerException from resumed.trainer.get("best_val").item()
        Path dir = damaged("nobest", t -> t.remove("trainer.best_val"), m -> { });
        IllegalArgumentException e = resumeFails(dir);
        assertEquals("--resume: " + dir.resolve(Checkpoints.LAST) + " lacks the trainer state \"trainer.best_val\" (one"
                + " number); it was not written by `nabla train` of this version, or is damaged; start a new run",
                e.getMessage());
        Path half = damaged("halfstate", t -> t.remove("trainer.state.c"), m -> { });
        assertTrue(resumeFails(half).getMessage().contains("holds \"trainer.state.h\" without \"trainer.state.c\""));
        Path cursor = damaged("cursor", t -> t.put("trainer.cursor", NDArray.of(new double[] {Double.NaN, 0}, 2)),
                m -> { });
        assertTrue(resumeFails(cursor).getMessage().contains("lacks the data cursor of char-lstm (two counts >= 0)"));
    }

    @Test
    void sizesInTheMetadataAreCheckedAgainstTheTensorsBeforeAllocating() throws IOException {
        // a model of hidden size 10^6 would be 4 * 10^12 weights: checked against the (32, 4) tensor first
        Path dir = damaged("hidden", t -> { }, m -> m.put("hidden_size", "1000000"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CharLstmExample.load(dir.resolve(Checkpoints.LAST), "generate"));
        assertTrue(e.getMessage().startsWith("generate: " + dir.resolve(Checkpoints.LAST) + ": the model tensor"
                + " \"model.lstm.weight_ih_l0\" has shape (32, 4) but the metadata (vocabulary "
                + TEXT.vocabulary().size() + ", embed_size 4, hidden_size 1000000, num_layers 1) implies (4000000, 4)"),
                e.getMessage());
        IllegalArgumentException resume = resumeFails(dir);
        assertTrue(resume.getMessage().startsWith("--resume: "), resume.getMessage());
        Path huge = damaged("huge", t -> { }, m -> m.put("hidden_size", "2147483647"));
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class,
                () -> CharLstmExample.load(huge.resolve(Checkpoints.LAST), "generate"));
        assertTrue(h.getMessage().contains("checkpoint metadata \"hidden_size\" is 2147483647, outside [1, 1048576]"),
                h.getMessage());
        Path layers = damaged("layers", t -> { }, m -> m.put("num_layers", "3"));
        IllegalArgumentException l = assertThrows(IllegalArgumentException.class,
                () -> CharLstmExample.load(layers.resolve(Checkpoints.LAST), "eval"));
        assertTrue(l.getMessage().contains("lacks the model tensor \"model.lstm.weight_ih_l1\""), l.getMessage());
        Path vocab = damaged("vocab", t -> { }, m -> m.put("vocabulary", new StringBuilder(m.get("vocabulary"))
                .reverse().toString()));
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
                () -> CharLstmExample.load(vocab.resolve(Checkpoints.LAST), "eval"));
        assertTrue(v.getMessage().contains("the \"vocabulary\" metadata is not sorted distinct characters"),
                v.getMessage());
        Path temp = damaged("temp", t -> { }, m -> m.put("sample_temperature", "NaN"));
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                () -> CharLstmExample.load(temp.resolve(Checkpoints.LAST), "eval"));
        assertTrue(n.getMessage().contains("\"sample_temperature\" is NaN, not a finite number > 0"), n.getMessage());
    }

    @Test
    void keyListsInMessagesAreCapped() throws IOException {
        Path dir = damaged("keys", t -> { }, m -> {
            m.remove("embed_size");
            for (int i = 0; i < 500; i++) {
                m.put("junk" + i, "x");
            }
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CharLstmExample.load(dir.resolve(Checkpoints.LAST), "eval"));
        assertTrue(e.getMessage().contains("lacks \"embed_size\""), e.getMessage());
        int total = Safetensors.loadMetadata(dir.resolve(Checkpoints.LAST)).size();
        assertTrue(e.getMessage().contains(", ... and " + (total - 10) + " more]"), e.getMessage());
        assertTrue(e.getMessage().length() < 600, e.getMessage());
        assertEquals("[a, b]", Checkpoints.keyList(java.util.List.of("a", "b")));
    }

    /**
     * A char-lstm checkpoint as version 1 wrote it (cells {@code lstm.l0.weightIh (embed, 4H)} ...,
     * {@code head.weight (hidden, vocab)}, Adam moments in those shapes, format /1) loads for
     * {@code generate} with the notice and samples the same text, and resumes training.
     */
    @Test
    void aVersion1CharLstmCheckpointIsConvertedForGenerateAndResume() throws IOException {
        Map<String, String> old = Map.of("weight_ih", "weightIh", "weight_hh", "weightHh", "bias_ih", "biasIh",
                "bias_hh", "biasHh");
        java.util.List<String> order = new java.util.ArrayList<>();
        Path dir = damaged("v1", t -> {
            java.util.List<String> params = java.util.List.copyOf(new CharLstm(1, 4, 8, 1, new java.util.Random(0))
                    .namedParameters().keySet());
            for (String k : java.util.List.copyOf(t.keySet())) {
                if (k.startsWith("model.lstm.")) {
                    String name = k.substring("model.lstm.".length());
                    int cut = name.lastIndexOf("_l");
                    NDArray v = t.remove(k);
                    t.put("model.lstm.l" + name.substring(cut + 2) + "." + old.get(name.substring(0, cut)),
                            v.ndim() == 2 ? v.transpose() : v);
                } else if (k.equals("model.head.weight")) {
                    t.put(k, t.get(k).transpose());
                }
            }
            for (String k : java.util.List.copyOf(t.keySet())) {
                String[] parts = k.split("\\.", 4); // optim.state.<i>.<buffer>
                if (parts.length == 4 && parts[0].equals("optim") && t.get(k).ndim() == 2) {
                    String p = params.get(Integer.parseInt(parts[2]));
                    if (p.startsWith("lstm.weight") || p.equals("head.weight")) {
                        t.put(k, t.get(k).transpose());
                        order.add(p);
                    }
                }
            }
        }, m -> m.put("format", Checkpoints.FORMAT_V1));
        assertTrue(order.contains("head.weight") && order.contains("lstm.weight_hh_l0"), order.toString());
        assertTrue(Safetensors.load(dir.resolve(Checkpoints.LAST)).containsKey("model.lstm.l0.weightIh"));
        java.util.List<String> notices = new java.util.ArrayList<>();
        CharLstmExample.Loaded v1 = CharLstmExample.load(dir.resolve(Checkpoints.LAST), "generate", notices::add);
        assertEquals(java.util.List.of(Checkpoints.V1_CONVERTED), notices);
        CharLstmExample.Loaded v2 = CharLstmExample.load(trained.resolve(Checkpoints.LAST), "generate", notices::add);
        assertEquals(1, notices.size(), "no notice for a version-2 file");
        assertEquals(v2.generate("to ", 40, 1.0, 3), v1.generate("to ", 40, 1.0, 3));
        // resuming converts too (model and Adam moments) and trains on
        new CharLstmExample().train(RnnRunsForTests.run("char-lstm", 2, 4, 0.01, 0, dir, 0, 0, dir, 0).ctx(), TEXT, TINY);
        assertEquals(Checkpoints.FORMAT, Safetensors.loadMetadata(dir.resolve(Checkpoints.LAST)).get("format"));
        assertEquals(2, Checkpoints.load(dir.resolve(Checkpoints.LAST)).epoch());
    }

    /** airline-lstm's eval checks hidden_size against the tensors too (its own state dict passes). */
    @Test
    void airlineHiddenSizeIsCheckedAgainstTheTensors() {
        Map<String, NDArray> sd = new AirlineLstm(16, new java.util.Random(0)).stateDict();
        AirlineLstmExample.checkTensors(sd, 16, Path.of("a.safetensors"), "eval");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AirlineLstmExample.checkTensors(sd, 1 << 20, Path.of("a.safetensors"), "eval"));
        assertEquals("eval: a.safetensors: the model tensor \"model.lstm.weight_ih_l0\" has shape (64, 1) but the metadata"
                + " (hidden_size 1048576) implies (4194304, 1); the metadata and the tensors disagree, so the file is damaged",
                e.getMessage());
    }

    /** The shape check agrees with the model's own state dict (so it cannot drift from the layer layout). */
    @Test
    void theShapeCheckAcceptsEveryModelItDescribes() {
        for (CharLstmExample.Settings s : new CharLstmExample.Settings[] {TINY,
            new CharLstmExample.Settings(3, 5, 3, 8, 3, 5.0, 10, 1.0, 4, 8)}) {
            CharLstm m = new CharLstm(7, s.embedSize(), s.hiddenSize(), s.numLayers(), new java.util.Random(0));
            s.checkTensors(m.stateDict(), 7, Path.of("x"), "test");
        }
        CharLstm two = new CharLstm(7, 3, 5, 2, new java.util.Random(0));
        CharLstmExample.Settings one = new CharLstmExample.Settings(3, 5, 1, 8, 3, 5.0, 10, 1.0, 4, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> one.checkTensors(two.stateDict(), 7, Path.of("x"), "test"));
        assertTrue(e.getMessage().contains("holds LSTM layer 1 but its metadata says num_layers 1"), e.getMessage());
    }
}
