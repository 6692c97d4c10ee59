package dev.nabla.examples.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.examples.Cli;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The studies on small budgets: what they show must already show, and their outputs must be written. */
class StudiesTest {
    private static RunContext ctx(String model, int epochs, int batch, double lr, String optimizer, int trainLimit, Path dir) {
        RunConfig cfg = new RunConfig(model, epochs, batch, lr, optimizer, 0, "none", 0, dir, null, trainLimit, 0);
        return new RunContext(cfg, RunContext.NULL, RunContext.NULL, false, null);
    }

    static String run(String... args) {
        return Cli.run(args);
    }

    @Test
    void heInitializationKeepsReluActivationsAliveWhileSmallWeightsMakeThemVanish() {
        double[] he = new double[5];
        double[] small = new double[5];
        double[] xavier = new double[5];
        for (int l = 0; l < 5; l++) {
            he[l] = InitStudy.std(InitStudy.activations("he", Mlp.Activation.RELU, 0)[l]);
            small[l] = InitStudy.std(InitStudy.activations("std=0.01", Mlp.Activation.RELU, 0)[l]);
            xavier[l] = InitStudy.std(InitStudy.activations("xavier", Mlp.Activation.RELU, 0)[l]);
        }
        // measured: he 0.84 0.86 0.87 0.89 0.84; std=0.01 5.9e-2 4.3e-3 3.1e-4 2.2e-5 1.5e-6; xavier 0.59 ... 0.15
        for (int l = 0; l < 5; l++) {
            assertTrue(he[l] > 0.6 && he[l] < 1.2, "He, layer " + (l + 1) + ": " + he[l]);
        }
        assertTrue(small[4] < 1e-5, "std 0.01, layer 5: " + small[4]);
        for (int l = 1; l < 5; l++) {
            assertEquals(small[l - 1] / 14, small[l], small[l - 1] / 14 * 0.5, "std 0.01 shrinks each layer by about 1/14");
            assertTrue(xavier[l] < xavier[l - 1], "Xavier under ReLU shrinks layer by layer");
        }
        // sigmoid with Xavier stays spread (std of the outputs well above the std-0.01 case)
        double sx = InitStudy.std(InitStudy.activations("xavier", Mlp.Activation.SIGMOID, 0)[4]);
        double s1 = InitStudy.std(InitStudy.activations("std=0.01", Mlp.Activation.SIGMOID, 0)[4]);
        assertTrue(sx > 5 * s1, sx + " vs " + s1);
    }

    @Test
    void adaptiveAndMomentumOptimizersBeatPlainSgdOnMnist() throws Exception {
        List<OptimizerComparison.Curve> curves = OptimizerComparison.compare(ctx("optimizer-comparison", 1, 128, 0.01, "sgd",
                3000, null));
        assertEquals(4, curves.size());
        double sgd = curves.get(0).finalLoss(10);
        // measured (3000 images, 1 epoch, 24 iterations): SGD 2.09, Momentum 1.24, AdaGrad 0.57, Adam 0.60
        for (int i = 1; i < 4; i++) {
            assertTrue(curves.get(i).finalLoss(10) < 0.8 * sgd, curves.get(i).name + " " + curves.get(i).finalLoss(10)
                    + " vs SGD " + sgd);
        }
        assertEquals(24, curves.get(0).loss.length, "ceil(3000 / 128) iterations");
    }

    @Test
    void batchNormRescuesBadlyScaledWeights() throws Exception {
        RunContext c = ctx("batchnorm-comparison", 10, 100, 0.01, "sgd", 0, null);
        dev.nabla.data.ArrayDataset train = dev.nabla.examples.models.MnistData.load(c.config).train.range(0, 1000);
        double[][] acc = BatchNormComparison.curves(c, train, 0.01);
        // measured after 10 epochs: without BN 11.7% (stuck), with BN 97%+
        assertTrue(acc[0][9] < 0.2, "without batch norm the std-0.01 network is stuck: " + acc[0][9]);
        assertTrue(acc[1][9] > 0.8, "with batch norm it learns: " + acc[1][9]);
    }

    @Test
    void dropoutNarrowsTheGapBetweenTrainingAndValidationAccuracy() throws Exception {
        List<DropoutStudy.Result> r = DropoutStudy.run(ctx("dropout-study", 40, 100, 0.01, "sgd", 0, null), 500);
        DropoutStudy.Result plain = r.get(0);
        DropoutStudy.Result dropout = r.get(1);
        assertEquals(0.0, plain.p);
        assertEquals(DropoutStudy.P, dropout.p);
        // measured (the study's SGD lr 0.01, 40 epochs, 500 validation images), gap with dropout / gap without, seeds 0-4:
        // Linear weights drawn as (out, in) 0.79 0.16 0.77 0.68 0.54; drawn as (in, out) before issue 13 0.69 0.52 0.70
        // 0.71 0.80. The same draws in another arrangement act as another seed; 0.75 failed on one seed of each layout.
        assertTrue(plain.gap() > 0.1, "300 images are overfitted: train " + plain.trainAcc[39] + ", val " + plain.valAcc[39]);
        assertTrue(dropout.gap() < 0.85 * plain.gap(), "dropout gap " + dropout.gap() + " vs " + plain.gap());
    }

    @Test
    void hparamSearchRanksTrialsAndWritesItsFiles(@TempDir Path dir) throws Exception {
        String out = run("train", "hparam-search", "--trials", "4", "--epochs", "2", "--out", dir.toString(), "--progress", "never");
        assertTrue(out.contains("trial   4/4"), out);
        List<String> csv = Files.readAllLines(dir.resolve("hparam-search.csv"));
        assertEquals(5, csv.size());
        double prev = Double.POSITIVE_INFINITY;
        for (String line : csv.subList(1, csv.size())) {
            String[] c = line.split(",");
            double lr = Double.parseDouble(c[2]);
            double wd = Double.parseDouble(c[3]);
            double acc = Double.parseDouble(c[4]);
            assertTrue(lr >= 1e-4 && lr <= 1, "lr drawn from 10^[-4, 0]: " + lr);
            assertTrue(wd >= 1e-8 && wd <= 1e-3, "weight decay drawn from 10^[-8, -3]: " + wd);
            assertTrue(acc <= prev, "ranked by validation accuracy: " + csv);
            prev = acc;
        }
        assertTrue(ImageIO.read(dir.resolve("hparam-search.png").toFile()) != null);
    }
}
