package dev.nabla.ndarray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * An n-dimensional array of float64 (the default) or float32 values: a shape, a {@link DType} and
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
 * Not thread-safe for modification: the in-place methods (and {@link #set}) must not run while any
 * other thread reads or writes the array or a view of it. An array that nobody modifies may be
 * read, and used as an operand, by any number of threads; operations return new arrays.
 */
public final class NDArray {
    final int[] shape;
    /** Float64 storage, or null for a float32 array. */
    final double[] data;
    /** Float32 storage, or null for a float64 array. Exactly one of {@code data} and {@code fdata} is non-null. */
    final float[] fdata;
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
        this.version = new int[1];
    }

    /** Wraps float32 {@code data} (not copied) with {@code shape}; sizes must agree. */
    NDArray(int[] shape, float[] data) {
        this.shape = shape;
        this.data = null;
        this.fdata = data;
        this.version = new int[1];
    }

    /** A view: another shape over the same storage, sharing the version counter of {@code base}. */
    private NDArray(int[] shape, NDArray base) {
        this.shape = shape;
        this.data = base.data;
        this.fdata = base.fdata;
        this.version = base.version;
    }

    private void bumpVersion() {
        version[0]++;
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

    /** A 0-dimensional array of {@code dtype} holding {@code v} (rounded to float32 for FLOAT32). */
    public static NDArray scalar(DType dtype, double v) {
        return dtype == DType.FLOAT32 ? new NDArray(new int[0], new float[] {(float) v}) : scalar(v);
    }

    /** An array of zeros. */
    public static NDArray zeros(int... shape) {
        int[] s = Shapes.checked("zeros", shape);
        return new NDArray(s, new double[Shapes.size(s)]);
    }

    /** An array of zeros of {@code dtype}. */
    public static NDArray zeros(DType dtype, int... shape) {
        int[] s = Shapes.checked("zeros", shape);
        return dtype == DType.FLOAT32 ? new NDArray(s, new float[Shapes.size(s)]) : new NDArray(s, new double[Shapes.size(s)]);
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

    /** An array of {@code dtype} filled with {@code value} (rounded to float32 for FLOAT32). */
    public static NDArray full(DType dtype, double value, int... shape) {
        if (dtype != DType.FLOAT32) {
            return full(value, shape);
        }
        int[] s = Shapes.checked("full", shape);
        float[] d = new float[Shapes.size(s)];
        Arrays.fill(d, (float) value);
        return new NDArray(s, d);
    }

    /** A zero array of the same shape and dtype as {@code like}. */
    public static NDArray zerosLike(NDArray like) {
        return like.fdata != null ? new NDArray(like.shape.clone(), new float[like.fdata.length])
                : new NDArray(like.shape.clone(), new double[like.data.length]);
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
        return data != null ? data.length : fdata.length;
    }

    /** The element type: FLOAT64 (the default) or FLOAT32. */
    public DType dtype() {
        return fdata == null ? DType.FLOAT64 : DType.FLOAT32;
    }

    /**
     * This array converted to {@code dtype}: a copy (float64 to float32 rounds to nearest), or this
     * array itself when it already has that dtype.
     */
    public NDArray astype(DType dtype) {
        if (dtype == dtype()) {
            return this;
        }
        if (dtype == DType.FLOAT32) {
            return new NDArray(shape.clone(), toFloatArray());
        }
        return new NDArray(shape.clone(), toArray());
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
        int i = flat("get", index);
        return data != null ? data[i] : fdata[i];
    }

    /** The single value of a one-element array, like PyTorch's {@code item()}. */
    public double item() {
        if (size() != 1) {
            throw new IllegalStateException("item: a Tensor with " + size()
                    + " elements cannot be converted to Scalar (shape " + Shapes.str(shape) + ")");
        }
        return data != null ? data[0] : fdata[0];
    }

    /** A copy of the values in row-major order (float32 values widened exactly). */
    public double[] toArray() {
        if (data != null) {
            return data.clone();
        }
        double[] out = new double[fdata.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = fdata[i];
        }
        return out;
    }

    /** A copy of the values in row-major order as floats (float64 values rounded to nearest). */
    public float[] toFloatArray() {
        if (fdata != null) {
            return fdata.clone();
        }
        float[] out = new float[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) data[i];
        }
        return out;
    }

    /** The flat element {@code i} in row-major order. */
    public double getFlat(int i) {
        return data != null ? data[i] : fdata[i];
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

    /** Sets one element in place (rounded to float32 in a float32 array). */
    public NDArray set(double value, int... index) {
        int i = flat("set", index);
        if (data != null) {
            data[i] = value;
        } else {
            fdata[i] = (float) value;
        }
        bumpVersion();
        return this;
    }

    /** Sets flat element {@code i} in place (rounded to float32 in a float32 array). */
    public NDArray setFlat(int i, double value) {
        if (data != null) {
            data[i] = value;
        } else {
            fdata[i] = (float) value;
        }
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

    /** Fills with {@code v} in place (rounded to float32 for a float32 array). */
    public NDArray fill(double v) {
        if (data != null) {
            Arrays.fill(data, v);
        } else {
            Arrays.fill(fdata, (float) v);
        }
        bumpVersion();
        return this;
    }

    /**
     * Copies {@code other}'s values into this array in place; shapes must be equal. The dtype stays
     * this array's: float64 values copied into a float32 array are rounded.
     */
    public NDArray copyFrom(NDArray other) {
        requireSameShape("copyFrom", other);
        int n = size();
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
        return data != null ? new NDArray(shape.clone(), data.clone()) : new NDArray(shape.clone(), fdata.clone());
    }

    /**
     * The dtype of a binary operation on {@code a} and {@code b}: their common dtype; float64 when
     * they differ, except that a 0-d array does not promote an array with dimensions (PyTorch).
     */
    public static DType resultType(NDArray a, NDArray b) {
        DType da = a.dtype();
        DType db = b.dtype();
        if (da == db) {
            return da;
        }
        boolean za = a.shape.length == 0;
        boolean zb = b.shape.length == 0;
        if (za != zb) {
            return za ? db : da;
        }
        return DType.promote(da, db);
    }

    /** A 0-d array holding {@code s} in this array's dtype (a {@code double} argument does not promote). */
    private NDArray scalarLike(double s) {
        return fdata == null ? scalar(s) : new NDArray(new int[0], new float[] {(float) s});
    }

    /** {@code s} as compared with this array's elements: rounded to float32 for a float32 array. */
    private double operand(double s) {
        return fdata == null ? s : (double) (float) s;
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

    /** Elementwise power with broadcasting. */
    public NDArray pow(NDArray o) {
        return Kernels.broadcast("pow", this, o, Math::pow);
    }

    /** Elementwise maximum with broadcasting. */
    public NDArray maximum(NDArray o) {
        return Kernels.broadcast("maximum", this, o, Math::max);
    }

    /** Elementwise minimum with broadcasting. */
    public NDArray minimum(NDArray o) {
        return Kernels.broadcast("minimum", this, o, Math::min);
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
        if (p == 2.0) {
            return square();
        }
        return map(v -> Math.pow(v, p));
    }

    /** 1 where {@code this == o}, else 0 (broadcasting). */
    public NDArray eq(NDArray o) {
        return Kernels.broadcast("eq", this, o, (a, b) -> a == b ? 1 : 0);
    }

    /** 1 where {@code this != o}, else 0 (broadcasting). */
    public NDArray ne(NDArray o) {
        return Kernels.broadcast("ne", this, o, (a, b) -> a != b ? 1 : 0);
    }

    /** 1 where {@code this > o}, else 0 (broadcasting). */
    public NDArray gt(NDArray o) {
        return Kernels.broadcast("gt", this, o, (a, b) -> a > b ? 1 : 0);
    }

    /** 1 where {@code this >= o}, else 0 (broadcasting). */
    public NDArray ge(NDArray o) {
        return Kernels.broadcast("ge", this, o, (a, b) -> a >= b ? 1 : 0);
    }

    /** 1 where {@code this < o}, else 0 (broadcasting). */
    public NDArray lt(NDArray o) {
        return Kernels.broadcast("lt", this, o, (a, b) -> a < b ? 1 : 0);
    }

    /** 1 where {@code this <= o}, else 0 (broadcasting). */
    public NDArray le(NDArray o) {
        return Kernels.broadcast("le", this, o, (a, b) -> a <= b ? 1 : 0);
    }

    /** 1 where {@code this > s}, else 0 ({@code s} rounded to float32 for a float32 array, as PyTorch). */
    public NDArray gt(double s) {
        double t = operand(s);
        return map(v -> v > t ? 1 : 0);
    }

    /** 1 where {@code this >= s}, else 0. */
    public NDArray ge(double s) {
        double t = operand(s);
        return map(v -> v >= t ? 1 : 0);
    }

    /** 1 where {@code this < s}, else 0. */
    public NDArray lt(double s) {
        double t = operand(s);
        return map(v -> v < t ? 1 : 0);
    }

    /** 1 where {@code this == s}, else 0. */
    public NDArray eq(double s) {
        double t = operand(s);
        return map(v -> v == t ? 1 : 0);
    }

    /**
     * Elementwise {@code cond != 0 ? a : b}, broadcasting all three; the result has the
     * {@link #resultType} of {@code a} and {@code b} (cond's dtype does not matter).
     */
    public static NDArray where(NDArray cond, NDArray a, NDArray b) {
        int[] s = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape), b.shape);
        DType t = resultType(a, b);
        NDArray c = cond.broadcastTo(s);
        NDArray x = a.astype(t).broadcastTo(s);
        NDArray y = b.astype(t).broadcastTo(s);
        if (t == DType.FLOAT32) {
            return FloatKernels.where(s, c, x.fdata, y.fdata);
        }
        double[] out = new double[x.data.length];
        if (c.data != null) {
            for (int i = 0; i < out.length; i++) {
                out[i] = c.data[i] != 0 ? x.data[i] : y.data[i];
            }
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = c.fdata[i] != 0 ? x.data[i] : y.data[i];
            }
        }
        return new NDArray(s, out);
    }

    // ---------------------------------------------------------------- elementwise unary

    /**
     * Applies {@code f} to every element (a new array of the same dtype; for float32, {@code f}
     * sees the exact widened value and its result is rounded to float32).
     */
    public NDArray map(DoubleUnaryOperator f) {
        return data != null ? new NDArray(shape, Kernels.map(data, f)) : new NDArray(shape, FloatKernels.map(fdata, f));
    }

    /** {@code -x}. */
    public NDArray neg() {
        return data != null ? new NDArray(shape, Kernels.unary(data, FloatKernels.NEG)) : FloatKernels.unary(this, FloatKernels.NEG);
    }

    /** {@code e^x}. */
    public NDArray exp() {
        return data != null ? new NDArray(shape, Kernels.unary(data, FloatKernels.EXP)) : FloatKernels.unary(this, FloatKernels.EXP);
    }

    /** Natural logarithm. */
    public NDArray log() {
        return data != null ? new NDArray(shape, Kernels.unary(data, FloatKernels.LOG)) : FloatKernels.unary(this, FloatKernels.LOG);
    }

    /** Square root. */
    public NDArray sqrt() {
        return data != null ? new NDArray(shape, Kernels.unary(data, FloatKernels.SQRT)) : FloatKernels.unary(this, FloatKernels.SQRT);
    }

    /** Absolute value. */
    public NDArray abs() {
        return data != null ? new NDArray(shape, Kernels.unary(data, Kernels.ABS)) : map(Math::abs);
    }

    /** Sign: -1, 0 or 1. */
    public NDArray sign() {
        return data != null ? new NDArray(shape, Kernels.unary(data, Kernels.SIGN)) : map(Math::signum);
    }

    /** Sine. */
    public NDArray sin() {
        return data != null ? new NDArray(shape, Kernels.unary(data, Kernels.SIN)) : map(Math::sin);
    }

    /** Cosine. */
    public NDArray cos() {
        return data != null ? new NDArray(shape, Kernels.unary(data, Kernels.COS)) : map(Math::cos);
    }

    /** Hyperbolic tangent. */
    public NDArray tanh() {
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
        return data != null ? new NDArray(shape, Kernels.unary(data, FloatKernels.RELU)) : FloatKernels.unary(this, FloatKernels.RELU);
    }

    /**
     * Leaky ReLU {@code x > 0 ? x : slope·x} elementwise ({@code slope} 0 is ReLU); NaN stays NaN.
     * One plain loop (no per-element lambda) for the float64 case.
     */
    public NDArray leakyRelu(double slope) {
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

    /** {@code x * x}. */
    public NDArray square() {
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

    /** Sum of all elements as a 0-d array (float32: accumulated in double, rounded once). */
    public NDArray sum() {
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

    /** Mean over {@code axes} (null or empty: all); float32 divides the double sum before rounding once. */
    public NDArray mean(int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("mean", axes, shape.length);
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
        int count = 1;
        for (int a : ax) {
            count *= shape[a];
        }
        NDArray mu = mean(ax, true);
        NDArray d = sub(mu);
        return d.mul(d).sum(ax, keepDims).div(Math.max(count - ddof, 0));
    }

    /** Index of the maximum along {@code axis} (as float64 values), the axis removed. */
    public NDArray argmax(int axis) {
        int a = Shapes.axis("argmax", axis, shape.length);
        return shape.length == 0 ? scalar(0) : Kernels.argmax(this, a, true);
    }

    /** Index of the minimum along {@code axis} (as float64 values), the axis removed. */
    public NDArray argmin(int axis) {
        int a = Shapes.axis("argmin", axis, shape.length);
        return shape.length == 0 ? scalar(0) : Kernels.argmax(this, a, false);
    }

    /** Flat index of the maximum over all elements. */
    public int argmax() {
        if (data == null) {
            int best = 0;
            for (int i = 1; i < fdata.length; i++) {
                if (fdata[i] > fdata[best]) {
                    best = i;
                }
            }
            return best;
        }
        int best = 0;
        for (int i = 1; i < data.length; i++) {
            if (data[i] > data[best]) {
                best = i;
            }
        }
        return best;
    }

    private NDArray reduce(String op, int[] axes, boolean keepDims, int kind) {
        int[] ax = Shapes.axes(op, axes, shape.length);
        NDArray r = Kernels.reduce(this, ax, kind);
        return keepDims ? r.withShape(keptShape(ax)) : r;
    }

    /** The same storage under another shape of equal size (no version sharing: for fresh results only). */
    NDArray withShape(int[] newShape) {
        return data != null ? new NDArray(newShape, data) : new NDArray(newShape, fdata);
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

    /** Matrix product with NumPy's matmul rules (1-D, 2-D, batched with broadcast batch axes). */
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
     * Exact equality of shape and values (as {@link Double#equals}: NaN equals NaN, 0.0 differs
     * from -0.0). Values are compared as doubles, so a float32 and a float64 array holding the
     * same values are equal.
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
        int n = size();
        for (int i = 0; i < n; i++) {
            if (Double.doubleToLongBits(getFlat(i)) != Double.doubleToLongBits(o.getFlat(i))) {
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
            for (float v : fdata) {
                h = 31 * h + Double.hashCode(v);
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
