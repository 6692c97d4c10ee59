package dev.nabla.examples.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.TimeSeries;
import dev.nabla.train.Checkpoints;
import dev.nabla.examples.RunLayout;
import dev.nabla.train.ModelExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AirlineLstmTest {

    /**
     * Baselines on 1959-1960, computed independently (Python over the same CSV): seasonal naive
     * RMSE 49.9867 and MAPE 10.5227%, last value 51.7820 and 9.7299%, seasonal drift 19.7138 and
     * 3.3938%.
     */
    @Test
    void baselinesMatchAnIndependentComputation() {
        AirlineLstmExample.Data data = new AirlineLstmExample.Data(RnnRunsForTests.run("airline-lstm", 1, 16, 0.01, 0,
                Path.of("unused")).ctx().config);
        double[][] b = AirlineLstmExample.baselines(data);
        double[] truth = Arrays.copyOfRange(data.values, data.cut, data.values.length);
        assertEquals(49.9867, AirlineLstmExample.rmse(b[0], truth), 1e-4);
        assertEquals(10.5227, AirlineLstmExample.mape(b[0], truth), 1e-4);
        assertEquals(51.7820, AirlineLstmExample.rmse(b[1], truth), 1e-4);
        assertEquals(9.7299, AirlineLstmExample.mape(b[1], truth), 1e-4);
        assertEquals(19.7138, AirlineLstmExample.rmse(b[2], truth), 1e-4);
        assertEquals(3.3938, AirlineLstmExample.mape(b[2], truth), 1e-4);
    }

    /**
     * The split is chronological and the scaling sees only the training part: the mean and std are
     * those of the 119 log changes of 1949-1958, changing the test values does not move them, and
     * undoing the transform on the observed changes gives back the passengers exactly.
     */
    @Test
    void scalingIsFittedOnTheTrainingPartOnly() {
        AirlineLstmExample.Data data = new AirlineLstmExample.Data(RnnRunsForTests.run("airline-lstm", 1, 16, 0.01, 0,
                Path.of("unused")).ctx().config);
        double[] v = TimeSeries.airlinePassengers().values();
        assertEquals(144, data.values.length);
        assertEquals(120, data.cut);
        assertEquals("1959-01", data.times.get(data.cut));
        double mean = 0;
        for (int t = 1; t < 120; t++) {
            mean += (Math.log(v[t]) - Math.log(v[t - 1])) / 119;
        }
        double var = 0;
        for (int t = 1; t < 120; t++) {
            double d = Math.log(v[t]) - Math.log(v[t - 1]) - mean;
            var += d * d / 119;
        }
        assertEquals(mean, data.mean, 1e-15);
        assertEquals(Math.sqrt(var), data.std, 1e-15);
        for (int t = 1; t < 144; t++) {
            assertEquals(v[t], data.undo(data.z[t], v[t - 1]), 1e-9 * v[t]);
        }
        assertEquals(data.cut - AirlineLstmExample.WINDOW - 1, data.trainTargets().length);
        assertEquals(data.cut - 1, data.trainTargets()[data.trainTargets().length - 1], "no training target in the test part");
    }

    /**
     * {@code airline-lstm} for 30 epochs (≈ 200 Adam steps): one-step-ahead test RMSE and MAPE
     * against the seasonal-naive (RMSE 50.0) and last-value (51.8) baselines. Measured for seed 0:
     * RMSE 20.0, MAPE 3.7% (18.6-25.8 over seeds 1-5). Asserted: RMSE below 35 (30% under the
     * better naive baseline) and MAPE below 7%.
     */
    @Test
    void shortRunBeatsTheNaiveBaselines(@TempDir Path dir) throws Exception {
        RnnRunsForTests.Run run = RnnRunsForTests.run("airline-lstm", 30, 16, 0.01, 0, dir);
        double[] r = new AirlineLstmExample().run(run.ctx());
        double naive = Math.min(r[3], r[4]);
        assertTrue(r[0] < 35 && r[0] < 0.7 * naive, "one-step RMSE " + r[0] + " vs naive " + naive);
        assertTrue(r[1] < 7, "MAPE " + r[1]);
        for (String f : new String[] {"forecast.png", "loss.png", Checkpoints.LAST}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        String printed = run.printed();
        assertTrue(printed.contains("LSTM, one step ahead") && printed.contains("baseline: seasonal naive"), printed);
    }

    /**
     * The run layout of `nabla train airline-lstm --epochs 1`: config, summary (the printed one-step RMSE
     * as test_rmse, the baselines' RMSE; no validation split, so best_epoch is null), metrics, plots,
     * last checkpoint and model.safetensors with the standardization of the log changes as preprocess tensors.
     */
    @Test
    void cliRunWritesTheCommonRunLayout(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        String out = dev.nabla.examples.Cli.run("train", "airline-lstm", "--epochs", "1", "--out", dir.toString(),
                "--progress", "never");
        java.util.Map<String, Object> s = RunLayout.check(dir, "airline-lstm", 1, "loss.png", "forecast.png");
        assertTrue(out.contains(String.format(java.util.Locale.ROOT, "%-48s RMSE %6.2f", "LSTM, one step ahead",
                RunLayout.number(s, "test_rmse"))), out);
        assertTrue(Double.isNaN(RunLayout.number(s, "best_epoch")), s.toString());
        assertTrue(RunLayout.number(s, "baseline_rmse_seasonal_naive") > 0, s.toString());
        AirlineLstm model = new AirlineLstm(AirlineLstmExample.HIDDEN, new java.util.Random(1));
        ModelExport.Extras x = ModelExport.load(model, dir.resolve(ModelExport.FILE));
        assertEquals(java.util.Set.of("preprocess.mean", "preprocess.std"), x.tensors.keySet());
        assertTrue(x.tensors.get("preprocess.std").getFlat(0) > 0);
        java.util.List<String> steps = Files.readAllLines(dir.resolve(dev.nabla.train.Trainer.STEPS_JSONL));
        assertTrue(steps.size() > 1, "one row per optimizer step: " + steps.size());
        assertTrue(steps.get(steps.size() - 1).startsWith("{\"epoch\":1,\"step\":" + steps.size() + ".0,\"loss\":"),
                steps.get(steps.size() - 1));
    }
}
