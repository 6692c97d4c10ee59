package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Batching, seeded shuffling, determinism, dropLast, prefetch equivalence and error messages. */
class DataLoaderTest {

    /** {@code n} samples of shape (2, 3) whose values encode the sample index, labels {@code i % 3}. */
    static ArrayDataset indexed(int n) {
        double[] x = new double[n * 6];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 6; j++) {
                x[i * 6 + j] = i * 10 + j;
            }
            labels[i] = i % 3;
        }
        return ArrayDataset.of(NDArray.of(x, n, 2, 3), labels);
    }

    static List<Batch> collect(Iterable<Batch> epoch) {
        List<Batch> out = new ArrayList<>();
        for (Batch b : epoch) {
            out.add(b);
        }
        return out;
    }

    static void assertSameBatches(List<Batch> a, List<Batch> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).x().shape(), b.get(i).x().shape());
            // bitwise equality of every value
            double[] xa = a.get(i).x().toArray();
            double[] xb = b.get(i).x().toArray();
            for (int j = 0; j < xa.length; j++) {
                assertEquals(Double.doubleToRawLongBits(xa[j]), Double.doubleToRawLongBits(xb[j]));
            }
            assertArrayEquals(a.get(i).indices(), b.get(i).indices());
            if (a.get(i).hasLabels()) {
                assertArrayEquals(a.get(i).labels(), b.get(i).labels());
            } else {
                assertArrayEquals(a.get(i).targets().toArray(), b.get(i).targets().toArray());
            }
        }
    }

    @Test
    void batchesStackSamplesAndCarryTheirLabels() {
        ArrayDataset d = indexed(10);
        List<Batch> batches = collect(DataLoader.of(d, 4).epoch(0));
        assertEquals(3, batches.size());
        Batch b = batches.get(1);
        assertArrayEquals(new int[] {4, 2, 3}, b.x().shape());
        assertArrayEquals(new int[] {4, 5, 6, 7}, b.indices());
        assertArrayEquals(new int[] {1, 2, 0, 1}, b.labels());
        assertEquals(52.0, b.x().get(1, 0, 2));
        assertArrayEquals(new int[] {2, 2, 3}, batches.get(2).x().shape());
    }

    @Test
    void sameSeedGivesBitwiseIdenticalBatchesAcrossTwoRuns() {
        ArrayDataset d = indexed(23);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Batch> a = collect(DataLoader.shuffled(d, 5, 1234).epoch(epoch));
            List<Batch> b = collect(DataLoader.shuffled(d, 5, 1234).epoch(epoch));
            assertSameBatches(a, b);
        }
    }

    @Test
    void epochsAndSeedsGiveDifferentOrders() {
        DataLoader loader = DataLoader.shuffled(indexed(50), 10, 7);
        int[] e0 = loader.order(0);
        int[] e1 = loader.order(1);
        assertFalse(Arrays.equals(e0, e1));
        assertFalse(Arrays.equals(e0, DataLoader.shuffled(indexed(50), 10, 8).order(0)));
        int[] identity = new int[50];
        Arrays.setAll(identity, i -> i);
        assertFalse(Arrays.equals(e0, identity));
        assertArrayEquals(identity, DataLoader.of(indexed(50), 10).order(3));
    }

    @Test
    void iteratingTheLoaderWalksThroughEpochsAndCanBeResumed() {
        DataLoader loader = DataLoader.shuffled(indexed(12), 4, 99);
        List<Batch> first = new ArrayList<>();
        loader.forEach(first::add);
        List<Batch> second = new ArrayList<>();
        loader.forEach(second::add);
        assertSameBatches(collect(loader.epoch(0)), first);
        assertSameBatches(collect(loader.epoch(1)), second);
        assertEquals(2, loader.nextEpoch());
        DataLoader resumed = DataLoader.shuffled(indexed(12), 4, 99);
        resumed.setEpoch(1);
        List<Batch> again = new ArrayList<>();
        resumed.forEach(again::add);
        assertSameBatches(second, again);
        // resuming inside an epoch gives the tail of the same epoch
        assertSameBatches(collect(loader.epoch(1)).subList(1, 3), collect(loader.epoch(1, 1)));
    }

    @Property(tries = 40)
    void everyEpochVisitsEverySampleOnceOrDropsOnlyTheTail(@ForAll @IntRange(min = 1, max = 60) int n,
                                                           @ForAll @IntRange(min = 1, max = 16) int batchSize,
                                                           @ForAll boolean dropLast,
                                                           @ForAll @IntRange(min = 0, max = 5) int epoch) {
        if (dropLast && n < batchSize) {
            return;
        }
        DataLoader loader = DataLoader.builder(indexed(n)).batchSize(batchSize).shuffle(true).seed(n * 31L + batchSize)
                .dropLast(dropLast).build();
        List<Batch> batches = collect(loader.epoch(epoch));
        int expectedBatches = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
        assertEquals(expectedBatches, batches.size());
        assertEquals(expectedBatches, loader.numBatches());
        int[] seen = new int[n];
        int total = 0;
        for (int i = 0; i < batches.size(); i++) {
            Batch b = batches.get(i);
            boolean last = i == batches.size() - 1;
            if (!last || dropLast) {
                assertEquals(batchSize, b.size());
            }
            for (int j = 0; j < b.size(); j++) {
                int idx = b.indices()[j];
                seen[idx]++;
                assertEquals(idx * 10.0, b.x().get(j, 0, 0));
                assertEquals(idx % 3, b.labels()[j]);
            }
            total += b.size();
        }
        assertEquals(loader.samplesPerEpoch(), total);
        for (int c : seen) {
            assertTrue(c <= 1);
        }
        if (!dropLast) {
            assertEquals(n, total);
        } else {
            assertEquals(n - n % batchSize, total);
        }
    }

    @Test
    void dropLastSizes() {
        ArrayDataset d = indexed(10);
        List<Batch> kept = collect(DataLoader.builder(d).batchSize(4).dropLast(false).build().epoch(0));
        List<Batch> dropped = collect(DataLoader.builder(d).batchSize(4).dropLast(true).build().epoch(0));
        assertEquals(List.of(4, 4, 2), kept.stream().map(Batch::size).collect(java.util.stream.Collectors.toList()));
        assertEquals(List.of(4, 4), dropped.stream().map(Batch::size).collect(java.util.stream.Collectors.toList()));
    }

    @Test
    void prefetchGivesTheSameBatchesInTheSameOrder() {
        ArrayDataset d = indexed(37);
        Augmentation noise = ImageAugment.gaussianNoise(0.5);
        for (int epoch = 0; epoch < 3; epoch++) {
            DataLoader plain = DataLoader.builder(d).batchSize(6).shuffle(true).seed(5).augmentation(noise).build();
            DataLoader pre = DataLoader.builder(d).batchSize(6).shuffle(true).seed(5).augmentation(noise).prefetch(2).build();
            assertSameBatches(collect(plain.epoch(epoch)), collect(pre.epoch(epoch)));
            assertSameBatches(collect(plain.epoch(epoch, 4)), collect(pre.epoch(epoch, 4)));
        }
    }

    @Test
    void augmentationIsSeededPerEpochAndBatch() {
        ArrayDataset d = indexed(8);
        DataLoader a = DataLoader.builder(d).batchSize(4).seed(3).augmentation(ImageAugment.gaussianNoise(1)).build();
        List<Batch> e0 = collect(a.epoch(0));
        assertSameBatches(e0, collect(a.epoch(0)));
        assertNotEquals(e0.get(0).x().get(0, 0, 0), collect(a.epoch(1)).get(0).x().get(0, 0, 0));
        // the noise is added around the stored values
        double diff = e0.get(0).x().get(2, 1, 1) - 24.0;
        assertTrue(Math.abs(diff) > 0 && Math.abs(diff) < 6);
    }

    @Test
    void anAbandonedOrClosedPrefetchDoesNotHang() {
        ArrayDataset d = indexed(200);
        DataLoader loader = DataLoader.builder(d).batchSize(2).prefetch(1).build();
        for (int k = 0; k < 5; k++) {
            Iterator<Batch> it = loader.epoch(k).iterator();
            assertTrue(it.hasNext());
            it.next();
        }
        loader.close();
        // after close, a new epoch starts a fresh thread and still works end to end
        assertEquals(100, collect(loader.epoch(0)).size());
    }

    @Test
    void aFailureInThePrefetchThreadReachesTheConsumer() {
        Dataset bad = new Dataset() {
            @Override
            public int size() {
                return 6;
            }

            @Override
            public Sample get(int index) {
                return Sample.of(NDArray.zeros(index == 4 ? 3 : 2), 0);
            }
        };
        DataLoader loader = DataLoader.builder(bad).batchSize(3).prefetch(2).build();
        Iterator<Batch> it = loader.epoch(0).iterator();
        assertEquals(3, it.next().size());
        IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
        assertTrue(e.getMessage().contains("sample 4 has x of shape (3,)"), e.getMessage());
    }

    @Test
    void anyDatasetIsCollatedIncludingTargets() {
        Dataset squares = new Dataset() {
            @Override
            public int size() {
                return 5;
            }

            @Override
            public Sample get(int i) {
                return Sample.of(NDArray.of(i, -i), NDArray.of((double) i * i));
            }
        };
        List<Batch> batches = collect(DataLoader.of(squares, 2).epoch(0));
        assertEquals(3, batches.size());
        assertArrayEquals(new double[] {4, 9}, batches.get(1).targets().toArray());
        assertArrayEquals(new double[] {2, -2, 3, -3}, batches.get(1).x().toArray());
        assertFalse(batches.get(1).hasLabels());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> batches.get(1).labels());
        assertTrue(e.getMessage().contains("use targets()"), e.getMessage());
        // a subset view collates the same way
        List<Batch> sub = collect(DataLoader.of(squares.subset(4, 0), 2).epoch(0));
        assertArrayEquals(new double[] {16, 0}, sub.get(0).targets().toArray());
    }

    @Test
    void clearErrors() {
        ArrayDataset d = indexed(5);
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(d).batchSize(0).build());
        assertTrue(zero.getMessage().contains("batchSize should be a positive integer value, but got batchSize=0"));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.of(d.subset(), 4));
        assertTrue(empty.getMessage().contains("dataset is empty"), empty.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(d).batchSize(8).dropLast(true).build());
        assertTrue(none.getMessage().contains("gives no batch"), none.getMessage());
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.of(d, 2).epoch(-1));
        assertTrue(neg.getMessage().contains("epoch must be >= 0"), neg.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.of(d, 2).epoch(0, 4));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(d).prefetch(-1).build());
    }

    @Test
    void augmentationThatChangesTheShapeIsReported() {
        DataLoader loader = DataLoader.builder(indexed(4)).batchSize(2)
                .augmentation(ImageAugment.randomCrop(1, 2, 0)).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> collect(loader.epoch(0)));
        assertTrue(e.getMessage().contains("changed a sample's shape from (2, 3) to (1, 2)"), e.getMessage());
    }

    @Test
    void shuffledTrainingOnSyntheticDataUsesEachSampleOncePerEpoch() {
        ArrayDataset spiral = Synthetic.spiral(new Random(0));
        DataLoader loader = DataLoader.shuffled(spiral, 30, 1);
        int[] counts = new int[3];
        for (Batch b : loader.epoch(0)) {
            for (int l : b.labels()) {
                counts[l]++;
            }
        }
        assertArrayEquals(new int[] {100, 100, 100}, counts);
    }

    /** {@code dtype(FLOAT32)}: the same batches, rounded once to float32, with or without prefetch; targets too. */
    @Test
    void float32BatchesAreTheFloat64BatchesRounded() {
        ArrayDataset d = indexed(23);
        DataLoader ref = DataLoader.builder(d).batchSize(5).shuffle(true).seed(3).build();
        for (int prefetch : new int[] {0, 2}) {
            try (DataLoader f32 = DataLoader.builder(d).batchSize(5).shuffle(true).seed(3).prefetch(prefetch)
                    .dtype(dev.nabla.ndarray.DType.FLOAT32).build()) {
                List<Batch> a = collect(ref.epoch(1));
                List<Batch> b = collect(f32.epoch(1));
                assertEquals(a.size(), b.size());
                for (int k = 0; k < a.size(); k++) {
                    assertEquals(dev.nabla.ndarray.DType.FLOAT32, b.get(k).x().dtype());
                    assertArrayEquals(a.get(k).labels(), b.get(k).labels());
                    assertTrue(b.get(k).x().equals(a.get(k).x().astype(dev.nabla.ndarray.DType.FLOAT32)));
                }
            }
        }
        NDArray x = NDArray.randn(new java.util.Random(0), 6, 2);
        NDArray t = NDArray.randn(new java.util.Random(1), 6, 1);
        Batch b = DataLoader.builder(ArrayDataset.of(x, t)).batchSize(6).dtype(dev.nabla.ndarray.DType.FLOAT32).build()
                .iterator().next();
        assertEquals(dev.nabla.ndarray.DType.FLOAT32, b.targets().dtype());
        assertEquals((float) t.getFlat(4), b.targets().getFlat(4), 0.0);
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ArrayDataset.of(x, t)).dtype(null));
    }
}
