package dev.nabla.train.tensorboard;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One TensorBoard {@code Event} protocol buffer (TensorFlow's {@code event.proto}): the wall time
 * in seconds since the epoch (field 1), the global step (2), and what happened: the file version
 * (3, {@code "brain.Event:2"} in the first record of every file) or a summary (5, its values).
 * {@link #sourceWriter} is field 10, the writer's name, which writers put in the first record.
 * Fields that event files written by training code do not use (graphs, session logs, run metadata)
 * are skipped by the reader.
 *
 * <p>The wall time is metadata: two runs with the same seed write the same events except for the
 * wall times (and the file name, which carries the start time, host and process id).
 * Immutable and thread-safe.
 *
 * @param wallTime seconds since the Unix epoch, with a fraction
 * @param step the global step (0 when the record does not carry one)
 * @param fileVersion the file version, present only in a file's first record
 * @param sourceWriter the name of the writing library, present only in a file's first record
 * @param values the summary values (empty when the event carries no summary)
 */
public record Event(double wallTime, long step, Optional<String> fileVersion, Optional<String> sourceWriter,
        List<SummaryValue> values) {
    /** The file version every current writer puts in the first record. */
    public static final String FILE_VERSION = "brain.Event:2";

    /** Checks for nulls and copies {@code values}. */
    public Event {
        Objects.requireNonNull(fileVersion, "fileVersion");
        Objects.requireNonNull(sourceWriter, "sourceWriter");
        values = List.copyOf(values);
    }

    /** A summary event: {@code values} at {@code step}. */
    public static Event summary(double wallTime, long step, List<SummaryValue> values) {
        return new Event(wallTime, step, Optional.empty(), Optional.empty(), values);
    }

    /** The first value with tag {@code tag}, if any. */
    public Optional<SummaryValue> value(String tag) {
        for (SummaryValue v : values) {
            if (v.tag().equals(tag)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
