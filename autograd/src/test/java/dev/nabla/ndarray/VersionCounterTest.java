package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Modifier;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The version counter is shared by every view and never replaced (issue 12): it used to be
 * created lazily by the first view, so two threads making views at once could each install
 * their own counter and an in-place bump seen through one view was lost for the other.
 */
class VersionCounterTest {

    @Test
    void theCounterIsAFinalFieldCreatedWithTheArray() throws Exception {
        // the structural guarantee: a final field cannot be replaced by a racing view
        assertTrue(Modifier.isFinal(NDArray.class.getDeclaredField("version").getModifiers()));
        NDArray a = NDArray.zeros(2, 3);
        assertEquals(0, a.version());
        NDArray v = a.reshape(3, 2);
        a.mulInPlace(2.0);
        assertEquals(1, v.version());
        assertEquals(1, v.flatten().unsqueeze(0).version());
    }

    @Test
    void viewsMadeConcurrentlyShareOneCounter() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 500; round++) {
                NDArray a = NDArray.zeros(4);
                CountDownLatch start = new CountDownLatch(1);
                Future<NDArray> f1 = pool.submit(() -> {
                    start.await();
                    return a.reshape(2, 2);
                });
                Future<NDArray> f2 = pool.submit(() -> {
                    start.await();
                    return a.unsqueeze(0);
                });
                start.countDown();
                NDArray v1 = f1.get();
                NDArray v2 = f2.get();
                v1.mulInPlace(3.0);
                assertEquals(1, v2.version(), "round " + round);
                assertEquals(1, a.version(), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
