package dev.nanolab.cpu.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void runCallsEveryWorkerOnceWithTheCallerAsWorkerZero() {
        try (WorkerPool pool = new WorkerPool(3)) {
            AtomicIntegerArray calls = new AtomicIntegerArray(3);
            Thread caller = Thread.currentThread();
            AtomicInteger callerIndex = new AtomicInteger(-1);
            pool.run((worker, workers) -> {
                assertThat(workers).isEqualTo(3);
                calls.incrementAndGet(worker);
                if (Thread.currentThread() == caller) callerIndex.set(worker);
            });
            assertThat(calls.toString()).isEqualTo("[1, 1, 1]");
            assertThat(callerIndex.get()).isZero();
        }
    }

    @Test
    void runSharedGetsAllDynamicWorkDoneWithDistinctIndices() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicInteger next = new AtomicInteger();
            AtomicLong sum = new AtomicLong();
            AtomicIntegerArray calls = new AtomicIntegerArray(2);
            pool.runShared((worker, workers) -> {
                calls.incrementAndGet(worker);
                for (int i; (i = next.getAndIncrement()) < 10_000; ) sum.addAndGet(i);
            });
            assertThat(sum.get()).isEqualTo(10_000L * 9_999 / 2);
            assertThat(calls.get(0)).isEqualTo(1);
            assertThat(calls.get(1)).isBetween(0, 1);
        }
    }

    /** Shared and ordinary dispatches interleaved many times: no region is lost, repeated or run after return. */
    @Test
    void sharedAndOrdinaryDispatchesInterleave() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicIntegerArray calls = new AtomicIntegerArray(2);
            AtomicInteger inRegion = new AtomicInteger();
            for (int round = 0; round < 5_000; round++) {
                if (round % 3 == 0) {
                    calls.set(0, 0);
                    calls.set(1, 0);
                    pool.run((worker, workers) -> calls.incrementAndGet(worker));
                    assertThat(calls.get(0) + calls.get(1)).as("round %d", round).isEqualTo(2);
                } else {
                    AtomicInteger next = new AtomicInteger();
                    int[] done = new int[64];
                    pool.runShared((worker, workers) -> {
                        inRegion.incrementAndGet();
                        for (int i; (i = next.getAndIncrement()) < done.length; ) done[i]++;
                        inRegion.decrementAndGet();
                    });
                    assertThat(inRegion.get()).as("round %d: a worker still in the region", round).isZero();
                    for (int d : done) assertThat(d).as("round %d", round).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void runSharedRethrowsAndStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThatThrownBy(() -> pool.runShared((worker, workers) -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            AtomicInteger ran = new AtomicInteger();
            pool.runShared((worker, workers) -> ran.incrementAndGet());
            assertThat(ran.get()).isBetween(1, 2);
        }
    }

    @Test
    void nestedRegionsRunSeriallyOnTheCallingThread() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicInteger innerWorkers = new AtomicInteger();
            pool.run((worker, workers) -> pool.runShared((w, ws) -> innerWorkers.addAndGet(ws)));
            assertThat(innerWorkers.get()).isEqualTo(2); // each of the 2 outer workers ran a 1-worker region
        }
    }

    @Test
    void parallelForCoversTheRangeOnce() {
        try (WorkerPool pool = new WorkerPool(2)) {
            int[] hits = new int[1000];
            pool.parallelFor(hits.length, 1, 0, (from, to) -> {
                for (int i = from; i < to; i++) hits[i]++;
            });
            for (int h : hits) assertThat(h).isEqualTo(1);
        }
    }
}
