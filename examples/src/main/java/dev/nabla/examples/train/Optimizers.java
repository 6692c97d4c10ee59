package dev.nabla.examples.train;

import dev.nabla.autograd.Parameter;
import dev.nabla.optim.AdaGrad;
import dev.nabla.optim.Adam;
import dev.nabla.optim.AdamW;
import dev.nabla.optim.CosineAnnealingLR;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.RMSprop;
import dev.nabla.optim.SGD;
import dev.nabla.optim.StepLR;
import java.util.List;
import java.util.Locale;

/**
 * The optimizers and learning-rate schedules the command line names. {@code momentum} is SGD with
 * momentum 0.9 in PyTorch's form (the learning rate scales the whole step, so a schedule takes
 * effect at once); weight decay is L2 added to the gradient for every optimizer except
 * {@code adamw}, where it is decoupled (Loshchilov &amp; Hutter).
 * Stateless and thread-safe.
 */
public final class Optimizers {
    private Optimizers() {}

    /** Accepted optimizer names. */
    public static final List<String> NAMES = List.of("sgd", "momentum", "adagrad", "rmsprop", "adam", "adamw");
    /** Accepted schedule names. */
    public static final List<String> SCHEDULES = List.of("none", "cosine", "step");

    /** The optimizer called {@code name} over {@code params}. */
    public static Optimizer create(String name, List<Parameter> params, double lr, double weightDecay) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd":
                return SGD.builder(params).lr(lr).weightDecay(weightDecay).build();
            case "momentum":
                return SGD.builder(params).lr(lr).momentum(0.9).weightDecay(weightDecay).build();
            case "adagrad":
                return AdaGrad.builder(params).lr(lr).weightDecay(weightDecay).build();
            case "rmsprop":
                return RMSprop.builder(params).lr(lr).weightDecay(weightDecay).build();
            case "adam":
                return Adam.builder(params).lr(lr).weightDecay(weightDecay).build();
            case "adamw":
                return AdamW.builder(params).lr(lr).weightDecay(weightDecay).build();
            default:
                throw new IllegalArgumentException("unknown optimizer \"" + name + "\"; expected one of " + String.join(", ", NAMES));
        }
    }

    /**
     * The per-epoch schedule called {@code name} for a run of {@code epochs} epochs: {@code none},
     * {@code cosine} (cosine annealing from the initial rate to 0 over the run) or {@code step}
     * (×0.1 after every third of the run). Returns null for {@code none}.
     */
    public static LrScheduler schedule(String name, Optimizer opt, int epochs) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "none":
                return null;
            case "cosine":
                return new CosineAnnealingLR(opt, Math.max(1, epochs));
            case "step":
                return new StepLR(opt, Math.max(1, (epochs + 2) / 3), 0.1);
            default:
                throw new IllegalArgumentException("unknown schedule \"" + name + "\"; expected one of " + String.join(", ", SCHEDULES));
        }
    }
}
