/**
 * Synchronous data-parallel training of Nabla models on Apache Spark, with the result of one
 * machine.
 *
 * <p>{@link dev.nabla.distributed.SparkTrainer} trains a master model on the driver from an RDD (or
 * a {@link dev.nabla.data.Dataset}) of {@link dev.nabla.distributed.SampleRecord}s: the samples are
 * placed once on the partitions of their streams ({@link dev.nabla.distributed.ShardStreams}) and
 * cached there; every step the executors compute their micro-shards' gradients on cached replicas
 * loaded from a broadcast {@link dev.nabla.train.parallel.ModelSnapshot}, and the driver combines
 * them by the fixed pairwise tree of {@link dev.nabla.train.parallel.GradientReduction} and steps
 * the optimizer. The rule is that of {@link dev.nabla.train.parallel}, so local mode, a cluster and
 * the thread path give bitwise the same parameters on the same batches.
 *
 * <p>This is the only module that depends on Spark (4.0, Scala 2.13, Java 17); on JDK 17 the JVM
 * needs Spark's {@code --add-opens} list (spark-submit adds it; the {@code nabla} jar's manifest
 * carries it).
 */
package dev.nabla.distributed;
