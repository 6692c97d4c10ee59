package dev.nabla.examples.train;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Everything a run needs besides the model: its resolved config, the run directory, where to print
 * results (stdout) and progress (stderr), whether to draw progress bars, and the directory of a
 * run to resume (or null).
 */
public final class RunContext {
    /** The resolved settings. */
    public final RunConfig config;
    /** Results and summaries go here. */
    public final PrintStream out;
    /** Progress bars go here. */
    public final PrintStream err;
    /** Whether to draw progress bars. */
    public final boolean progress;
    /** The run directory to resume from, or null for a fresh run. */
    public final Path resumeDir;

    /** A context. */
    public RunContext(RunConfig config, PrintStream out, PrintStream err, boolean progress, Path resumeDir) {
        this.config = config;
        this.out = out;
        this.err = err;
        this.progress = progress;
        this.resumeDir = resumeDir;
    }

    /** The run directory (outputs). */
    public Path dir() {
        return config.outDir;
    }

    /** A copy with another config (sub-runs of a study). */
    public RunContext with(RunConfig c) {
        return new RunContext(c, out, err, progress, null);
    }

    /** A copy that prints nothing on stdout/stderr except through {@code quietOut} (sub-runs of a study). */
    public RunContext quiet(RunConfig c, PrintStream quietOut) {
        return new RunContext(c, quietOut, err, false, null);
    }
}
