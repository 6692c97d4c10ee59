package dev.nabla.autograd;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A registry entry describing one differentiable operation, in the spirit of PyTorch's OpInfo:
 * its name, whether it is a primitive (its own {@link Node}) or a composite of primitives, its
 * arity, the inputs its sampler draws (domains kept away from kinks and poles), whether second
 * derivatives exist on that domain, and the node classes it records. The generic first- and
 * second-order gradient properties, the {@code nabla gradcheck} table and the docs all iterate
 * {@link Ops#registry()}, so adding an op means adding one entry.
 * Immutable and thread-safe.
 */
public final class OpInfo {
    /**
     * Whether the op has a node of its own or is built from other ops.
     * Immutable and thread-safe (an enum).
     */
    public enum Kind {
        /** One {@link Node} subclass with its own forward and backward. */
        PRIMITIVE,
        /** A plain method composed of primitives. */
        COMPOSITE
    }

    private final String name;
    private final Kind kind;
    private final int arity;
    private final String inputs;
    private final boolean twiceDifferentiable;
    private final List<Class<? extends Node>> nodes;
    private final Function<Random, OpCase> sampler;

    /**
     * An entry. {@code inputs} describes in words what the sampler draws; {@code nodes} lists
     * the node classes every drawn case records; {@code sampler} draws one case from a generator.
     */
    public OpInfo(String name, Kind kind, int arity, String inputs, boolean twiceDifferentiable,
                  List<Class<? extends Node>> nodes, Function<Random, OpCase> sampler) {
        this.name = name;
        this.kind = kind;
        this.arity = arity;
        this.inputs = inputs;
        this.twiceDifferentiable = twiceDifferentiable;
        this.nodes = List.copyOf(nodes);
        this.sampler = sampler;
    }

    /** The op's name as users call it, e.g. {@code add}, {@code softmax}. */
    public String name() {
        return name;
    }

    /** Primitive or composite. */
    public Kind kind() {
        return kind;
    }

    /** Number of differentiable inputs. */
    public int arity() {
        return arity;
    }

    /** What the sampler draws (shapes, domains, parameters), in words. */
    public String inputs() {
        return inputs;
    }

    /** Whether second derivatives exist on the sampled domain, so {@link GradGradCheck} applies. */
    public boolean twiceDifferentiable() {
        return twiceDifferentiable;
    }

    /** The node classes each drawn case records in its forward graph. */
    public List<Class<? extends Node>> nodes() {
        return nodes;
    }

    /** Draws one case (inputs and drawn parameters) from {@code rng}. */
    public OpCase sample(Random rng) {
        OpCase c = sampler.apply(rng);
        if (c.inputs().length != arity) {
            throw new IllegalStateException("OpInfo " + name + ": the sampler drew " + c.inputs().length
                    + " inputs but the arity is " + arity);
        }
        return c;
    }

    @Override
    public String toString() {
        return name;
    }
}
