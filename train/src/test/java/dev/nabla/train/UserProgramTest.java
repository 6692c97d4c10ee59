package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.ArrayDataset;
import dev.nabla.data.Batch;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's program: its own data and model, trained through {@link Trainer} from outside the
 * examples, with its own callback and metric. It proves the callback order, what the context says
 * at each call, that the user metric lands in the results and the log, and that the run learns.
 */
class UserProgramTest {

    /** Three Gaussian blobs in the plane (centres on a circle of radius 3, std 0.7), labels 0..2. */
    static ArrayDataset blobs(int perClass, long seed) {
        Random r = new Random(seed);
        int n = 3 * perClass;
        double[] x = new double[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            double a = 2 * Math.PI * c / 3;
            x[2 * i] = 3 * Math.cos(a) + 0.7 * r.nextGaussian();
            x[2 * i + 1] = 3 * Math.sin(a) + 0.7 * r.nextGaussian();
            y[i] = c;
        }
        return ArrayDataset.of(NDArray.of(x, n, 2), y);
    }

    /** Error rate, 1 - accuracy, as a user would write a metric. */
    static final class ErrorRate implements Metric {
        private long wrong;
        private long seen;

        @Override
        public String name() {
            return "err";
        }

        @Override
        public void reset() {
            wrong = 0;
            seen = 0;
        }

        @Override
        public void update(NDArray output, Batch batch) {
            int[] labels = batch.labels();
            int classes = output.shape()[1];
            for (int i = 0; i < labels.length; i++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (output.getFlat(i * classes + c) > output.getFlat(i * classes + best)) {
                        best = c;
                    }
                }
                wrong += best != labels[i] ? 1 : 0;
            }
            seen += labels.length;
        }

        @Override
        public double value() {
            return seen == 0 ? Double.NaN : (double) wrong / seen;
        }
    }

    /** Records every event with what the context says at that moment. */
    static final class Recorder implements Callback {
        final List<String> events = new ArrayList<>();
        final List<Long> stepsAtBatchEnd = new ArrayList<>();

        @Override
        public void onTrainStart(TrainContext c) {
            events.add("trainStart");
        }

        @Override
        public void onEpochStart(TrainContext c) {
            events.add("epochStart " + c.epoch());
        }

        @Override
        public void onBatchStart(TrainContext c) {
            events.add("batchStart " + c.epoch() + "." + c.batchIndex());
            assertTrue(Double.isNaN(c.batchLoss()) && c.output() == null, "no loss before the forward pass");
        }

        @Override
        public void onAfterBackward(TrainContext c) {
            events.add("afterBackward " + c.epoch() + "." + c.batchIndex());
            assertTrue(c.model().parameters().get(0).grad() != null, "gradients are there after backward");
            assertTrue(Double.isFinite(c.batchLoss()));
        }

        @Override
        public void onBatchEnd(TrainContext c) {
            events.add("batchEnd " + c.epoch() + "." + c.batchIndex());
            stepsAtBatchEnd.add(c.step());
        }

        @Override
        public void onEpochEnd(TrainContext c) {
            events.add("epochEnd " + c.epoch());
            assertEquals(c.epoch(), c.history("train_loss").length, "the history holds the epoch that just ended");
            assertEquals(c.epochResult().valLoss, c.history("val_loss")[c.epoch() - 1], 0);
        }

        @Override
        public void onTrainEnd(TrainContext c) {
            events.add("trainEnd");
        }
    }

    @Test
    void aUserProgramTrainsAnMlpWithItsOwnCallbackAndMetric(@TempDir Path tmp) throws IOException {
        ArrayDataset train = blobs(40, 1); // 120 samples: 4 batches of 32 (the last of 24)
        ArrayDataset val = blobs(20, 2);
        ArrayDataset test = blobs(20, 3);
        Random init = new Random(5);
        Module model = new Sequential(new Linear(2, 16, init), new ReLU(), new Linear(16, 3, init));
        Optimizer adam = Adam.builder(model.parameters()).lr(0.02).build();
        Recorder rec = new Recorder();
        ErrorRate err = new ErrorRate();
        int epochs = 6;
        Trainer trainer = Trainer.builder(model, adam).train(train).validation(val).test(test).epochs(epochs).batchSize(32)
                .seed(11).metric(err).callback(rec).runDir(tmp.resolve("run")).tensorBoard(false).plots(false).build();
        Trainer.EpochResult last = trainer.fit();

        int batches = 4;
        List<String> expected = new ArrayList<>();
        expected.add("trainStart");
        for (int e = 1; e <= epochs; e++) {
            expected.add("epochStart " + e);
            for (int b = 0; b < batches; b++) {
                expected.add("batchStart " + e + "." + b);
                expected.add("afterBackward " + e + "." + b);
                expected.add("batchEnd " + e + "." + b);
            }
            expected.add("epochEnd " + e);
        }
        expected.add("trainEnd");
        assertEquals(expected, rec.events);
        for (int i = 0; i < rec.stepsAtBatchEnd.size(); i++) {
            assertEquals(i + 1, rec.stepsAtBatchEnd.get(i), "the global step counts optimizer steps");
        }

        // what the run reaches: separable blobs are learnt
        assertTrue(last.valAcc >= 0.95, "validation accuracy " + last.valAcc);
        assertTrue(trainer.testScore().accuracy >= 0.95, "test accuracy " + trainer.testScore().accuracy);
        double[] loss = trainer.history("train_loss");
        assertTrue(loss[epochs - 1] < 0.5 * loss[0], "the training loss halves: " + java.util.Arrays.toString(loss));
        // the user metric: its value is 1 - accuracy on every pass, and it is a column of the log
        for (int e = 0; e < epochs; e++) {
            assertEquals(1 - trainer.history("train_acc")[e], trainer.history("train_err")[e], 1e-12);
            assertEquals(1 - trainer.history("val_acc")[e], trainer.history("val_err")[e], 1e-12);
        }
        assertEquals(1 - trainer.testScore().accuracy, trainer.testScore().metrics.get("err"), 1e-12);
        List<String> csv = Files.readAllLines(tmp.resolve("run/metrics.csv"));
        assertEquals("epoch,train_loss,train_acc,val_loss,val_acc,train_err,val_err,lr,time_s", csv.get(0));
        assertEquals(epochs + 1, csv.size());
        List<String> steps = Files.readAllLines(tmp.resolve("run/" + Trainer.STEPS_CSV));
        assertEquals("epoch,step,loss,lr", steps.get(0));
        assertEquals(epochs * batches + 1, steps.size());
        assertTrue(steps.get(5).startsWith("2,5,"), steps.get(5));
    }

    /** {@link TrainContext#stop} from a callback ends the run after that epoch, and onTrainEnd still runs. */
    @Test
    void aCallbackCanStopTheRun() throws IOException {
        Random init = new Random(5);
        Module model = new Sequential(new Linear(2, 8, init), new ReLU(), new Linear(8, 3, init));
        Recorder rec = new Recorder();
        Trainer trainer = Trainer.builder(model, Adam.builder(model.parameters()).lr(0.01).build()).train(blobs(10, 1))
                .epochs(10).callback(Callback.atEpochEnd(c -> {
                    if (c.epoch() == 3) {
                        c.stop("enough");
                    }
                })).callback(rec).build();
        trainer.fit();
        assertEquals(3, trainer.epochsRun());
        assertEquals("epochEnd 3", rec.events.get(rec.events.size() - 2));
        assertEquals("trainEnd", rec.events.get(rec.events.size() - 1));
    }

    /** Early stopping on a loss that cannot improve (lr so small nothing moves by minDelta) stops after patience epochs. */
    @Test
    void earlyStoppingStopsAfterPatienceEpochsWithoutImprovement() throws IOException {
        Random init = new Random(5);
        Module model = new Sequential(new Linear(2, 8, init), new ReLU(), new Linear(8, 3, init));
        Trainer trainer = Trainer.builder(model, Adam.builder(model.parameters()).lr(1e-9).build()).train(blobs(10, 1))
                .validation(blobs(5, 2)).epochs(20).earlyStopping(EarlyStopping.on("val_loss").patience(3).minDelta(1e-3))
                .build();
        trainer.fit();
        assertEquals(4, trainer.epochsRun(), "epoch 1 sets the best, epochs 2..4 do not beat it by 1e-3");
        EarlyStopping es = EarlyStopping.on("val_acc").patience(2);
        assertEquals(0, es.epochsWithoutImprovement(new double[] {0.1, 0.5}));
        assertEquals(2, es.epochsWithoutImprovement(new double[] {0.1, 0.5, 0.5, 0.4}));
    }
}
