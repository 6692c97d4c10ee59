package dev.nabla.ndarray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * An n-dimensional float64 array: a shape and row-major contiguous storage. Operations return new
 * arrays (reshape, flatten, squeeze and unsqueeze return views sharing storage and version
 * counter); the explicit in-place methods ({@link #addInPlace}, {@link #set}, ...) exist for
 * optimizers and bump {@link #version()} so that autograd can detect a modified saved array.
 */
public final class NDArray {
    final int[] shape;
    final double[] data;
    /** Shared with every view of the same storage (reshape, flatten, squeeze, unsqueeze); created lazily. */
    private int[] version;

    /** Wraps {@code data} (not copied) with {@code shape}; sizes must agree. Package-private: use {@link #of(double[], int...)}. */
    NDArray(int[] shape, double[] data) {
        this.shape = shape;
        this.data = data;
    }

    /** A view: another shape over the same storage, sharing the version counter of {@code base}. */
    private NDArray(int[] shape, NDArray base) {
        this.shape = shape;
        this.data = base.data;
        if (base.version == null) {
            base.version = new int[1];
        }
        this.version = base.version;
    }

    private void bumpVersion() {
        if (version == null) {
            version = new int[1];
        }
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

    /** A 1-D array holding a copy of {@code values}. */
    public static NDArray of(double... values) {
        return new NDArray(new int[] {values.length}, values.clone());
    }

    /** A 2-D array from rows of equal length. */
    public static NDArray of(double[][] rows) {
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        double[] d = new double[r * c];
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

    /** An array of zeros. */
    public static NDArray zeros(int... shape) {
        int[] s = Shapes.checked("zeros", shape);
        return new NDArray(s, new double[Shapes.size(s)]);
    }

    /** An array of ones. */
    public static NDArray ones(int... shape) {
        return full(1.0, shape);
    }

    /** An array filled with {@code value}. */
    public static NDArray full(double value, int... shape) {
        int[] s = Shapes.checked("full", shape);
        double[] d = new double[Shapes.size(s)];
        Arrays.fill(d, value);
        return new NDArray(s, d);
    }

    /** A zero array of the same shape as {@code like}. */
    public static NDArray zerosLike(NDArray like) {
        return new NDArray(like.shape.clone(), new double[like.data.length]);
    }

    /** A ones array of the same shape as {@code like}. */
    public static NDArray onesLike(NDArray like) {
        return full(1.0, like.shape);
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
        int n = (int) Math.max(0, Math.ceil((stop - start) / step));
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
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            d[i * n + i] = 1;
        }
        return new NDArray(new int[] {n, n}, d);
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
        return data.length;
    }

    /** The element type (float64). */
    public DType dtype() {
        return DType.FLOAT64;
    }

    /**
     * How many times this array's storage was modified in place, through it or through a view of
     * the same storage (reshape, flatten, squeeze and unsqueeze share storage and this counter).
     */
    public int version() {
        return version == null ? 0 : version[0];
    }

    /** True when the shape equals {@code other}. */
    public boolean hasShape(int... other) {
        return Arrays.equals(shape, other);
    }

    /** The element at a full index (negative positions count from the end). */
    public double get(int... index) {
        return data[flat("get", index)];
    }

    /** The single value of a one-element array, like PyTorch's {@code item()}. */
    public double item() {
        if (data.length != 1) {
            throw new IllegalStateException("item: a Tensor with " + data.length
                    + " elements cannot be converted to Scalar (shape " + Shapes.str(shape) + ")");
        }
        return data[0];
    }

    /** A copy of the values in row-major order. */
    public double[] toArray() {
        return data.clone();
    }

    /** The flat element {@code i} in row-major order. */
    public double getFlat(int i) {
        return data[i];
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

    /** Sets one element in place. */
    public NDArray set(double value, int... index) {
        data[flat("set", index)] = value;
        bumpVersion();
        return this;
    }

    /** Sets flat element {@code i} in place. */
    public NDArray setFlat(int i, double value) {
        data[i] = value;
        bumpVersion();
        return this;
    }

    /** {@code this += alpha * other} in place; shapes must be equal. */
    public NDArray addInPlace(NDArray other, double alpha) {
        requireSameShape("addInPlace", other);
        double[] o = other.data;
        for (int i = 0; i < data.length; i++) {
            data[i] += alpha * o[i];
        }
        bumpVersion();
        return this;
    }

    /** {@code this += other} in place; shapes must be equal. */
    public NDArray addInPlace(NDArray other) {
        return addInPlace(other, 1.0);
    }

    /** {@code this *= s} in place. */
    public NDArray mulInPlace(double s) {
        for (int i = 0; i < data.length; i++) {
            data[i] *= s;
        }
        bumpVersion();
        return this;
    }

    /** Fills with {@code v} in place. */
    public NDArray fill(double v) {
        Arrays.fill(data, v);
        bumpVersion();
        return this;
    }

    /** Copies {@code other}'s values into this array in place; shapes must be equal. */
    public NDArray copyFrom(NDArray other) {
        requireSameShape("copyFrom", other);
        System.arraycopy(other.data, 0, data, 0, data.length);
        bumpVersion();
        return this;
    }

    private void requireSameShape(String op, NDArray other) {
        if (!Arrays.equals(shape, other.shape)) {
            throw new IllegalArgumentException(op + ": shape " + Shapes.str(other.shape)
                    + " does not match the destination shape " + Shapes.str(shape));
        }
    }

    /** A fresh copy. */
    public NDArray copy() {
        return new NDArray(shape.clone(), data.clone());
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
        return Kernels.arith("add", Kernels.ADD, this, scalar(s));
    }

    /** {@code this - s}. */
    public NDArray sub(double s) {
        return Kernels.arith("sub", Kernels.SUB, this, scalar(s));
    }

    /** {@code this * s}. */
    public NDArray mul(double s) {
        return Kernels.arith("mul", Kernels.MUL, this, scalar(s));
    }

    /** {@code this / s}. */
    public NDArray div(double s) {
        return Kernels.arith("div", Kernels.DIV, this, scalar(s));
    }

    /** {@code this ^ p}, elementwise. */
    public NDArray pow(double p) {
        if (p == 2.0) {
            return map(v -> v * v);
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

    /** 1 where {@code this > s}, else 0. */
    public NDArray gt(double s) {
        return map(v -> v > s ? 1 : 0);
    }

    /** 1 where {@code this >= s}, else 0. */
    public NDArray ge(double s) {
        return map(v -> v >= s ? 1 : 0);
    }

    /** 1 where {@code this < s}, else 0. */
    public NDArray lt(double s) {
        return map(v -> v < s ? 1 : 0);
    }

    /** 1 where {@code this == s}, else 0. */
    public NDArray eq(double s) {
        return map(v -> v == s ? 1 : 0);
    }

    /** Elementwise {@code cond != 0 ? a : b}, broadcasting all three. */
    public static NDArray where(NDArray cond, NDArray a, NDArray b) {
        int[] s = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape), b.shape);
        NDArray c = cond.broadcastTo(s);
        NDArray x = a.broadcastTo(s);
        NDArray y = b.broadcastTo(s);
        double[] out = new double[c.data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = c.data[i] != 0 ? x.data[i] : y.data[i];
        }
        return new NDArray(s, out);
    }

    // ---------------------------------------------------------------- elementwise unary

    /** Applies {@code f} to every element (a new array). */
    public NDArray map(DoubleUnaryOperator f) {
        return new NDArray(shape, Kernels.map(data, f));
    }

    /** {@code -x}. */
    public NDArray neg() {
        return map(v -> -v);
    }

    /** {@code e^x}. */
    public NDArray exp() {
        return map(Math::exp);
    }

    /** Natural logarithm. */
    public NDArray log() {
        return map(Math::log);
    }

    /** Square root. */
    public NDArray sqrt() {
        return map(Math::sqrt);
    }

    /** Absolute value. */
    public NDArray abs() {
        return map(Math::abs);
    }

    /** Sign: -1, 0 or 1. */
    public NDArray sign() {
        return map(Math::signum);
    }

    /** Sine. */
    public NDArray sin() {
        return map(Math::sin);
    }

    /** Cosine. */
    public NDArray cos() {
        return map(Math::cos);
    }

    /** Hyperbolic tangent. */
    public NDArray tanh() {
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Kernels.tanh(data[i]);
        }
        return new NDArray(shape, out);
    }

    /** Logistic sigmoid {@code 1/(1+e^-x)}, computed without overflow. */
    public NDArray sigmoid() {
        return map(NDArray::sigmoid);
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
        return map(v -> v > 0 ? v : 0.0);
    }

    /** {@code x * x}. */
    public NDArray square() {
        return map(v -> v * v);
    }

    /** Clamps every element into [lo, hi]. */
    public NDArray clamp(double lo, double hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("clamp: min " + lo + " is greater than max " + hi);
        }
        return map(v -> v < lo ? lo : (v > hi ? hi : v));
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements as a 0-d array. */
    public NDArray sum() {
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

    /** Mean over {@code axes} (null or empty: all). */
    public NDArray mean(int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("mean", axes, shape.length);
        int count = 1;
        for (int a : ax) {
            count *= shape[a];
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
        return keepDims ? new NDArray(keptShape(ax), r.data) : r;
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
        int known = 1;
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
                known *= s[i];
            }
        }
        if (infer >= 0 && known != 0 && data.length % known == 0) {
            s[infer] = data.length / known;
        }
        if (infer >= 0 && s[infer] == -1 || Shapes.size(s) != data.length) {
            throw new IllegalArgumentException("reshape: shape " + Arrays.toString(newShape)
                    + " is invalid for input of size " + data.length + " (shape " + Shapes.str(shape) + ")");
        }
        return new NDArray(s, this);
    }

    /** Flattens to 1-D (a view sharing storage and version counter). */
    public NDArray flatten() {
        return new NDArray(new int[] {data.length}, this);
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
        if (!Shapes.broadcastable(shape, target)) {
            throw new IllegalArgumentException("broadcastTo: the shape " + Shapes.str(shape)
                    + " cannot be broadcast to " + Shapes.str(target)
                    + " (each dimension must match or be 1, and the target cannot have fewer dimensions)");
        }
        int[] t = target.clone();
        return new NDArray(t, Kernels.stridedCopy(data, 0, Kernels.broadcastStrides(shape, t), t));
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
        return new NDArray(target.clone(), r.data);
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
        out[a] = 0;
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
            out[a] += s[a];
        }
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

    /** Splits along {@code axis} into pieces of the given sizes (which must add up to the axis size). */
    public List<NDArray> split(int axis, int... sizes) {
        int a = Shapes.axis("split", axis, shape.length);
        int total = Arrays.stream(sizes).sum();
        if (total != shape[a]) {
            throw new IllegalArgumentException("split: split sizes " + Arrays.toString(sizes) + " add up to " + total
                    + " but dimension " + a + " of shape " + Shapes.str(shape) + " has size " + shape[a]);
        }
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

    /** True when shapes are equal and every {@code |a-b| <= atol + rtol*|b|} (NaNs are never close). */
    public boolean allClose(NDArray o, double rtol, double atol) {
        if (!Arrays.equals(shape, o.shape)) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            double a = data[i];
            double b = o.data[i];
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
        for (int i = 0; i < data.length; i++) {
            m = Math.max(m, Math.abs(data[i] - o.data[i]));
        }
        return m;
    }

    /** Exact equality of shape and values. */
    @Override
    public boolean equals(Object obj) {
        return obj instanceof NDArray && Arrays.equals(shape, ((NDArray) obj).shape)
                && Arrays.equals(data, ((NDArray) obj).data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    /** NumPy-like text: the values (summarised when large) and the shape. */
    @Override
    public String toString() {
        return Format.format(this);
    }
}
