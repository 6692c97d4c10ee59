package dev.nabla.distributed;

import dev.nabla.data.Dataset;
import dev.nabla.data.Sample;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.io.Serializable;

/**
 * One sample of a data set as it travels to and lives on a Spark executor: its position in the
 * data set, its input (float32 inputs as {@code float[]}, every other dtype as {@code double[]},
 * which holds float32 and integers below 2^53 exactly) with its shape, and its class label or
 * target array. {@link Sample} and {@link NDArray} are not serializable; this is their wire form.
 * Immutable once built (the arrays are not handed out) and thread-safe.
 */
public final class SampleRecord implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final int[] shape;
    private final DType dtype;
    private final float[] xFloat;
    private final double[] xDouble;
    private final int label;
    private final int[] targetShape;
    private final DType targetDtype;
    private final double[] target;

    private SampleRecord(int index, Sample s) {
        this.index = index;
        NDArray x = s.x();
        this.shape = x.shape();
        this.dtype = x.dtype();
        this.xFloat = dtype == DType.FLOAT32 ? x.toFloatArray() : null;
        this.xDouble = dtype == DType.FLOAT32 ? null : x.toArray();
        if (s.hasLabel()) {
            this.label = s.label();
            this.targetShape = null;
            this.targetDtype = null;
            this.target = null;
        } else {
            this.label = -1;
            this.targetShape = s.target().shape();
            this.targetDtype = s.target().dtype();
            this.target = s.target().toArray();
        }
    }

    /** The wire form of sample {@code index} of {@code data}. */
    public static SampleRecord of(Dataset data, int index) {
        Dataset.checkIndex("SampleRecord.of", index, data.size());
        return new SampleRecord(index, data.get(index));
    }

    /** The sample's position in its data set. */
    public int index() {
        return index;
    }

    /** The sample again, with the dtype and shape it had. */
    public Sample toSample() {
        NDArray x = xFloat != null ? NDArray.of(xFloat.clone(), shape) : NDArray.of(xDouble.clone(), shape);
        if (xFloat == null && dtype != DType.FLOAT64) {
            x = x.astype(dtype);
        }
        if (target == null) {
            return Sample.of(x, label);
        }
        NDArray t = NDArray.of(target.clone(), targetShape);
        return Sample.of(x, targetDtype == DType.FLOAT64 ? t : t.astype(targetDtype));
    }
}
