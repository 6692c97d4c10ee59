package dev.nabla.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** Spark's local mode starts on this JDK, runs a job over a partitioned RDD, and stops cleanly. */
class SparkSmokeTest {

    @Test
    void localTwoRunsAPartitionedJobAndStops() {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("nabla-smoke")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            List<Integer> xs = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                xs.add(i);
            }
            JavaRDD<Integer> rdd = sc.parallelize(xs, 4);
            assertEquals(4, rdd.getNumPartitions());
            // sum of squares 1..100 = n(n+1)(2n+1)/6
            long sumSq = rdd.map(x -> (long) x * x).reduce(Long::sum);
            assertEquals(100L * 101 * 201 / 6, sumSq);
            // each partition holds a contiguous quarter of the data
            List<Integer> sizes = rdd.mapPartitions(it -> {
                int n = 0;
                while (it.hasNext()) {
                    it.next();
                    n++;
                }
                return List.of(n).iterator();
            }).collect();
            assertEquals(List.of(25, 25, 25, 25), sizes);
        } finally {
            sc.stop();
        }
        assertTrue(sc.sc().isStopped());
    }
}
