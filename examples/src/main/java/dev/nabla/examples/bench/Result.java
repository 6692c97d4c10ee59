package dev.nabla.examples.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.StringJoiner;

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

    String json() {
        double median = samples.median();
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"peer\":\"nabla\"");
        sb.append(",\"workload\":").append(Measure.str(workload));
        sb.append(",\"config\":").append(Measure.str(config));
        sb.append(",\"dtype\":").append(Measure.str(dtype));
        sb.append(",\"threads\":").append(threads);
        sb.append(",\"median_ms\":").append(Measure.num(median));
        sb.append(",\"min_ms\":").append(Measure.num(samples.min()));
        sb.append(",\"max_ms\":").append(Measure.num(samples.max()));
        sb.append(",\"unit_count\":").append(unitCount);
        sb.append(",\"unit\":").append(Measure.str(unit));
        sb.append(",\"per_unit_us\":").append(Measure.num(median * 1000.0 / unitCount));
        sb.append(",\"reps\":").append(samples.ms.length);
        sb.append(",\"inner\":").append(samples.inner);
        StringJoiner sj = new StringJoiner(",", "[", "]");
        for (double s : samples.ms) {
            sj.add(Measure.num(s));
        }
        sb.append(",\"samples_ms\":").append(sj);
        if (perS) {
            sb.append(",\"per_s\":").append(Measure.num(unitCount / (median / 1000.0)));
        }
        if (flopsPerCall > 0) {
            sb.append(",\"gflops\":").append(Measure.num(flopsPerCall / (median * 1e6)));
        }
        sb.append(",\"cpu_median_ms\":").append(Measure.num(samples.cpuMedian()));
        sb.append(",\"gemm\":").append(Measure.str(gemm));
        sb.append(",\"jvm\":").append(Measure.str(jvm()));
        sb.append(",\"heap\":").append(Measure.str(heap()));
        sb.append('}');
        return sb.toString();
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
