package dev.nabla.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.Mutations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Fuzzing the event reader and the hparams decoder. Seeds: the PyTorch-written reference file and a
 * file this library writes with every kind of record (scalars, histogram, image, text, hparams
 * contents). Mutations ({@link Mutations}: bit flips, truncation anywhere, insertions, deletions,
 * duplicated ranges, junk, the records' length fields and CRCs overwritten with huge or negative
 * values) go (1) into whole files, where the CRCs catch most of them, and (2) into single payloads
 * re-framed with valid CRCs, so that the protocol-buffer decoder itself sees the corruption.
 * Contract: reading returns or throws {@link TensorBoardFormatException} naming the file, nothing
 * else (no OOM, NegativeArraySize, EOF, AIOOBE), and one read allocates at most 64 x the file size
 * plus 1 MiB. The seeds are fixed so that {@code verify} is reproducible.
 */
class EventReaderFuzzTest {
    private static final Path FILE = tempFile();
    private static final byte[] REFERENCE = read(ReferenceFileTest.reference());
    private static final byte[] RICH = richFile();
    private static final List<byte[]> PAYLOADS = payloads();
    private static final int[] REFERENCE_NUMBERS = recordNumberOffsets(REFERENCE);
    private static final int[] RICH_NUMBERS = recordNumberOffsets(RICH);

    private static Path tempFile() {
        try {
            Path dir = Files.createTempDirectory("nabla-tb-fuzz");
            Path f = dir.resolve("fuzz.tfevents");
            dir.toFile().deleteOnExit();
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] richFile() {
        try {
            Path dir = Files.createTempDirectory("nabla-tb-fuzz-seed");
            try (EventWriter w = EventWriter.open(dir, EventWriterTest.FIXED)) {
                w.addScalar("loss", 0.25, 1);
                w.addHistogram("w", new double[] {-1, 0, 0.5, 2, 3}, 2);
                w.addImage("img", NDArray.full(0.5, 3, 2, 2), 3);
                w.addText("note", "fuzz me", 4);
                Map<String, Object> hp = new LinkedHashMap<>();
                hp.put("lr", 0.1);
                hp.put("opt", "sgd");
                hp.put("bn", false);
                // the hparams records, inline in the seed file (their content is what HParams.decode reads)
                w.addEvent(Event.summary(1, 0, List.of(
                        new SummaryValue(HParams.EXPERIMENT_TAG, java.util.Optional.of(new PluginData("hparams",
                                HParams.experiment(hp, List.of("acc")))), new Payload.Empty()),
                        new SummaryValue(HParams.SESSION_START_INFO_TAG, java.util.Optional.of(new PluginData("hparams",
                                HParams.sessionStart(hp))), new Payload.Empty()),
                        new SummaryValue(HParams.SESSION_END_INFO_TAG, java.util.Optional.of(new PluginData("hparams",
                                HParams.sessionEnd())), new Payload.Empty()))));
                w.flush();
                return Files.readAllBytes(w.file());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<byte[]> payloads() {
        List<byte[]> out = new ArrayList<>();
        for (byte[] file : new byte[][] {REFERENCE, RICH}) {
            int at = 0;
            while (at < file.length) {
                int n = (int) TfRecord.getLongLe(file, at);
                out.add(java.util.Arrays.copyOfRange(file, at + 12, at + 12 + n));
                at += 16 + n;
            }
        }
        return out;
    }

    /** The offsets of every record's length field and length CRC. */
    private static int[] recordNumberOffsets(byte[] file) {
        List<Integer> at = new ArrayList<>();
        int pos = 0;
        while (pos < file.length) {
            at.add(pos);
            at.add(pos + 8);
            pos += 16 + (int) TfRecord.getLongLe(file, pos);
        }
        return at.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Reads {@code bytes} as an event file and decodes every hparams content in it. */
    private static void readOnly(byte[] bytes) {
        try {
            Files.write(FILE, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long before = Mutations.allocatedBytes();
        try {
            List<Event> events = EventReader.readAll(FILE);
            assertTrue(events.size() <= bytes.length / 16 + 1, "records vs bytes");
            for (Event e : events) {
                for (SummaryValue v : e.values()) {
                    if (v.plugin().isPresent() && v.plugin().get().pluginName().equals(HParams.PLUGIN_NAME)) {
                        try {
                            HParams.decode(v.plugin().get().content());
                        } catch (TensorBoardFormatException ex) {
                            assertTrue(ex.getMessage().startsWith("hparams plugin content: offset "), ex.getMessage());
                        }
                    }
                }
            }
        } catch (TensorBoardFormatException e) {
            assertTrue(e.getMessage().startsWith(FILE + ": offset " + e.offset() + ": record "), e.getMessage());
            assertTrue(e.offset() >= 0 && e.offset() <= bytes.length, "offset " + e.offset() + " in a " + bytes.length + "-byte file");
        } catch (IOException e) {
            throw new AssertionError("an I/O exception that is not the documented one", e);
        }
        long allocated = Mutations.allocatedBytes() - before;
        assertTrue(allocated <= Mutations.allowance(bytes.length),
                allocated + " bytes allocated reading a " + bytes.length + "-byte file");
    }

    @Property(tries = 400, seed = "20261203")
    void mutatedWholeFiles(@ForAll long rng) {
        readOnly(Mutations.mutate(REFERENCE, rng, REFERENCE_NUMBERS));
        readOnly(Mutations.mutate(RICH, rng, RICH_NUMBERS));
    }

    @Property(tries = 600, seed = "20261204")
    void mutatedPayloadsWithValidCrcs(@ForAll long rng) {
        Random r = new Random(rng);
        byte[] payload = PAYLOADS.get(r.nextInt(PAYLOADS.size()));
        int[] offsets = new int[Math.min(8, payload.length)];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = r.nextInt(payload.length);
        }
        byte[] m = Mutations.mutate(payload, rng, offsets);
        // the mutated record after a valid first record, so offsets in errors are past record 0
        byte[] first = TfRecord.frame(PAYLOADS.get(0));
        byte[] rec = TfRecord.frame(m);
        byte[] file = new byte[first.length + rec.length];
        System.arraycopy(first, 0, file, 0, first.length);
        System.arraycopy(rec, 0, file, first.length, rec.length);
        readOnly(file);
    }

    @org.junit.jupiter.api.Test
    void reframedMutationsReachTheDecoder() throws ProtoException {
        // the payload fuzz is only worth something if mutated payloads get past the CRCs into the
        // decoder and some of them are rejected there while others decode
        int rejected = 0;
        int decoded = 0;
        for (long seed = 0; seed < 300; seed++) {
            byte[] m = Mutations.mutate(PAYLOADS.get((int) (seed % PAYLOADS.size())), seed);
            try {
                EventCodec.decode(m);
                decoded++;
            } catch (ProtoException e) {
                rejected++;
            }
        }
        assertTrue(rejected > 30 && decoded > 30, rejected + " rejected, " + decoded + " decoded");
    }

    @Property(tries = 300, seed = "20261205")
    void mutatedHparamsContents(@ForAll long rng) {
        Map<String, Object> hp = new LinkedHashMap<>();
        hp.put("lr", 0.1);
        hp.put("opt", "sgd");
        hp.put("bn", true);
        byte[][] seeds = {HParams.experiment(hp, List.of("acc", "loss")), HParams.sessionStart(hp), HParams.sessionEnd()};
        byte[] m = Mutations.mutate(seeds[(int) Math.floorMod(rng, 3L)], rng);
        try {
            HParams.decode(m);
        } catch (TensorBoardFormatException e) {
            assertTrue(e.getMessage().startsWith("hparams plugin content: offset "), e.getMessage());
        }
    }
}
