package dev.nabla.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.examples.Cli;
import dev.nabla.examples.Main;
import dev.nabla.examples.bench.Bench;
import dev.nabla.ndarray.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code nabla bench} is parsed by the same picocli command line as the rest: help, enums, errors, and the forked runs' arguments. */
class BenchCommandTest {
    private static final PrintStream SINK = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private static Bench.Options parse(String... args) {
        CommandLine.ParseResult pr = Main.commandLine(SINK, SINK).parseArgs(args);
        return ((BenchCommand) pr.subcommand().commandSpec().userObject()).options();
    }

    private static List<String> runs(Bench.Options o) {
        List<String> out = new ArrayList<>();
        for (String[] r : o.runs()) {
            out.add(r[0] + " " + r[1]);
        }
        return out;
    }

    @Test
    void workloadsAndConfigsSelectTheRuns() {
        assertEquals(44, parse("bench").runs().size(), "all workloads: 3 + 6 + 7 + 4 + 4 + 16 + 2 + 2 configurations");
        assertEquals(List.of("W3 b128", "W3 b128-compiled", "W3 b128-w1", "W3 b128-w2", "W3 b128-spark1", "W3 b128-spark2", "W3 b128-barrier2",
                "W4 b64", "W4 b64-compiled", "W4 b64-w1", "W4 b64-w2"), runs(parse("bench", "-w", "W3,W4")),
                "W3 and W4 also run compiled and data-parallel on 1 and 2 workers, W3 on Spark local[1], local[2] and in barrier mode");
        assertEquals(List.of("W2 b1", "W2 b100", "W2 b1000", "W2 b1-compiled", "W2 b100-compiled", "W2 b1000-compiled", "W6 n256",
                "W6 n512", "W6 n1024", "W6 w2-fwd1", "W6 w2-fwd2", "W6 w2-dw1", "W6 w2-dw2", "W6 w2-dh", "W6 w3-fwd1", "W6 w3-fwd2",
                "W6 w3-fwd3", "W6 w3-dw1", "W6 w3-dw2", "W6 w3-dw3", "W6 w3-dx2", "W6 w3-dx3"), runs(parse("bench", "-w", "w2,W6")));
        assertEquals(List.of("W6 n512"), runs(parse("bench", "--workload=W2,W6", "--config", "n512")));
        assertEquals(runs(parse("bench")), runs(parse("bench", "-w", "all")));
        assertEquals(List.of("W1 fwd+bwd", "W1 fwd", "W1 fwd-nograd"), runs(parse("bench", "-w", "W1", "-w", "w1")),
                "a workload named twice runs once");
    }

    @Test
    void aForkedMeasurementGetsTheSameOptionsThroughTheSameParser() {
        Bench.Options o = parse("bench", "-w", "W2", "--threads", "2", "--reps", "3", "--dtype", "FLOAT32", "--gemm", "ejml");
        List<String> child = o.argsFor("W2", "b100");
        assertEquals(List.of("--workload", "W2", "--config", "b100", "--threads", "2", "--reps", "3", "--dtype", "float32",
                "--gemm", "ejml", "--no-fork"), child);
        List<String> again = new ArrayList<>(List.of("bench"));
        again.addAll(child);
        Bench.Options c = parse(again.toArray(new String[0]));
        assertEquals(List.of("W2 b100"), runs(c));
        assertEquals(child, c.argsFor("W2", "b100"), "parsing the child's arguments gives the child's options back");
    }

    @Test
    void helpListsTheOptionsAndTheirValues() {
        Cli.Result r = Cli.exec(false, "bench", "--help");
        assertEquals(0, r.code());
        for (String s : List.of("--workload=W[,W...]", "W1, W2, W3, W4,", "W5, W6, J1, V1, all (default:", "--config=NAME", "--threads=N", "--reps=N",
                "float64, float32", "blocked, ejml", "--no-fork", "Exit status")) {
            assertTrue(r.out().contains(s), s + " missing from\n" + r.out());
        }
    }

    @Test
    void badValuesAreOneLineUsageErrors() {
        assertUsage("nabla: error: --workload expects one of W1, W2, W3, W4, W5, W6, J1, V1, all, got \"W7\" (see `nabla bench --help`)",
                "bench", "-w", "W2,W7");
        assertUsage("nabla: error: --gemm expects one of blocked, ejml, got \"blas\" (see `nabla bench --help`)",
                "bench", "--gemm", "blas");
        assertUsage("nabla: error: --dtype expects one of float64, float32, got \"float16\" (see `nabla bench --help`)",
                "bench", "--dtype", "float16");
        assertUsage("nabla: error: --threads expects a positive integer, got \"0\" (see `nabla bench --help`)",
                "bench", "--threads", "0");
        assertUsage("nabla: error: --config n512 is no configuration of W2; the configurations are W2: b1, b100, b1000, b1-compiled, b100-compiled, b1000-compiled "
                + "(see `nabla bench --help`)", "bench", "-w", "W2", "--config", "n512");
        assertUsage("nabla: error: Unknown option: '--fork' (see `nabla bench --help`)", "bench", "--fork");
    }

    @Test
    void oneMeasurementPrintsOneJsonLine() throws Exception {
        Cli.Result r = Cli.exec(false, "bench", "-w", "W6", "--config", "n256", "--reps", "1", "--no-fork");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(1, lines.size(), r.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(lines.get(0));
        assertEquals("W6", m.get("workload"));
        assertEquals("n256", m.get("config"));
        assertEquals("float64", m.get("dtype"));
        assertEquals("1", ((Json.Num) m.get("reps")).text());
        assertEquals("1", ((Json.Num) m.get("threads")).text());
    }

    private static void assertUsage(String message, String... args) {
        Cli.Result r = Cli.exec(false, args);
        assertEquals(2, r.code(), r.err());
        assertEquals(message, r.err().strip());
        assertEquals("", r.out());
    }
}
