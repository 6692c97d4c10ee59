package dev.nabla.train.tensorboard;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event file names as TensorBoard's (and so PyTorch's) {@code EventFileWriter} makes them:
 * {@code events.out.tfevents.<seconds, 10 digits>.<hostname>.<pid>.<n>}, where {@code n} counts the
 * files this process has opened, from 0. TensorBoard finds files by the {@code tfevents} part and
 * reads the files of one directory in name order. Thread-safe (the counter is atomic).
 */
final class EventFileName {
    private static final AtomicLong UID = new AtomicLong();

    private EventFileName() {}

    /** The next file name for a writer started at {@code epochSeconds}. */
    static String next(long epochSeconds) {
        return String.format("events.out.tfevents.%010d.%s.%d.%d", epochSeconds, Host.NAME, ProcessHandle.current().pid(),
                UID.getAndIncrement());
    }

    /** The host name, looked up once (Python's {@code socket.gethostname()}), made safe for a file name. */
    private static final class Host {
        static final String NAME = lookup();

        private static String lookup() {
            String name;
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException | SecurityException e) {
                name = "localhost";
            }
            String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
            return safe.isEmpty() ? "localhost" : safe;
        }
    }
}
