package dev.nabla.examples.train;

import dev.nabla.examples.Examples;
import dev.nabla.nn.Module;
import dev.nabla.train.parallel.ReplicaFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A serializable {@link ReplicaFactory} of a named example's model: it carries the run's settings
 * as strings ({@link RunConfig#toMetadata}) and, on a Spark executor, rebuilds the configuration and
 * asks the example for a replica ({@link SupervisedExample#replicas}). The examples themselves are
 * not serializable; this is what crosses the wire instead.
 * Immutable and thread-safe.
 */
final class ExampleReplicas implements ReplicaFactory {
    private static final long serialVersionUID = 1L;

    private final String model;
    private final LinkedHashMap<String, String> settings;

    ExampleReplicas(RunConfig cfg) {
        this.model = cfg.model;
        this.settings = new LinkedHashMap<>(cfg.toMetadata());
    }

    @Override
    public Module create(Random rng) {
        RunConfig cfg = RunConfig.fromMetadata(Map.copyOf(settings), Path.of("."), null);
        return ((SupervisedExample) Examples.byName(model)).replicas(cfg).create(rng);
    }
}
