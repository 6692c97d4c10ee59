package dev.nabla.examples;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The registry of every model and study reachable from {@code nabla train}, in the order {@code
 * nabla list} shows.
 * Thread-safe: the registry is fixed at class initialization; each example it returns is a fresh
 * object.
 */
public final class Examples {
    private Examples() {}

    private static final List<Supplier<Example>> FACTORIES = List.of(
            dev.nabla.examples.models.MnistMlp::new,
            dev.nabla.examples.cnn.LeNetExample::new,
            dev.nabla.examples.cnn.SimpleCnnExample::new,
            dev.nabla.examples.detection.ShapesDetectorExample::new,
            dev.nabla.examples.resnet.ResNetExample::new,
            dev.nabla.examples.models.Gates::new,
            dev.nabla.examples.models.Spiral::new,
            dev.nabla.examples.models.BreastCancer::new,
            dev.nabla.examples.models.Iris::new,
            dev.nabla.examples.studies.HparamSearch::new,
            dev.nabla.examples.studies.OptimizerComparison::new,
            dev.nabla.examples.studies.InitStudy::new,
            dev.nabla.examples.studies.DropoutStudy::new,
            dev.nabla.examples.studies.BatchNormComparison::new,
            dev.nabla.examples.resnet.ResidualStudy::new,
            dev.nabla.examples.rnn.SineRnnExample::new,
            dev.nabla.examples.rnn.AirlineLstmExample::new,
            dev.nabla.examples.rnn.CharLstmExample::new,
            dev.nabla.examples.rnn.CharTransformerExample::new
    );

    /** Every example, models first, in a fixed order. */
    public static List<Example> all() {
        List<Example> out = new ArrayList<>();
        for (Supplier<Example> f : FACTORIES) {
            out.add(f.get());
        }
        List<Example> models = new ArrayList<>();
        List<Example> studies = new ArrayList<>();
        for (Example e : out) {
            (e.isStudy() ? studies : models).add(e);
        }
        models.addAll(studies);
        return Collections.unmodifiableList(models);
    }

    /** Every accepted name (names and aliases). */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Example e : all()) {
            names.add(e.name());
            names.addAll(e.aliases());
        }
        return names;
    }

    /**
     * The example called {@code name} (or with that alias); an unknown name fails with the list of
     * known ones and the closest match.
     */
    public static Example byName(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
        for (Example e : all()) {
            if (e.name().equals(n) || e.aliases().contains(n)) {
                return e;
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : names()) {
            int d = distance(n, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        throw new IllegalArgumentException("unknown model or study \"" + name + "\""
                + (best != null && bestDistance <= 3 ? "; did you mean \"" + best + "\"?" : "")
                + " Known: " + String.join(", ", names()) + " (see `nabla list`)");
    }

    /** Levenshtein distance, for "did you mean". */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
