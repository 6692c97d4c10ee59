package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Grouped, depthwise, padded-mode, "same", transposed and 1-D convolutions against direct loops
 * written here (sharing nothing with the implementation), PyTorch's documented output sizes, the
 * layers' parameters, state-dict keys and reprs, and the error messages. Gradients come from the
 * NNOps registry properties.
 */
class ConvVariantsTest {
    private static final double TOL = 1e-10;

    /** Source index of padded coordinate {@code i} (may be outside [0, n)) under a padding mode; -1 for a zero. */
    private static int source(String mode, int i, int n) {
        if (i >= 0 && i < n) {
            return i;
        }
        switch (mode) {
            case "zeros":
                return -1;
            case "reflect":
                return i < 0 ? -i : 2 * (n - 1) - i;
            case "replicate":
                return i < 0 ? 0 : n - 1;
            case "circular":
                return ((i % n) + n) % n;
            default:
                throw new AssertionError(mode);
        }
    }

    /**
     * The textbook grouped convolution: top/left padding {@code pt, pl} (bottom/right implied by
     * the output size {@code oh, ow}), values outside the input from {@code mode}.
     */
    private static NDArray directConv(NDArray x, NDArray w, NDArray b, int groups, int sh, int sw, int pt, int pl,
                                      int dh, int dw, int oh, int ow, String mode) {
        int n = x.shape(0);
        int c = x.shape(1);
        int h = x.shape(2);
        int wd = x.shape(3);
        int oc = w.shape(0);
        int cpg = c / groups;
        int opg = oc / groups;
        NDArray y = NDArray.zeros(n, oc, oh, ow);
        for (int a = 0; a < n; a++) {
            for (int o = 0; o < oc; o++) {
                int g = o / opg;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = b == null ? 0 : b.get(o);
                        for (int ci = 0; ci < cpg; ci++) {
                            for (int ki = 0; ki < w.shape(2); ki++) {
                                for (int kj = 0; kj < w.shape(3); kj++) {
                                    int iy = source(mode, i * sh - pt + ki * dh, h);
                                    int ix = source(mode, j * sw - pl + kj * dw, wd);
                                    if (iy >= 0 && ix >= 0) {
                                        s += x.get(a, g * cpg + ci, iy, ix) * w.get(o, ci, ki, kj);
                                    }
                                }
                            }
                        }
                        y.set(s, a, o, i, j);
                    }
                }
            }
        }
        return y;
    }

    /** PyTorch's convolution output length. */
    private static int out(int in, int k, int s, int p, int d) {
        return (in + 2 * p - d * (k - 1) - 1) / s + 1;
    }

    /** The textbook transposed convolution: every input scattered through the kernel, cropped by the padding. */
    private static NDArray directTranspose(NDArray x, NDArray w, NDArray b, int groups, int s0, int s1, int p0, int p1,
                                           int op0, int op1, int d0, int d1) {
        int n = x.shape(0);
        int c = x.shape(1);
        int h = x.shape(2);
        int wd = x.shape(3);
        int opg = w.shape(1);
        int oc = opg * groups;
        int cpg = c / groups;
        int kh = w.shape(2);
        int kw = w.shape(3);
        int oh = (h - 1) * s0 - 2 * p0 + d0 * (kh - 1) + op0 + 1;
        int ow = (wd - 1) * s1 - 2 * p1 + d1 * (kw - 1) + op1 + 1;
        NDArray y = NDArray.zeros(n, oc, oh, ow);
        for (int a = 0; a < n; a++) {
            for (int o = 0; o < oc; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        y.set(b == null ? 0 : b.get(o), a, o, i, j);
                    }
                }
            }
            for (int ci = 0; ci < c; ci++) {
                int g = ci / cpg;
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < wd; j++) {
                        for (int o = 0; o < opg; o++) {
                            for (int ki = 0; ki < kh; ki++) {
                                for (int kj = 0; kj < kw; kj++) {
                                    int yi = i * s0 - p0 + ki * d0;
                                    int yj = j * s1 - p1 + kj * d1;
                                    if (yi >= 0 && yi < oh && yj >= 0 && yj < ow) {
                                        int oo = g * opg + o;
                                        y.set(y.get(a, oo, yi, yj) + x.get(a, ci, i, j) * w.get(ci, o, ki, kj), a, oo, yi, yj);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    private static void assertClose(NDArray expected, Variable actual) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        double[] e = expected.toArray();
        double[] a = actual.data().toArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], TOL, "element " + i);
        }
    }

    private static double maxAbs(NDArray a) {
        double m = 0;
        for (double d : a.toArray()) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    private static Variable v(NDArray a) {
        return new Variable(a);
    }

    @Test
    void groupedAndDepthwiseConvolutionMatchTheDirectLoops() {
        Random r = new Random(1);
        // groups 2: C=4, OC=6, asymmetric stride/padding/dilation
        NDArray x = NDArray.randn(r, 2, 4, 5, 6);
        NDArray w = NDArray.randn(r, 6, 2, 3, 2);
        NDArray b = NDArray.randn(r, 6);
        Variable y = Functional.conv2d(v(x), v(w), v(b), new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 2}, 2);
        assertClose(directConv(x, w, b, 2, 2, 1, 1, 0, 1, 2, out(5, 3, 2, 1, 1), out(6, 2, 1, 0, 2), "zeros"), y);
        // depthwise: groups = C = 3, two filters per channel, no bias
        NDArray xd = NDArray.randn(r, 1, 3, 4, 4);
        NDArray wd = NDArray.randn(r, 6, 1, 3, 3);
        Variable yd = Functional.conv2d(v(xd), v(wd), null, new int[] {1}, new int[] {1}, new int[] {1}, 3);
        assertClose(directConv(xd, wd, null, 3, 1, 1, 1, 1, 1, 1, 4, 4, "zeros"), yd);
        // output channel 4 (group 2) depends only on input channel 2: a hand check of the grouping
        double s = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int iy = 1 + i - 1;
                int ix = 2 + j - 1;
                s += xd.get(0, 2, iy, ix) * wd.get(4, 0, i, j);
            }
        }
        assertEquals(s, yd.data().get(0, 4, 1, 2), TOL);
    }

    @Test
    void groupsOneIsThePlainConvolution() {
        Random r = new Random(2);
        Variable x = v(NDArray.randn(r, 1, 2, 4, 4));
        Variable w = v(NDArray.randn(r, 3, 2, 3, 3));
        Variable b = v(NDArray.randn(r, 3));
        assertEquals(Functional.conv2d(x, w, b, 1, 1).data(),
                Functional.conv2d(x, w, b, new int[] {1}, new int[] {1}, new int[] {1}, 1).data());
    }

    @Test
    void paddingModesOfTheLayerMatchTheDirectLoops() {
        Random r = new Random(3);
        NDArray x = NDArray.randn(r, 2, 2, 4, 5);
        for (String mode : new String[] {"zeros", "reflect", "replicate", "circular"}) {
            Conv2d conv = new Conv2d(2, 4, new int[] {3, 2}, new int[] {1, 2}, new int[] {2, 1}, new int[] {1},
                    2, true, mode, new Random(4));
            Variable y = conv.forward(v(x));
            NDArray expected = directConv(x, conv.weight().data(), conv.bias().data(), 2, 1, 2, 2, 1, 1, 1,
                    out(4, 3, 1, 2, 1), out(5, 2, 2, 1, 1), mode);
            assertClose(expected, y);
        }
    }

    @Test
    void samePaddingKeepsTheSizeWithTheOddExtraOnTheBottomRight() {
        Random r = new Random(5);
        NDArray x = NDArray.randn(r, 1, 2, 5, 4);
        NDArray w = NDArray.randn(r, 2, 1, 4, 3); // total padding 3 (top 1, bottom 2) and, dilated by 2, 4 (2, 2)
        NDArray b = NDArray.randn(r, 2);
        Variable y = Functional.conv2d(v(x), v(w), v(b), new int[] {1}, "same", new int[] {1, 2}, 2);
        assertClose(directConv(x, w, b, 2, 1, 1, 1, 2, 1, 2, 5, 4, "zeros"), y);
        // the layer with a non-zero mode pads (top 1, bottom 2, left 2, right 2) by reflection
        Conv2d conv = new Conv2d(2, 2, new int[] {4, 3}, new int[] {1}, "same", new int[] {1, 2}, 1, false, "reflect",
                new Random(6));
        assertClose(directConv(x, conv.weight().data(), null, 1, 1, 1, 1, 2, 1, 2, 5, 4, "reflect"), conv.forward(v(x)));
        assertArrayEquals(new int[] {1, 2, 2, 2},
                Functional.conv2d(v(x), v(w), null, new int[] {1}, "valid", new int[] {1}, 2).shape());
    }

    @Test
    void pytorchDocumentedOutputSizes() {
        Random r = new Random(7);
        // nn.Conv2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2), dilation=(3, 1)) on H, W = 50, 100: (26, 100)
        Conv2d c = new Conv2d(2, 3, new int[] {3, 5}, new int[] {2, 1}, new int[] {4, 2}, new int[] {3, 1}, true,
                new Random(1));
        assertArrayEquals(new int[] {1, 3, 26, 100}, c.forward(v(NDArray.randn(r, 1, 2, 50, 100))).shape());
        // ConvTranspose2d docs: a 12x12 input downsampled by Conv2d(3, stride=2, padding=1) to 6x6 comes back to
        // 12x12 with output_padding=1 (output_size=input.size()), and to 11x11 without
        Variable x = v(NDArray.randn(r, 1, 2, 12, 12));
        Variable h = new Conv2d(2, 2, 3, 2, 1, new Random(2)).forward(x);
        assertArrayEquals(new int[] {1, 2, 6, 6}, h.shape());
        ConvTranspose2d up = new ConvTranspose2d(2, 2, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, 1,
                true, new int[] {1}, new Random(3));
        assertArrayEquals(new int[] {1, 2, 12, 12}, up.forward(h).shape());
        assertArrayEquals(new int[] {1, 2, 11, 11}, new ConvTranspose2d(2, 2, new int[] {3}, new int[] {2}, new int[] {1},
                new int[] {0}, 1, true, new int[] {1}, new Random(3)).forward(h).shape());
        // without padding: (6 - 1)·2 + 2 + 1 = 13
        assertArrayEquals(new int[] {1, 2, 13, 13}, new ConvTranspose2d(2, 2, 3, 2, new Random(3)).forward(h).shape());
        // nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2)) on 50x100: (2·49 - 8 + 2 + 1, 99 - 4 + 4 + 1)
        ConvTranspose2d t = new ConvTranspose2d(2, 3, new int[] {3, 5}, new int[] {2, 1}, new int[] {4, 2},
                new int[] {0}, 1, true, new int[] {1}, new Random(4));
        assertArrayEquals(new int[] {1, 3, 93, 100}, t.forward(v(NDArray.randn(r, 1, 2, 50, 100))).shape());
        // nn.Conv1d(16, 33, 3, stride=2) on L = 50: 24
        Conv1d c1 = new Conv1d(2, 3, 3, 2, 0, 1, 1, true, "zeros", new Random(5));
        assertArrayEquals(new int[] {4, 3, 24}, c1.forward(v(NDArray.randn(r, 4, 2, 50))).shape());
    }

    @Test
    void transposedConvolutionMatchesTheDirectScatter() {
        Random r = new Random(8);
        int[][] cases = { // groups, s0, s1, p0, p1, op0, op1, d0, d1, k0, k1
            {1, 1, 1, 0, 0, 0, 0, 1, 1, 3, 3},
            {1, 2, 3, 1, 0, 1, 2, 1, 1, 3, 2},
            {2, 2, 1, 1, 1, 0, 0, 2, 1, 3, 3},
            {1, 1, 1, 1, 0, 1, 1, 2, 2, 3, 2}, // output padding 1 with stride 1 reaches into the dilation
            {2, 1, 2, 0, 1, 1, 1, 3, 1, 2, 3},
        };
        for (int[] k : cases) {
            int g = k[0];
            NDArray x = NDArray.randn(r, 2, 2 * g, 3, 2);
            NDArray w = NDArray.randn(r, 2 * g, 2, k[9], k[10]);
            NDArray b = NDArray.randn(r, 2 * g);
            Variable y = Functional.convTranspose2d(v(x), v(w), v(b), new int[] {k[1], k[2]}, new int[] {k[3], k[4]},
                    new int[] {k[5], k[6]}, g, new int[] {k[7], k[8]});
            assertClose(directTranspose(x, w, b, g, k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8]), y);
        }
    }

    @Test
    void transposedConvolutionIsTheAdjointOfConvolution() {
        // <conv2d(x, w), u> = <x, conv_transpose2d(u, w)> for the same geometry and groups
        Random r = new Random(9);
        NDArray x = NDArray.randn(r, 2, 4, 7, 6);
        NDArray w = NDArray.randn(r, 6, 2, 3, 2);
        Variable y = Functional.conv2d(v(x), v(w), null, new int[] {2, 1}, new int[] {1, 1}, new int[] {1, 2}, 2);
        NDArray u = NDArray.randn(r, y.shape());
        int oph = 7 - ((y.shape(2) - 1) * 2 - 2 + 2 + 1);
        int opw = 6 - ((y.shape(3) - 1) - 2 + 2 + 1);
        Variable t = Functional.convTranspose2d(v(u), v(w), null, new int[] {2, 1}, new int[] {1, 1},
                new int[] {oph, opw}, 2, new int[] {1, 2});
        assertArrayEquals(x.shape(), t.shape());
        assertEquals(y.data().mul(u).sum().item(), x.mul(t.data()).sum().item(), 1e-9);
    }

    @Test
    void conv1dMatchesTheDirectLoop() {
        Random r = new Random(10);
        NDArray x = NDArray.randn(r, 2, 4, 9);
        NDArray w = NDArray.randn(r, 2, 2, 3);
        NDArray b = NDArray.randn(r, 2);
        Variable y = Functional.conv1d(v(x), v(w), v(b), 2, 1, 2, 2);
        int ol = out(9, 3, 2, 1, 2);
        NDArray e = NDArray.zeros(2, 2, ol);
        for (int a = 0; a < 2; a++) {
            for (int o = 0; o < 2; o++) {
                for (int i = 0; i < ol; i++) {
                    double s = b.get(o);
                    for (int ci = 0; ci < 2; ci++) {
                        for (int k = 0; k < 3; k++) {
                            int at = i * 2 - 1 + k * 2;
                            if (at >= 0 && at < 9) {
                                s += x.get(a, o * 2 + ci, at) * w.get(o, ci, k);
                            }
                        }
                    }
                    e.set(s, a, o, i);
                }
            }
        }
        assertClose(e, y);
        // "same" with an even kernel: total 3, left 1, right 2
        NDArray w4 = NDArray.randn(r, 1, 4, 4);
        Variable ys = Functional.conv1d(v(x), v(w4), null, 1, "same", 1, 1);
        assertArrayEquals(new int[] {2, 1, 9}, ys.shape());
        double s = 0;
        for (int ci = 0; ci < 4; ci++) {
            for (int k = 0; k < 4; k++) {
                int at = 8 - 1 + k;
                s += at < 9 ? x.get(1, ci, at) * w4.get(0, ci, k) : 0;
            }
        }
        assertEquals(s, ys.data().get(1, 0, 8), TOL);
        // the layer's circular mode wraps the sequence: padding 1 on a kernel of 3 keeps the length
        Conv1d circ = new Conv1d(1, 1, 3, 1, 1, 1, 1, false, "circular", new Random(11));
        NDArray seq = NDArray.of(new double[] {1, 2, 3, 4}, 1, 1, 4);
        Variable yc = circ.forward(v(seq));
        double[] k = circ.weight().data().toArray();
        assertEquals(4 * k[0] + 1 * k[1] + 2 * k[2], yc.data().get(0, 0, 0), TOL);
        assertEquals(3 * k[0] + 4 * k[1] + 1 * k[2], yc.data().get(0, 0, 3), TOL);
    }

    @Test
    void convTranspose1dMatchesTheDirectScatter() {
        Random r = new Random(12);
        NDArray x = NDArray.randn(r, 1, 2, 4);
        NDArray w = NDArray.randn(r, 2, 3, 2);
        Variable y = Functional.convTranspose1d(v(x), v(w), null, 3, 1, 2, 1, 2);
        int ol = 3 * 3 - 2 + 2 + 2 + 1;
        assertArrayEquals(new int[] {1, 3, ol}, y.shape());
        NDArray e = NDArray.zeros(1, 3, ol);
        for (int ci = 0; ci < 2; ci++) {
            for (int i = 0; i < 4; i++) {
                for (int o = 0; o < 3; o++) {
                    for (int k = 0; k < 2; k++) {
                        int at = i * 3 - 1 + k * 2;
                        if (at >= 0 && at < ol) {
                            e.set(e.get(0, o, at) + x.get(0, ci, i) * w.get(ci, o, k), 0, o, at);
                        }
                    }
                }
            }
        }
        assertClose(e, y);
    }

    @Test
    void layersHavePyTorchsParametersStateDictAndRepr() {
        Conv2d c = new Conv2d(4, 8, new int[] {3}, new int[] {1}, new int[] {1}, new int[] {1}, 2, false, "reflect",
                new Random(1));
        Map<String, NDArray> sd = c.stateDict();
        assertEquals(java.util.Set.of("weight"), sd.keySet());
        assertArrayEquals(new int[] {8, 2, 3, 3}, sd.get("weight").shape());
        assertEquals(18, c.fanIn());
        assertTrue(maxAbs(c.weight().data()) <= 1 / Math.sqrt(18));
        assertEquals("Conv2d(4, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), groups=2, bias=False, "
                + "padding_mode=reflect)", c.toString());
        assertEquals("Conv2d(3, 6, kernel_size=(3, 3), stride=(1, 1), padding=same, groups=3)",
                new Conv2d(3, 6, new int[] {3}, new int[] {1}, "same", new int[] {1}, 3, true, "zeros",
                        new Random(1)).toString());
        Conv1d c1 = new Conv1d(4, 6, 5, 2, 1, 1, 2, true, "zeros", new Random(1));
        assertArrayEquals(new int[] {6, 2, 5}, c1.stateDict().get("weight").shape());
        assertArrayEquals(new int[] {6}, c1.stateDict().get("bias").shape());
        assertEquals("Conv1d(4, 6, kernel_size=(5,), stride=(2,), padding=(1,), groups=2)", c1.toString());
        ConvTranspose2d t = new ConvTranspose2d(4, 6, new int[] {3, 5}, new int[] {2, 1}, new int[] {4, 2},
                new int[] {1, 0}, 2, true, new int[] {1}, new Random(1));
        assertArrayEquals(new int[] {4, 3, 3, 5}, t.stateDict().get("weight").shape());
        assertArrayEquals(new int[] {6}, t.stateDict().get("bias").shape());
        assertTrue(maxAbs(t.weight().data()) <= 1 / Math.sqrt(3 * 15));
        assertEquals("ConvTranspose2d(4, 6, kernel_size=(3, 5), stride=(2, 1), padding=(4, 2), output_padding=(1, 0), "
                + "groups=2)", t.toString());
        ConvTranspose1d t1 = new ConvTranspose1d(2, 4, 3, 2, 0, 1, 1, false, 1, new Random(1));
        assertEquals(java.util.Set.of("weight"), t1.stateDict().keySet());
        assertArrayEquals(new int[] {2, 4, 3}, t1.stateDict().get("weight").shape());
        assertEquals("ConvTranspose1d(2, 4, kernel_size=(3,), stride=(2,), output_padding=(1,), bias=False)",
                t1.toString());
    }

    @Test
    void sameSeedSameWeights() {
        assertEquals(new Conv2d(2, 4, new int[] {3}, new int[] {1}, new int[] {0}, new int[] {1}, 2, true, "zeros",
                new Random(5)).weight().data(), new Conv2d(2, 4, new int[] {3}, new int[] {1}, new int[] {0},
                new int[] {1}, 2, true, "zeros", new Random(5)).weight().data());
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void badArgumentsAreRefusedWithPyTorchsMessages() {
        Random r = new Random(1);
        String m = message(() -> new Conv2d(3, 4, new int[] {3}, new int[] {1}, new int[] {0}, new int[] {1}, 2, true,
                "zeros", r));
        assertEquals("Conv2d: in_channels must be divisible by groups, but got in_channels=3, groups=2", m);
        m = message(() -> new Conv2d(4, 3, new int[] {3}, new int[] {1}, new int[] {0}, new int[] {1}, 2, true,
                "zeros", r));
        assertEquals("Conv2d: out_channels must be divisible by groups, but got out_channels=3, groups=2", m);
        m = message(() -> new Conv2d(4, 4, new int[] {3}, new int[] {1}, new int[] {0}, new int[] {1}, 1, true,
                "mirror", r));
        assertEquals("Conv2d: padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got "
                + "padding_mode='mirror'", m);
        m = message(() -> new Conv2d(4, 4, new int[] {3}, new int[] {2}, "same", new int[] {1}, 1, true, "zeros", r));
        assertTrue(m.startsWith("Conv2d: padding='same' is not supported for strided convolutions"), m);
        m = message(() -> new Conv2d(4, 4, new int[] {3}, new int[] {1}, "full", new int[] {1}, 1, true, "zeros", r));
        assertTrue(m.startsWith("Conv2d: Invalid padding string 'full', should be one of {'valid', 'same'}"), m);
        Variable x = v(NDArray.ones(1, 3, 4, 4));
        m = message(() -> Functional.conv2d(x, v(NDArray.ones(4, 2, 3, 3)), null, new int[] {1}, new int[] {0},
                new int[] {1}, 2));
        assertTrue(m.startsWith("conv2d: Given groups=2, weight of size (4, 2, 3, 3), expected input[N, 4, ...] to have "
                + "4 channels, but got 3 channels instead"), m);
        m = message(() -> Functional.conv2d(v(NDArray.ones(1, 4, 4, 4)), v(NDArray.ones(3, 2, 3, 3)), null,
                new int[] {1}, new int[] {0}, new int[] {1}, 2));
        assertEquals("conv2d: Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of "
                + "size (3, 2, 3, 3) instead", m);
        m = message(() -> Functional.conv2d(x, v(NDArray.ones(3, 3, 3, 3)), null, new int[] {1}, new int[] {0},
                new int[] {1}, 0));
        assertTrue(m.contains("non-positive groups is not supported"), m);
        m = message(() -> Functional.conv2d(x, v(NDArray.ones(3, 3, 3, 3)), null, new int[] {2}, "same",
                new int[] {1}, 1));
        assertTrue(m.startsWith("conv2d: padding='same' is not supported for strided convolutions, but got stride "
                + "[2, 2]"), m);
        m = message(() -> Functional.convTranspose2d(x, v(NDArray.ones(3, 2, 3, 3)), null, new int[] {2},
                new int[] {0}, new int[] {2}, 1, new int[] {1}));
        assertEquals("convTranspose2d: output padding must be smaller than either stride or dilation, but got "
                + "output_padding_height: 2 output_padding_width: 2 stride_height: 2 stride_width: 2 dilation_height: 1"
                + " dilation_width: 1", m);
        m = message(() -> Functional.convTranspose2d(x, v(NDArray.ones(4, 2, 3, 3)), null));
        assertTrue(m.startsWith("convTranspose2d: Given transposed=1, groups=1, weight of size (4, 2, 3, 3), expected "
                + "input[N, 4, ...] to have 4 channels, but got 3 channels instead"), m);
        m = message(() -> Functional.convTranspose2d(v(NDArray.ones(1, 3, 1, 1)), v(NDArray.ones(3, 2, 1, 1)), null,
                new int[] {1}, new int[] {1}, new int[] {0}, 1, new int[] {1}));
        assertTrue(m.contains("Calculated output size per channel: (-1 x -1). Output size is too small"), m);
        m = message(() -> new ConvTranspose2d(2, 2, new int[] {3}, new int[] {1}, new int[] {0}, new int[] {1}, 1,
                true, new int[] {1}, r));
        assertTrue(m.contains("output padding must be at least 0 and smaller than either stride or dilation"), m);
        m = message(() -> Functional.conv1d(v(NDArray.ones(3, 8)), v(NDArray.ones(2, 3, 3)), null));
        assertEquals("conv1d: expected a 3-D input (N, C, L), but got a 2-D input of shape (3, 8); for a single sequence"
                + " add a batch axis with x.unsqueeze(0)", m);
        m = message(() -> Functional.conv1d(v(NDArray.ones(1, 3, 8)), v(NDArray.ones(2, 3, 3, 1)), null));
        assertTrue(m.startsWith("conv1d: expected a 3-D weight (out_channels, in_channels/groups, kL)"), m);
        m = message(() -> Functional.conv1d(v(NDArray.ones(1, 3, 8)), v(NDArray.ones(2, 2, 3)), null, 1, 0, 1, 2));
        assertTrue(m.startsWith("conv1d: Given groups=2, weight of size (2, 2, 3), expected input[N, 4, ...]"), m);
        m = message(() -> Functional.pad(x, new int[] {1, 1}, "mirror", 0));
        assertTrue(m.startsWith("pad: Unrecognised padding mode 'mirror'"), m);
        m = message(() -> Functional.pad(x, new int[] {1, 1}, "reflect", 2));
        assertTrue(m.startsWith("pad: Padding mode \"reflect\" doesn't take in value argument"), m);
        m = message(() -> Functional.pad(x, new int[] {5, 0}, "circular", 0));
        assertTrue(m.contains("wrapping around more than once"), m);
    }

    @Test
    void padModesByName() {
        Variable x = v(NDArray.of(new double[] {1, 2, 3}, 1, 1, 3));
        assertEquals(NDArray.of(new double[] {7, 1, 2, 3, 7, 7}, 1, 1, 6), Functional.pad(x, new int[] {1, 2}, "constant", 7).data());
        assertEquals(NDArray.of(new double[] {2, 1, 2, 3, 2, 1}, 1, 1, 6), Functional.pad(x, new int[] {1, 2}, "reflect", 0).data());
        assertEquals(NDArray.of(new double[] {1, 1, 2, 3, 3, 3}, 1, 1, 6), Functional.pad(x, new int[] {1, 2}, "replicate", 0).data());
        assertEquals(NDArray.of(new double[] {3, 1, 2, 3, 1, 2}, 1, 1, 6), Functional.pad(x, new int[] {1, 2}, "circular", 0).data());
    }
}
