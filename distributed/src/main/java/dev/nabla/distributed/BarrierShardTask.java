package dev.nabla.distributed;

import dev.nabla.train.parallel.ShardGradient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One step's task in barrier execution mode ({@link SparkTrainer.Exchange#BARRIER}): every task
 * computes its shards, then {@code BarrierTaskContext.allGather} gives every task every task's
 * shards (Java-serialized, base64: the exchange carries strings), and task 0 returns them all to
 * the driver, which reduces them as in the default mode. Kept to measure barrier mode's exchange
 * against the default's; serializable (it travels in the task).
 */
final class BarrierShardTask extends AbstractFunction1<Iterator<ResidentStreams>, Iterator<ShardGradient>>
        implements Serializable {
    private static final long serialVersionUID = 1L;
    private final ShardJob job;

    BarrierShardTask(ShardJob job) {
        this.job = job;
    }

    @Override
    public Iterator<ShardGradient> apply(Iterator<ResidentStreams> parts) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        ArrayList<ShardGradient> mine = new ArrayList<>();
        while (parts.hasNext()) {
            mine.addAll(job.compute(parts.next(), ctx.attemptNumber()));
        }
        String[] all = ctx.allGather(encode(mine));
        List<ShardGradient> every = new ArrayList<>();
        if (ctx.partitionId() == 0) {
            for (String s : all) {
                every.addAll(decode(s));
            }
        }
        return CollectionConverters.asScala(every.iterator());
    }

    private static String encode(ArrayList<ShardGradient> gs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(gs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    @SuppressWarnings("unchecked")
    private static List<ShardGradient> decode(String s) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(s)))) {
            return (List<ShardGradient>) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("SparkTrainer: a shard result names a class this executor lacks", e);
        }
    }
}
