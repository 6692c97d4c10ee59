package dev.nabla.examples.resnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.examples.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nabla train resnet-study} on a small budget (400 images, 2 epochs of batches of 20: 40
 * steps per net): what the study shows must already show — the plain net's gradient vanishing
 * towards the input while the shortcuts keep it, and the residual net's loss falling while the
 * plain one's stays at chance — read back from the written {@code residual-study.csv}.
 */
class ResidualStudyTest {
    @TempDir
    Path dir;

    /** [net 0 plain, 1 residual][step] of {loss, grad norm layer 1..20}. */
    private static double[][][] read(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertEquals("net,step,loss,grad_norm_1", lines.get(0).substring(0, 25));
        List<List<double[]>> out = List.of(new ArrayList<>(), new ArrayList<>());
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            double[] v = new double[c.length - 2];
            for (int i = 2; i < c.length; i++) {
                v[i - 2] = Double.parseDouble(c[i]);
            }
            out.get(c[0].equals("plain") ? 0 : 1).add(v);
        }
        return new double[][][] {out.get(0).toArray(new double[0][]), out.get(1).toArray(new double[0][])};
    }

    private static double meanLoss(double[][] run, int last) {
        double s = 0;
        for (int i = run.length - last; i < run.length; i++) {
            s += run[i][0] / last;
        }
        return s;
    }

    @Test
    void shortcutsKeepTheGradientThatThePlainNetLoses() throws Exception {
        String out = Cli.run("train", "resnet-study", "--train-limit", "400", "--epochs", "2", "--batch-size", "20",
                "--progress", "never", "-o", dir.toString());
        assertTrue(out.contains("40 steps each"), out);
        double[][][] r = read(dir.resolve("residual-study.csv"));
        double[][] plain = r[0];
        double[][] res = r[1];
        assertEquals(40, plain.length);
        assertEquals(40, res.length);
        assertEquals(21, plain[0].length, "loss and 20 layers");
        // measured (seed 0): first-layer gradient norm at init plain 9.1e-9, residual 6.7e-2 (7.4e6 times larger); plain
        // head 0.25, plain layer 10 1.4e-5 vs layer 19 3.5e-2; residual layers 1-19 between 0.045 and 0.21; mean loss of
        // the last 10 steps plain 2.290, residual 1.323
        double plainFirst = plain[0][1];
        double resFirst = res[0][1];
        assertTrue(resFirst > 1e4 * plainFirst, "first-layer gradient at init: residual " + resFirst + ", plain " + plainFirst);
        assertTrue(plainFirst < 1e-5 * plain[0][20], "plain: first layer " + plainFirst + " vs head " + plain[0][20]);
        assertTrue(plain[0][10] < 1e-2 * plain[0][19], "plain at init, layer 10 " + plain[0][10] + " vs 19 " + plain[0][19]);
        for (int l = 1; l < 20; l++) {
            double ratio = res[0][l] / resFirst;
            assertTrue(ratio > 0.1 && ratio < 10, "residual at init: layer " + l + " within 10x of layer 1: " + ratio);
        }
        double lp = meanLoss(plain, 10);
        double lr = meanLoss(res, 10);
        assertTrue(lp > 2.2, "the plain net stays near chance (ln 10 = 2.303): " + lp);
        assertTrue(lr < 1.9, "the residual net learns: " + lr + " (plain " + lp + ")");
        for (String png : List.of("residual-gradnorm.png", "residual-first-layer.png", "residual-loss.png")) {
            assertNotNull(ImageIO.read(dir.resolve(png).toFile()), png);
        }
    }
}
