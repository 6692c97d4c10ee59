package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Interpolation, adaptive pooling and group normalization against PyTorch's documented values and
 * direct loops written here; layers' reprs, state dicts and error messages. Gradients come from
 * the NNOps registry properties.
 */
class ResampleAndGroupNormTest {
    private static final double TOL = 1e-12;

    private static Variable v(NDArray a) {
        return new Variable(a);
    }

    private static void assertValues(double[] expected, int[] shape, Variable y, double tol) {
        assertArrayEquals(shape, y.shape(), "shape");
        double[] a = y.data().toArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], a[i], tol, "element " + i);
        }
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    /** The nn.Upsample docs' input: [[1, 2], [3, 4]]. */
    private static Variable docInput() {
        return v(NDArray.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2));
    }

    @Test
    void upsampleDocsExamples() {
        assertValues(new double[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, new int[] {1, 1, 4, 4},
                new Upsample(2, "nearest").forward(docInput()), 0);
        // mode='bilinear' (align_corners=False)
        assertValues(new double[] {1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4},
                new int[] {1, 1, 4, 4}, new Upsample(2, "bilinear").forward(docInput()), TOL);
        // mode='bilinear', align_corners=True
        double t = 1.0 / 3;
        assertValues(new double[] {1, 1 + t, 1 + 2 * t, 2, 1 + 2 * t, 2, 2 + t, 2 + 2 * t, 2 + t, 2 + 2 * t, 3, 3 + t,
            3, 3 + t, 3 + 2 * t, 4}, new int[] {1, 1, 4, 4},
                new Upsample(null, new double[] {2}, "bilinear", true).forward(docInput()), TOL);
    }

    @Test
    void nearestUsesFloorOfDstTimesInOverOut() {
        Variable x = v(NDArray.of(new double[] {10, 20, 30, 40, 50}, 1, 1, 5));
        // size 3 from 5: scale 5/3, sources floor(0), floor(1.67), floor(3.33) = 0, 1, 3
        assertValues(new double[] {10, 20, 40}, new int[] {1, 1, 3},
                Functional.interpolate(x, new int[] {3}, null, "nearest", null), 0);
        // size 7 from 5: sources floor(k·5/7) = 0 0 1 2 2 3 4
        assertValues(new double[] {10, 10, 20, 30, 30, 40, 50}, new int[] {1, 1, 7},
                Functional.interpolate(x, new int[] {7}, null, "nearest", null), 0);
        // scale factor 0.5: floor(2.5) = 2 outputs, sources floor(k / 0.5) = 0, 2
        assertValues(new double[] {10, 30}, new int[] {1, 1, 2},
                Functional.interpolate(x, null, new double[] {0.5}, "nearest", null), 0);
        // a per-axis size on 4-D
        Variable img = v(NDArray.of(new double[] {1, 2, 3, 4, 5, 6}, 1, 1, 2, 3));
        assertValues(new double[] {1, 2, 1, 2, 4, 5}, new int[] {1, 1, 3, 2}, // rows 0 0 1 (scale 2/3), columns 0 1 (scale 1.5)
                Functional.interpolate(img, new int[] {3, 2}, null, "nearest", null), 0);
    }

    /** Bilinear interpolation pixel by pixel (not axis by axis) with PyTorch's source coordinates. */
    private static NDArray directBilinear(NDArray x, int oh, int ow, boolean align) {
        int h = x.shape(2);
        int w = x.shape(3);
        NDArray y = NDArray.zeros(x.shape(0), x.shape(1), oh, ow);
        for (int n = 0; n < x.shape(0); n++) {
            for (int c = 0; c < x.shape(1); c++) {
                for (int i = 0; i < oh; i++) {
                    double sy = align ? (oh > 1 ? i * (h - 1.0) / (oh - 1) : 0) : Math.max((i + 0.5) * h / oh - 0.5, 0);
                    int y0 = (int) sy;
                    int y1 = Math.min(y0 + 1, h - 1);
                    double ly = sy - y0;
                    for (int j = 0; j < ow; j++) {
                        double sx = align ? (ow > 1 ? j * (w - 1.0) / (ow - 1) : 0) : Math.max((j + 0.5) * w / ow - 0.5, 0);
                        int x0 = (int) sx;
                        int x1 = Math.min(x0 + 1, w - 1);
                        double lx = sx - x0;
                        double v = (1 - ly) * (1 - lx) * x.get(n, c, y0, x0) + (1 - ly) * lx * x.get(n, c, y0, x1)
                                + ly * (1 - lx) * x.get(n, c, y1, x0) + ly * lx * x.get(n, c, y1, x1);
                        y.set(v, n, c, i, j);
                    }
                }
            }
        }
        return y;
    }

    @Test
    void bilinearMatchesThePixelFormula() {
        Random r = new Random(1);
        NDArray x = NDArray.randn(r, 2, 2, 3, 5);
        int[][] sizes = {{7, 4}, {2, 9}, {1, 1}, {3, 5}, {6, 10}};
        for (int[] s : sizes) {
            for (boolean align : new boolean[] {false, true}) {
                Variable y = Functional.interpolate(v(x), s, null, "bilinear", align);
                assertValues(directBilinear(x, s[0], s[1], align).toArray(), new int[] {2, 2, s[0], s[1]}, y, 1e-12);
            }
        }
        // a null align_corners is PyTorch's default False
        assertEquals(Functional.interpolate(v(x), new int[] {4, 4}, null, "bilinear", false).data(),
                Functional.interpolate(v(x), new int[] {4, 4}, null, "bilinear", null).data());
        // linear on 3-D: [1, 2] to 4 gives the half-pixel 1, 1.25, 1.75, 2
        assertValues(new double[] {1, 1.25, 1.75, 2}, new int[] {1, 1, 4},
                Functional.interpolate(v(NDArray.of(new double[] {1, 2}, 1, 1, 2)), new int[] {4}, null, "linear", null),
                TOL);
    }

    @Test
    void adaptiveAveragePoolWindows() {
        // torch: F.adaptive_avg_pool1d([1, 2, 3, 4, 5], 3): windows [0, 2), [1, 4), [3, 5) give 1.5, 3, 4.5
        Variable row = v(NDArray.of(new double[] {1, 2, 3, 4, 5}, 1, 1, 1, 5));
        assertValues(new double[] {1.5, 3, 4.5}, new int[] {1, 1, 1, 3}, Functional.adaptiveAvgPool2d(row, 1, 3), TOL);
        Random r = new Random(2);
        NDArray x = NDArray.randn(r, 2, 3, 5, 7);
        for (int[] o : new int[][] {{3, 4}, {1, 1}, {5, 7}, {8, 3}, {2}}) {
            int oh = o[0];
            int ow = o.length == 1 ? o[0] : o[1];
            NDArray e = NDArray.zeros(2, 3, oh, ow);
            NDArray em = NDArray.zeros(2, 3, oh, ow);
            for (int n = 0; n < 2; n++) {
                for (int c = 0; c < 3; c++) {
                    for (int i = 0; i < oh; i++) {
                        int y0 = (int) Math.floor(i * 5.0 / oh);
                        int y1 = (int) Math.ceil((i + 1) * 5.0 / oh);
                        for (int j = 0; j < ow; j++) {
                            int x0 = (int) Math.floor(j * 7.0 / ow);
                            int x1 = (int) Math.ceil((j + 1) * 7.0 / ow);
                            double sum = 0;
                            double max = Double.NEGATIVE_INFINITY;
                            for (int a = y0; a < y1; a++) {
                                for (int b = x0; b < x1; b++) {
                                    sum += x.get(n, c, a, b);
                                    max = Math.max(max, x.get(n, c, a, b));
                                }
                            }
                            e.set(sum / ((y1 - y0) * (x1 - x0)), n, c, i, j);
                            em.set(max, n, c, i, j);
                        }
                    }
                }
            }
            assertValues(e.toArray(), new int[] {2, 3, oh, ow}, Functional.adaptiveAvgPool2d(v(x), o), 1e-12);
            assertValues(em.toArray(), new int[] {2, 3, oh, ow}, Functional.adaptiveMaxPool2d(v(x), o), 0);
        }
        // output 1 is the global average
        assertValues(Functional.globalAvgPool2d(v(x), true).data().toArray(), new int[] {2, 3, 1, 1},
                new AdaptiveAvgPool2d(1).forward(v(x)), 1e-12);
    }

    @Test
    void adaptiveMaxGradientGoesToTheFirstMaximumOfEachWindow() {
        // 1 x 3 input to 2 outputs: windows [0, 2) and [1, 3) overlap at position 1
        Variable x = new Variable(NDArray.of(new double[] {5, 5, 5}, 1, 1, 1, 3), true);
        Functional.adaptiveMaxPool2d(x, 1, 2).sum().backward();
        assertEquals(NDArray.of(new double[] {1, 1, 0}, 1, 1, 1, 3), x.grad().data());
        Variable y = new Variable(NDArray.of(new double[] {1, 7, 2}, 1, 1, 1, 3), true);
        Functional.adaptiveMaxPool2d(y, 1, 2).sum().backward();
        assertEquals(NDArray.of(new double[] {0, 2, 0}, 1, 1, 1, 3), y.grad().data());
    }

    @Test
    void groupNormMatchesTheDirectLoop() {
        Random r = new Random(3);
        NDArray x = NDArray.randn(r, 2, 6, 3, 2);
        NDArray w = NDArray.randn(r, 6);
        NDArray b = NDArray.randn(r, 6);
        Variable y = Functional.groupNorm(v(x), 3, v(w), v(b), 1e-5);
        NDArray e = NDArray.zeros(2, 6, 3, 2);
        for (int n = 0; n < 2; n++) {
            for (int g = 0; g < 3; g++) {
                double sum = 0;
                for (int c = 2 * g; c < 2 * g + 2; c++) {
                    for (int i = 0; i < 6; i++) {
                        sum += x.get(n, c, i / 2, i % 2);
                    }
                }
                double mean = sum / 12;
                double sq = 0;
                for (int c = 2 * g; c < 2 * g + 2; c++) {
                    for (int i = 0; i < 6; i++) {
                        double d = x.get(n, c, i / 2, i % 2) - mean;
                        sq += d * d;
                    }
                }
                double sd = Math.sqrt(sq / 12 + 1e-5);
                for (int c = 2 * g; c < 2 * g + 2; c++) {
                    for (int i = 0; i < 6; i++) {
                        e.set((x.get(n, c, i / 2, i % 2) - mean) / sd * w.get(c) + b.get(c), n, c, i / 2, i % 2);
                    }
                }
            }
        }
        assertValues(e.toArray(), new int[] {2, 6, 3, 2}, y, 1e-12);
        // one group is layer norm over (C, H, W) without affine
        assertValues(Functional.layerNorm(v(x), new int[] {6, 3, 2}, null, null, 1e-5).data().toArray(),
                new int[] {2, 6, 3, 2}, new GroupNorm(1, 6, 1e-5, false).forward(v(x)), 1e-12);
    }

    @Test
    void layersReprStateDictAndErrors() {
        GroupNorm gn = new GroupNorm(3, 6);
        assertEquals(java.util.Set.of("weight", "bias"), gn.stateDict().keySet());
        assertArrayEquals(new int[] {6}, gn.stateDict().get("weight").shape());
        assertEquals(NDArray.ones(6), gn.weight().data());
        assertEquals(NDArray.zeros(6), gn.bias().data());
        assertEquals("GroupNorm(3, 6, eps=1e-05, affine=True)", gn.toString());
        assertTrue(new GroupNorm(2, 4, 1e-3, false).stateDict().isEmpty());
        assertEquals("Upsample(scale_factor=2.0, mode='nearest')", new Upsample(2, "nearest").toString());
        assertEquals("Upsample(size=(4, 6), mode='bilinear')",
                new Upsample(new int[] {4, 6}, null, "bilinear", true).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=(5, 7))", new AdaptiveAvgPool2d(5, 7).toString());
        assertEquals("AdaptiveMaxPool2d(output_size=1)", new AdaptiveMaxPool2d(1).toString());
        assertTrue(new AdaptiveMaxPool2d(1).stateDict().isEmpty());

        assertEquals("GroupNorm: num_channels must be divisible by num_groups, but got num_channels=5, num_groups=2",
                message(() -> new GroupNorm(2, 5)));
        assertEquals("groupNorm: Expected number of channels in input to be divisible by num_groups, but got input of"
                + " shape (2, 3, 4) and num_groups=2",
                message(() -> Functional.groupNorm(v(NDArray.ones(2, 3, 4)), 2, null, null, 1e-5)));
        Variable img = docInput();
        assertTrue(message(() -> Functional.interpolate(img, new int[] {4}, new double[] {2}, "nearest", null))
                .contains("only one of size or scale_factor should be defined"));
        assertTrue(message(() -> Functional.interpolate(img, null, null, "nearest", null))
                .contains("either size or scale_factor should be defined"));
        assertTrue(message(() -> new Upsample(null, new double[] {2}, "nearest", false))
                .contains("align_corners option can only be set with the interpolating modes"));
        assertTrue(message(() -> Functional.interpolate(v(NDArray.ones(1, 1, 3)), new int[] {4}, null, "bilinear", null))
                .contains("Got 3D input, but bilinear mode needs 4D input"));
        assertTrue(message(() -> Functional.interpolate(img, new int[] {4}, null, "bicubic", null))
                .contains("mode 'bicubic' is not supported"));
        assertTrue(message(() -> Functional.interpolate(img, new int[] {4, 4, 4}, null, "nearest", null))
                .contains("Input and output must have the same number of spatial dimensions"));
        assertTrue(message(() -> Functional.interpolate(img, null, new double[] {0.25}, "nearest", null))
                .contains("Input and output sizes should be greater than 0"));
        assertTrue(message(() -> new AdaptiveAvgPool2d(0)).contains("output_size must be one or two positive sizes"));
        assertTrue(message(() -> Functional.adaptiveMaxPool2d(v(NDArray.ones(2, 3)), 1))
                .startsWith("adaptiveMaxPool2d: expected a 4-D input (N, C, H, W)"));
    }

    @Test
    void float32InputsGiveFloat32OutputsCloseToFloat64() {
        Random r = new Random(4);
        NDArray x = NDArray.randn(r, 1, 4, 5, 6);
        java.util.List<java.util.function.Function<Variable, Variable>> fs = java.util.List.of(
                t -> Functional.interpolate(t, new int[] {7, 3}, null, "bilinear", null),
                t -> Functional.interpolate(t, null, new double[] {1.5}, "nearest", null),
                t -> Functional.adaptiveAvgPool2d(t, 3, 4),
                t -> Functional.adaptiveMaxPool2d(t, 2),
                t -> new GroupNorm(2, 4).to(dev.nabla.ndarray.DType.FLOAT32).forward(t),
                t -> new Conv2d(4, 4, new int[] {3}, new int[] {1}, "same", new int[] {1}, 4, true, "circular",
                        new Random(1)).to(dev.nabla.ndarray.DType.FLOAT32).forward(t),
                t -> new ConvTranspose2d(4, 2, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, 2, true,
                        new int[] {1}, new Random(1)).to(dev.nabla.ndarray.DType.FLOAT32).forward(t));
        for (int i = 0; i < fs.size(); i++) {
            Variable y32 = fs.get(i).apply(v(x.astype(dev.nabla.ndarray.DType.FLOAT32)));
            assertEquals(dev.nabla.ndarray.DType.FLOAT32, y32.dtype(), "function " + i);
        }
        Variable a = Functional.interpolate(v(x.astype(dev.nabla.ndarray.DType.FLOAT32)), new int[] {7, 3}, null,
                "bilinear", null);
        assertValues(Functional.interpolate(v(x), new int[] {7, 3}, null, "bilinear", null).data().toArray(),
                new int[] {1, 4, 7, 3}, v(a.data().astype(dev.nabla.ndarray.DType.FLOAT64)), 1e-5);
    }
}
