package dev.nabla.train.parallel;

import dev.nabla.autograd.Parameter;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Module;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The values of a model flattened into two float64 vectors: its parameters in
 * {@link Module#namedParameters()} order, and its buffers (BatchNorm's running statistics and
 * counts) in {@link Module#namedBuffers()} order, each array's elements in row-major order. Float32
 * and integer values (below 2^53) are held exactly. It is what a replica loads before computing a
 * micro-shard's gradient, and what a Spark driver sends to its executors.
 * Immutable once built (the arrays are not handed out), thread-safe and serializable.
 */
public final class ModelSnapshot implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String[] paramNames;
    private final int[] paramSizes;
    private final double[] params;
    private final boolean[] frozen;
    private final String[] bufferNames;
    private final int[] bufferSizes;
    private final boolean[] integerBuffer;
    private final double[] buffers;
    private final boolean training;

    private ModelSnapshot(String[] paramNames, int[] paramSizes, double[] params, boolean[] frozen, String[] bufferNames,
                          int[] bufferSizes, boolean[] integerBuffer, double[] buffers, boolean training) {
        this.paramNames = paramNames;
        this.paramSizes = paramSizes;
        this.params = params;
        this.frozen = frozen;
        this.bufferNames = bufferNames;
        this.bufferSizes = bufferSizes;
        this.integerBuffer = integerBuffer;
        this.buffers = buffers;
        this.training = training;
    }

    /** The current values of {@code model}'s parameters and buffers, and its train/eval flag. */
    public static ModelSnapshot of(Module model) {
        Map<String, Parameter> ps = model.namedParameters();
        String[] pn = ps.keySet().toArray(new String[0]);
        int[] psz = new int[pn.length];
        boolean[] frozen = new boolean[pn.length];
        List<NDArray> pv = new ArrayList<>();
        for (int i = 0; i < pn.length; i++) {
            NDArray d = ps.get(pn[i]).data();
            if (d == null) {
                throw new IllegalStateException("ModelSnapshot.of: parameter '" + pn[i] + "' of "
                        + model.getClass().getSimpleName() + " is not initialized yet (a lazy layer); run one forward "
                        + "pass on the master model, or give the layer its input size, before data-parallel training");
            }
            psz[i] = d.size();
            frozen[i] = !ps.get(pn[i]).requiresGrad();
            pv.add(d);
        }
        Map<String, NDArray> bs = model.namedBuffers();
        String[] bn = bs.keySet().toArray(new String[0]);
        int[] bsz = new int[bn.length];
        boolean[] integer = new boolean[bn.length];
        List<NDArray> bv = new ArrayList<>();
        for (int i = 0; i < bn.length; i++) {
            NDArray d = bs.get(bn[i]);
            bsz[i] = d.size();
            integer[i] = !d.dtype().isFloatingPoint();
            bv.add(d);
        }
        return new ModelSnapshot(pn, psz, flatten(pv, psz), frozen, bn, bsz, integer, flatten(bv, bsz), model.isTraining());
    }

    private static double[] flatten(List<NDArray> arrays, int[] sizes) {
        long total = Arrays.stream(sizes).asLongStream().sum();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("ModelSnapshot.of: the model has " + total
                    + " elements, more than one flat Java array holds");
        }
        double[] out = new double[(int) total];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            System.arraycopy(arrays.get(i).toArray(), 0, out, at, sizes[i]);
            at += sizes[i];
        }
        return out;
    }

    /** The number of parameter elements (the length of a flat gradient). */
    public int numParameterElements() {
        return params.length;
    }

    /** The number of buffer elements. */
    public int numBufferElements() {
        return buffers.length;
    }

    /** The parameter names, in order. */
    public List<String> parameterNames() {
        return List.of(paramNames);
    }

    /** The element count of each parameter, in order. */
    public int[] parameterSizes() {
        return paramSizes.clone();
    }

    /** The buffer names, in order. */
    public List<String> bufferNames() {
        return List.of(bufferNames);
    }

    /** The element count of each buffer, in order. */
    public int[] bufferSizes() {
        return bufferSizes.clone();
    }

    /** Whether buffer {@code i} holds integers (a count, taken from shard 0 instead of averaged). */
    public boolean isIntegerBuffer(int i) {
        return integerBuffer[i];
    }

    /** Whether the model was in training mode. */
    public boolean training() {
        return training;
    }

    /** A copy of the flat parameter values. */
    public double[] parameters() {
        return params.clone();
    }

    /** A copy of the flat buffer values. */
    public double[] buffers() {
        return buffers.clone();
    }

    /**
     * Copies the parameter values into {@code replica} (converted to its parameters' dtypes), and
     * freezes its parameters that are frozen in the master (unfreezing the others).
     *
     * @throws IllegalArgumentException if the replica's parameters differ in number, name or size
     */
    public void loadParameters(Module replica) {
        Map<String, Parameter> ps = replica.namedParameters();
        check("parameters", ps.keySet().toArray(new String[0]), paramNames, replica);
        int at = 0;
        int i = 0;
        for (Parameter p : ps.values()) {
            NDArray d = p.data();
            if (d == null || d.size() != paramSizes[i]) {
                throw mismatch("parameter '" + paramNames[i] + "' has " + (d == null ? "no value yet (a lazy layer)"
                        : d.size() + " elements") + " in the replica and " + paramSizes[i] + " in the master", replica);
            }
            d.copyFrom(NDArray.of(Arrays.copyOfRange(params, at, at + paramSizes[i]), d.shape()));
            p.requiresGrad(!frozen[i]);
            at += paramSizes[i];
            i++;
        }
    }

    /**
     * Copies the buffer values into {@code replica}, as {@link #loadBuffers(Module, double[])} with
     * this snapshot's buffers.
     */
    public void loadBuffers(Module replica) {
        loadBuffers(replica, buffers);
    }

    /**
     * Copies {@code values} (flat, in this snapshot's buffer layout) into the buffers of
     * {@code model} (the master after a step, or a replica before a shard).
     *
     * @throws IllegalArgumentException if the model's buffers differ in number, name or size
     */
    public void loadBuffers(Module model, double[] values) {
        if (values.length != buffers.length) {
            throw new IllegalArgumentException("ModelSnapshot.loadBuffers: got " + values.length
                    + " buffer values, the snapshot's layout has " + buffers.length);
        }
        Map<String, NDArray> bs = model.namedBuffers();
        check("buffers", bs.keySet().toArray(new String[0]), bufferNames, model);
        int at = 0;
        int i = 0;
        for (NDArray d : bs.values()) {
            if (d.size() != bufferSizes[i]) {
                throw mismatch("buffer '" + bufferNames[i] + "' has " + d.size() + " elements in the model and "
                        + bufferSizes[i] + " in the snapshot", model);
            }
            if (integerBuffer[i]) {
                for (int k = 0; k < bufferSizes[i]; k++) {
                    d.setFlatLong(k, (long) values[at + k]);
                }
            } else {
                d.copyFrom(NDArray.of(Arrays.copyOfRange(values, at, at + bufferSizes[i]), d.shape()));
            }
            at += bufferSizes[i];
            i++;
        }
    }

    /** Reads {@code model}'s buffers into a flat array of this snapshot's layout. */
    public double[] readBuffers(Module model) {
        Map<String, NDArray> bs = model.namedBuffers();
        check("buffers", bs.keySet().toArray(new String[0]), bufferNames, model);
        double[] out = new double[buffers.length];
        int at = 0;
        int i = 0;
        for (NDArray d : bs.values()) {
            if (d.size() != bufferSizes[i]) {
                throw mismatch("buffer '" + bufferNames[i] + "' has " + d.size() + " elements in the model and "
                        + bufferSizes[i] + " in the snapshot", model);
            }
            System.arraycopy(d.toArray(), 0, out, at, bufferSizes[i]);
            at += bufferSizes[i];
            i++;
        }
        return out;
    }

    private static void check(String what, String[] got, String[] want, Module m) {
        if (!Arrays.equals(got, want)) {
            throw mismatch("its " + what + " are " + Arrays.toString(got) + ", the master's are " + Arrays.toString(want), m);
        }
    }

    private static IllegalArgumentException mismatch(String detail, Module m) {
        return new IllegalArgumentException("ModelSnapshot: the replica (" + m.getClass().getSimpleName()
                + ") does not match the master model: " + detail + "; the ReplicaFactory must build the master's "
                + "architecture (same layers, same sizes, lazy layers given their input size)");
    }
}
