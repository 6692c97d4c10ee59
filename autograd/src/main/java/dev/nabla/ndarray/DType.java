package dev.nabla.ndarray;

/**
 * The element type of an {@link NDArray}. Float64 is the default and what gradient checks use;
 * float32 halves memory and feeds the float GEMM kernel. Mixing the two in one operation promotes
 * to float64, as PyTorch does (see {@link #promote}).
 * Immutable and thread-safe (an enum).
 */
public enum DType {
    /** IEEE-754 double precision, stored in a {@code double[]}. */
    FLOAT64("F64", 8),
    /** IEEE-754 single precision, stored in a {@code float[]}. */
    FLOAT32("F32", 4);

    private final String safetensorsName;
    private final int itemSize;

    DType(String safetensorsName, int itemSize) {
        this.safetensorsName = safetensorsName;
        this.itemSize = itemSize;
    }

    /** The safetensors / NumPy style name ({@code F64}, {@code F32}). */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** Bytes per element (8 or 4). */
    public int itemSize() {
        return itemSize;
    }

    /** The NumPy / PyTorch name ({@code float64}, {@code float32}), as printed by {@link NDArray#toString()}. */
    public String numpyName() {
        return this == FLOAT64 ? "float64" : "float32";
    }

    /** The dtype of an operation mixing {@code a} and {@code b}: float64 unless both are float32 (PyTorch's rule). */
    public static DType promote(DType a, DType b) {
        return a == b ? a : FLOAT64;
    }

    /** The dtype whose {@link #safetensorsName()} is {@code name}, or null when Nabla has none. */
    public static DType fromSafetensorsName(String name) {
        for (DType d : values()) {
            if (d.safetensorsName.equals(name)) {
                return d;
            }
        }
        return null;
    }
}
