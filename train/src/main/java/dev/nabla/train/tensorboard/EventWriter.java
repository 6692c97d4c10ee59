package dev.nabla.train.tensorboard;

import dev.nabla.ndarray.NDArray;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
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
 * default exponential buckets (or explicit edges), trimmed and summed as PyTorch does (see
 * {@code Histograms}).
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

    /** Writes {@code value} in a summary event at {@code step}, timed by the clock. */
    synchronized void addSummary(long step, SummaryValue value) throws IOException {
        write(Event.summary(seconds(clock.instant()), step, List.of(value)));
    }

    /** Writes {@code event} as it is (its wall time included): for events this class has no method for. */
    public synchronized void addEvent(Event event) throws IOException {
        write(event);
    }

    private void write(Event event) throws IOException {
        if (closed) {
            throw new IllegalStateException("EventWriter: the writer of " + file + " is closed; open a new one");
        }
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
