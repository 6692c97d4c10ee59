package dev.nabla.data;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Draws mini-batches from a {@link Dataset}: batch size, per-epoch shuffling, {@code dropLast},
 * collation into NDArray batches, an optional {@link Augmentation} and optional background
 * prefetching.
 *
 * <p>Reproducible and resumable: the order of epoch {@code e} is a permutation drawn from a
 * generator derived from {@code (seed, e)} alone, and the augmentation of batch {@code b} of
 * epoch {@code e} from {@code (seed, e, b)} alone. So {@code epoch(e)} gives bitwise the same
 * batches whenever it is called, with or without prefetch, and a run resumed at epoch {@code e}
 * (or at batch {@code b} of it, {@link #epoch(int, int)}) sees exactly what the uninterrupted run saw.
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(train).batchSize(100).shuffle(true).seed(42).build();
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (Batch b : loader.epoch(epoch)) { ... b.x() ... b.labels() ... }
 * }
 * }</pre>
 * Not thread-safe: iterate it from one thread at a time. With prefetching it runs a daemon thread
 * per epoch that reads the dataset (and runs the augmentation), so those must be safe to use from
 * another thread, as {@link ArrayDataset} is.
 */
public final class DataLoader implements Iterable<Batch>, AutoCloseable {
    private static final long SHUFFLE_STREAM = 1;
    private static final long AUGMENT_STREAM = 2;
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Object END = new Object();

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final int prefetch;
    private final Augmentation augmentation;
    private final DType dtype;
    private final int numBatches;
    private final Set<AtomicBoolean> running = ConcurrentHashMap.newKeySet();
    private int nextEpoch;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.prefetch = b.prefetch;
        this.augmentation = b.augmentation;
        this.dtype = b.dtype;
        int n = dataset.size();
        this.numBatches = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** A builder over {@code dataset}; defaults: batch size 1, no shuffle, seed 0, keep the last partial batch, no prefetch. */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /** A loader in dataset order (evaluation), keeping the last partial batch. */
    public static DataLoader of(Dataset dataset, int batchSize) {
        return builder(dataset).batchSize(batchSize).build();
    }

    /** A loader that reshuffles every epoch from {@code seed} (training), keeping the last partial batch. */
    public static DataLoader shuffled(Dataset dataset, int batchSize, long seed) {
        return builder(dataset).batchSize(batchSize).shuffle(true).seed(seed).build();
    }

    /** The dataset batches are drawn from. */
    public Dataset dataset() {
        return dataset;
    }

    /** The number of samples per batch (the last batch may be smaller unless {@code dropLast}). */
    public int batchSize() {
        return batchSize;
    }

    /** The number of batches in one epoch. */
    public int numBatches() {
        return numBatches;
    }

    /** The number of samples one epoch visits ({@code size} or, with {@code dropLast}, a multiple of the batch size). */
    public int samplesPerEpoch() {
        return dropLast ? numBatches * batchSize : dataset.size();
    }

    /** The order in which epoch {@code epoch} visits the dataset: a permutation of {@code 0..size-1}. */
    public int[] order(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("DataLoader.epoch: epoch must be >= 0 but got " + epoch);
        }
        int n = dataset.size();
        if (shuffle) {
            return Shuffle.permutation(n, Seeds.random(seed, SHUFFLE_STREAM, epoch, 0));
        }
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        return o;
    }

    /** The batches of epoch {@code epoch}; iterating it twice gives the same batches. */
    public Iterable<Batch> epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /** The batches of epoch {@code epoch} from batch {@code fromBatch} on, to resume inside an epoch. */
    public Iterable<Batch> epoch(int epoch, int fromBatch) {
        if (fromBatch < 0 || fromBatch > numBatches) {
            throw new IllegalArgumentException("DataLoader.epoch: fromBatch must be in [0, " + numBatches
                    + "] but got " + fromBatch);
        }
        int[] order = order(epoch);
        return () -> prefetch > 0 ? new PrefetchIterator(this, order, epoch, fromBatch)
                : new SerialIterator(this, order, epoch, fromBatch);
    }

    /**
     * The batches of the next epoch: the first call iterates epoch 0, the next epoch 1, and so on
     * (see {@link #setEpoch}). This makes {@code for (Batch b : loader)} work like PyTorch's loop.
     */
    @Override
    public Iterator<Batch> iterator() {
        return epoch(nextEpoch++).iterator();
    }

    /** Sets the epoch that the next {@link #iterator()} call iterates (to resume a run). */
    public void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("DataLoader.setEpoch: epoch must be >= 0 but got " + epoch);
        }
        nextEpoch = epoch;
    }

    /** The epoch that the next {@link #iterator()} call iterates. */
    public int nextEpoch() {
        return nextEpoch;
    }

    /** Stops every background prefetch thread of this loader; iteration without prefetch is unaffected. */
    @Override
    public void close() {
        for (AtomicBoolean c : running) {
            c.set(true);
        }
        running.clear();
    }

    /** Batch {@code b} of an epoch with the given order: collated, augmented, then converted to the loader's dtype. */
    Batch build(int[] order, int epoch, int b) {
        Batch batch = augmented(order, epoch, b);
        if (dtype == DType.FLOAT64) {
            return batch;
        }
        return new Batch(batch.x().astype(dtype), batch.hasLabels() ? batch.labels() : null,
                batch.hasLabels() ? null : batch.targets().astype(dtype), batch.indices());
    }

    private Batch augmented(int[] order, int epoch, int b) {
        int from = b * batchSize;
        int to = Math.min(from + batchSize, order.length);
        Batch batch = dataset instanceof ArrayDataset
                ? ((ArrayDataset) dataset).batch(order, from, to)
                : collate(dataset, order, from, to);
        if (augmentation == null) {
            return batch;
        }
        Random rng = Seeds.random(seed, AUGMENT_STREAM, epoch, b);
        NDArray x = batch.x();
        int m = batch.size();
        int[] sampleShape = Arrays.copyOfRange(x.shape(), 1, x.ndim());
        int sampleSize = Shapes.size(sampleShape);
        double[] in = x.toArray();
        double[] out = new double[m * sampleSize];
        for (int j = 0; j < m; j++) {
            NDArray xj = NDArray.of(Arrays.copyOfRange(in, j * sampleSize, (j + 1) * sampleSize), sampleShape);
            NDArray yj = augmentation.apply(xj, rng);
            if (!yj.hasShape(sampleShape)) {
                throw new IllegalStateException("DataLoader: the augmentation changed a sample's shape from "
                        + Shapes.str(sampleShape) + " to " + Shapes.str(yj.shape())
                        + "; samples in a batch must keep one shape");
            }
            double[] v = yj.toArray();
            System.arraycopy(v, 0, out, j * sampleSize, sampleSize);
        }
        return new Batch(NDArray.of(out, x.shape()), batch.hasLabels() ? batch.labels() : null,
                batch.hasLabels() ? null : batch.targets(), batch.indices());
    }

    /** Collates samples of any dataset: all inputs (and targets) must share one shape. */
    static Batch collate(Dataset ds, int[] order, int from, int to) {
        int m = to - from;
        int[] idx = Arrays.copyOfRange(order, from, to);
        Sample first = ds.get(idx[0]);
        int[] xs = first.x().shape();
        int xSize = Shapes.size(xs);
        boolean labeled = first.hasLabel();
        int[] ts = labeled ? null : first.target().shape();
        int tSize = labeled ? 0 : Shapes.size(ts);
        double[] bx = new double[m * xSize];
        int[] bl = labeled ? new int[m] : null;
        double[] bt = labeled ? null : new double[m * tSize];
        for (int j = 0; j < m; j++) {
            Sample s = j == 0 ? first : ds.get(idx[j]);
            if (!s.x().hasShape(xs)) {
                throw new IllegalStateException("DataLoader: sample " + idx[j] + " has x of shape "
                        + Shapes.str(s.x().shape()) + " but sample " + idx[0] + " in the same batch has "
                        + Shapes.str(xs) + "; all samples must have one shape to be stacked into a batch");
            }
            System.arraycopy(s.x().toArray(), 0, bx, j * xSize, xSize);
            if (s.hasLabel() != labeled) {
                throw new IllegalStateException("DataLoader: sample " + idx[j] + (s.hasLabel() ? " has a class label"
                        : " has a target array") + " but sample " + idx[0] + (labeled ? " has a class label"
                        : " has a target array") + "; a dataset must use one kind throughout");
            }
            if (labeled) {
                bl[j] = s.label();
            } else {
                if (!s.target().hasShape(ts)) {
                    throw new IllegalStateException("DataLoader: sample " + idx[j] + " has a target of shape "
                            + Shapes.str(s.target().shape()) + " but sample " + idx[0] + " has " + Shapes.str(ts)
                            + "; all targets must have one shape to be stacked into a batch");
                }
                System.arraycopy(s.target().toArray(), 0, bt, j * tSize, tSize);
            }
        }
        return new Batch(NDArray.of(bx, withLeading(m, xs)), bl,
                labeled ? null : NDArray.of(bt, withLeading(m, ts)), idx);
    }

    private static int[] withLeading(int n, int[] s) {
        int[] out = new int[s.length + 1];
        out[0] = n;
        System.arraycopy(s, 0, out, 1, s.length);
        return out;
    }

    /** Builds batches on the calling thread. */
    private static final class SerialIterator implements Iterator<Batch> {
        private final DataLoader loader;
        private final int[] order;
        private final int epoch;
        private int next;

        SerialIterator(DataLoader loader, int[] order, int epoch, int from) {
            this.loader = loader;
            this.order = order;
            this.epoch = epoch;
            this.next = from;
        }

        @Override
        public boolean hasNext() {
            return next < loader.numBatches;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("DataLoader: epoch " + epoch + " has only " + loader.numBatches
                        + " batches");
            }
            return loader.build(order, epoch, next++);
        }
    }

    /** Creates the cleaner (and its thread) only when prefetch is first used. */
    private static final class CleanerHolder {
        static final Cleaner CLEANER = Cleaner.create();
    }

    /** A failure of the prefetch thread, handed to the consumer. */
    private static final class Failure {
        final Throwable error;

        Failure(Throwable error) {
            this.error = error;
        }
    }

    /**
     * Builds batches on one background thread, at most {@code prefetch} ahead, in the same order
     * as {@link SerialIterator}. The thread stops at the end of the epoch, on {@link DataLoader#close()},
     * or once this iterator is abandoned and garbage-collected (it holds no reference to the iterator).
     */
    private static final class PrefetchIterator implements Iterator<Batch> {
        private final BlockingQueue<Object> queue;
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final Set<AtomicBoolean> running;
        private Object pending;
        private boolean done;

        PrefetchIterator(DataLoader loader, int[] order, int epoch, int from) {
            this.queue = new ArrayBlockingQueue<>(loader.prefetch);
            this.running = loader.running;
            running.add(cancelled);
            Thread t = new Thread(producer(loader, order, epoch, from, queue, cancelled),
                    "nabla-dataloader-prefetch-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            CleanerHolder.CLEANER.register(this, canceller(cancelled));
            t.start();
        }

        private static Runnable canceller(AtomicBoolean flag) {
            return () -> flag.set(true);
        }

        private static Runnable producer(DataLoader loader, int[] order, int epoch, int from,
                                         BlockingQueue<Object> queue, AtomicBoolean cancelled) {
            return () -> {
                try {
                    for (int b = from; b < loader.numBatches && !cancelled.get(); b++) {
                        Object item;
                        try {
                            item = loader.build(order, epoch, b);
                        } catch (Throwable e) {
                            put(queue, new Failure(e), cancelled);
                            return;
                        }
                        if (!put(queue, item, cancelled)) {
                            return;
                        }
                    }
                    put(queue, END, cancelled);
                } finally {
                    loader.running.remove(cancelled);
                }
            };
        }

        private static boolean put(BlockingQueue<Object> queue, Object item, AtomicBoolean cancelled) {
            try {
                while (!cancelled.get()) {
                    if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                }
            } catch (InterruptedException e) {
                cancelled.set(true);
            }
            return false;
        }

        @Override
        public boolean hasNext() {
            if (done) {
                return false;
            }
            if (pending == null) {
                if (cancelled.get() && queue.isEmpty()) {
                    done = true;
                    throw new IllegalStateException("DataLoader: this epoch's prefetch was stopped by DataLoader.close()");
                }
                try {
                    Object item = queue.poll(50, TimeUnit.MILLISECONDS);
                    while (item == null) {
                        if (cancelled.get() && queue.isEmpty()) {
                            done = true;
                            throw new IllegalStateException(
                                    "DataLoader: this epoch's prefetch was stopped by DataLoader.close()");
                        }
                        item = queue.poll(50, TimeUnit.MILLISECONDS);
                    }
                    pending = item;
                } catch (InterruptedException e) {
                    cancelled.set(true);
                    Thread.currentThread().interrupt();
                    done = true;
                    throw new IllegalStateException("DataLoader: interrupted while waiting for a prefetched batch", e);
                }
            }
            if (pending == END) {
                pending = null;
                done = true;
                running.remove(cancelled);
                return false;
            }
            if (pending instanceof Failure) {
                done = true;
                running.remove(cancelled);
                Throwable e = ((Failure) pending).error;
                pending = null;
                if (e instanceof RuntimeException) {
                    throw (RuntimeException) e;
                }
                if (e instanceof Error) {
                    throw (Error) e;
                }
                throw new IllegalStateException("DataLoader: the prefetch thread failed", e);
            }
            return true;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("DataLoader: no more batches in this epoch");
            }
            Batch b = (Batch) pending;
            pending = null;
            return b;
        }
    }

    /**
     * Options of a {@link DataLoader}.
     * Not thread-safe: confine a builder to one thread.
     */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private int prefetch;
        private Augmentation augmentation;
        private DType dtype = DType.FLOAT64;

        private Builder(Dataset dataset) {
            if (dataset == null) {
                throw new IllegalArgumentException("DataLoader: dataset must not be null");
            }
            this.dataset = dataset;
        }

        /** Samples per batch, {@code > 0}. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Whether each epoch visits the samples in a fresh random order (derived from the seed and the epoch). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** The seed of shuffling and augmentation. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether to drop the last batch when it is smaller than the batch size. */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * Builds up to {@code depth} batches ahead on one background thread ({@code 0}: off, the default).
         * The batches and their order are the same as without prefetch. The dataset must allow
         * {@code get} from that thread (an {@link ArrayDataset} does).
         */
        public Builder prefetch(int depth) {
            this.prefetch = depth;
            return this;
        }

        /**
         * The dtype of the batches' inputs and targets (default float64). Samples are collated and
         * augmented in float64, then rounded once to float32 — on the prefetch thread when prefetch
         * is on — so a float32 model gets float32 batches without converting them itself.
         */
        public Builder dtype(DType dtype) {
            if (dtype == null) {
                throw new IllegalArgumentException("DataLoader: dtype must not be null (DType.FLOAT64 or DType.FLOAT32)");
            }
            this.dtype = dtype;
            return this;
        }

        /** A random transformation applied to every sample's input (training-time augmentation), or {@code null}. */
        public Builder augmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        /** The loader; fails on a non-positive batch size, an empty dataset, or options that give no batch. */
        public DataLoader build() {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("DataLoader: batchSize should be a positive integer value, but got batchSize="
                        + batchSize);
            }
            if (prefetch < 0) {
                throw new IllegalArgumentException("DataLoader: prefetch depth must be >= 0 (0 turns prefetch off) but got "
                        + prefetch);
            }
            int n = dataset.size();
            if (n == 0) {
                throw new IllegalArgumentException("DataLoader: the dataset is empty (size 0); there is nothing to batch");
            }
            if (dropLast && n < batchSize) {
                throw new IllegalArgumentException("DataLoader: dropLast=true with batchSize=" + batchSize
                        + " and a dataset of " + n + " samples gives no batch at all; use a batch size <= " + n
                        + " or dropLast(false)");
            }
            return new DataLoader(this);
        }
    }
}
