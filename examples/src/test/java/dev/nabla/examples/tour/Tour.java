package dev.nabla.examples.tour;

import dev.nabla.autograd.Variable;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Mnist;
import dev.nabla.data.Split;
import dev.nabla.ndarray.io.Safetensors;
import dev.nabla.nn.Functional;
import dev.nabla.nn.Linear;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/** The README's library tour, compiled and run by {@link TourTest} so that the README's code works as written. */
public final class Tour {
    public static void main(String[] args) throws IOException {
        Random rng = new Random(0);
        Sequential model = new Sequential(new Linear(784, 100, rng), new ReLU(), new Linear(100, 10, rng));
        Optimizer opt = Adam.builder(model.parameters()).lr(1e-3).build();
        DataLoader loader = DataLoader.builder(Mnist.load(Split.TRAIN)).batchSize(100).shuffle(true).seed(0).build();
        for (Batch b : loader.epoch(0)) {
            Variable loss = Functional.crossEntropy(model.call(new Variable(b.x())), b.labels());
            opt.zeroGrad();
            loss.backward();
            opt.step();
        }
        Path out = Path.of(args.length > 0 ? args[0] : "model.safetensors");
        Safetensors.save(out, model.stateDict());   // atomic; PyTorch loads it (see "From and to PyTorch")
    }
}
