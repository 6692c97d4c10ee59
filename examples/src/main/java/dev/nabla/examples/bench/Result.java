package dev.nabla.examples.bench;

import dev.nabla.ndarray.io.JsonWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One measurement, printed as one JSON line in the schema of examples/BENCHMARKS.md. */
final class Result {
    final String workload;
    final String config;
    final int threads;
    final Measure.Samples samples;
    final int unitCount;
    final String unit;
    final boolean perS;
    final double flopsPerCall;
    String gemm;
    /** The element type measured (float64 unless set). */
    String dtype = "float64";

    Result(String workload, String config, int threads, Measure.Samples samples, int unitCount, String unit,
           boolean perS, double flopsPerCall, String gemm) {
        this.workload = workload;
        this.config = config;
        this.threads = threads;
        this.samples = samples;
        this.unitCount = unitCount;
        this.unit = unit;
        this.perS = perS;
        this.flopsPerCall = flopsPerCall;
        this.gemm = gemm;
    }

    /** The measurement as one line of JSON (through the project's one {@link JsonWriter}). */
    String json() {
        double median = samples.median();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peer", "nabla");
        m.put("workload", workload);
        m.put("config", config);
        m.put("dtype", dtype);
        m.put("threads", threads);
        m.put("median_ms", Measure.round6(median));
        m.put("min_ms", Measure.round6(samples.min()));
        m.put("max_ms", Measure.round6(samples.max()));
        m.put("unit_count", unitCount);
        m.put("unit", unit);
        m.put("per_unit_us", Measure.round6(median * 1000.0 / unitCount));
        m.put("reps", samples.ms.length);
        m.put("inner", samples.inner);
        List<Double> ms = new ArrayList<>();
        for (double s : samples.ms) {
            ms.add(Measure.round6(s));
        }
        m.put("samples_ms", ms);
        if (perS) {
            m.put("per_s", Measure.round6(unitCount / (median / 1000.0)));
        }
        if (flopsPerCall > 0) {
            double gflops = flopsPerCall / (median * 1e6);
            m.put("gflops", Measure.round6(gflops));
            Peak peak = Peak.of(dtype, threads);
            if (peak != null) {
                m.put("peak_gflops", Measure.round6(peak.gflops));
                m.put("peak_fraction", Measure.round6(gflops / peak.gflops));
                m.put("cpu_peak_fraction", Measure.round6(flopsPerCall / (samples.cpuMedian() * 1e6) / (peak.gflops / threads)));
                m.put("peak_basis", peak.basis);
            }
        }
        m.put("alloc_bytes_per_call", samples.allocPerCall);
        m.put("cpu_median_ms", Measure.round6(samples.cpuMedian()));
        m.put("gemm", gemm);
        m.put("jvm", jvm());
        m.put("heap", heap());
        return JsonWriter.write(m);
    }

    /** VM name, version and the JVM options it was started with. */
    static String jvm() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")
                + " " + String.join(" ", args.stream().filter(a -> !a.startsWith("-Dclassworlds")
                        && !a.startsWith("-Dmaven.") && !a.startsWith("-Dlibrary.jansi")).toArray(String[]::new));
    }

    /** The heap limits in effect. */
    static String heap() {
        Runtime rt = Runtime.getRuntime();
        return "max " + (rt.maxMemory() >> 20) + " MiB, committed " + (rt.totalMemory() >> 20) + " MiB";
    }
}
