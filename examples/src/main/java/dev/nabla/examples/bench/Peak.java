package dev.nabla.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The peak floating-point rate of this machine's cores, derived from /proc/cpuinfo as
 * {@code lanes × FMA units × 2 flops × clock × threads}: lanes are the SIMD width (512 bits with
 * {@code avx512f}, else 256 with {@code avx2}) divided by the element size, two FMA pipes per core
 * (every x86 core with AVX2+FMA since Haswell and Zen 1 has two), and the clock the
 * {@code cpu MHz} line states (the nominal clock; a boosting core can exceed it, so a fraction
 * above 1 means the core ran faster than that clock). Only W6 reports it, as the fraction of peak
 * its product reached. Immutable and thread-safe.
 */
final class Peak {
    /** The peak in GFLOP/s for the element type and thread count asked for. */
    final double gflops;
    /** How the figure was derived, printed beside it. */
    final String basis;

    private Peak(double gflops, String basis) {
        this.gflops = gflops;
        this.basis = basis;
    }

    /** The peak for {@code dtype} ("float32" or "float64") on {@code threads} cores, or null where /proc/cpuinfo is unreadable. */
    static Peak of(String dtype, int threads) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return parse(lines, dtype, threads);
    }

    /** The peak from the lines of a /proc/cpuinfo, or null when they name no clock or no FMA. */
    static Peak parse(List<String> lines, String dtype, int threads) {
        double mhz = Double.NaN;
        String flags = "";
        for (String l : lines) {
            if (Double.isNaN(mhz) && l.startsWith("cpu MHz")) {
                mhz = Double.parseDouble(l.substring(l.indexOf(':') + 1).trim());
            } else if (flags.isEmpty() && l.startsWith("flags")) {
                flags = " " + l.substring(l.indexOf(':') + 1).trim() + " ";
            }
        }
        if (Double.isNaN(mhz) || !flags.contains(" fma ")) {
            return null;
        }
        int bits = flags.contains(" avx512f ") ? 512 : flags.contains(" avx2 ") ? 256 : 128;
        int lanes = bits / ("float32".equals(dtype) ? 32 : 64);
        double ghz = mhz / 1000;
        double peak = lanes * 2 * 2 * ghz * threads;
        String basis = String.format(Locale.ROOT, "%d lanes x 2 FMA units x 2 flops x %.3f GHz x %d thread%s", lanes, ghz,
                threads, threads == 1 ? "" : "s");
        return new Peak(peak, basis);
    }
}
