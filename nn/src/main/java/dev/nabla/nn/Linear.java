package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Map;
import java.util.Random;

/**
 * A fully connected layer {@code y = x Wᵀ + b}, as PyTorch's {@code nn.Linear}. The weight
 * {@code W} has PyTorch's shape {@code (out_features, in_features)} (one row per output unit), so a
 * state dict moves between this layer and PyTorch's unchanged; the product reads {@code W}
 * transposed in place through the GEMM's transposed-operand path ({@link Functional#linear}), with
 * no copy in the forward or the backward. The bias has shape {@code (out_features)}. Parameters are
 * registered as {@code weight} then {@code bias}.
 *
 * <p>The input size may be given or inferred from the last axis of the first input (DeZero's lazy
 * initialization); until that first call a lazy layer has no parameters, so run a sample batch
 * (or {@link Module#summary}) before handing {@link #parameters()} to an optimizer. Loading a
 * state dict sizes a lazy layer from the checkpoint's weight shape.
 *
 * <p>Default initialization is PyTorch's: {@code W} by Kaiming uniform with a = √5 and
 * {@code b} uniform, both in {@code (-1/√in, 1/√in)}, drawn from the generator given to the
 * constructor, weight first, each in row-major order of its own shape ({@code W} row by row of
 * {@code (out, in)}).
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class Linear extends Module {
    /** Passed as {@code inFeatures} to infer the input size on the first call. */
    public static final int INFER = -1;

    /** PyTorch's default weight rule: Kaiming uniform with a = √5, i.e. U(−1/√fanIn, 1/√fanIn). */
    static final Initializer DEFAULT_WEIGHT = Init.kaimingUniform(Init.FanMode.FAN_IN, Math.sqrt(1.0 / 3.0));
    /** PyTorch's default bias rule: U(−1/√fanIn, 1/√fanIn). */
    static final Initializer DEFAULT_BIAS = (t, fanIn, fanOut, rng) -> {
        double b = fanIn > 0 ? 1.0 / Math.sqrt(fanIn) : 0.0;
        t.copyFrom(NDArray.uniform(rng, -b, b, t.shape()));
    };

    private int inFeatures;
    private final int outFeatures;
    private final boolean hasBias;
    private final Initializer weightInit;
    private final Initializer biasInit;
    private final Random rng;
    private Parameter weight;
    private Parameter bias;

    /** A layer from {@code inFeatures} to {@code outFeatures} with bias and PyTorch's default initialization. */
    public Linear(int inFeatures, int outFeatures, Random rng) {
        this(inFeatures, outFeatures, true, null, null, rng);
    }

    /** A layer to {@code outFeatures} whose input size is inferred on the first call (with bias, default initialization). */
    public Linear(int outFeatures, Random rng) {
        this(INFER, outFeatures, true, null, null, rng);
    }

    /**
     * The general constructor. {@code inFeatures} may be {@link #INFER}; {@code weightInit} or
     * {@code biasInit} null means PyTorch's default rule; both receive fans {@code (in, out)}.
     */
    public Linear(int inFeatures, int outFeatures, boolean bias, Initializer weightInit, Initializer biasInit, Random rng) {
        if (outFeatures <= 0 || inFeatures == 0 || inFeatures < INFER) {
            throw new IllegalArgumentException("Linear: in_features must be positive (or Linear.INFER) and out_features "
                    + "positive, got in_features=" + inFeatures + ", out_features=" + outFeatures);
        }
        if (rng == null) {
            throw new IllegalArgumentException("Linear: a seeded java.util.Random is required for initialization");
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.hasBias = bias;
        this.weightInit = weightInit == null ? DEFAULT_WEIGHT : weightInit;
        this.biasInit = biasInit == null ? DEFAULT_BIAS : biasInit;
        this.rng = rng;
        if (inFeatures > 0) {
            materialize();
        }
    }

    private void materialize() {
        weight = registerParameter("weight", new Parameter(NDArray.zeros(outFeatures, inFeatures)));
        if (hasBias) {
            bias = registerParameter("bias", new Parameter(NDArray.zeros(outFeatures)));
        }
        initialize(weightInit, biasInit, rng);
    }

    /**
     * Re-initializes the weight (and bias) in place with the given rules and fans
     * {@code (in_features, out_features)}; a null rule leaves that parameter unchanged.
     * Fails on a lazy layer that has not seen an input yet.
     */
    public void initialize(Initializer weightRule, Initializer biasRule, Random generator) {
        if (weight == null) {
            throw new IllegalStateException("Linear.initialize: the input size is not known yet; call the layer once on "
                    + "a sample input (or give in_features) first");
        }
        if (weightRule != null) {
            weightRule.fill(weight.data(), inFeatures, outFeatures, generator);
        }
        if (bias != null && biasRule != null) {
            biasRule.fill(bias.data(), inFeatures, outFeatures, generator);
        }
    }

    /** {@code x Wᵀ + b} for {@code x} of shape {@code (..., in_features)}; materializes a lazy layer on the first call. */
    @Override
    public Variable forward(Variable x) {
        if (weight == null) {
            if (x.ndim() == 0) {
                throw new IllegalArgumentException("Linear: cannot infer in_features from a 0-d input; expected shape (..., in_features)");
            }
            inFeatures = x.shape(-1);
            if (inFeatures == 0) {
                throw new IllegalArgumentException("Linear: cannot infer in_features from input of shape "
                        + Shapes.str(x.shape()) + " (last dimension is 0)");
            }
            materialize();
        }
        return Functional.linear(x, weight, bias);
    }

    /**
     * Sizes a lazy layer from a checkpoint: when the input size is still unknown and {@code state}
     * holds a 2-D {@code weight} for this layer with {@code out_features} rows, its columns give
     * {@code in_features} and the parameters are created (and then overwritten by the load).
     */
    @Override
    protected void beforeLoadStateDict(String prefix, Map<String, NDArray> state) {
        NDArray w = state.get(prefix + "weight");
        if (weight == null && w != null && w.ndim() == 2 && w.shape(0) == outFeatures && w.shape(1) > 0) {
            inFeatures = w.shape(1);
            materialize();
        }
    }

    /** The input size, or {@link #INFER} while it is not known. */
    public int inFeatures() {
        return inFeatures;
    }

    /** The output size. */
    public int outFeatures() {
        return outFeatures;
    }

    /** The weight of shape {@code (out, in)} (PyTorch's layout), or null before a lazy layer's first call. */
    public Parameter weight() {
        return weight;
    }

    /** The bias of shape {@code (out)}, or null without bias (or before a lazy layer's first call). */
    public Parameter bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + (inFeatures > 0 ? inFeatures : "inferred") + ", out_features=" + outFeatures
                + ", bias=" + Repr.bool(hasBias);
    }
}
