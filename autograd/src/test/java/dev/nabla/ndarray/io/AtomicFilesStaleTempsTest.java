package dev.nabla.ndarray.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Orphaned temporary files of killed writers, and links planted where the writer works. */
class AtomicFilesStaleTempsTest {
    @TempDir
    Path dir;

    /** The pid of a process that has finished (so no process has it, barring immediate reuse). */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        for (int i = 0; i < 50 && ProcessHandle.of(pid).isPresent(); i++) {
            Thread.sleep(10); // reaped a moment after waitFor on some platforms
        }
        assumeTrue(ProcessHandle.of(pid).isEmpty(), "pid " + pid + " was reused at once");
        return pid;
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void aSaveRemovesTheOrphansOfDeadWritersOfTheSameTargetOnly() throws Exception {
        long dead = deadPid();
        long self = ProcessHandle.current().pid();
        String deadTemp = ".last.safetensors." + dead + ".1f2e3d.tmp";
        String oldStyleDeadTemp = ".last.safetensors." + dead + ".17.tmp"; // the earlier counter-based names
        String liveTemp = ".last.safetensors." + self + ".abc.tmp";
        String otherTarget = ".best.safetensors." + dead + ".abc.tmp";
        String unrelated = ".last.safetensors.notapid.tmp";
        for (String n : List.of(deadTemp, oldStyleDeadTemp, liveTemp, otherTarget, unrelated)) {
            Files.write(dir.resolve(n), new byte[1000]);
        }
        Safetensors.save(dir.resolve("last.safetensors"), Map.of("w", NDArray.of(1, 2, 3)));
        assertEquals(List.of(otherTarget, liveTemp, unrelated, "last.safetensors").stream().sorted()
                .collect(Collectors.toList()), names());
        // the plain writer does the same for its own targets
        Files.write(dir.resolve(".summary.json." + dead + ".00ff.tmp"), new byte[10]);
        AtomicFiles.writeString(dir.resolve("summary.json"), "{}");
        assertTrue(names().stream().noneMatch(n -> n.startsWith(".summary.json.")), names().toString());
    }

    @Test
    void twentyKilledSavesLeaveAtMostTheirLastOrphanAfterTheNextSave() throws Exception {
        long dead = deadPid();
        for (int i = 0; i < 20; i++) {
            Files.write(dir.resolve(AtomicFiles.tempName("last.safetensors", dead)), new byte[4096]);
        }
        assertEquals(20, names().size());
        Safetensors.save(dir.resolve("last.safetensors"), Map.of("w", NDArray.of(1, 2, 3)));
        assertEquals(List.of("last.safetensors"), names());
    }

    @Test
    void aSymlinkAtTheTargetIsReplacedNotWrittenThrough() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path target = dir.resolve("out.txt");
        Files.createSymbolicLink(target, victim);
        AtomicFiles.writeString(target, "new");
        assertEquals("precious", Files.readString(victim));
        assertTrue(Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS));
        assertEquals("new", Files.readString(target));
    }

    @Test
    void appendingRefusesASymlink() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path log = dir.resolve("log.txt");
        Files.createSymbolicLink(log, victim);
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> AtomicFiles.openAppend(log).close());
        assertEquals("precious", Files.readString(victim));
    }

    @Test
    void temporaryNamesEncodeThePidAndDiffer() {
        String a = AtomicFiles.tempName("x.bin", 42);
        String b = AtomicFiles.tempName("x.bin", 42);
        assertTrue(a.matches("\\.x\\.bin\\.42\\.[0-9a-f]+\\.tmp"), a);
        assertTrue(!a.equals(b), a + " " + b);
    }
}
