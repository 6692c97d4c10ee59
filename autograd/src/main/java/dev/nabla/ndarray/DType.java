package dev.nabla.ndarray;

/**
 * The element type of an {@link NDArray}, with PyTorch's names and promotion rules.
 *
 * <p>Float64 is the default and what gradient checks use; float32 halves memory and feeds the
 * float GEMM kernel. INT64 (PyTorch's {@code long}, the dtype of class indices), INT32 and BOOL
 * (masks, comparison results) are first-class: every elementwise, comparison, reduction, indexing
 * and shape operation keeps them exact. INT16, INT8, UINT8, FLOAT16 and BFLOAT16 are storage
 * dtypes: they hold exact values (or bits), round-trip through safetensors, convert with
 * {@link NDArray#astype}, and compute as PyTorch's CPU kernels do: the two half dtypes in float32,
 * the result rounded back to the half dtype; the small integers in 64-bit integer arithmetic, the
 * result wrapped back to their width.
 *
 * <p>Storage: FLOAT64 {@code double[]}, FLOAT32 {@code float[]}, INT64 {@code long[]}, INT32
 * {@code int[]}, BOOL {@code boolean[]}, INT16 {@code short[]}, FLOAT16 and BFLOAT16
 * {@code short[]} holding the IEEE / bfloat16 bit patterns, INT8 and UINT8 {@code byte[]} (a
 * UINT8 value is {@code b & 0xFF}).
 * Immutable and thread-safe (an enum).
 */
public enum DType {
    /** IEEE-754 double precision, stored in a {@code double[]}; Nabla's default dtype. */
    FLOAT64("F64", 8, "float64", 7),
    /** IEEE-754 single precision, stored in a {@code float[]}. */
    FLOAT32("F32", 4, "float32", 6),
    /** IEEE-754 half precision (bits in a {@code short[]}); computes in float32, rounds back. */
    FLOAT16("F16", 2, "float16", 5),
    /** Brain floating point: float32's exponent with 8 bits of mantissa (bits in a {@code short[]}); computes in float32. */
    BFLOAT16("BF16", 2, "bfloat16", 5),
    /** 64-bit signed integers ({@code long[]}), PyTorch's dtype for class indices; arithmetic wraps as Java's. */
    INT64("I64", 8, "int64", 4),
    /** 32-bit signed integers ({@code int[]}); arithmetic wraps as Java's. */
    INT32("I32", 4, "int32", 3),
    /** 16-bit signed integers ({@code short[]}); a storage dtype, arithmetic wraps to 16 bits. */
    INT16("I16", 2, "int16", 2),
    /** 8-bit signed integers ({@code byte[]}); a storage dtype, arithmetic wraps to 8 bits. */
    INT8("I8", 1, "int8", 1),
    /** 8-bit unsigned integers ({@code byte[]}, value {@code b & 0xFF}); a storage dtype, arithmetic wraps modulo 256. */
    UINT8("U8", 1, "uint8", 1),
    /** Booleans ({@code boolean[]}); one byte 0 or 1 in safetensors. */
    BOOL("BOOL", 1, "bool", 0);

    private final String safetensorsName;
    private final int itemSize;
    private final String numpyName;
    /** Position in PyTorch's promotion lattice: bool, (u)int8, int16, int32, int64, (b)float16, float32, float64 (low to high). */
    private final int rank;

    DType(String safetensorsName, int itemSize, String numpyName, int rank) {
        this.safetensorsName = safetensorsName;
        this.itemSize = itemSize;
        this.numpyName = numpyName;
        this.rank = rank;
    }

    /** The safetensors name ({@code F64}, {@code F32}, {@code F16}, {@code BF16}, {@code I64}, ..., {@code BOOL}). */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** Bytes per element in safetensors (and in PyTorch): 8, 4, 2 or 1. */
    public int itemSize() {
        return itemSize;
    }

    /** The NumPy / PyTorch name ({@code float64}, {@code int64}, {@code bool}, ...), as printed by {@link NDArray#toString()}. */
    public String numpyName() {
        return numpyName;
    }

    /** Whether this is a floating-point dtype (FLOAT64, FLOAT32, FLOAT16, BFLOAT16): only those can require gradients. */
    public boolean isFloatingPoint() {
        return rank >= 5;
    }

    /** Whether this is an integer dtype (INT64, INT32, INT16, INT8, UINT8; not BOOL). */
    public boolean isInteger() {
        return rank >= 1 && rank <= 4;
    }

    /**
     * The dtype an operation computes in for a result of this dtype: itself for FLOAT64, FLOAT32
     * and BOOL, FLOAT32 for the half dtypes (rounded back afterwards, like PyTorch's CPU kernels),
     * INT64 for every integer dtype (wrapped back to its width afterwards).
     */
    DType computeType() {
        if (this == FLOAT16 || this == BFLOAT16) {
            return FLOAT32;
        }
        return isInteger() ? INT64 : this;
    }

    /**
     * The dtype of an operation mixing arrays of dtypes {@code a} and {@code b}, as PyTorch's
     * {@code torch.promote_types}: the larger on the lattice bool &lt; uint8, int8 &lt; int16
     * &lt; int32 &lt; int64 &lt; float16, bfloat16 &lt; float32 &lt; float64, except that int8
     * with uint8 gives int16 (neither holds the other's range) and float16 with bfloat16 gives
     * float32. Any integer with any float gives that float.
     */
    public static DType promote(DType a, DType b) {
        if (a == b) {
            return a;
        }
        if (a.rank == b.rank) { // int8/uint8 or float16/bfloat16
            return a.isFloatingPoint() ? FLOAT32 : INT16;
        }
        return a.rank > b.rank ? a : b;
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

    /** Category for the zero-dim rule of {@link NDArray#resultType}: 0 bool, 1 integer, 2 floating point. */
    int category() {
        return isFloatingPoint() ? 2 : isInteger() ? 1 : 0;
    }
}
