package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Leading points followed by one step-1 range (the slice of a concat's backward) resolve to one
 * contiguous block: the values, shape and adjoint equal a direct loop over the source, clipping
 * included, in both float dtypes.
 */
class GatherBlockTest {
    private static final int[] SHAPE = {4, 5, 3};

    /** x[p, s:e, :] (p < 0: no point, the range is on axis 0) by a direct loop with NumPy's clipping. */
    private static double[] direct(NDArray x, int p, int s, int e, int[] shapeOut) {
        int axis = p < 0 ? 0 : 1;
        int d = SHAPE[axis];
        int lo = Math.max(0, Math.min(d, s < 0 ? s + d : s));
        int hi = Math.max(lo, Math.max(0, Math.min(d, e < 0 ? e + d : e)));
        java.util.List<Double> out = new java.util.ArrayList<>();
        for (int i = 0; i < SHAPE[0]; i++) {
            for (int j = 0; j < SHAPE[1]; j++) {
                for (int k = 0; k < SHAPE[2]; k++) {
                    boolean keep = p < 0 ? i >= lo && i < hi : i == p && j >= lo && j < hi;
                    if (keep) {
                        out.add(x.getFlat((i * SHAPE[1] + j) * SHAPE[2] + k));
                    }
                }
            }
        }
        shapeOut[0] = hi - lo;
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void leadingPointThenRangeIsTheDirectLoop() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            NDArray x = NDArray.randn(new Random(4), SHAPE).astype(dt);
            int[][] cases = {{-1, 1, 3}, {-1, 0, 4}, {-1, -3, 10}, {-1, 3, 1}, {2, 1, 4}, {0, -2, 5}, {3, 0, 0}, {1, -9, 2}};
            for (int[] c : cases) {
                Index r = Index.range(c[1], c[2]);
                Gather g = c[0] < 0 ? Gather.resolve(SHAPE, r) : Gather.resolve(SHAPE, Index.at(c[0]), r, Index.all());
                int[] len = new int[1];
                double[] want = direct(x, c[0], c[1], c[2], len);
                NDArray got = g.gather(x);
                int[] wantShape = c[0] < 0 ? new int[] {len[0], 5, 3} : new int[] {len[0], 3};
                assertArrayEquals(wantShape, got.shape(), java.util.Arrays.toString(c));
                assertEquals(dt, got.dtype());
                assertArrayEquals(want, got.astype(DType.FLOAT64).toArray(), 0.0, java.util.Arrays.toString(c));
                // the adjoint puts every element back where it was read, zeros elsewhere
                NDArray back = g.scatterAdd(got);
                int[] offs = g.offsets();
                double[] expect = new double[60];
                for (int i = 0; i < offs.length; i++) {
                    expect[offs[i]] = x.getFlat(offs[i]);
                }
                assertArrayEquals(expect, back.astype(DType.FLOAT64).toArray(), 0.0, java.util.Arrays.toString(c));
            }
        }
    }
}
