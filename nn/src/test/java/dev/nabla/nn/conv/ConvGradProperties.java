package dev.nabla.nn.conv;

import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.GradGradCheck;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Functional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import java.util.Random;
import java.util.function.Function;

/**
 * First- and second-order gradient checks (vᵀJ against float64 central differences) of the
 * convolution and of the im2col/col2im nodes, over random batch sizes, channel counts, kernel
 * sizes, strides, paddings and dilations.
 */
class ConvGradProperties {

    @Provide
    Arbitrary<ConvCase> cases() {
        return ConvCase.conv();
    }

    private static Function<Variable[], Variable> conv(ConvCase k) {
        return v -> Functional.conv2d(v[0], v[1], v.length > 2 ? v[2] : null,
                new int[] {k.sh, k.sw}, new int[] {k.ph, k.pw}, new int[] {k.dh, k.dw});
    }

    /** At least a fifth of the random convolution cases have windows that do not tile the input. */
    @Property(tries = 400)
    void casesCoverNonTilingWindows(@ForAll("cases") ConvCase k) {
        boolean tiles = (k.h + 2 * k.ph - k.dh * (k.kh - 1) - 1) % k.sh == 0
                && (k.w + 2 * k.pw - k.dw * (k.kw - 1) - 1) % k.sw == 0;
        Statistics.label("tiles").collect(tiles);
        Statistics.label("tiles").coverage(c -> c.check(false).percentage(p -> p >= 20));
    }

    @Property(tries = 30)
    void conv2dFirstOrder(@ForAll("cases") ConvCase k) {
        GradCheck.check(conv(k), k.input(), k.weight(), k.bias()).orThrow();
    }

    @Property(tries = 20)
    void conv2dSecondOrder(@ForAll("cases") ConvCase k) {
        GradGradCheck.check(conv(k), k.input(), k.weight(), k.bias()).orThrow();
    }

    @Property(tries = 15)
    void conv2dWithoutBiasFirstAndSecondOrder(@ForAll("cases") ConvCase k) {
        GradCheck.check(conv(k), k.input(), k.weight()).orThrow();
        GradGradCheck.check(conv(k), k.input(), k.weight()).orThrow();
    }

    /** Convolution feeding a nonlinearity feeding a second convolution: second order with real curvature. */
    @Property(tries = 15)
    void convTanhConvSecondOrder(@ForAll("cases") ConvCase k) {
        NDArray w2 = NDArray.randn(new Random(k.seed + 11), 2, k.oc, 1, 1);
        Function<Variable[], Variable> f = v -> {
            Variable h = conv(k).apply(new Variable[] {v[0], v[1], v[2]}).tanh();
            return Functional.conv2d(h, v[3], null, 1, 0);
        };
        GradCheck.check(f, k.input(), k.weight(), k.bias(), w2).orThrow();
        GradGradCheck.check(f, k.input(), k.weight(), k.bias(), w2).orThrow();
    }

    @Property(tries = 20)
    void im2colNodeFirstAndSecondOrder(@ForAll("cases") ConvCase k) {
        ConvGeometry g = k.geometry("im2col");
        // squared so the second derivative is not trivially zero
        Function<Variable[], Variable> f = v -> new Im2colNode(g).apply(v[0]).square();
        GradCheck.check(f, k.input()).orThrow();
        GradGradCheck.check(f, k.input()).orThrow();
    }

    @Property(tries = 20)
    void col2imNodeFirstAndSecondOrder(@ForAll("cases") ConvCase k) {
        ConvGeometry g = k.geometry("col2im");
        NDArray cols = NDArray.randn(new Random(k.seed + 5), k.c * k.kh * k.kw, k.n * k.oh() * k.ow());
        Function<Variable[], Variable> f = v -> new Col2imNode(g, k.inputShape()).apply(v[0]).square();
        GradCheck.check(f, cols).orThrow();
        GradGradCheck.check(f, cols).orThrow();
    }
}
