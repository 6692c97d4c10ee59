package dev.nabla.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.data.ArrayDataset;
import dev.nabla.data.Dataset;
import dev.nabla.data.Sample;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class SampleRecordTest {

    private static SampleRecord roundTrip(SampleRecord r) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(r);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (SampleRecord) in.readObject();
        }
    }

    @Test
    void labelledFloat32SampleSurvivesSerialization() throws Exception {
        float[] x = {0.1f, -2.5f, 3.25f, 1e-7f, 0f, 7f};
        // ArrayDataset holds float64: a data set that hands out float32 samples as they are
        NDArray all = NDArray.of(x, 2, 3);
        Dataset ds = new Dataset() {
            @Override
            public int size() {
                return 2;
            }

            @Override
            public Sample get(int i) {
                return Sample.of(all.slice(0, i, i + 1).reshape(3), i == 0 ? 4 : 9);
            }
        };
        SampleRecord r = roundTrip(SampleRecord.of(ds, 1));
        assertEquals(1, r.index());
        Sample s = r.toSample();
        assertEquals(9, s.label());
        assertEquals(DType.FLOAT32, s.x().dtype());
        assertArrayEquals(new int[] {3}, s.x().shape());
        assertArrayEquals(new float[] {1e-7f, 0f, 7f}, s.x().toFloatArray());
    }

    @Test
    void regressionFloat64SampleSurvivesSerialization() throws Exception {
        double[] x = {Math.PI, -Math.E, 1.0 / 3, 2, 5, 8};
        double[] y = {0.5, -0.25};
        ArrayDataset ds = ArrayDataset.of(NDArray.of(x, 2, 3), NDArray.of(y, 2, 1));
        Sample s = roundTrip(SampleRecord.of(ds, 0)).toSample();
        assertArrayEquals(new double[] {Math.PI, -Math.E, 1.0 / 3}, s.x().toArray());
        assertArrayEquals(new double[] {0.5}, s.target().toArray());
        assertArrayEquals(new int[] {1}, s.target().shape());
    }
}
