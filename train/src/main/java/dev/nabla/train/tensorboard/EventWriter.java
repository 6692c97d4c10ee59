package dev.nabla.train.tensorboard;

import dev.nabla.ndarray.NDArray;
import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a TensorBoard event file, as PyTorch's {@code torch.utils.tensorboard.SummaryWriter} does:
 * one file per writer in the log directory, named
 * {@code events.out.tfevents.<seconds>.<hostname>.<pid>.<n>}, whose first record is the file
 * version {@code "brain.Event:2"}; then one record per call. Point {@code tensorboard --logdir} at
 * the directory (or its parent, for several runs).
 *
 * <p>What each method writes follows PyTorch's {@code SummaryWriter}: {@link #addScalar} a
 * {@code simple_value} (float32); {@link #addHistogram} a {@code HistogramProto} over TensorFlow's
 * default exponential buckets (or explicit edges), trimmed and summed as PyTorch does;
 * {@link #addImage} a PNG; {@link #addText} a string tensor for the text plugin;
 * {@link #addHparams} the hparams plugin's three summaries in a run of their own.
 *
 * <p>Records are encoded whole and buffered; the buffer goes to the file (the operating system) at
 * {@link #flush()}, at {@link #close()}, when it holds 1 MiB, and on the first call after
 * {@link #FLUSH_INTERVAL_NANOS} (two minutes, PyTorch's {@code flush_secs}) since the last flush, so
 * that TensorBoard, which reads files while they grow, only ever sees whole records after a flush.
 * There is no background thread: a record written and then left alone reaches the file at the
 * next flush or close.
 *
 * <p>Wall times come from the {@link Clock} given at {@link #open(Path, Clock)} (the system clock by
 * default). They are metadata: two runs with the same seed write the same records except for the
 * wall times and the file name; with a fixed clock the records are bitwise equal.
 *
 * <p>Thread-safe: every method is {@code synchronized}, so threads can log to one writer and each
 * record stays whole.
 */
public final class EventWriter implements Closeable {
    /** The writer's name in the first record's {@code source_metadata}. */
    public static final String SOURCE_WRITER = "dev.nabla.train.tensorboard.EventWriter";
    /** Longest time records wait in the buffer before the next call flushes them: 120 s, PyTorch's default. */
    public static final long FLUSH_INTERVAL_NANOS = 120_000_000_000L;
    private static final int FLUSH_BYTES = 1 << 20;

    private final Path logDir;
    private final Path file;
    private final Clock clock;
    private final FileChannel channel;
    private byte[] pending = new byte[1 << 12];
    private int pendingSize;
    private long lastFlush = System.nanoTime();
    private boolean closed;

    private EventWriter(Path logDir, Clock clock) throws IOException {
        this.logDir = logDir;
        this.clock = clock;
        if (Files.exists(logDir) && !Files.isDirectory(logDir)) {
            throw new FileAlreadyExistsException(logDir.toString(), null,
                    "EventWriter.open: the log directory exists and is not a directory; pick another path");
        }
        Files.createDirectories(logDir);
        double now = seconds(clock.instant());
        this.file = logDir.resolve(EventFileName.next((long) Math.floor(now)));
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            write(new Event(now, 0, Optional.of(Event.FILE_VERSION), Optional.of(SOURCE_WRITER), List.of()));
            flush();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Opens a new event file in {@code logDir} (created if needed), with wall times from the system clock. */
    public static EventWriter open(Path logDir) throws IOException {
        return open(logDir, Clock.systemUTC());
    }

    /** Opens a new event file in {@code logDir} (created if needed), with wall times from {@code clock}. */
    public static EventWriter open(Path logDir, Clock clock) throws IOException {
        return new EventWriter(logDir, clock);
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    /** The log directory. */
    public Path logDir() {
        return logDir;
    }

    /** The event file this writer writes. */
    public Path file() {
        return file;
    }

    /** The clock wall times come from. */
    Clock clock() {
        return clock;
    }

    /**
     * Logs {@code value} under {@code tag} at {@code step}, as a float32 {@code simple_value} (what
     * TensorBoard stores; values beyond float range become infinities, NaN stays NaN).
     */
    public synchronized void addScalar(String tag, double value, long step) throws IOException {
        checkTag("addScalar", tag);
        addSummary(step, SummaryValue.scalar(tag, (float) value));
    }

    /** Logs a histogram of every element of {@code values} (any shape, any dtype), over the default buckets. */
    public synchronized void addHistogram(String tag, NDArray values, long step) throws IOException {
        checkTag("addHistogram", tag);
        addHistogram(tag, values.toArray(), step);
    }

    /**
     * Logs a histogram of {@code values} over TensorFlow's default exponential buckets (edges
     * {@code ±1e-12 · 1.1^k} below {@code 1e20}, and 0), as PyTorch's {@code add_histogram} with its
     * default {@code bins="tensorflow"}. Every value must be finite.
     */
    public synchronized void addHistogram(String tag, double[] values, long step) throws IOException {
        checkTag("addHistogram", tag);
        addSummary(step, new SummaryValue(tag, Optional.empty(), Histograms.of("addHistogram", tag, values)));
    }

    /**
     * Logs a histogram of {@code values} counted into the buckets between consecutive {@code edges}
     * (strictly increasing; NumPy's {@code np.histogram(values, bins=edges)} rule, as PyTorch's
     * {@code add_histogram(bins=edges)}), trimmed to the non-empty range as PyTorch trims.
     */
    public synchronized void addHistogram(String tag, double[] values, double[] edges, long step) throws IOException {
        checkTag("addHistogram", tag);
        addSummary(step, new SummaryValue(tag, Optional.empty(), Histograms.of("addHistogram", tag, values, edges.clone())));
    }

    /**
     * Logs {@code image}, channel-height-width ({@code "CHW"}, PyTorch's default for
     * {@code add_image}), as a PNG; see {@link #addImage(String, NDArray, String, long)}.
     */
    public synchronized void addImage(String tag, NDArray image, long step) throws IOException {
        addImage(tag, image, "CHW", step);
    }

    /**
     * Logs {@code image} as a PNG, as PyTorch's {@code add_image(tag, img, step, dataformats=...)}:
     * {@code dataFormats} is {@code "CHW"}, {@code "HWC"} or {@code "HW"} (grayscale), with 1
     * (gray), 3 (RGB) or 4 (RGBA) channels. Values are PyTorch's floating-point convention, 0 to 1:
     * each is multiplied by 255 in float32, clipped to [0, 255] and truncated to a byte, as PyTorch
     * does for float tensors (Nabla has no uint8 dtype: scale 0-255 data by 1/255 first). NaN is
     * refused. The summary carries height, width, colorspace (= channels) and the PNG bytes.
     */
    public synchronized void addImage(String tag, NDArray image, String dataFormats, long step) throws IOException {
        checkTag("addImage", tag);
        addSummary(step, new SummaryValue(tag, Optional.empty(), Images.toPng(tag, image, dataFormats)));
    }

    /**
     * Logs {@code text} (Markdown, as TensorBoard renders it) for the text plugin, as PyTorch's
     * {@code add_text}: tag {@code tag + "/text_summary"}, a rank-1 {@code DT_STRING} tensor of the
     * UTF-8 bytes, metadata plugin {@code "text"} with an empty {@code TextPluginData} (version 0).
     */
    public synchronized void addText(String tag, String text, long step) throws IOException {
        checkTag("addText", tag);
        if (text == null) {
            throw new IllegalArgumentException("EventWriter.addText('" + tag + "'): the text is null; log \"\" for an empty note");
        }
        addSummary(step, new SummaryValue(tag + "/text_summary", Optional.of(new PluginData("text", new byte[0])),
                Payload.Tensor.text(text)));
    }

    /**
     * Logs one training session's hyperparameters and final metrics for TensorBoard's HParams tab,
     * as PyTorch's {@code add_hparams(hparam_dict, metric_dict)}: into a new run, a subdirectory of
     * this writer's directory named after the current wall time in seconds, at step 0. See
     * {@link #addHparams(Map, Map, String, long)}.
     *
     * @return the run directory written
     */
    public synchronized Path addHparams(Map<String, ?> hparams, Map<String, ? extends Number> metrics) throws IOException {
        return addHparams(hparams, metrics, BigDecimal.valueOf(seconds(clock.instant())).toPlainString(), 0);
    }

    /**
     * Logs one session's hyperparameters and final metrics, as PyTorch's
     * {@code add_hparams(hparam_dict, metric_dict, run_name=runName, global_step=step)}: a new event
     * file in {@code logDir()/runName} gets the experiment, session-start and session-end summaries
     * (see {@link HParams}) and then each metric as a scalar, all at {@code step}. Hyperparameter
     * values are {@link Number}s (written as doubles), {@link String}s or {@link Boolean}s (written as
     * booleans: PyTorch writes Python's bools as numbers only because {@code bool} is an {@code int}
     * there); null values are skipped, as PyTorch skips None. Maps are written in their iteration
     * order: pass a {@link java.util.LinkedHashMap} or {@link java.util.TreeMap} for a reproducible file.
     *
     * @return the run directory written
     */
    public synchronized Path addHparams(Map<String, ?> hparams, Map<String, ? extends Number> metrics, String runName, long step)
            throws IOException {
        checkOpen();
        Map<String, Object> values = checkHparams(hparams, metrics);
        checkRunName(runName);
        Path run = logDir.resolve(runName);
        try (EventWriter w = EventWriter.open(run, clock)) {
            w.addSummary(step, hparamsValue(HParams.EXPERIMENT_TAG, HParams.experiment(values, metrics.keySet())));
            w.addSummary(step, hparamsValue(HParams.SESSION_START_INFO_TAG, HParams.sessionStart(values)));
            w.addSummary(step, hparamsValue(HParams.SESSION_END_INFO_TAG, HParams.sessionEnd()));
            for (Map.Entry<String, ? extends Number> m : metrics.entrySet()) {
                w.addScalar(m.getKey(), m.getValue().doubleValue(), step);
            }
        }
        return run;
    }

    private static SummaryValue hparamsValue(String tag, byte[] content) {
        return new SummaryValue(tag, Optional.of(new PluginData(HParams.PLUGIN_NAME, content)), new Payload.Empty());
    }

    private static Map<String, Object> checkHparams(Map<String, ?> hparams, Map<String, ? extends Number> metrics) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : hparams.entrySet()) {
            Object v = e.getValue();
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new IllegalArgumentException("EventWriter.addHparams: a hyperparameter has an empty name; name each one");
            }
            if (v == null) {
                continue;
            }
            if (!(v instanceof Number || v instanceof String || v instanceof Boolean)) {
                throw new IllegalArgumentException("EventWriter.addHparams: hyperparameter '" + e.getKey() + "' is a "
                        + v.getClass().getName() + " (" + v + "); use a Number, String or Boolean (PyTorch: int, float, str, bool)");
            }
            out.put(e.getKey(), v);
        }
        for (Map.Entry<String, ? extends Number> m : metrics.entrySet()) {
            if (m.getKey() == null || m.getKey().isEmpty() || m.getValue() == null) {
                throw new IllegalArgumentException("EventWriter.addHparams: metric " + (m.getKey() == null || m.getKey().isEmpty()
                        ? "with an empty name" : "'" + m.getKey() + "' has no value") + "; give each metric a tag and a number");
            }
        }
        return out;
    }

    private static void checkRunName(String runName) {
        if (runName == null || runName.isEmpty() || runName.equals(".") || runName.equals("..")
                || runName.contains("/") || runName.contains("\\")) {
            throw new IllegalArgumentException("EventWriter.addHparams: run name " + (runName == null ? "null" : "'" + runName + "'")
                    + " is not a single directory name; use a name such as \"lr=0.1\" (it becomes a subdirectory of the log directory)");
        }
    }

    /** Writes {@code value} in a summary event at {@code step}, timed by the clock. */
    synchronized void addSummary(long step, SummaryValue value) throws IOException {
        write(Event.summary(seconds(clock.instant()), step, List.of(value)));
    }

    /** Writes {@code event} as it is (its wall time included): for events this class has no method for. */
    public synchronized void addEvent(Event event) throws IOException {
        write(event);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("EventWriter: the writer of " + file + " is closed; open a new one");
        }
    }

    private void write(Event event) throws IOException {
        checkOpen();
        byte[] record = TfRecord.frame(EventCodec.encode(event));
        if (pendingSize + record.length > pending.length) {
            flushBuffer();
        }
        if (record.length > pending.length) {
            if (record.length <= FLUSH_BYTES) {
                pending = new byte[FLUSH_BYTES];
            } else {
                writeFully(record, record.length);
                return;
            }
        }
        System.arraycopy(record, 0, pending, pendingSize, record.length);
        pendingSize += record.length;
        if (pendingSize >= FLUSH_BYTES || System.nanoTime() - lastFlush >= FLUSH_INTERVAL_NANOS) {
            flushBuffer();
        }
    }

    private void flushBuffer() throws IOException {
        writeFully(pending, pendingSize);
        pendingSize = 0;
        lastFlush = System.nanoTime();
    }

    private void writeFully(byte[] b, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, 0, n);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    /** Hands every buffered record to the file (whole records only; no {@code fsync}). */
    public synchronized void flush() throws IOException {
        if (!closed) {
            flushBuffer();
        }
    }

    /** Flushes and closes the file; later calls to {@code add*} fail, later closes do nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flushBuffer();
        } finally {
            closed = true;
            channel.close();
        }
    }

    static void checkTag(String op, String tag) {
        if (tag == null || tag.isEmpty()) {
            throw new IllegalArgumentException("EventWriter." + op + ": the tag is " + (tag == null ? "null" : "empty")
                    + "; name the series, e.g. \"train/loss\"");
        }
    }
}
