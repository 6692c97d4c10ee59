package dev.nabla.ndarray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * An n-dimensional array of any {@link DType} (float64 by default): a shape, a dtype and
 * row-major contiguous storage. Operations return new arrays (reshape, flatten, squeeze and
 * unsqueeze return views sharing storage and version counter); the explicit in-place methods
 * ({@link #addInPlace}, {@link #set}, ...) exist for optimizers and bump {@link #version()} so that
 * autograd can detect a modified saved array.
 *
 * <p>Dtypes: a float32 array stores a {@code float[]} (no double copy) and every operation on
 * float32 inputs returns float32, each value rounded to float32. Mixing float32 and float64
 * arrays promotes to float64, except that a 0-d array does not promote an array with dimensions
 * (PyTorch's rule for zero-dim tensors); a {@code double} argument never promotes (it is rounded to
 * float32 first, as PyTorch treats a Python number). Values read out ({@link #get}, {@link #item},
 * {@link #getFlat}) are doubles for both dtypes. Float32 elementwise arithmetic, square root,
 * comparisons, max/min and copies are exact float32 operations; transcendental functions (exp,
 * log, tanh, sigmoid, sin, ...) are computed in double and rounded once, so they are within one
 * float32 ulp of the exact value (and usually correctly rounded); sums and means accumulate in
 * double and round once at the end.
 *
 * <p>Other dtypes (see {@link DType} for their storage): integer and bool arrays are exact:
 * INT64 values beyond 2^53 survive storage, {@link #astype}, shape operations, indexing and
 * safetensors untouched (read them with {@link #getLong}, {@link #toLongArray}; {@link #get}
 * returns doubles). Binary operations use {@link #resultType}, PyTorch's promotion; integer
 * arithmetic wraps; division of integers is true division and gives float64 (Nabla's default
 * float; PyTorch gives its default float, float32); a {@code double} argument with an integer or
 * bool array promotes to float64 (as a Python float promotes an integer tensor). Comparisons give
 * BOOL, {@link #argmax}/{@link #argmin} give INT64, sums of integers and bools give INT64.
 * Transcendental functions of integers and bools return float64; the half dtypes compute in
 * float32 and round back.
 * Not thread-safe for modification: the in-place methods (and {@link #set}) must not run while any
 * other thread reads or writes the array or a view of it. An array that nobody modifies may be
 * read, and used as an operand, by any number of threads; operations return new arrays.
 */
public final class NDArray {
    final int[] shape;
    /** Float64 storage, or null for a float32 array. */
    final double[] data;
    /** Float32 storage, or null for any other dtype. */
    final float[] fdata;
    /**
     * Storage of every dtype but float64 and float32 ({@code long[]}, {@code int[]},
     * {@code short[]}, {@code byte[]} or {@code boolean[]}, see {@link DType}), else null. Exactly
     * one of {@code data}, {@code fdata} and {@code xdata} is non-null.
     */
    final Object xdata;
    private final DType dtype;
    /**
     * The version counter, shared with every view of the same storage (reshape, flatten, squeeze,
     * unsqueeze). Created eagerly and final, so that views made on several threads at once all
     * share the one counter and no in-place bump is lost (a lazily created counter could be
     * replaced by a racing view).
     */
    private final int[] version;

    /** Wraps {@code data} (not copied) with {@code shape}; sizes must agree. Package-private: use {@link #of(double[], int...)}. */
    NDArray(int[] shape, double[] data) {
        this.shape = shape;
        this.data = data;
        this.fdata = null;
        this.xdata = null;
        this.dtype = DType.FLOAT64;
        this.version = new int[1];
    }

    /** Wraps float32 {@code data} (not copied) with {@code shape}; sizes must agree. */
    NDArray(int[] shape, float[] data) {
        this.shape = shape;
        this.data = null;
        this.fdata = data;
        this.xdata = null;
        this.dtype = DType.FLOAT32;
        this.version = new int[1];
    }

    /** Wraps {@code storage} (the backing array type of {@code dtype}, not copied) with {@code shape}. */
    NDArray(int[] shape, DType dtype, Object storage) {
        this.shape = shape;
        this.data = dtype == DType.FLOAT64 ? (double[]) storage : null;
        this.fdata = dtype == DType.FLOAT32 ? (float[]) storage : null;
        this.xdata = dtype == DType.FLOAT64 || dtype == DType.FLOAT32 ? null : storage;
        this.dtype = dtype;
        this.version = new int[1];
    }

    /** A view: another shape over the same storage, sharing the version counter of {@code base}. */
    private NDArray(int[] shape, NDArray base) {
        this.shape = shape;
        this.data = base.data;
        this.fdata = base.fdata;
        this.xdata = base.xdata;
        this.dtype = base.dtype;
        this.version = base.version;
    }

    void bumpVersion() {
        version[0]++;
    }

    /** The backing array, whatever the dtype. */
    Object storage() {
        return data != null ? data : fdata != null ? fdata : xdata;
    }

    // ---------------------------------------------------------------- factories

    /** Wraps {@code data} as an array of {@code shape} without copying; the caller hands over ownership. */
    public static NDArray of(double[] data, int... shape) {
        int[] s = Shapes.checked("NDArray.of", shape);
        if (Shapes.size(s) != data.length) {
            throw new IllegalArgumentException("NDArray.of: shape " + Shapes.str(s) + " needs " + Shapes.size(s)
                    + " values but " + data.length + " were given");
        }
        return new NDArray(s, data);
    }

    /** Wraps float32 {@code data} as an array of {@code shape} without copying; the caller hands over ownership. */
    public static NDArray of(float[] data, int... shape) {
        int[] s = Shapes.checked("NDArray.of", shape);
        if (Shapes.size(s) != data.length) {
            throw new IllegalArgumentException("NDArray.of: shape " + Shapes.str(s) + " needs " + Shapes.size(s)
                    + " values but " + data.length + " were given");
        }
        return new NDArray(s, data);
    }

    /** Wraps int64 {@code data} as an INT64 array of {@code shape} without copying (an empty shape is 0-d: one value). */
    public static NDArray of(long[] data, int... shape) {
        return wrap("NDArray.of", DType.INT64, data, data.length, shape);
    }

    /** Wraps int32 {@code data} as an INT32 array of {@code shape} without copying. */
    public static NDArray of(int[] data, int... shape) {
        return wrap("NDArray.of", DType.INT32, data, data.length, shape);
    }

    /** Wraps {@code data} as a BOOL array of {@code shape} without copying. */
    public static NDArray of(boolean[] data, int... shape) {
        return wrap("NDArray.of", DType.BOOL, data, data.length, shape);
    }

    /**
     * Wraps 16-bit storage as an array of {@code dtype} INT16 (values), FLOAT16 or BFLOAT16 (bit
     * patterns, see {@link HalfFloats}) without copying.
     */
    public static NDArray ofRawShorts(DType dtype, short[] data, int... shape) {
        if (dtype != DType.INT16 && dtype != DType.FLOAT16 && dtype != DType.BFLOAT16) {
            throw new IllegalArgumentException("NDArray.ofRawShorts: dtype " + dtype.numpyName()
                    + " is not stored in 16 bits; use int16, float16 or bfloat16");
        }
        return wrap("NDArray.ofRawShorts", dtype, data, data.length, shape);
    }

    /** Wraps 8-bit storage as an INT8 or UINT8 array ({@code b & 0xFF} for UINT8) without copying. */
    public static NDArray ofRawBytes(DType dtype, byte[] data, int... shape) {
        if (dtype != DType.INT8 && dtype != DType.UINT8) {
            throw new IllegalArgumentException("NDArray.ofRawBytes: dtype " + dtype.numpyName()
                    + " is not stored in bytes; use int8 or uint8 (for bool pass a boolean[] to NDArray.of)");
        }
        return wrap("NDArray.ofRawBytes", dtype, data, data.length, shape);
    }

    private static NDArray wrap(String op, DType dtype, Object data, int length, int[] shape) {
        int[] s = Shapes.checked(op, shape);
        if (Shapes.size(s) != length) {
            throw new IllegalArgumentException(op + ": shape " + Shapes.str(s) + " needs " + Shapes.size(s)
                    + " values but " + length + " were given" + (shape.length == 0 ? " (pass the shape, e.g. "
                    + op + "(values, values.length) for 1-D)" : ""));
        }
        return new NDArray(s, dtype, data);
    }

    /** A 1-D array holding a copy of {@code values}. */
    public static NDArray of(double... values) {
        return new NDArray(new int[] {values.length}, values.clone());
    }

    /** A 2-D array from rows of equal length. */
    public static NDArray of(double[][] rows) {
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        double[] d = new double[Shapes.size("NDArray.of", new int[] {r, c})];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) {
                throw new IllegalArgumentException("NDArray.of: row " + i + " has " + rows[i].length
                        + " values but row 0 has " + c + " (rows must have equal length)");
            }
            System.arraycopy(rows[i], 0, d, i * c, c);
        }
        return new NDArray(new int[] {r, c}, d);
    }

    /** A 0-dimensional array holding {@code v}. */
    public static NDArray scalar(double v) {
        return new NDArray(new int[0], new double[] {v});
    }

    /** A 0-dimensional array of {@code dtype} holding {@code v}, converted as {@link #astype} converts. */
    public static NDArray scalar(DType dtype, double v) {
        if (dtype == DType.FLOAT32) {
            return new NDArray(new int[0], new float[] {(float) v});
        }
        if (dtype == DType.FLOAT64) {
            return scalar(v);
        }
        Object s = Storage.alloc(dtype, 1);
        Storage.setDouble(dtype, s, 0, v);
        return new NDArray(new int[0], dtype, s);
    }

    /** A 0-dimensional INT64 array holding {@code v} exactly. */
    public static NDArray scalarLong(long v) {
        return new NDArray(new int[0], DType.INT64, new long[] {v});
    }

    /** An array of zeros. */
    public static NDArray zeros(int... shape) {
        int[] s = Shapes.checked("zeros", shape);
        return new NDArray(s, new double[Shapes.size(s)]);
    }

    /** An array of zeros of {@code dtype}. */
    public static NDArray zeros(DType dtype, int... shape) {
        int[] s = Shapes.checked("zeros", shape);
        return new NDArray(s, dtype, Storage.alloc(dtype, Shapes.size(s)));
    }

    /** An array of ones. */
    public static NDArray ones(int... shape) {
        return full(1.0, shape);
    }

    /** An array of ones of {@code dtype}. */
    public static NDArray ones(DType dtype, int... shape) {
        return full(dtype, 1.0, shape);
    }

    /** An array filled with {@code value}. */
    public static NDArray full(double value, int... shape) {
        int[] s = Shapes.checked("full", shape);
        double[] d = new double[Shapes.size(s)];
        Arrays.fill(d, value);
        return new NDArray(s, d);
    }

    /** An array of {@code dtype} filled with {@code value}, converted as {@link #astype} converts. */
    public static NDArray full(DType dtype, double value, int... shape) {
        if (dtype == DType.FLOAT64) {
            return full(value, shape);
        }
        if (dtype != DType.FLOAT32) {
            return zeros(dtype, shape).fillUnversioned(value);
        }
        int[] s = Shapes.checked("full", shape);
        float[] d = new float[Shapes.size(s)];
        Arrays.fill(d, (float) value);
        return new NDArray(s, d);
    }

    /** A zero array of the same shape and dtype as {@code like}. */
    public static NDArray zerosLike(NDArray like) {
        return new NDArray(like.shape.clone(), like.dtype, Storage.alloc(like.dtype, like.size()));
    }

    /** A ones array of the same shape and dtype as {@code like}. */
    public static NDArray onesLike(NDArray like) {
        return fullLike(like, 1.0);
    }

    /** An array of the same shape and dtype as {@code like} filled with {@code value}. */
    public static NDArray fullLike(NDArray like, double value) {
        return full(like.dtype(), value, like.shape);
    }

    /** {@code 0, 1, ..., n-1}. */
    public static NDArray arange(int n) {
        return arange(0, n, 1);
    }

    /** Values from {@code start} (inclusive) to {@code stop} (exclusive) by {@code step}, as NumPy's arange. */
    public static NDArray arange(double start, double stop, double step) {
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must be nonzero");
        }
        double count = Math.max(0, Math.ceil((stop - start) / step));
        if (!(count <= Shapes.MAX_SIZE)) {
            throw new IllegalArgumentException("arange: start " + start + ", stop " + stop + " and step " + step
                    + " give " + count + " elements; a Nabla array holds at most " + Shapes.MAX_SIZE
                    + " (use a larger step or a smaller range)");
        }
        int n = (int) count;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = start + i * step;
        }
        return new NDArray(new int[] {n}, d);
    }

    /** {@code n} evenly spaced values from {@code start} to {@code stop}, both included. */
    public static NDArray linspace(double start, double stop, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("linspace: number of steps must be non-negative, got " + n);
        }
        double[] d = new double[n];
        double step = n > 1 ? (stop - start) / (n - 1) : 0;
        for (int i = 0; i < n; i++) {
            d[i] = start + i * step;
        }
        if (n > 1) {
            d[n - 1] = stop;
        }
        return new NDArray(new int[] {n}, d);
    }

    /** The {@code n x n} identity matrix. */
    public static NDArray eye(int n) {
        double[] d = new double[Shapes.size("eye", new int[] {n, n})];
        for (int i = 0; i < n; i++) {
            d[i * n + i] = 1;
        }
        return new NDArray(new int[] {n, n}, d);
    }

    /**
     * Uniform values in [0, 1) of {@code dtype} drawn from {@code rng}: the float64 draws, rounded
     * for FLOAT32 (so one seed gives the same values in both dtypes, up to rounding; a value just
     * below 1 may round to 1.0f).
     */
    public static NDArray rand(Random rng, DType dtype, int... shape) {
        return rand(rng, shape).astype(dtype);
    }

    /** Uniform values in [low, high) of {@code dtype}: the float64 draws of {@link #uniform(Random, double, double, int...)}, rounded for FLOAT32. */
    public static NDArray uniform(Random rng, DType dtype, double low, double high, int... shape) {
        return uniform(rng, low, high, shape).astype(dtype);
    }

    /** Standard normal values of {@code dtype}: the float64 draws of {@link #randn(Random, int...)}, rounded for FLOAT32. */
    public static NDArray randn(Random rng, DType dtype, int... shape) {
        return randn(rng, shape).astype(dtype);
    }

    /** Uniform values in [0, 1) drawn from {@code rng}. */
    public static NDArray rand(Random rng, int... shape) {
        int[] s = Shapes.checked("rand", shape);
        double[] d = new double[Shapes.size(s)];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextDouble();
        }
        return new NDArray(s, d);
    }

    /** Uniform values in [low, high) drawn from {@code rng}. */
    public static NDArray uniform(Random rng, double low, double high, int... shape) {
        NDArray r = rand(rng, shape);
        for (int i = 0; i < r.data.length; i++) {
            r.data[i] = low + (high - low) * r.data[i];
        }
        return r;
    }

    /** Standard normal values drawn from {@code rng}. */
    public static NDArray randn(Random rng, int... shape) {
        int[] s = Shapes.checked("randn", shape);
        double[] d = new double[Shapes.size(s)];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextGaussian();
        }
        return new NDArray(s, d);
    }

    // ---------------------------------------------------------------- accessors

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The size of one axis (negative counts from the end). */
    public int shape(int axis) {
        if (shape.length == 0) {
            throw new IndexOutOfBoundsException("shape: dimension specified as " + axis
                    + " but the array has no dimensions (shape ())");
        }
        return shape[Shapes.axis("shape", axis, shape.length)];
    }

    /** Number of axes. */
    public int ndim() {
        return shape.length;
    }

    /** Number of elements. */
    public int size() {
        return data != null ? data.length : fdata != null ? fdata.length : Storage.length(xdata);
    }

    /** The element type (FLOAT64 by default). */
    public DType dtype() {
        return dtype;
    }

    /**
     * This array converted to {@code dtype}: a copy, or this array itself when it already has that
     * dtype. PyTorch's conversion rules: float64 to float32 rounds to nearest; float to integer
     * truncates toward zero (NaN gives 0; values beyond int64 saturate, narrower integers then
     * keep the low bits, PyTorch leaves out-of-range casts undefined); integer to narrower integer
     * wraps; anything to bool is {@code != 0} (NaN is true); bool gives 0 or 1; to float16 and
     * bfloat16 goes through float32 and rounds to nearest even (PyTorch's {@code c10::Half(float)}),
     * overflowing to infinity; half to float is exact.
     */
    public NDArray astype(DType dtype) {
        if (dtype == this.dtype) {
            return this;
        }
        return new NDArray(shape.clone(), dtype, Storage.convert(this.dtype, storage(), dtype));
    }

    /**
     * How many times this array's storage was modified in place, through it or through a view of
     * the same storage (reshape, flatten, squeeze and unsqueeze share storage and this counter).
     */
    public int version() {
        return version[0];
    }

    /** True when the shape equals {@code other}. */
    public boolean hasShape(int... other) {
        return Arrays.equals(shape, other);
    }

    /** The element at a full index (negative positions count from the end). */
    public double get(int... index) {
        return getFlat(flat("get", index));
    }

    /** The element at a full index as a long: exact for integer and bool dtypes, truncated toward zero for floats. */
    public long getLong(int... index) {
        return getFlatLong(flat("getLong", index));
    }

    /** The flat element {@code i} as a long: exact for integer and bool dtypes, truncated toward zero for floats. */
    public long getFlatLong(int i) {
        if (HostReads.tracing) {
            HostReads.read(this);
        }
        return xdata != null ? Storage.getLong(dtype, xdata, i) : (long) getFlat(i);
    }

    /** The single value of a one-element array as a long (exact for INT64), like PyTorch's {@code item()} on a long tensor. */
    public long itemLong() {
        if (HostReads.tracing) {
            HostReads.read(this);
        }
        item();
        return getFlatLong(0);
    }

    /** The single value of a one-element array, like PyTorch's {@code item()}. */
    public double item() {
        if (HostReads.tracing) {
            HostReads.read(this);
        }
        if (size() != 1) {
            throw new IllegalStateException("item: a Tensor with " + size()
                    + " elements cannot be converted to Scalar (shape " + Shapes.str(shape) + ")");
        }
        return getFlat(0);
    }

    /** A copy of the values in row-major order as doubles (float32 values widened exactly; int64 beyond 2^53 rounds). */
    public double[] toArray() {
        if (HostReads.tracing) {
            HostReads.read(this);
        }
        return data != null ? data.clone() : (double[]) Storage.convert(dtype, storage(), DType.FLOAT64);
    }

    /** A copy of the values in row-major order as floats (float64 values rounded to nearest). */
    public float[] toFloatArray() {
        if (HostReads.tracing) {
            HostReads.read(this);
        }
        return fdata != null ? fdata.clone() : (float[]) Storage.convert(dtype, storage(), DType.FLOAT32);
    }

    /** A copy of the values as longs, converted as {@code astype(DType.INT64)}: exact for integer and bool dtypes. */
    public long[] toLongArray() {
        if (HostReads.tracing) {
            HostReads.read(this);
        }
        return (long[]) Storage.convert(dtype, storage(), DType.INT64);
    }

    /** A copy of the values as ints, converted as {@code astype(DType.INT32)} (wider integers wrap). */
    public int[] toIntArray() {
        if (HostReads.tracing) {
            HostReads.read(this);
        }
        return (int[]) Storage.convert(dtype, storage(), DType.INT32);
    }

    /** A copy of the values as booleans ({@code != 0}; NaN is true), as {@code astype(DType.BOOL)}. */
    public boolean[] toBooleanArray() {
        if (HostReads.tracing) {
            HostReads.read(this);
        }
        return (boolean[]) Storage.convert(dtype, storage(), DType.BOOL);
    }

    /** A copy of the 16-bit storage of an INT16, FLOAT16 or BFLOAT16 array (half dtypes: bit patterns). */
    public short[] toRawShorts() {
        if (!(xdata instanceof short[])) {
            throw new IllegalStateException("toRawShorts: dtype " + dtype.numpyName() + " is not stored in 16 bits "
                    + "(int16, float16 and bfloat16 are); convert with astype first");
        }
        return ((short[]) xdata).clone();
    }

    /** A copy of the 8-bit storage of an INT8 or UINT8 array, or of a BOOL array as bytes 0 and 1. */
    public byte[] toRawBytes() {
        if (dtype == DType.BOOL) {
            boolean[] b = (boolean[]) xdata;
            byte[] out = new byte[b.length];
            for (int i = 0; i < b.length; i++) {
                out[i] = (byte) (b[i] ? 1 : 0);
            }
            return out;
        }
        if (!(xdata instanceof byte[])) {
            throw new IllegalStateException("toRawBytes: dtype " + dtype.numpyName() + " is not stored in bytes "
                    + "(int8, uint8 and bool are); convert with astype first");
        }
        return ((byte[]) xdata).clone();
    }

    /** The flat element {@code i} in row-major order, as a double (int64 beyond 2^53 rounds; use {@link #getFlatLong}). */
    public double getFlat(int i) {
        if (HostReads.tracing) {
            HostReads.read(this);
        }
        return data != null ? data[i] : fdata != null ? fdata[i] : Storage.getDouble(dtype, xdata, i);
    }

    private int flat(String op, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": expected " + shape.length + " indices for shape "
                    + Shapes.str(shape) + " but got " + index.length);
        }
        int f = 0;
        for (int i = 0; i < index.length; i++) {
            int v = index[i] < 0 ? index[i] + shape[i] : index[i];
            if (v < 0 || v >= shape[i]) {
                throw new IndexOutOfBoundsException(op + ": index " + index[i] + " is out of bounds for dimension "
                        + i + " with size " + shape[i]);
            }
            f = f * shape[i] + v;
        }
        return f;
    }

    // ---------------------------------------------------------------- in place (bumps version)

    /** Sets one element in place, converted to this dtype as {@link #astype} converts. */
    public NDArray set(double value, int... index) {
        return setFlat(flat("set", index), value);
    }

    /** Sets flat element {@code i} in place, converted to this dtype as {@link #astype} converts. */
    public NDArray setFlat(int i, double value) {
        if (data != null) {
            data[i] = value;
        } else if (fdata != null) {
            fdata[i] = (float) value;
        } else {
            Storage.setDouble(dtype, xdata, i, value);
        }
        bumpVersion();
        return this;
    }

    /** Sets one element to a long in place (exact for INT64; other dtypes convert as {@link #astype}). */
    public NDArray setLong(long value, int... index) {
        return setFlatLong(flat("setLong", index), value);
    }

    /** Sets flat element {@code i} to a long in place (exact for INT64; other dtypes convert as {@link #astype}). */
    public NDArray setFlatLong(int i, long value) {
        Storage.setLong(dtype, storage(), i, value);
        bumpVersion();
        return this;
    }

    /**
     * {@code this += alpha * other} in place; shapes must be equal and the dtype stays this
     * array's. A float32 destination with a float32 {@code other} computes in float32 (alpha
     * rounded to float32); with a float64 {@code other} it computes in double and rounds.
     */
    public NDArray addInPlace(NDArray other, double alpha) {
        requireSameShape("addInPlace", other);
        if (xdata != null || other.xdata != null) {
            if (xdata == null) {
                return addInPlace(other.astype(dtype), alpha);
            }
            boolean exact = !dtype.isFloatingPoint() && !other.dtype.isFloatingPoint() && alpha == Math.rint(alpha);
            int n = size();
            for (int i = 0; i < n; i++) {
                if (exact) {
                    Storage.setLong(dtype, xdata, i, getFlatLong(i) + (long) alpha * other.getFlatLong(i));
                } else {
                    Storage.setDouble(dtype, xdata, i, getFlat(i) + alpha * other.getFlat(i));
                }
            }
            bumpVersion();
            return this;
        }
        if (data != null && other.data != null) {
            double[] d = data;
            double[] o = other.data;
            int t = Parallel.threadsFor(d.length);
            if (t == 1) {
                addScaled(d, o, alpha, 0, d.length);
            } else {
                Parallel.forRange(d.length, t, (from, to) -> addScaled(d, o, alpha, from, to));
            }
        } else {
            FloatKernels.addInPlace(this, other, alpha);
        }
        bumpVersion();
        return this;
    }

    /** {@code this += other} in place; shapes must be equal. */
    public NDArray addInPlace(NDArray other) {
        return addInPlace(other, 1.0);
    }

    /** {@code this *= s} in place ({@code s} rounded to float32 for a float32 array). */
    public NDArray mulInPlace(double s) {
        int n = size();
        if (xdata != null) {
            for (int i = 0; i < n; i++) {
                if (!dtype.isFloatingPoint() && s == Math.rint(s)) {
                    Storage.setLong(dtype, xdata, i, getFlatLong(i) * (long) s);
                } else {
                    Storage.setDouble(dtype, xdata, i, getFlat(i) * s);
                }
            }
            bumpVersion();
            return this;
        }
        int t = Parallel.threadsFor(n);
        if (t == 1) {
            mulInPlace(this, s, 0, n);
        } else {
            Parallel.forRange(n, t, (from, to) -> mulInPlace(this, s, from, to));
        }
        bumpVersion();
        return this;
    }

    private static void addScaled(double[] d, double[] o, double alpha, int from, int to) {
        for (int i = from; i < to; i++) {
            d[i] += alpha * o[i];
        }
    }

    private static void mulInPlace(NDArray a, double s, int from, int to) {
        if (a.data != null) {
            double[] d = a.data;
            for (int i = from; i < to; i++) {
                d[i] *= s;
            }
        } else {
            float f = (float) s;
            float[] d = a.fdata;
            for (int i = from; i < to; i++) {
                d[i] *= f;
            }
        }
    }

    /** Fills with {@code v} in place, converted to this dtype as {@link #astype} converts. */
    public NDArray fill(double v) {
        fillUnversioned(v);
        bumpVersion();
        return this;
    }

    private NDArray fillUnversioned(double v) {
        if (data != null) {
            Arrays.fill(data, v);
        } else if (fdata != null) {
            Arrays.fill(fdata, (float) v);
        } else {
            Object one = Storage.alloc(dtype, 1);
            Storage.setDouble(dtype, one, 0, v);
            int n = size();
            for (int i = 0; i < n; i++) {
                System.arraycopy(one, 0, xdata, i, 1);
            }
        }
        return this;
    }

    /**
     * Copies {@code other}'s values into this array in place; shapes must be equal. The dtype stays
     * this array's: float64 values copied into a float32 array are rounded.
     */
    public NDArray copyFrom(NDArray other) {
        requireSameShape("copyFrom", other);
        int n = size();
        if (xdata != null || other.xdata != null) {
            System.arraycopy(Storage.convert(other.dtype, other.storage(), dtype), 0, storage(), 0, n);
            bumpVersion();
            return this;
        }
        int t = Parallel.threadsFor(n);
        if (t == 1) {
            copyRange(this, other, 0, n);
        } else {
            Parallel.forRange(n, t, (from, to) -> copyRange(this, other, from, to));
        }
        bumpVersion();
        return this;
    }

    /** Elements {@code [from, to)} of {@link #copyFrom}. */
    private static void copyRange(NDArray dst, NDArray src, int from, int to) {
        if (dst.data != null) {
            if (src.data != null) {
                System.arraycopy(src.data, from, dst.data, from, to - from);
            } else {
                double[] d = dst.data;
                float[] o = src.fdata;
                for (int i = from; i < to; i++) {
                    d[i] = o[i];
                }
            }
        } else if (src.fdata != null) {
            System.arraycopy(src.fdata, from, dst.fdata, from, to - from);
        } else {
            float[] d = dst.fdata;
            double[] o = src.data;
            for (int i = from; i < to; i++) {
                d[i] = (float) o[i];
            }
        }
    }

    private void requireSameShape(String op, NDArray other) {
        if (!Arrays.equals(shape, other.shape)) {
            throw new IllegalArgumentException(op + ": shape " + Shapes.str(other.shape)
                    + " does not match the destination shape " + Shapes.str(shape));
        }
    }

    /** A fresh copy of the same dtype. */
    public NDArray copy() {
        return new NDArray(shape.clone(), dtype, Storage.copy(storage()));
    }

    /**
     * The dtype of a binary operation on {@code a} and {@code b}, PyTorch's
     * {@code torch.result_type}: {@link DType#promote} of the two, except that a 0-d array does
     * not promote an array with dimensions unless it is of a higher category (bool, integer,
     * floating point): float32 (N) with a float64 0-d stays float32, int64 (N) with a float64 0-d
     * gives float64.
     */
    public static DType resultType(NDArray a, NDArray b) {
        DType da = a.dtype;
        DType db = b.dtype;
        if (da == db) {
            return da;
        }
        boolean za = a.shape.length == 0;
        boolean zb = b.shape.length == 0;
        if (za != zb) {
            DType dim = za ? db : da;
            DType zero = za ? da : db;
            return zero.category() > dim.category() ? DType.promote(dim, zero) : dim;
        }
        return DType.promote(da, db);
    }

    /**
     * A 0-d array standing for a {@code double} argument, as PyTorch treats a Python number: in
     * this dtype for float64 and float32, float32 for the half dtypes (their compute type; the
     * result stays half), float64 (the default float) for integer and bool arrays, which it promotes.
     */
    private NDArray scalarLike(double s) {
        return dtype == DType.FLOAT64 || !dtype.isFloatingPoint() ? scalar(s) : new NDArray(new int[0], new float[] {(float) s});
    }

    // ---------------------------------------------------------------- elementwise binary

    /** Elementwise sum with broadcasting. */
    public NDArray add(NDArray o) {
        return Kernels.arith("add", Kernels.ADD, this, o);
    }

    /** Elementwise difference with broadcasting. */
    public NDArray sub(NDArray o) {
        return Kernels.arith("sub", Kernels.SUB, this, o);
    }

    /** Elementwise product with broadcasting. */
    public NDArray mul(NDArray o) {
        return Kernels.arith("mul", Kernels.MUL, this, o);
    }

    /** Elementwise quotient with broadcasting. */
    public NDArray div(NDArray o) {
        return Kernels.arith("div", Kernels.DIV, this, o);
    }

    /** Elementwise power with broadcasting (integers: exact wrapping powers; a negative integer exponent is refused). */
    public NDArray pow(NDArray o) {
        return xdata != null || o.xdata != null ? TypedKernels.binary("pow", TypedKernels.POW, this, o)
                : Kernels.broadcast("pow", this, o, Math::pow);
    }

    /** Elementwise maximum with broadcasting. */
    public NDArray maximum(NDArray o) {
        return xdata != null || o.xdata != null ? TypedKernels.binary("maximum", TypedKernels.MAX, this, o)
                : Kernels.broadcast("maximum", this, o, Math::max);
    }

    /** Elementwise minimum with broadcasting. */
    public NDArray minimum(NDArray o) {
        return xdata != null || o.xdata != null ? TypedKernels.binary("minimum", TypedKernels.MIN, this, o)
                : Kernels.broadcast("minimum", this, o, Math::min);
    }

    /** {@code this + s}. */
    public NDArray add(double s) {
        return Kernels.arith("add", Kernels.ADD, this, scalarLike(s));
    }

    /** {@code this - s}. */
    public NDArray sub(double s) {
        return Kernels.arith("sub", Kernels.SUB, this, scalarLike(s));
    }

    /** {@code this * s}. */
    public NDArray mul(double s) {
        return Kernels.arith("mul", Kernels.MUL, this, scalarLike(s));
    }

    /** {@code this / s}. */
    public NDArray div(double s) {
        return Kernels.arith("div", Kernels.DIV, this, scalarLike(s));
    }

    /** {@code this ^ p}, elementwise. */
    public NDArray pow(double p) {
        if (p == 2.0 && xdata == null) {
            return square();
        }
        return map(v -> Math.pow(v, p));
    }

    /** True where {@code this == o} (broadcasting, compared in the {@link #resultType}): a BOOL array. */
    public NDArray eq(NDArray o) {
        return TypedKernels.compare("eq", TypedKernels.EQ, this, o);
    }

    /** True where {@code this != o} (broadcasting): a BOOL array. */
    public NDArray ne(NDArray o) {
        return TypedKernels.compare("ne", TypedKernels.NE, this, o);
    }

    /** True where {@code this > o} (broadcasting): a BOOL array. */
    public NDArray gt(NDArray o) {
        return TypedKernels.compare("gt", TypedKernels.GT, this, o);
    }

    /** True where {@code this >= o} (broadcasting): a BOOL array. */
    public NDArray ge(NDArray o) {
        return TypedKernels.compare("ge", TypedKernels.GE, this, o);
    }

    /** True where {@code this < o} (broadcasting): a BOOL array. */
    public NDArray lt(NDArray o) {
        return TypedKernels.compare("lt", TypedKernels.LT, this, o);
    }

    /** True where {@code this <= o} (broadcasting): a BOOL array. */
    public NDArray le(NDArray o) {
        return TypedKernels.compare("le", TypedKernels.LE, this, o);
    }

    /** True where {@code this > s}: a BOOL array ({@code s} rounded to float32 for float32 and half arrays, as PyTorch). */
    public NDArray gt(double s) {
        return TypedKernels.compareScalar(TypedKernels.GT, this, s);
    }

    /** True where {@code this >= s}: a BOOL array. */
    public NDArray ge(double s) {
        return TypedKernels.compareScalar(TypedKernels.GE, this, s);
    }

    /** True where {@code this < s}: a BOOL array. */
    public NDArray lt(double s) {
        return TypedKernels.compareScalar(TypedKernels.LT, this, s);
    }

    /** True where {@code this <= s}: a BOOL array. */
    public NDArray le(double s) {
        return TypedKernels.compareScalar(TypedKernels.LE, this, s);
    }

    /** True where {@code this == s}: a BOOL array. */
    public NDArray eq(double s) {
        return TypedKernels.compareScalar(TypedKernels.EQ, this, s);
    }

    /** True where {@code this != s}: a BOOL array. */
    public NDArray ne(double s) {
        return TypedKernels.compareScalar(TypedKernels.NE, this, s);
    }

    /** Elementwise logical and of any two dtypes ({@code != 0} is true), broadcasting: a BOOL array. */
    public NDArray logicalAnd(NDArray o) {
        return TypedKernels.logical("logicalAnd", TypedKernels.AND, this, o);
    }

    /** Elementwise logical or ({@code != 0} is true), broadcasting: a BOOL array. */
    public NDArray logicalOr(NDArray o) {
        return TypedKernels.logical("logicalOr", TypedKernels.OR, this, o);
    }

    /** Elementwise logical exclusive or ({@code != 0} is true), broadcasting: a BOOL array. */
    public NDArray logicalXor(NDArray o) {
        return TypedKernels.logical("logicalXor", TypedKernels.XOR, this, o);
    }

    /** Elementwise logical not ({@code == 0}): a BOOL array. */
    public NDArray logicalNot() {
        boolean[] b = TypedKernels.bools(this);
        boolean[] r = new boolean[b.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = !b[i];
        }
        return new NDArray(shape.clone(), DType.BOOL, r);
    }

    /**
     * Elementwise {@code cond ? a : b}, broadcasting all three; {@code cond} must be a BOOL array
     * (as PyTorch requires) and the result has the {@link #resultType} of {@code a} and {@code b}.
     */
    public static NDArray where(NDArray cond, NDArray a, NDArray b) {
        if (cond.dtype != DType.BOOL) {
            throw new IllegalArgumentException("where: expected the condition to be a bool array, but got an array of dtype "
                    + cond.dtype.numpyName() + " (shape " + Shapes.str(cond.shape) + "); make a mask with a comparison, "
                    + "e.g. cond.ne(0), or convert it with astype(DType.BOOL)");
        }
        int[] s = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape), b.shape);
        DType t = resultType(a, b);
        boolean[] c = (boolean[]) cond.broadcastTo(s).xdata;
        return TypedKernels.select(s, c, a.astype(t).broadcastTo(s), b.astype(t).broadcastTo(s));
    }

    /**
     * This array with {@code value} where {@code mask} is true, PyTorch's {@code masked_fill}:
     * {@code mask} must be BOOL and broadcast to this shape; the result keeps this shape and dtype
     * ({@code value} converted as {@link #astype} converts).
     */
    public NDArray maskedFill(NDArray mask, double value) {
        if (mask.dtype != DType.BOOL) {
            throw new IllegalArgumentException("maskedFill: only bool masks are supported, but got a mask of dtype "
                    + mask.dtype.numpyName() + " (shape " + Shapes.str(mask.shape) + "); make one with a comparison, "
                    + "e.g. x.eq(0), or convert it with astype(DType.BOOL)");
        }
        if (!Shapes.broadcastable(mask.shape, shape)) {
            throw new IllegalArgumentException("maskedFill: the mask of shape " + Shapes.str(mask.shape)
                    + " cannot be broadcast to the array's shape " + Shapes.str(shape)
                    + " (each dimension must match or be 1, and the mask cannot have more dimensions)");
        }
        boolean[] c = (boolean[]) mask.broadcastTo(shape).xdata;
        return TypedKernels.select(shape.clone(), c, NDArray.scalar(dtype, value).broadcastTo(shape), this);
    }

    // ---------------------------------------------------------------- elementwise unary

    /**
     * Applies {@code f} to every element (a new array of the same dtype; for float32, {@code f}
     * sees the exact widened value and its result is rounded to float32).
     */
    public NDArray map(DoubleUnaryOperator f) {
        if (xdata != null) {
            return rounded(floating().map(f));
        }
        return data != null ? new NDArray(shape, Kernels.map(data, f)) : new NDArray(shape, FloatKernels.map(fdata, f));
    }

    /**
     * The values in a float dtype to compute with: float32 for the half dtypes (see
     * {@link #rounded}), float64 (the default float) for integers and bools, this array itself for
     * float64 and float32.
     */
    private NDArray floating() {
        if (xdata == null) {
            return this;
        }
        return astype(dtype.isFloatingPoint() ? DType.FLOAT32 : DType.FLOAT64);
    }

    /** A result computed on {@link #floating()}: rounded back to this dtype for the half dtypes, else as it is. */
    private NDArray rounded(NDArray r) {
        return dtype.isFloatingPoint() ? r.astype(dtype) : r;
    }

    /** {@code -x}. */
    public NDArray neg() {
        if (xdata != null) {
            return dtype.isFloatingPoint() ? rounded(floating().neg()) : TypedKernels.neg(this);
        }
        return data != null ? new NDArray(shape, Kernels.unary(data, FloatKernels.NEG)) : FloatKernels.unary(this, FloatKernels.NEG);
    }

    /** {@code e^x}. */
    public NDArray exp() {
        if (xdata != null) {
            return rounded(floating().exp());
        }
        return data != null ? new NDArray(shape, Kernels.unary(data, FloatKernels.EXP)) : FloatKernels.unary(this, FloatKernels.EXP);
    }

    /** Natural logarithm. */
    public NDArray log() {
        if (xdata != null) {
            return rounded(floating().log());
        }
        return data != null ? new NDArray(shape, Kernels.unary(data, FloatKernels.LOG)) : FloatKernels.unary(this, FloatKernels.LOG);
    }

    /** Square root. */
    public NDArray sqrt() {
        if (xdata != null) {
            return rounded(floating().sqrt());
        }
        return data != null ? new NDArray(shape, Kernels.unary(data, FloatKernels.SQRT)) : FloatKernels.unary(this, FloatKernels.SQRT);
    }

    /** Absolute value. */
    public NDArray abs() {
        if (xdata != null) {
            return dtype.isFloatingPoint() ? rounded(floating().abs()) : TypedKernels.integerUnary(this, TypedKernels.ABS);
        }
        return data != null ? new NDArray(shape, Kernels.unary(data, Kernels.ABS)) : map(Math::abs);
    }

    /** Sign: -1, 0 or 1. */
    public NDArray sign() {
        if (xdata != null) {
            return dtype.isFloatingPoint() ? rounded(floating().sign()) : TypedKernels.integerUnary(this, TypedKernels.SIGN);
        }
        return data != null ? new NDArray(shape, Kernels.unary(data, Kernels.SIGN)) : map(Math::signum);
    }

    /** Sine. */
    public NDArray sin() {
        if (xdata != null) {
            return rounded(floating().sin());
        }
        return data != null ? new NDArray(shape, Kernels.unary(data, Kernels.SIN)) : map(Math::sin);
    }

    /** Cosine. */
    public NDArray cos() {
        if (xdata != null) {
            return rounded(floating().cos());
        }
        return data != null ? new NDArray(shape, Kernels.unary(data, Kernels.COS)) : map(Math::cos);
    }

    /** Hyperbolic tangent. */
    public NDArray tanh() {
        if (xdata != null) {
            return rounded(floating().tanh());
        }
        if (data == null) {
            return FloatKernels.unary(this, FloatKernels.TANH);
        }
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Kernels.tanh(data[i]);
        }
        return new NDArray(shape, out);
    }

    /** Logistic sigmoid {@code 1/(1+e^-x)}, computed without overflow. */
    public NDArray sigmoid() {
        if (xdata != null) {
            return rounded(floating().sigmoid());
        }
        return data != null ? new NDArray(shape, Kernels.unary(data, FloatKernels.SIGMOID)) : FloatKernels.unary(this, FloatKernels.SIGMOID);
    }

    /** Numerically stable logistic function of one value. */
    public static double sigmoid(double v) {
        if (v >= 0) {
            return 1.0 / (1.0 + Math.exp(-v));
        }
        double e = Math.exp(v);
        return e / (1.0 + e);
    }

    /** {@code max(x, 0)}. */
    public NDArray relu() {
        if (xdata != null) {
            return dtype.isFloatingPoint() ? rounded(floating().relu()) : TypedKernels.integerUnary(this, TypedKernels.RELU);
        }
        return data != null ? new NDArray(shape, Kernels.unary(data, FloatKernels.RELU)) : FloatKernels.unary(this, FloatKernels.RELU);
    }

    /**
     * Leaky ReLU {@code x > 0 ? x : slope·x} elementwise ({@code slope} 0 is ReLU); NaN stays NaN.
     * One plain loop (no per-element lambda) for the float64 case.
     */
    public NDArray leakyRelu(double slope) {
        if (xdata != null) {
            return rounded(floating().leakyRelu(slope));
        }
        if (data != null) {
            return new NDArray(shape, Kernels.leakyRelu(data, slope, false));
        }
        if (slope == 0) {
            return relu();
        }
        float[] x = fdata;
        float[] out = new float[x.length];
        int t = Parallel.threadsFor(x.length);
        if (t == 1) {
            leakyReluFloat(x, out, slope, false, 0, x.length);
        } else {
            Parallel.forRange(x.length, t, (from, to) -> leakyReluFloat(x, out, slope, false, from, to));
        }
        return new NDArray(shape, out);
    }

    /** Float32 leaky ReLU (in double, rounded once) or its derivative over {@code [from, to)}. */
    private static void leakyReluFloat(float[] x, float[] out, double slope, boolean derivative, int from, int to) {
        if (derivative) {
            float s = (float) slope;
            for (int i = from; i < to; i++) {
                int st = Kernels.positive(x[i]);
                out[i] = st + (1 - st) * s;
            }
        } else {
            for (int i = from; i < to; i++) {
                double v = x[i];
                out[i] = (float) (Math.max(v, 0.0) + slope * Math.min(v, 0.0));
            }
        }
    }

    /** The derivative of {@link #leakyRelu}: 1 where {@code x > 0}, else {@code slope}, in this array's dtype. */
    public NDArray leakyReluDerivative(double slope) {
        if (xdata != null) {
            return rounded(floating().leakyReluDerivative(slope));
        }
        if (data != null) {
            return new NDArray(shape, Kernels.leakyRelu(data, slope, true));
        }
        float[] x = fdata;
        float[] out = new float[x.length];
        int t = Parallel.threadsFor(x.length);
        if (t == 1) {
            leakyReluFloat(x, out, slope, true, 0, x.length);
        } else {
            Parallel.forRange(x.length, t, (from, to) -> leakyReluFloat(x, out, slope, true, from, to));
        }
        return new NDArray(shape, out);
    }

    /**
     * {@code gy} times the derivative of {@link #leakyRelu} at this array's values, in one pass:
     * bitwise {@code gy.mul(leakyReluDerivative(slope))} (the same mask value per element, the same
     * product), without the mask array. Shapes and dtypes other than one shared float64 or float32
     * take that two-step form (with its broadcasting and promotion).
     */
    public NDArray leakyReluBackward(NDArray gy, double slope) {
        if (gy.dtype != dtype || !Arrays.equals(gy.shape, shape) || xdata != null || gy.xdata != null
                || (data == null) != (gy.data == null)) {
            return gy.mul(leakyReluDerivative(slope));
        }
        if (data != null) {
            double[] x = data;
            double[] g = gy.data;
            double[] out = new double[x.length];
            int t = Parallel.threadsFor(x.length);
            if (t == 1) {
                Kernels.leakyReluBackward(x, g, out, slope, 0, x.length);
            } else {
                Parallel.forRange(x.length, t, (from, to) -> Kernels.leakyReluBackward(x, g, out, slope, from, to));
            }
            return new NDArray(shape, out);
        }
        float[] x = fdata;
        float[] g = gy.fdata;
        float[] out = new float[x.length];
        int t = Parallel.threadsFor(x.length);
        if (t == 1) {
            leakyReluBackwardFloat(x, g, out, slope, 0, x.length);
        } else {
            Parallel.forRange(x.length, t, (from, to) -> leakyReluBackwardFloat(x, g, out, slope, from, to));
        }
        return new NDArray(shape, out);
    }

    /** {@code g · (x > 0 ? 1 : slope)} in float over {@code [from, to)}, the mask as {@link #leakyReluFloat} forms it. */
    private static void leakyReluBackwardFloat(float[] x, float[] g, float[] out, double slope, int from, int to) {
        float s = (float) slope;
        for (int i = from; i < to; i++) {
            int st = Kernels.positive(x[i]);
            float mask = st + (1 - st) * s;
            out[i] = g[i] * mask;
        }
    }

    /**
     * {@code gy · y(1 - y)} for this array y = sigmoid(x), in one pass: bitwise
     * {@code gy.mul(y.mul(1 - y))} (the backward sigmoid's unfused form), without its two
     * intermediate arrays. Other shape and dtype combinations take that form.
     */
    public NDArray sigmoidBackward(NDArray gy) {
        if (!sameFloatLayout(gy)) {
            return gy.mul(mul(NDArray.scalar(dtype, 1.0).sub(this)));
        }
        return outputBackward(gy, true);
    }

    /**
     * {@code gy · (1 - y²)} for this array y = tanh(x), in one pass: bitwise
     * {@code gy.mul(1 - y.mul(y))}, without its two intermediate arrays. Other shape and dtype
     * combinations take that form.
     */
    public NDArray tanhBackward(NDArray gy) {
        if (!sameFloatLayout(gy)) {
            return gy.mul(NDArray.scalar(dtype, 1.0).sub(mul(this)));
        }
        return outputBackward(gy, false);
    }

    /** Whether {@code o} has this array's shape and one shared float64 or float32 storage (the one-pass kernels' case). */
    private boolean sameFloatLayout(NDArray o) {
        return o.dtype == dtype && Arrays.equals(o.shape, shape) && xdata == null && o.xdata == null
                && (data != null && o.data != null || fdata != null && o.fdata != null);
    }

    private NDArray outputBackward(NDArray gy, boolean sigmoid) {
        int n = size();
        int t = Parallel.threadsFor(n);
        if (data != null) {
            double[] y = data;
            double[] g = gy.data;
            double[] out = new double[n];
            if (t == 1) {
                Kernels.outputBackward(y, g, out, sigmoid, 0, n);
            } else {
                Parallel.forRange(n, t, (from, to) -> Kernels.outputBackward(y, g, out, sigmoid, from, to));
            }
            return new NDArray(shape, out);
        }
        float[] y = fdata;
        float[] g = gy.fdata;
        float[] out = new float[n];
        if (t == 1) {
            outputBackwardFloat(y, g, out, sigmoid, 0, n);
        } else {
            Parallel.forRange(n, t, (from, to) -> outputBackwardFloat(y, g, out, sigmoid, from, to));
        }
        return new NDArray(shape, out);
    }

    /** {@code g·(y·(1 - y))} (sigmoid) or {@code g·(1 - y·y)} (tanh) in float over {@code [from, to)}. */
    private static void outputBackwardFloat(float[] y, float[] g, float[] out, boolean sigmoid, int from, int to) {
        if (sigmoid) {
            for (int i = from; i < to; i++) {
                float v = y[i];
                out[i] = g[i] * (v * (1f - v));
            }
        } else {
            for (int i = from; i < to; i++) {
                float v = y[i];
                out[i] = g[i] * (1f - v * v);
            }
        }
    }

    /** {@code x * x}. */
    public NDArray square() {
        if (xdata != null) {
            return dtype.isFloatingPoint() ? rounded(floating().square()) : mul(this);
        }
        return data != null ? new NDArray(shape, Kernels.unary(data, FloatKernels.SQUARE)) : FloatKernels.unary(this, FloatKernels.SQUARE);
    }

    /** Clamps every element into [lo, hi]. */
    public NDArray clamp(double lo, double hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("clamp: min " + lo + " is greater than max " + hi);
        }
        return map(v -> v < lo ? lo : (v > hi ? hi : v));
    }

    // ---------------------------------------------------------------- reductions

    /**
     * Sum of all elements as a 0-d array (float32: accumulated in double, rounded once; integers
     * and bools: an INT64 sum that wraps, as PyTorch's).
     */
    public NDArray sum() {
        if (xdata != null) {
            return sum(null, false);
        }
        if (data == null) {
            double s = 0;
            for (float v : fdata) {
                s += v;
            }
            return new NDArray(new int[0], new float[] {(float) s});
        }
        double s = 0;
        for (double v : data) {
            s += v;
        }
        return scalar(s);
    }

    /** Sum over {@code axes} (null or empty: all), keeping reduced axes as size 1 when {@code keepDims}. */
    public NDArray sum(int[] axes, boolean keepDims) {
        return reduce("sum", axes, keepDims, Kernels.SUM);
    }

    /**
     * Inclusive cumulative sum along {@code axis}, PyTorch's {@code cumsum}: floating dtypes are
     * kept, integer and bool inputs give INT64.
     */
    public NDArray cumsum(int axis) {
        return Scans.cumsum(this, axis, false);
    }

    /** {@link #cumsum} from the end of the axis backwards (the adjoint of cumsum). */
    public NDArray reverseCumsum(int axis) {
        return Scans.cumsum(this, axis, true);
    }

    /**
     * Product over {@code axes} (null or empty: all), PyTorch's {@code prod}: floating dtypes are
     * kept, integer and bool inputs give INT64; the empty product is 1.
     */
    public NDArray prod(int[] axes, boolean keepDims) {
        return Scans.prod(this, axes, keepDims);
    }

    /** Mean over {@code axes} (null or empty: all); float32 divides the double sum before rounding once. */
    public NDArray mean(int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("mean", axes, shape.length);
        if (xdata != null) {
            if (!dtype.isFloatingPoint()) {
                throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a "
                        + "floating point or complex dtype. Got: " + dtype.numpyName() + " (shape " + Shapes.str(shape)
                        + "); convert first, e.g. x.astype(DType.FLOAT64).mean()");
            }
            return rounded(floating().mean(ax, keepDims));
        }
        int count = 1;
        for (int a : ax) {
            count *= shape[a];
        }
        if (data == null) {
            NDArray r = FloatKernels.reduce(this, ax, Kernels.SUM, count);
            return keepDims ? new NDArray(keptShape(ax), r.fdata) : r;
        }
        return sum(ax, keepDims).div(count);
    }

    /** Mean of all elements as a 0-d array. */
    public NDArray mean() {
        return mean(null, false);
    }

    /** Maximum over {@code axes} (null or empty: all). */
    public NDArray max(int[] axes, boolean keepDims) {
        return reduce("max", axes, keepDims, Kernels.MAX);
    }

    /** Minimum over {@code axes} (null or empty: all). */
    public NDArray min(int[] axes, boolean keepDims) {
        return reduce("min", axes, keepDims, Kernels.MIN);
    }

    /** Variance over {@code axes} with {@code ddof} delta degrees of freedom (0: population, 1: sample). */
    public NDArray var(int[] axes, boolean keepDims, int ddof) {
        int[] ax = Shapes.axes("var", axes, shape.length);
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("var(): std and var only support floating point dtypes, got "
                    + dtype.numpyName() + " (shape " + Shapes.str(shape) + "); convert first, e.g. x.astype(DType.FLOAT64)");
        }
        int count = 1;
        for (int a : ax) {
            count *= shape[a];
        }
        NDArray mu = mean(ax, true);
        NDArray d = sub(mu);
        return d.mul(d).sum(ax, keepDims).div(Math.max(count - ddof, 0));
    }

    /**
     * Index of the maximum along {@code axis}, the axis removed: an INT64 array (PyTorch's
     * argmax): the first occurrence wins, and a NaN counts as the maximum (the first NaN wins).
     */
    public NDArray argmax(int axis) {
        int a = Shapes.axis("argmax", axis, shape.length);
        return shape.length == 0 ? scalarLong(0) : TypedKernels.argmax(this, a, true);
    }

    /** Index of the minimum along {@code axis}, the axis removed: an INT64 array; first occurrence, NaN first, as {@link #argmax(int)}. */
    public NDArray argmin(int axis) {
        int a = Shapes.axis("argmin", axis, shape.length);
        return shape.length == 0 ? scalarLong(0) : TypedKernels.argmax(this, a, false);
    }

    /** Flat index of the first maximum over all elements (a NaN counts as the maximum); 0 for an empty array. */
    public int argmax() {
        int n = size();
        if (n == 0) {
            return 0;
        }
        return (int) flatten().argmax(0).itemLong();
    }

    private NDArray reduce(String op, int[] axes, boolean keepDims, int kind) {
        int[] ax = Shapes.axes(op, axes, shape.length);
        NDArray r = Kernels.reduce(this, ax, kind);
        return keepDims ? r.withShape(keptShape(ax)) : r;
    }

    /** The same storage under another shape of equal size (no version sharing: for fresh results only). */
    NDArray withShape(int[] newShape) {
        return new NDArray(newShape, dtype, storage());
    }

    /** This shape with the given (normalised) axes set to 1. */
    int[] keptShape(int[] axes) {
        int[] k = shape.clone();
        for (int a : axes) {
            k[a] = 1;
        }
        return k;
    }

    // ---------------------------------------------------------------- shape manipulation

    /**
     * The same values with a new shape; one dimension may be -1 and is inferred. The result is a
     * view: it shares storage and version counter with this array.
     */
    public NDArray reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: only one dimension can be inferred (shape "
                            + Arrays.toString(newShape) + ")");
                }
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("reshape: invalid shape dimension " + s[i]);
            } else {
                known = Math.min(known * s[i], (long) Shapes.MAX_SIZE + 1); // saturates: no wrap-around
            }
        }
        int size = size();
        if (infer >= 0 && known != 0 && size % known == 0) {
            s[infer] = (int) (size / known);
        }
        if (infer >= 0 && s[infer] == -1 || Shapes.size(s) != size) {
            throw new IllegalArgumentException("reshape: shape " + Arrays.toString(newShape)
                    + " is invalid for input of size " + size + " (shape " + Shapes.str(shape) + ")");
        }
        return new NDArray(s, this);
    }

    /** Flattens to 1-D (a view sharing storage and version counter). */
    public NDArray flatten() {
        return new NDArray(new int[] {size()}, this);
    }

    /** Reverses the axes (for a matrix, the transpose). */
    public NDArray transpose() {
        int n = shape.length;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = n - 1 - i;
        }
        return permute(perm);
    }

    /** Swaps two axes. */
    public NDArray transpose(int a, int b) {
        int n = shape.length;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        int x = Shapes.axis("transpose", a, n);
        int y = Shapes.axis("transpose", b, n);
        perm[x] = y;
        perm[y] = x;
        return permute(perm);
    }

    /** Reorders the axes: result axis i is this array's axis {@code perm[i]}. */
    public NDArray permute(int... perm) {
        return Kernels.permute(this, checkPerm(perm, shape.length));
    }

    /** Validates a permutation of {@code 0..n-1} (negative axes allowed) and returns it normalised. */
    public static int[] checkPerm(int[] perm, int n) {
        if (perm.length != n) {
            throw new IllegalArgumentException("permute: number of dims don't match in permute: the array has " + n
                    + " dimensions but the permutation " + Arrays.toString(perm) + " has " + perm.length);
        }
        int[] p = new int[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            p[i] = Shapes.axis("permute", perm[i], n);
            if (seen[p[i]]) {
                throw new IllegalArgumentException("permute: repeated dim " + p[i] + " in " + Arrays.toString(perm));
            }
            seen[p[i]] = true;
        }
        return p;
    }

    /** Inserts a size-1 axis at {@code axis} (a view sharing storage and version counter). */
    public NDArray unsqueeze(int axis) {
        int n = shape.length + 1;
        int a = Shapes.axis("unsqueeze", axis, n);
        int[] s = new int[n];
        for (int i = 0, j = 0; i < n; i++) {
            s[i] = i == a ? 1 : shape[j++];
        }
        return new NDArray(s, this);
    }

    /** Removes every size-1 axis (a view sharing storage and version counter). */
    public NDArray squeeze() {
        return new NDArray(Arrays.stream(shape).filter(d -> d != 1).toArray(), this);
    }

    /** Repeats size-1 (and missing leading) axes to reach {@code target}, as NumPy's broadcast_to. */
    public NDArray broadcastTo(int... target) {
        if (Arrays.equals(shape, target)) {
            return this;
        }
        Shapes.size("broadcastTo", target);
        if (!Shapes.broadcastable(shape, target)) {
            throw new IllegalArgumentException("broadcastTo: the shape " + Shapes.str(shape)
                    + " cannot be broadcast to " + Shapes.str(target)
                    + " (each dimension must match or be 1, and the target cannot have fewer dimensions)");
        }
        int[] t = target.clone();
        int[] strides = Kernels.broadcastStrides(shape, t);
        if (xdata != null) {
            return new NDArray(t, dtype, Storage.gather(xdata, Storage.stridedOffsets(0, strides, t)));
        }
        return data != null ? new NDArray(t, Kernels.stridedCopy(data, 0, strides, t))
                : new NDArray(t, FloatKernels.stridedCopy(fdata, 0, strides, t));
    }

    /** Sums over axes so the result has {@code target}'s shape: the adjoint of {@link #broadcastTo}. */
    public NDArray sumTo(int... target) {
        if (Arrays.equals(shape, target)) {
            return this;
        }
        if (!Shapes.broadcastable(target, shape)) {
            throw new IllegalArgumentException("sumTo: the shape " + Shapes.str(shape) + " cannot be summed to "
                    + Shapes.str(target) + " (the target must broadcast to the source shape)");
        }
        int lead = shape.length - target.length;
        int[] axes = new int[shape.length];
        int count = 0;
        for (int i = 0; i < shape.length; i++) {
            if (i < lead || (target[i - lead] == 1 && shape[i] != 1)) {
                axes[count++] = i;
            }
        }
        NDArray r = Kernels.reduce(this, Arrays.copyOf(axes, count), Kernels.SUM);
        return r.withShape(target.clone());
    }

    // ---------------------------------------------------------------- indexing

    /** NumPy-style basic and integer-array indexing; see {@link Index}. */
    public NDArray getItem(Index... index) {
        return Gather.resolve(shape, index).gather(this);
    }

    /** Rows (or slices along axis 0) at the given positions, like {@code x[indices]}. */
    public NDArray take(int... indices) {
        return getItem(Index.of(indices));
    }

    /**
     * Rows (slices along axis 0) at the positions of an integer index array of any shape, like
     * PyTorch's {@code x[indices]} with a long tensor: the result has shape
     * {@code indices.shape + shape[1:]} (an embedding lookup). Negative positions count from the end.
     */
    public NDArray take(NDArray indices) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("take: cannot index a 0-d array (shape ()) along axis 0");
        }
        return getItem(Index.of(indices.flatten())).reshape(takeShape(indices.shape, shape));
    }

    /** {@code indices} followed by {@code shape} without its first axis: the shape of {@link #take(NDArray)}. */
    public static int[] takeShape(int[] indices, int[] shape) {
        int[] out = Arrays.copyOf(indices, indices.length + shape.length - 1);
        System.arraycopy(shape, 1, out, indices.length, shape.length - 1);
        return out;
    }

    /**
     * PyTorch's {@code torch.gather(x, axis, index)}: {@code out[i][j][k] = x[i][index[i][j][k]][k]}
     * for {@code axis = 1}, and so on; {@code index} is an integer array with as many axes as this
     * one, no larger than it on the other axes, and the result has its shape and this dtype.
     */
    public NDArray gather(int axis, NDArray index) {
        int a = Shapes.axis("gather", axis, Math.max(shape.length, 1));
        if (index.shape.length != shape.length) {
            throw new IllegalArgumentException("gather: index tensor must have the same number of dimensions as input tensor "
                    + "(input " + Shapes.str(shape) + ", index " + Shapes.str(index.shape) + ")");
        }
        for (int d = 0; d < shape.length; d++) {
            if (d != a && index.shape[d] > shape[d]) {
                throw new IllegalArgumentException("gather: size does not match at dimension " + d + ": expected index "
                        + Shapes.str(index.shape) + " to be no larger than input " + Shapes.str(shape)
                        + " apart from dimension " + a);
            }
        }
        if (!index.dtype.isInteger()) {
            throw new IllegalArgumentException("gather: expected an integer index array (int64), but got dtype "
                    + index.dtype.numpyName() + "; convert with astype(DType.INT64)");
        }
        int[] pos = index.toIntPositions("gather");
        int[] strides = Shapes.strides(shape);
        int n = pos.length;
        int[] offsets = new int[n];
        int nd = shape.length;
        int[] counter = new int[nd];
        for (int i = 0; i < n; i++) {
            int off = 0;
            for (int d = 0; d < nd; d++) {
                int c = counter[d];
                if (d == a) {
                    c = pos[i] < 0 ? pos[i] + shape[a] : pos[i];
                    if (c < 0 || c >= shape[a]) {
                        throw new IndexOutOfBoundsException("gather: index " + pos[i] + " is out of bounds for dimension "
                                + a + " with size " + shape[a]);
                    }
                }
                off += c * strides[d];
            }
            offsets[i] = off;
            for (int d = nd - 1; d >= 0; d--) {
                if (++counter[d] < index.shape[d]) {
                    break;
                }
                counter[d] = 0;
            }
        }
        if (nd == 0) {
            return copy();
        }
        return new NDArray(index.shape.clone(), dtype, Storage.gather(storage(), offsets));
    }

    /**
     * The elements where the BOOL {@code mask} (broadcast to this shape) is true, in row-major
     * order, as a 1-D array: PyTorch's {@code masked_select}, and {@code x[mask]} for a mask of
     * this shape.
     */
    public NDArray maskedSelect(NDArray mask) {
        if (mask.dtype != DType.BOOL) {
            throw new IllegalArgumentException("maskedSelect: expected a bool mask, but got dtype " + mask.dtype.numpyName()
                    + " (shape " + Shapes.str(mask.shape) + "); make one with a comparison, e.g. x.gt(0)");
        }
        int[] s = Shapes.broadcast("maskedSelect", shape, mask.shape);
        return broadcastTo(s).flatten().getItem(Index.of(mask.broadcastTo(s).flatten()));
    }

    /** The values of an integer array as int positions, refusing any that do not fit in an int (naming {@code op}). */
    int[] toIntPositions(String op) {
        long[] v = Storage.toLongs(dtype, storage());
        int[] p = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != (int) v[i]) {
                throw new IndexOutOfBoundsException(op + ": index " + v[i] + " (at position " + i + ") is out of bounds: "
                        + "no axis has more than " + Integer.MAX_VALUE + " elements");
            }
            p[i] = (int) v[i];
        }
        return p;
    }

    /** The sub-array at position {@code i} of axis 0, like {@code x[i]}. */
    public NDArray get0(int i) {
        return getItem(Index.at(i));
    }

    /** Positions {@code start..stop-1} along {@code axis}. */
    public NDArray slice(int axis, int start, int stop) {
        int a = Shapes.axis("slice", axis, shape.length);
        Index[] ix = new Index[a + 1];
        Arrays.fill(ix, Index.all());
        ix[a] = Index.range(start, stop);
        return getItem(ix);
    }

    /** Joins arrays along an existing axis; all other axes must match. */
    public static NDArray concat(int axis, NDArray... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: expected a non-empty list of arrays");
        }
        int n = parts[0].shape.length;
        if (n == 0) {
            throw new IllegalArgumentException("concat: zero-dimensional array (at position 0) cannot be concatenated");
        }
        int a = Shapes.axis("concat", axis, n);
        int[] out = parts[0].shape.clone();
        long along = 0;
        for (int i = 0; i < parts.length; i++) {
            int[] s = parts[i].shape;
            boolean ok = s.length == n;
            for (int d = 0; ok && d < n; d++) {
                ok = d == a || s[d] == out[d];
            }
            if (!ok) {
                throw new IllegalArgumentException("concat: sizes of arrays must match except in dimension " + a
                        + ": array 0 has shape " + Shapes.str(parts[0].shape) + " but array " + i + " has shape "
                        + Shapes.str(s));
            }
            along += s[a];
        }
        if (along > Shapes.MAX_SIZE) {
            throw new IllegalArgumentException("concat: the result would have size " + along + " along dimension " + a
                    + " (" + parts.length + " arrays), more than a Nabla array holds (" + Shapes.MAX_SIZE + ")");
        }
        out[a] = (int) along;
        Shapes.size("concat", out);
        return Kernels.concat(a, parts, out);
    }

    /** Joins arrays of equal shape along a new axis. */
    public static NDArray stack(int axis, NDArray... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("stack: expected a non-empty list of arrays");
        }
        NDArray[] u = new NDArray[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!Arrays.equals(parts[i].shape, parts[0].shape)) {
                throw new IllegalArgumentException("stack: expects each array to be equal size, but got "
                        + Shapes.str(parts[0].shape) + " at entry 0 and " + Shapes.str(parts[i].shape) + " at entry " + i);
            }
            u[i] = parts[i].unsqueeze(axis);
        }
        return concat(axis, u);
    }

    /**
     * Splits along {@code axis} into pieces of the given sizes, which must be non-negative and add
     * up to the axis size (the pieces tile the axis: no overlap, no gap).
     */
    public List<NDArray> split(int axis, int... sizes) {
        int a = Shapes.axis("split", axis, shape.length);
        Shapes.checkSplitSizes("split", sizes, shape, a);
        List<NDArray> out = new ArrayList<>();
        int start = 0;
        for (int s : sizes) {
            out.add(slice(a, start, start + s));
            start += s;
        }
        return out;
    }

    // ---------------------------------------------------------------- products

    /**
     * Matrix product with NumPy's matmul rules (1-D, 2-D, batched with broadcast batch axes).
     * Float operands only: float16 and bfloat16 multiply in float32 and round back; integer and
     * bool operands are refused (PyTorch multiplies them; Nabla's GEMM kernels are float kernels),
     * convert them with {@code astype(DType.FLOAT64)}.
     */
    public NDArray matmul(NDArray o) {
        return MatMul.matmul(this, o);
    }

    /**
     * {@code op(this) @ op(o)}, where {@code op} swaps the last two axes when its flag is set: the
     * GEMM reads the operand transposed, so no transposed copy is made. Both operands of a
     * transposed side need at least 2 axes; batch axes broadcast as in {@link #matmul(NDArray)}.
     */
    public NDArray matmul(NDArray o, boolean transA, boolean transB) {
        return MatMul.matmul(this, o, transA, transB);
    }

    // ---------------------------------------------------------------- comparison helpers

    /**
     * True when shapes are equal and every {@code |a-b| <= atol + rtol*|b|} (NaNs are never close);
     * values are compared as doubles whatever the dtypes.
     */
    public boolean allClose(NDArray o, double rtol, double atol) {
        if (!Arrays.equals(shape, o.shape)) {
            return false;
        }
        int n = size();
        for (int i = 0; i < n; i++) {
            double a = getFlat(i);
            double b = o.getFlat(i);
            if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b)) && a != b) {
                return false;
            }
        }
        return true;
    }

    /** {@link #allClose(NDArray, double, double)} with NumPy's defaults rtol 1e-5, atol 1e-8. */
    public boolean allClose(NDArray o) {
        return allClose(o, 1e-5, 1e-8);
    }

    /** Largest absolute elementwise difference; shapes must match. */
    public double maxAbsDiff(NDArray o) {
        requireSameShape("maxAbsDiff", o);
        double m = 0;
        int n = size();
        for (int i = 0; i < n; i++) {
            m = Math.max(m, Math.abs(getFlat(i) - o.getFlat(i)));
        }
        return m;
    }

    /**
     * Exact equality of shape and values, whatever the dtypes: floats as {@link Double#equals}
     * (NaN equals NaN, 0.0 differs from -0.0), integers and bools exactly as longs (true is 1), an
     * integer and a float when the float is exactly that integer. So a float32 and a float64 array
     * holding the same values are equal, and so are INT64 {@code [1, 2]} and FLOAT64 {@code [1., 2.]};
     * compare {@link #dtype()} as well where it matters.
     */
    @Override
    public boolean equals(Object obj) {
        if (!(obj instanceof NDArray)) {
            return false;
        }
        NDArray o = (NDArray) obj;
        if (!Arrays.equals(shape, o.shape)) {
            return false;
        }
        if (data != null && o.data != null) {
            return Arrays.equals(data, o.data);
        }
        if (fdata != null && o.fdata != null) {
            return Arrays.equals(fdata, o.fdata);
        }
        boolean fa = dtype.isFloatingPoint();
        boolean fb = o.dtype.isFloatingPoint();
        int n = size();
        for (int i = 0; i < n; i++) {
            boolean same;
            if (fa && fb) {
                same = Double.doubleToLongBits(getFlat(i)) == Double.doubleToLongBits(o.getFlat(i));
            } else if (!fa && !fb) {
                same = getFlatLong(i) == o.getFlatLong(i);
            } else {
                double d = fa ? getFlat(i) : o.getFlat(i);
                long l = fa ? o.getFlatLong(i) : getFlatLong(i);
                same = d == (double) l && d < 0x1p63 && (long) d == l && Double.doubleToLongBits(d) != Double.doubleToLongBits(-0.0);
            }
            if (!same) {
                return false;
            }
        }
        return true;
    }

    /** Consistent with {@link #equals}: hashes the values as doubles, whatever the dtype. */
    @Override
    public int hashCode() {
        int h;
        if (data != null) {
            h = Arrays.hashCode(data);
        } else {
            h = 1;
            int n = size();
            for (int i = 0; i < n; i++) {
                h = 31 * h + Double.hashCode(getFlat(i));
            }
        }
        return 31 * Arrays.hashCode(shape) + h;
    }

    /** NumPy-like text: the values (summarised when large), the shape, and {@code dtype=float32} for float32. */
    @Override
    public String toString() {
        return Format.format(this);
    }
}
