package dev.nanolab.cpu.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that run one parallel region at a time, for kernels that take a few microseconds.
 *
 * <p>Why not a ForkJoinPool: a training step is a few hundred kernel calls of 10 µs to 10 ms each, and a fork/join
 * round trip (5-20 µs) would cost more than the small ones. Here the caller is worker 0, the other workers spin
 * briefly on a generation counter before parking, and a dispatch costs about a microsecond while the pool is hot.
 *
 * <p>Work is split statically by worker index, so a kernel that gives each worker a fixed part computes the same bits
 * on every run with the same thread count. A region started from inside a region runs serially on the calling thread.
 *
 * <p>{@link #run} waits for every worker, so on a machine shared with other processes a worker the OS has not
 * scheduled holds up the whole region. Kernels that hand out their work dynamically can use {@link #runShared}
 * instead, which does not wait for workers that have not started.
 */
public final class WorkerPool implements AutoCloseable {
    /** The body of a parallel region: called once per worker with its index in {@code [0, workers)}. */
    @FunctionalInterface
    public interface Region {
        void run(int worker, int workers);
    }

    /** The body of a parallel loop: called with contiguous, disjoint {@code [from, to)} ranges. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /** Spin this long (ns) waiting for work before parking; long enough to cover the gap between two kernels. */
    private static final long SPIN_NANOS = 200_000;

    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

    /** Low bits of {@link #sharedState}: how many workers are in the shared region (fewer than 0xFFFF), or closed. */
    private static final long SHARED_COUNT_MASK = 0xFFFF, SHARED_CLOSED = 0xFFFF;

    private final int threads;
    private final Thread[] workers;
    /** Counts dispatches; bit 0 tells whether the current one is shared ({@link #runShared}). */
    private volatile long generation;
    private volatile Region task;
    /** For a shared dispatch: its generation (high bits) and the workers in it, or closed (low bits). */
    private final AtomicLong sharedState = new AtomicLong(SHARED_CLOSED);
    private volatile boolean closed;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Object dispatchLock = new Object();

    public WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 1; i < threads; i++) {
            int index = i;
            Thread t = new Thread(() -> workLoop(index), "nanolab-cpu-" + i);
            t.setDaemon(true);
            workers[i - 1] = t;
            t.start();
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code region} on every worker and returns when all have finished. Rethrows the first exception a worker
     * threw. Serial (worker 0 of 1) when called from inside another region or when the pool has one thread.
     */
    public void run(Region region) {
        if (threads == 1 || INSIDE.get()) {
            region.run(0, 1);
            return;
        }
        synchronized (dispatchLock) {
            failure.set(null);
            pending.set(threads - 1);
            task = region;
            generation = (generation | 1) + 1; // next even value: a dispatch every worker takes part in
            wakeAndRunAsCaller(region);
            while (pending.get() != 0) Thread.onSpinWait();
            task = null;
            rethrowFailure();
        }
    }

    /**
     * Runs {@code region} on the caller and on the workers that join before the caller has finished its own call,
     * and returns when all that joined have finished; rethrows the first exception. A worker not yet running (busy
     * elsewhere, or not scheduled by the OS) does not join and is not waited for.
     *
     * <p>So the region must not rely on every worker taking part: it should hand out its work dynamically (e.g. from
     * an atomic counter) and let the caller finish whatever is left. Indices passed are distinct, in
     * {@code [0, workers)}; the caller is 0.
     */
    public void runShared(Region region) {
        if (threads == 1 || INSIDE.get()) {
            region.run(0, 1);
            return;
        }
        synchronized (dispatchLock) {
            failure.set(null);
            long g = (generation | 1) + 2; // next odd value: a shared dispatch
            sharedState.set(g << 16); // open, nobody in yet
            task = region;
            generation = g;
            wakeAndRunAsCaller(region);
            // Close the region once nobody is in it; a worker arriving later sees it closed and skips it.
            while (true) {
                long state = sharedState.get();
                if ((state & SHARED_COUNT_MASK) == 0 && sharedState.compareAndSet(state, state | SHARED_CLOSED)) break;
                Thread.onSpinWait();
            }
            task = null;
            rethrowFailure();
        }
    }

    /** Wakes the workers and runs the caller's share of a dispatch (worker 0), keeping its exception for later. */
    private void wakeAndRunAsCaller(Region region) {
        for (Thread w : workers) LockSupport.unpark(w);
        INSIDE.set(true);
        try {
            region.run(0, threads);
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        } finally {
            INSIDE.set(false);
        }
    }

    /** A worker's share of a dispatch; its exception is kept for the caller to rethrow. */
    private void runAsWorker(Region region, int index) {
        try {
            region.run(index, threads);
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    private void rethrowFailure() {
        Throwable t = failure.get();
        if (t == null) return;
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException(t);
    }

    /**
     * Runs {@code body} over {@code [0, n)} in parallel, or all of it on the caller when {@code n * costPerItem} is
     * below {@code minParallelCost} (so small ops do not pay for threads).
     *
     * <p>The range is cut into a fixed number of contiguous chunks (it depends only on n and the thread count), which
     * the caller and the workers claim from a counter. A worker the OS has not scheduled is not waited for: the caller
     * takes its chunks. Which thread runs a chunk varies from run to run; what a chunk computes does not, so kernels
     * whose chunks write disjoint outputs give the same bits every time.
     */
    public void parallelFor(int n, long costPerItem, long minParallelCost, Range body) {
        if (n <= 0) return;
        if (threads == 1 || n == 1 || (long) n * costPerItem < minParallelCost || INSIDE.get()) {
            body.run(0, n);
            return;
        }
        int chunks = Math.min(n, CHUNKS_PER_THREAD * threads);
        AtomicInteger next = new AtomicInteger();
        runShared((w, workers) -> {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                int from = (int) ((long) n * c / chunks), to = (int) ((long) n * (c + 1) / chunks);
                body.run(from, to);
            }
        });
    }

    /** Chunks per thread in {@link #parallelFor}: enough that a late worker leaves little for the caller to wait on. */
    private static final int CHUNKS_PER_THREAD = 4;

    private void workLoop(int index) {
        INSIDE.set(true);
        long seen = 0;
        while (true) {
            long spinStart = System.nanoTime();
            while (generation == seen && !closed) {
                if (System.nanoTime() - spinStart < SPIN_NANOS) Thread.onSpinWait();
                else LockSupport.parkNanos(this, 1_000_000);
            }
            if (closed) return;
            seen = generation;
            Region r = task;
            if ((seen & 1) == 0) {
                if (r != null) runAsWorker(r, index);
                pending.decrementAndGet();
            } else if (joinShared(seen)) {
                // r is this dispatch's task: the caller publishes it before opening the dispatch and clears it only
                // after closing it, so having got in, we read it while the dispatch was open.
                runAsWorker(r, index);
                sharedState.decrementAndGet();
            }
        }
    }

    /** Enters shared dispatch {@code g} if it is still open. */
    private boolean joinShared(long g) {
        while (true) {
            long state = sharedState.get();
            if (state >>> 16 != g || (state & SHARED_COUNT_MASK) == SHARED_CLOSED) return false;
            if (sharedState.compareAndSet(state, state + 1)) return true;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
