package dev.nabla.examples.train;

import dev.nabla.distributed.SparkTrainer;
import dev.nabla.ndarray.io.AtomicFiles;
import dev.nabla.nn.Module;
import dev.nabla.optim.Optimizer;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.DataSplits;
import dev.nabla.train.Seeds;
import dev.nabla.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code nabla train MODEL --spark MASTER}: a model of the common trainer trained by
 * {@link SparkTrainer} (the data on the executors, the optimizer on this driver), then scored on
 * the validation and test sets here. The run directory gets {@code last.safetensors} after every
 * epoch (with the run's settings, so {@code nabla eval} and {@code --resume} read it), a copy as
 * {@code best.safetensors} at the end (the last epoch's weights: no per-epoch validation on this
 * path) and {@code summary.json}. Not thread-safe: one run at a time.
 */
public final class SparkRun {
    private SparkRun() {
    }

    /** A Spark configuration for {@code master}; a local master binds to the loopback interface and has no web UI. */
    public static SparkConf conf(String master, String appName) {
        SparkConf conf = new SparkConf().setAppName(appName).setMaster(master);
        if (master.startsWith("local")) {
            conf.set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress",
                    "127.0.0.1");
        }
        return conf;
    }

    /** Trains {@code ex} as {@code ctx} says on the Spark master {@code master} with micro-shards of {@code shardSize}. */
    public static void run(SupervisedExample ex, RunContext ctx, String master, int shardSize) throws IOException {
        long t0 = System.nanoTime();
        RunConfig cfg = ctx.config;
        DataSplits d = ex.data(cfg);
        Module model = ex.build(cfg, Seeds.random(cfg.seed, Seeds.INIT, 0), new Random(0)).to(cfg.dtype);
        Optimizer opt = Optimizers.create(cfg.optimizer, model.parameters(), cfg.lr, cfg.weightDecay);
        if (!"none".equals(cfg.schedule)) {
            ctx.err.println("warning: --spark trains at a constant learning rate; schedule " + cfg.schedule + " is not applied");
        }
        ctx.out.printf(Locale.ROOT, "data: %d train, %d validation, %d test; model: %,d parameters%n",
                d.train.size(), d.validation.size(), d.test.size(), model.numParameters());
        try (JavaSparkContext sc = new JavaSparkContext(conf(master, "nabla train " + cfg.model))) {
            sc.setLogLevel("WARN");
            SparkTrainer.builder(sc, model, new ExampleReplicas(cfg), opt).objective(ex.objective())
                    .batchSize(cfg.batchSize).shardSize(shardSize).seed(cfg.seed).epochs(ctx.lastEpoch()).dtype(cfg.dtype)
                    .checkpointDir(ctx.dir()).resume(ctx.resumeDir != null).metadata(cfg.toMetadata()).out(ctx.out)
                    .build().fit(d.train);
        }
        Trainer.Score val = Trainer.evaluate(model, ex.objective(), d.validation, 1000);
        Trainer.Score test = Trainer.evaluate(model, ex.objective(), d.test, 1000);
        Files.copy(ctx.dir().resolve(Checkpoints.LAST), ctx.dir().resolve(Checkpoints.BEST), StandardCopyOption.REPLACE_EXISTING);
        double seconds = (System.nanoTime() - t0) / 1e9;
        ctx.out.printf(Locale.ROOT, "validation accuracy %.2f%% (loss %.4f); test accuracy %.2f%% (loss %.4f), %.1f s wall time%n",
                100 * val.accuracy, val.loss, 100 * test.accuracy, test.loss, seconds);
        AtomicFiles.writeString(ctx.dir().resolve("summary.json"),
                SupervisedExample.summaryJson(cfg.model, ctx.lastEpoch(), test, ctx.lastEpoch(), seconds));
        ctx.out.println("outputs in " + ctx.dir() + ": last.safetensors, best.safetensors (the last epoch's), summary.json");
    }
}
