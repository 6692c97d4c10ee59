package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BatchNorm's {@code num_batches_tracked} is an INT64 0-d buffer as in PyTorch: counted exactly in
 * long arithmetic, kept int64 by {@code Module.to}, through the state dict and safetensors (I64),
 * loaded from a PyTorch checkpoint, and converted from the float count of an old Nabla checkpoint.
 */
class NumBatchesTrackedTest {

    @TempDir
    Path dir;

    private static void trainStep(BatchNorm1d bn, long seed) {
        bn.train();
        bn.forward(new Variable(NDArray.randn(new Random(seed), 6, 4).astype(bn.runningMean().dtype())));
    }

    @Test
    void countsExactlyAsAnInt64Scalar() {
        BatchNorm1d bn = new BatchNorm1d(4);
        NDArray c = bn.stateDict().get("num_batches_tracked");
        assertEquals(DType.INT64, c.dtype());
        assertEquals(0, c.ndim());
        for (int i = 0; i < 3; i++) {
            trainStep(bn, i);
        }
        assertEquals(3, bn.numBatchesTracked());
        bn.eval();
        bn.forward(new Variable(NDArray.randn(new Random(9), 6, 4)));
        assertEquals(3, bn.numBatchesTracked(), "evaluation does not count");
        long big = (1L << 53) + 1;
        Map<String, NDArray> state = new LinkedHashMap<>(bn.stateDict());
        state.put("num_batches_tracked", NDArray.scalarLong(big));
        bn.loadStateDict(state, true);
        trainStep(bn, 4);
        assertEquals(big + 1, bn.numBatchesTracked(), "beyond 2^53: long arithmetic, not double");
    }

    @Test
    void toFloat32KeepsTheCountInt64() {
        BatchNorm1d bn = new BatchNorm1d(4);
        bn.to(DType.FLOAT32);
        assertEquals(DType.FLOAT32, bn.runningMean().dtype());
        assertEquals(DType.INT64, bn.stateDict().get("num_batches_tracked").dtype());
        trainStep(bn, 1);
        assertEquals(1, bn.numBatchesTracked());
        bn.to(DType.FLOAT64);
        assertEquals(DType.INT64, bn.stateDict().get("num_batches_tracked").dtype());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.to(DType.INT64));
        assertTrue(e.getMessage().startsWith("Module.to: dtype int64 is not a floating-point dtype"), e.getMessage());
    }

    @Test
    void roundTripsThroughStateDictAndSafetensors() throws IOException {
        BatchNorm1d bn = new BatchNorm1d(4);
        trainStep(bn, 1);
        trainStep(bn, 2);
        Path p = dir.resolve("bn.safetensors");
        Safetensors.save(p, bn.stateDict());
        Map<String, NDArray> loaded = Safetensors.load(p);
        assertEquals(DType.INT64, loaded.get("num_batches_tracked").dtype());
        assertEquals(2, loaded.get("num_batches_tracked").itemLong());
        BatchNorm1d other = new BatchNorm1d(4);
        other.loadStateDict(loaded, true);
        assertEquals(2, other.numBatchesTracked());
        assertEquals(bn.runningMean(), other.runningMean());
    }

    @Test
    void anOldFloatCountIsConvertedOnLoad() {
        BatchNorm1d bn = new BatchNorm1d(4);
        Map<String, NDArray> state = new LinkedHashMap<>(bn.stateDict());
        state.put("num_batches_tracked", NDArray.scalar(7.0)); // what Nabla wrote before the count was int64
        bn.loadStateDict(state, true);
        assertEquals(7, bn.numBatchesTracked());
        assertEquals(DType.INT64, bn.stateDict().get("num_batches_tracked").dtype());
    }

    @Test
    void loadsPyTorchsBatchNormState() throws IOException {
        Path p = dir.resolve("convbn.safetensors");
        try (InputStream in = NumBatchesTrackedTest.class.getResourceAsStream("/dev/nabla/nn/convbn.safetensors")) {
            Files.copy(in, p);
        }
        Map<String, NDArray> all = Safetensors.load(p);
        Map<String, NDArray> bnState = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : all.entrySet()) {
            if (e.getKey().startsWith("1.")) {
                bnState.put(e.getKey().substring(2), e.getValue());
            }
        }
        assertEquals(DType.INT64, bnState.get("num_batches_tracked").dtype());
        BatchNorm2d bn = new BatchNorm2d(8);
        bn.loadStateDict(bnState, true);
        assertEquals(3, bn.numBatchesTracked(), "PyTorch's I64 count");
        assertArrayEquals(bnState.get("running_var").toArray(), bn.runningVar().toArray());
        assertEquals(bnState.get("weight"), bn.weight().data());
    }
}
