package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Concurrent backward passes into shared leaves: every contribution lands in {@code .grad}.
 * Contributions are small integers, exact in float64, so the sum is exact in any order of additions.
 */
class ConcurrentBackwardTest {

    /** Runs {@code threads} tasks that start together (a barrier) and rethrows the first failure. */
    private static void concurrently(int threads, TaskBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    start.await();
                    body.run(id);
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    interface TaskBody {
        void run(int thread) throws Exception;
    }

    /**
     * N threads × K backwards, each building its own graph over two shared parameters
     * (a deep chain, so that passes overlap in time): the gradient is exactly the sum.
     */
    @Property(tries = 8)
    void concurrentBackwardsIntoSharedParametersSumExactly(@ForAll @IntRange(min = 2, max = 4) int threads,
                                                           @ForAll @IntRange(min = 20, max = 60) int backwards) throws Exception {
        Parameter w = new Parameter(NDArray.of(1, 2, 3), "w");
        Parameter b = new Parameter(NDArray.of(0, 0, 0), "b");
        int depth = 50;
        concurrently(threads, t -> {
            for (int k = 0; k < backwards; k++) {
                // y = sum(c·w + b) repeated depth times: d/dw = depth·c, d/db = depth (per element)
                double c = t + 1;
                Variable y = null;
                for (int d = 0; d < depth; d++) {
                    Variable term = w.mul(c).add(b).sum();
                    y = y == null ? term : y.add(term);
                }
                y.backward();
            }
        });
        double cSum = 0;
        for (int t = 0; t < threads; t++) {
            cSum += t + 1;
        }
        double gw = depth * backwards * cSum;
        double gb = (double) depth * backwards * threads;
        assertArrayEquals(new double[] {gw, gw, gw}, w.grad().data().toArray());
        assertArrayEquals(new double[] {gb, gb, gb}, b.grad().data().toArray());
    }

    /**
     * Threads backpropagate, with retainGraph, through the same intermediate nodes built once
     * before: each pass sees only its own seed, and the leaf gets every pass's contribution.
     */
    @Test
    void concurrentBackwardsThroughSharedIntermediatesWithRetainGraph() throws Exception {
        Parameter x = new Parameter(NDArray.of(1, -2, 3, 0.5), "x");
        Variable h = x;
        for (int d = 0; d < 200; d++) {
            h = h.mul(1.0).add(x);  // h_d = (d+1)·x: d h/dx = d + 1 = 201 at the end
        }
        Variable y = h.sum();
        int threads = 4;
        int backwards = 25;
        concurrently(threads, t -> {
            for (int k = 0; k < backwards; k++) {
                y.backward(null, true, false);
            }
        });
        double g = 201.0 * threads * backwards;
        assertArrayEquals(new double[] {g, g, g, g}, x.grad().data().toArray());
    }

    /**
     * Without retainGraph, the first pass to finish frees the shared graph: every other pass fails
     * with the retainGraph message (never a NullPointerException) and adds nothing to the leaf.
     */
    @Test
    void concurrentBackwardsThroughASharedGraphWithoutRetainGraphFailCleanly() throws Exception {
        for (int round = 0; round < 20; round++) {
            Parameter x = new Parameter(NDArray.of(1, 2), "x");
            Variable h = x;
            for (int d = 0; d < 300; d++) {
                h = h.mul(1.0).add(x);
            }
            Variable y = h.sum(); // dy/dx = 301
            java.util.concurrent.atomic.AtomicInteger succeeded = new java.util.concurrent.atomic.AtomicInteger();
            concurrently(3, t -> {
                try {
                    y.backward();
                    succeeded.incrementAndGet();
                } catch (IllegalStateException e) {
                    assertTrue(e.getMessage().contains("Specify retainGraph=true"), e.getMessage());
                }
            });
            assertTrue(succeeded.get() >= 1);
            double g = 301.0 * succeeded.get();
            assertArrayEquals(new double[] {g, g}, x.grad().data().toArray());
        }
    }

    /** Autograd.grad on shared graphs from many threads: each result is exactly its own gradient. */
    @Test
    void concurrentGradCallsOnASharedGraphAreIndependent() throws Exception {
        Parameter x = new Parameter(NDArray.of(1, 2, 3), "x");
        Variable h = x;
        for (int d = 0; d < 100; d++) {
            h = h.add(x);
        }
        Variable y = h.sum(); // dy/dx = 101
        int threads = 4;
        concurrently(threads, t -> {
            for (int k = 0; k < 30; k++) {
                Variable seed = Variable.constant(t + 1.0);
                Variable g = Autograd.grad(new Variable[] {y}, new Variable[] {x}, new Variable[] {seed}, false, true)[0];
                double want = 101.0 * (t + 1);
                assertArrayEquals(new double[] {want, want, want}, g.data().toArray());
            }
        });
        assertNull(x.grad());
    }

    /** A node's backward that itself runs a backward over a shared leaf (a nested pass on the same thread). */
    @Test
    void nestedBackwardPassesOnOneThreadDoNotCorruptEachOther() {
        Variable x = Variable.of(2.0, 3.0);
        final class InnerGrad extends Node {
            @Override
            protected NDArray forward(NDArray... xs) {
                return xs[0].copy();
            }

            @Override
            protected Variable[] backward(Variable gy) {
                // an unrelated gradient computation over x inside this backward
                Variable inner;
                try (Autograd.Scope s = Autograd.enableGrad()) {
                    inner = Autograd.grad(new Variable[] {input(0).mul(input(0)).sum()}, new Variable[] {input(0)},
                            null, false)[0];
                }
                assertArrayEquals(new double[] {4, 6}, inner.data().toArray());
                return new Variable[] {gy};
            }
        }
        // y = sum(2·id(x)) + sum(x·x): dy/dx = 2 + 2x, whichever of the two gen-0 nodes runs first
        Variable y = new InnerGrad().apply(x).mul(2.0).sum().add(x.mul(x).sum());
        y.backward();
        assertArrayEquals(new double[] {6, 8}, x.grad().data().toArray());
        Variable x2 = Variable.of(2.0, 3.0);
        Variable y2 = x2.mul(x2).sum().add(new InnerGrad().apply(x2).mul(2.0).sum());
        y2.backward();
        assertArrayEquals(new double[] {6, 8}, x2.grad().data().toArray());
    }

    /** The fixed-order case is exact to the bit even for inexact contributions: one thread, a serial order. */
    @Test
    void serialBackwardsAccumulateInOrderToTheBit() {
        Parameter w = new Parameter(NDArray.of(0.1, 0.7), "w");
        double expected = 0;
        for (int k = 0; k < 50; k++) {
            double c = 0.1 * (k + 1) / 3;
            w.mul(c).sum().backward();
            expected = k == 0 ? c : expected + c;
        }
        assertEquals(expected, w.grad().data().getFlat(0), 0.0);
        assertEquals(expected, w.grad().data().getFlat(1), 0.0);
        assertTrue(w.grad().data().getFlat(0) > 0);
    }
}
