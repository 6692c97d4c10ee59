package dev.nabla.nn.detection;

import dev.nabla.nn.Reduction;
import dev.nabla.autograd.DivNode;
import dev.nabla.autograd.GetItemNode;
import dev.nabla.autograd.LeakyReluNode;
import dev.nabla.autograd.MaximumNode;
import dev.nabla.autograd.MulNode;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.OpCase;
import dev.nabla.autograd.OpInfo;
import dev.nabla.autograd.SubNode;
import dev.nabla.autograd.ConcatNode;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The op registry of the differentiable detection functions ({@link Boxes#convert},
 * {@link Boxes#boxArea}, {@link Boxes#boxIou}, {@link Boxes#generalizedBoxIou},
 * {@link BoxLosses#iouLoss}, {@link BoxLosses#generalizedBoxIouLoss}), one {@link OpInfo} each, so
 * that the generic first- and second-order gradient properties cover them. The samplers draw box
 * pairs away from the kinks of min, max and the clamp of the intersection: every compared pair of
 * coordinates differs, and every intersection side is clearly positive or clearly negative, by at
 * least {@value #MARGIN}; most pairs overlap partially.
 * Thread-safe: the registry is built once, in class initialization, and is unmodifiable.
 */
public final class DetectionOps {
    private DetectionOps() {}

    /** The least distance of sampled coordinates from a kink (far above the checks' step of about 1e-6). */
    public static final double MARGIN = 0.05;

    private static final List<OpInfo> REGISTRY = Collections.unmodifiableList(build());

    /** Every registered detection op, in a fixed order. */
    public static List<OpInfo> registry() {
        return REGISTRY;
    }

    private static List<OpInfo> build() {
        List<OpInfo> ops = new ArrayList<>();
        List<Class<? extends Node>> pairwise = List.of(GetItemNode.class, MaximumNode.class, SubNode.class,
                LeakyReluNode.class, MulNode.class, DivNode.class);
        ops.add(comp("boxConvert", 1, "(..., 4) REAL boxes of rank 1-3, a random pair of distinct formats",
                List.of(GetItemNode.class, ConcatNode.class), r -> {
                    BoxFormat[] f = BoxFormat.values();
                    BoxFormat from = f[r.nextInt(3)];
                    BoxFormat to = f[(from.ordinal() + 1 + r.nextInt(2)) % 3];
                    int[] shape = r.nextInt(3) == 0 ? new int[] {4}
                            : r.nextBoolean() ? new int[] {1 + r.nextInt(3), 4} : new int[] {2, 1 + r.nextInt(2), 4};
                    return new OpCase(from.torchName() + " -> " + to.torchName(),
                            x -> Boxes.convert(x[0], from, to), real(r, shape));
                }));
        ops.add(comp("boxArea", 1, "(N, 4) REAL boxes, N 1-3", List.of(GetItemNode.class, SubNode.class, MulNode.class),
                r -> new OpCase("", x -> Boxes.boxArea(x[0]), real(r, new int[] {1 + r.nextInt(3), 4}))));
        ops.add(comp("boxIou", 2, "(N, 4) and (M, 4) xyxy boxes, N, M 1-3, away from kinks, some pairs overlapping",
                pairwise, r -> {
                    NDArray[] p = boxes(r, 1 + r.nextInt(3), 1 + r.nextInt(3), true);
                    return new OpCase("", x -> Boxes.boxIou(x[0], x[1]), p[0], p[1]);
                }));
        ops.add(comp("generalizedBoxIou", 2, "(N, 4) and (M, 4) xyxy boxes, N, M 1-3, away from kinks",
                pairwise, r -> {
                    NDArray[] p = boxes(r, 1 + r.nextInt(3), 1 + r.nextInt(3), true);
                    return new OpCase("", x -> Boxes.generalizedBoxIou(x[0], x[1]), p[0], p[1]);
                }));
        ops.add(comp("iouLoss", 2, "matched (N, 4) xyxy box pairs, N 1-3, away from kinks, random reduction",
                pairwise, r -> {
                    int n = 1 + r.nextInt(3);
                    NDArray[] p = boxes(r, n, n, false);
                    Reduction red = Reduction.values()[r.nextInt(3)];
                    return new OpCase("reduction=" + red, x -> BoxLosses.iouLoss(x[0], x[1], red, BoxLosses.EPS),
                            p[0], p[1]);
                }));
        ops.add(comp("generalizedBoxIouLoss", 2, "matched (N, 4) xyxy box pairs, N 1-3, away from kinks, random reduction",
                pairwise, r -> {
                    int n = 1 + r.nextInt(3);
                    NDArray[] p = boxes(r, n, n, false);
                    Reduction red = Reduction.values()[r.nextInt(3)];
                    return new OpCase("reduction=" + red,
                            x -> BoxLosses.generalizedBoxIouLoss(x[0], x[1], red, BoxLosses.EPS), p[0], p[1]);
                }));
        return ops;
    }

    private static OpInfo comp(String name, int arity, String inputs, List<Class<? extends Node>> nodes,
                               java.util.function.Function<Random, OpCase> sampler) {
        return new OpInfo(name, OpInfo.Kind.COMPOSITE, arity, inputs, true, nodes, sampler);
    }

    private static NDArray real(Random r, int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 4 * r.nextDouble() - 2;
        }
        return NDArray.of(v, shape);
    }

    /**
     * Two sets of {@code xyxy} boxes (corners in [0, 2], sides in [0.5, 2.5]) whose compared pairs
     * (all pairs when {@code pairwise}, else row i with row i) are away from every kink; at least one
     * compared pair overlaps. Drawn by rejection, deterministically from {@code r}.
     */
    static NDArray[] boxes(Random r, int n, int m, boolean pairwise) {
        for (int attempt = 0; ; attempt++) {
            double[] a = draw(r, n);
            double[] b = draw(r, m);
            boolean ok = true;
            boolean overlap = false;
            for (int i = 0; i < n && ok; i++) {
                for (int j = pairwise ? 0 : i; j < (pairwise ? m : i + 1) && ok; j++) {
                    for (int k = 0; k < 4; k++) {
                        ok &= Math.abs(a[4 * i + k] - b[4 * j + k]) > MARGIN;
                    }
                    double iw = Math.min(a[4 * i + 2], b[4 * j + 2]) - Math.max(a[4 * i], b[4 * j]);
                    double ih = Math.min(a[4 * i + 3], b[4 * j + 3]) - Math.max(a[4 * i + 1], b[4 * j + 1]);
                    ok &= Math.abs(iw) > MARGIN && Math.abs(ih) > MARGIN;
                    overlap |= iw > 0 && ih > 0;
                }
            }
            if (ok && overlap) {
                return new NDArray[] {NDArray.of(a, n, 4), NDArray.of(b, m, 4)};
            }
            if (attempt > 100_000) {
                throw new IllegalStateException("DetectionOps: no box sets of sizes " + n + " and " + m
                        + " away from the kinks after " + attempt + " draws");
            }
        }
    }

    private static double[] draw(Random r, int n) {
        double[] c = new double[4 * n];
        for (int i = 0; i < n; i++) {
            c[4 * i] = 2 * r.nextDouble();
            c[4 * i + 1] = 2 * r.nextDouble();
            c[4 * i + 2] = c[4 * i] + 0.5 + 2 * r.nextDouble();
            c[4 * i + 3] = c[4 * i + 1] + 0.5 + 2 * r.nextDouble();
        }
        return c;
    }
}
