package dev.nabla.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.nabla.ndarray.io.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bench line is JSON the strict parser reads, whatever the strings in it hold. */
class ResultJsonTest {
    @Test
    void aBenchLineParsesWithItsFiguresRoundedToSixDigits() throws Exception {
        Measure.Samples s = new Measure.Samples(new double[] {1.23456789, 2.0, Double.NaN}, new double[] {1, 1, 1}, 4, 4096);
        Result r = new Result("W1", "mlp \"wide\"\\n\ttabs", 2, s, 100, "sample", true, 0, "blocked");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.json());
        assertEquals("mlp \"wide\"\\n\ttabs", m.get("config"));
        assertEquals("2", ((Json.Num) m.get("threads")).text());
        assertEquals("2.0", ((Json.Num) m.get("median_ms")).text());
        List<?> samples = (List<?>) m.get("samples_ms");
        assertEquals("1.23457", ((Json.Num) samples.get(0)).text());
        assertSame(Json.NULL, samples.get(2));
        assertEquals("4096", ((Json.Num) m.get("alloc_bytes_per_call")).text());
    }

    @Test
    void w6LinesCarryTheFractionOfTheDerivedPeak() throws Exception {
        Measure.Samples s = new Measure.Samples(new double[] {2.0}, new double[] {1.0}, 1, 0);
        Result r = new Result("W6", "n512", 1, s, 1, "product", false, 2.0 * 512 * 512 * 512, "blocked");
        r.dtype = "float32";
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.json());
        double gflops = Double.parseDouble(((Json.Num) m.get("gflops")).text());
        assertEquals(2.0 * 512 * 512 * 512 / 2e6, gflops, 1e-3);
        Peak peak = Peak.of("float32", 1);
        if (peak != null) { // a machine with /proc/cpuinfo
            double fraction = Double.parseDouble(((Json.Num) m.get("peak_fraction")).text());
            assertEquals(gflops / peak.gflops, fraction, 1e-5 * fraction);
            double cpuFraction = Double.parseDouble(((Json.Num) m.get("cpu_peak_fraction")).text());
            assertEquals(2 * fraction, cpuFraction, 1e-5 * cpuFraction); // CPU time is half the wall time here
        }
    }

    @Test
    void thePeakIsLanesTimesTwoFmaUnitsTimesTwoTimesTheClock() {
        List<String> zen3 = List.of("processor\t: 0", "cpu MHz\t\t: 2445.414", "flags\t\t: fpu sse2 fma avx avx2 bmi2");
        assertEquals(8 * 2 * 2 * 2.445414, Peak.parse(zen3, "float32", 1).gflops, 1e-9);
        assertEquals(4 * 2 * 2 * 2.445414 * 2, Peak.parse(zen3, "float64", 2).gflops, 1e-9);
        List<String> avx512 = List.of("cpu MHz\t\t: 3000.0", "flags\t\t: fma avx2 avx512f");
        assertEquals(16 * 2 * 2 * 3.0, Peak.parse(avx512, "float32", 1).gflops, 1e-9);
        assertSame(null, Peak.parse(List.of("cpu MHz : 1000", "flags : sse2"), "float32", 1));
    }
}
