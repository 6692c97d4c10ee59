package dev.nabla.nn.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Node;
import dev.nabla.autograd.OpCase;
import dev.nabla.autograd.OpCheck;
import dev.nabla.autograd.OpInfo;
import dev.nabla.autograd.RecordedNodes;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Example;

/**
 * The detection registry's own checks: its entries record the nodes they declare and its samplers
 * stay away from the kinks. Its first- and second-order gradient properties run with the rest of
 * nn's registry ({@code NNOps}, which includes it) in {@code NNOpRegistryProperties}.
 */
class DetectionOpsProperties {
    @Example
    void everyOpRecordsTheNodesItDeclaresAndNamesAreUnique() {
        Set<String> names = new HashSet<>();
        for (OpInfo op : DetectionOps.registry()) {
            assertTrue(names.add(op.name()), "duplicate " + op.name());
            assertFalse(op.inputs().isEmpty(), op.name());
            assertTrue(op.twiceDifferentiable(), op.name());
            for (int k = 0; k < 10; k++) {
                OpCase c = op.sample(new Random(OpCheck.seed(op.name(), k)));
                Set<Class<? extends Node>> got = RecordedNodes.of(c.apply());
                for (Class<? extends Node> n : op.nodes()) {
                    assertTrue(got.contains(n), op.name() + " " + c + " does not record " + n.getSimpleName() + ": " + got);
                }
            }
        }
        assertEquals(List.of("boxConvert", "boxArea", "boxIou", "generalizedBoxIou", "iouLoss", "generalizedBoxIouLoss"),
                DetectionOps.registry().stream().map(OpInfo::name).toList());
    }

    @Example
    void samplesStayAwayFromTheKinks() {
        for (int k = 0; k < 200; k++) {
            boolean pairwise = k % 2 == 0;
            Random r = new Random(k);
            int n = 1 + r.nextInt(3);
            int m = pairwise ? 1 + r.nextInt(3) : n;
            dev.nabla.ndarray.NDArray[] drawn = DetectionOps.boxes(r, n, m, pairwise);
            double[][] p = {drawn[0].toArray(), drawn[1].toArray()};
            boolean overlap = false;
            for (int i = 0; i < n; i++) {
                for (int j = pairwise ? 0 : i; j < (pairwise ? m : i + 1); j++) {
                    for (int c = 0; c < 4; c++) {
                        assertTrue(Math.abs(p[0][4 * i + c] - p[1][4 * j + c]) > DetectionOps.MARGIN);
                    }
                    double iw = Math.min(p[0][4 * i + 2], p[1][4 * j + 2]) - Math.max(p[0][4 * i], p[1][4 * j]);
                    double ih = Math.min(p[0][4 * i + 3], p[1][4 * j + 3]) - Math.max(p[0][4 * i + 1], p[1][4 * j + 1]);
                    assertTrue(Math.abs(iw) > DetectionOps.MARGIN && Math.abs(ih) > DetectionOps.MARGIN);
                    overlap |= iw > 0 && ih > 0;
                }
            }
            assertTrue(overlap, "no compared pair overlaps, seed " + k);
        }
    }
}
