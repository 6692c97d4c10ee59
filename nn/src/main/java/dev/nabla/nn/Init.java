package dev.nabla.nn;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Random;

/**
 * Weight initializers, each drawing from the caller's seeded {@link Random} so that the same seed
 * gives bitwise the same weights. Definitions follow PyTorch's {@code torch.nn.init} (Glorot &amp;
 * Bengio 2010 for Xavier, He et al. 2015 for Kaiming):
 * <ul>
 *   <li>{@link #normal(double)}: N(0, std²); the classic choice of the textbooks is std 0.01 ({@link #normal()}).</li>
 *   <li>{@link #xavierNormal(double)}: std = gain·√(2/(fanIn+fanOut)); {@link #xavierUniform(double)}: U(−a, a) with a = gain·√(6/(fanIn+fanOut)).</li>
 *   <li>{@link #kaimingNormal(FanMode, double)}: std = gain/√fan; {@link #kaimingUniform(FanMode, double)}: U(−b, b) with b = gain·√(3/fan);
 *       the default gain √2 is the one for ReLU.</li>
 *   <li>{@link #constant(double)}, {@link #zeros()}, {@link #ones()}.</li>
 * </ul>
 * Normal draws use {@link Random#nextGaussian()}, uniform draws {@link Random#nextDouble()}, in
 * row-major order.
 * Stateless and thread-safe; the initializers it returns draw only from the generator passed in.
 */
public final class Init {
    private Init() {}

    /**
     * Which fan Kaiming initialization preserves: the forward pass's (fan-in) or the backward
     * pass's (fan-out).
     * Immutable and thread-safe (an enum).
     */
    public enum FanMode {
        /** Preserve the variance of activations in the forward pass (PyTorch's default). */
        FAN_IN,
        /** Preserve the variance of gradients in the backward pass. */
        FAN_OUT
    }

    /**
     * Fan-in and fan-out of a weight in PyTorch's layout: for {@code (out, in)} they are
     * {@code in} and {@code out}; for {@code (out, in, k1, k2, ...)} both are multiplied by the
     * receptive field size {@code k1·k2·...}. Fewer than 2 dimensions is an error, as in PyTorch.
     *
     * @return {@code {fanIn, fanOut}}
     */
    public static int[] fans(int[] shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("Init.fans: fan in and fan out can not be computed for an array with fewer "
                    + "than 2 dimensions (shape " + Shapes.str(shape) + "); pass the fans explicitly to Initializer.fill");
        }
        int receptive = Shapes.size("Init.fans", java.util.Arrays.copyOfRange(shape, 2, shape.length));
        return new int[] {Shapes.product("Init.fans", shape[1], receptive), Shapes.product("Init.fans", shape[0], receptive)};
    }

    /** N(0, 0.01²): the small random weights of the classic textbooks (DeZero, Deep Learning from Scratch). */
    public static Initializer normal() {
        return normal(0.01);
    }

    /** N(0, std²), independent of the fans. */
    public static Initializer normal(double std) {
        requireNonNegative("normal", "std", std);
        return (t, fanIn, fanOut, rng) -> fillNormal(t, std, rng);
    }

    /** U(low, high), independent of the fans. */
    public static Initializer uniform(double low, double high) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("Init.uniform: low " + low + " must not exceed high " + high);
        }
        return (t, fanIn, fanOut, rng) -> fillUniform(t, low, high, rng);
    }

    /** Xavier/Glorot normal with gain 1. */
    public static Initializer xavierNormal() {
        return xavierNormal(1.0);
    }

    /** Xavier/Glorot normal: N(0, σ²) with σ = gain·√(2/(fanIn+fanOut)). */
    public static Initializer xavierNormal(double gain) {
        requireNonNegative("xavierNormal", "gain", gain);
        return (t, fanIn, fanOut, rng) -> fillNormal(t, gain * Math.sqrt(2.0 / checkedSum("xavierNormal", fanIn, fanOut)), rng);
    }

    /** Xavier/Glorot uniform with gain 1. */
    public static Initializer xavierUniform() {
        return xavierUniform(1.0);
    }

    /** Xavier/Glorot uniform: U(−a, a) with a = gain·√(6/(fanIn+fanOut)). */
    public static Initializer xavierUniform(double gain) {
        requireNonNegative("xavierUniform", "gain", gain);
        return (t, fanIn, fanOut, rng) -> {
            double a = gain * Math.sqrt(6.0 / checkedSum("xavierUniform", fanIn, fanOut));
            fillUniform(t, -a, a, rng);
        };
    }

    /** He/Kaiming normal for ReLU: fan-in mode, gain √2, so σ = √(2/fanIn). */
    public static Initializer kaimingNormal() {
        return kaimingNormal(FanMode.FAN_IN, Math.sqrt(2.0));
    }

    /** He/Kaiming normal: N(0, σ²) with σ = gain/√fan. */
    public static Initializer kaimingNormal(FanMode mode, double gain) {
        requireNonNegative("kaimingNormal", "gain", gain);
        return (t, fanIn, fanOut, rng) -> fillNormal(t, gain / Math.sqrt(pick("kaimingNormal", mode, fanIn, fanOut)), rng);
    }

    /** He/Kaiming uniform for ReLU: fan-in mode, gain √2, so the bound is √(6/fanIn). */
    public static Initializer kaimingUniform() {
        return kaimingUniform(FanMode.FAN_IN, Math.sqrt(2.0));
    }

    /** He/Kaiming uniform: U(−b, b) with b = gain·√(3/fan). */
    public static Initializer kaimingUniform(FanMode mode, double gain) {
        requireNonNegative("kaimingUniform", "gain", gain);
        return (t, fanIn, fanOut, rng) -> {
            double b = gain * Math.sqrt(3.0 / pick("kaimingUniform", mode, fanIn, fanOut));
            fillUniform(t, -b, b, rng);
        };
    }

    /** The gain PyTorch recommends for a leaky ReLU of negative slope {@code slope}: √(2/(1+slope²)). */
    public static double leakyReluGain(double slope) {
        return Math.sqrt(2.0 / (1.0 + slope * slope));
    }

    /** Every element set to {@code value}; draws nothing from the generator. */
    public static Initializer constant(double value) {
        return (t, fanIn, fanOut, rng) -> t.fill(value);
    }

    /** Every element 0. */
    public static Initializer zeros() {
        return constant(0.0);
    }

    /** Every element 1. */
    public static Initializer ones() {
        return constant(1.0);
    }

    private static void fillNormal(NDArray t, double std, Random rng) {
        t.copyFrom(NDArray.randn(rng, t.shape()).mul(std));
    }

    private static void fillUniform(NDArray t, double low, double high, Random rng) {
        t.copyFrom(NDArray.uniform(rng, low, high, t.shape()));
    }

    private static int checkedSum(String op, int fanIn, int fanOut) {
        if (fanIn <= 0 || fanOut <= 0) {
            throw new IllegalArgumentException("Init." + op + ": fans must be positive, got fanIn=" + fanIn
                    + " and fanOut=" + fanOut + " (an array with a zero-sized dimension cannot be initialized this way)");
        }
        return fanIn + fanOut;
    }

    private static int pick(String op, FanMode mode, int fanIn, int fanOut) {
        int fan = mode == FanMode.FAN_OUT ? fanOut : fanIn;
        if (fan <= 0) {
            throw new IllegalArgumentException("Init." + op + ": " + (mode == FanMode.FAN_OUT ? "fanOut" : "fanIn")
                    + " must be positive, got " + fan);
        }
        return fan;
    }

    private static void requireNonNegative(String op, String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("Init." + op + ": " + what + " must be a finite non-negative number, got " + v);
        }
    }
}
