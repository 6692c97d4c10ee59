package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.autograd.OpCase;
import dev.nabla.autograd.OpCheck;
import dev.nabla.autograd.OpInfo;
import dev.nabla.autograd.Variable;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The attention entries' samples have the shapes of scaled dot-product attention: the output has the
 * queries' length and the values' width. (Their first- and second-order gradient properties and their
 * tangent rules run with every other nn op's, in NNOpRegistryProperties and NNForwardModeProperties,
 * since {@link AttentionOps#registry()} is part of {@link NNOps#registry()}.)
 */
class AttentionOpsShapeTest {
    @Test
    void everyCaseGivesTheShapeOfTheReference() {
        for (OpInfo op : AttentionOps.registry()) {
            for (int k = 0; k < 5; k++) {
                OpCase c = op.sample(new Random(OpCheck.seed(op.name(), k)));
                Variable y = c.apply();
                int[] q = c.inputs()[0].shape();
                int[] v = c.inputs()[2].shape();
                assertEquals(q[q.length - 2], y.shape(-2), op + " " + c);
                assertEquals(v[v.length - 1], y.shape(-1), op + " " + c);
            }
        }
    }

    @Test
    void attentionEntriesArePartOfTheNnRegistry() {
        for (OpInfo op : AttentionOps.registry()) {
            assertEquals(1, NNOps.registry().stream().filter(o -> o.name().equals(op.name())).count(), op.name());
        }
    }
}
