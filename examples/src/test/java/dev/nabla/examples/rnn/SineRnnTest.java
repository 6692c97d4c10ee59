package dev.nabla.examples.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SineRnnTest {

    /**
     * 300 Adam steps on the first 800 values of a period-25 sine with noise σ = 0.1; one-step-ahead
     * MSE on the last 200 values. The floor is σ² = 0.01 (the targets are noisy); measured 0.0146
     * for this seed (0.012-0.018 over seeds 0-4), from 0.62 untrained. Asserted: below 0.03, and
     * below the persistence baseline "next = last" (about 0.05 here).
     */
    @Test
    void learnsToPredictTheNextValueOfANoisySine() {
        Random rng = new Random(0);
        double[] series = SineRnn.noisySine(1000, 25, 0.1, rng);
        double[] train = Arrays.copyOfRange(series, 0, 800);
        double[] test = Arrays.copyOfRange(series, 800, 1000);
        SineRnn model = new SineRnn(16, rng);
        double before = model.evaluate(test, 10);
        double[] losses = model.train(train, SineRnn.TrainConfig.defaults(), rng);
        double after = model.evaluate(test, 10);
        double persistence = 0;
        for (int i = 11; i < test.length; i++) {
            persistence += Math.pow(test[i] - test[i - 1], 2) / (test.length - 11);
        }
        assertTrue(before > 0.3, "untrained MSE " + before);
        assertTrue(after < 0.03, "test MSE " + after);
        assertTrue(after < 0.6 * persistence, "test MSE " + after + " vs persistence " + persistence);
        assertTrue(losses[losses.length - 1] < 0.05, "last training loss " + losses[losses.length - 1]);
    }

    @Test
    void sameSeedSameModelAndPredictionsOfTheRightLength() {
        double[] s = SineRnn.noisySine(50, 25, 0.1, new Random(4));
        SineRnn a = new SineRnn(4, new Random(9));
        SineRnn b = new SineRnn(4, new Random(9));
        SineRnn.TrainConfig cfg = new SineRnn.TrainConfig(3, 8, 2, 0.01, 1.0);
        assertArrayEquals(a.train(s, cfg, new Random(1)), b.train(s, cfg, new Random(1)));
        assertArrayEquals(a.predictNext(s), b.predictNext(s));
        assertEquals(49, a.predictNext(s).length);
        assertEquals(SineRnn.noisySine(50, 25, 0.1, new Random(4))[7], s[7]);
    }
}
