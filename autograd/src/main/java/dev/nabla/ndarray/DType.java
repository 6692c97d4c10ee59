package dev.nabla.ndarray;

/**
 * The element type of an {@link NDArray}. Float64 is the default and what gradient checks use;
 * every array carries its dtype so that float32 storage can join without changing callers.
 */
public enum DType {
    /** IEEE-754 double precision, stored in a {@code double[]}. */
    FLOAT64;

    /** The safetensors / NumPy style name ({@code F64}). */
    public String safetensorsName() {
        return "F64";
    }
}
