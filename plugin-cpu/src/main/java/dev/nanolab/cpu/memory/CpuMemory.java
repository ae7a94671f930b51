package dev.nanolab.cpu.memory;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.DType;
import dev.nanolab.api.backend.Memory;
import dev.nanolab.api.backend.Storage;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;

/**
 * Heap memory with a pool: released storages wait in a LIFO list per (type, size) and are handed back for the next
 * allocation of that size. A step that allocates the same shapes in the same order gets the same arrays back, so in
 * steady state nothing is allocated and the GC has nothing to do.
 *
 * <p>The pool is bounded: when more than {@link #poolLimitBytes()} wait in it, the size classes used least recently
 * are dropped for the garbage collector. A training step reuses its classes every step and keeps them; a sampler
 * whose context grows by one token per step, and so needs new sizes every step, does not fill the heap. The default
 * bound is a third of the heap. A step whose storages add up to more (shakespeare-char at B64 T256) re-allocates
 * the excess every step, and the collector runs a full collection every few steps; at 60% that step kept everything
 * (peak 3.96 instead of 6.2 GB, 6.7–6.9 instead of 7.8–8.3 s) until, in a third run, the pool and the step's live
 * storages filled the old generation and the young collector thrashed (docs/benchmarks.md): a bound tied to what the
 * heap has free, not a fixed fraction, is left to do. An allocation the heap cannot serve empties the pool and tries
 * once more, so what waits for reuse does not by itself cause an OutOfMemoryError.
 *
 * <p>With poisoning on (tests), every allocation is filled with NaN (F32) or Integer.MIN_VALUE (I32), so a kernel
 * that fails to write part of its output is caught.
 */
public final class CpuMemory implements Memory {
    private final Backend backend;
    private final boolean poison;
    /** Free storages by (type, size), least recently used class first. */
    private final LinkedHashMap<Long, ArrayDeque<CpuStorage>> pool = new LinkedHashMap<>(64, 0.75f, true);
    private final long poolLimitBytes;
    private long pooledBytes;
    private long allocatedBytes;
    private long freshAllocations;

    public CpuMemory(Backend backend, boolean poison) {
        this(backend, poison, Math.max(256L << 20, Runtime.getRuntime().maxMemory() / 3));
    }

    /** @param poolLimitBytes the most bytes kept for reuse */
    public CpuMemory(Backend backend, boolean poison, long poolLimitBytes) {
        this.backend = backend;
        this.poison = poison;
        this.poolLimitBytes = poolLimitBytes;
    }

    @Override
    public synchronized Storage allocate(DType dtype, long size) {
        if (size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("storage of " + size + " elements exceeds the CPU backend's 2^31 limit");
        ArrayDeque<CpuStorage> free = pool.get(key(dtype, size));
        CpuStorage s = free == null ? null : free.pollFirst();
        if (s != null) pooledBytes -= size * dtype.bytes();
        if (s == null) {
            s = fresh(dtype, (int) size);
            allocatedBytes += size * dtype.bytes();
            freshAllocations++;
        }
        s.pooled = false;
        if (poison) {
            if (dtype == DType.F32) Arrays.fill(s.floats, Float.NaN);
            else Arrays.fill(s.ints, Integer.MIN_VALUE);
        }
        return s;
    }

    private CpuStorage fresh(DType dtype, int size) {
        try {
            return new CpuStorage(backend, dtype, size);
        } catch (OutOfMemoryError e) {
            if (pooledBytes == 0) throw e;
            clear(); // free storages of other sizes are the first thing to give back
            return new CpuStorage(backend, dtype, size);
        }
    }

    @Override
    public synchronized void release(Storage storage) {
        CpuStorage s = (CpuStorage) storage;
        if (s.pooled) throw new IllegalStateException("storage released twice");
        s.pooled = true;
        pool.computeIfAbsent(key(s.dtype(), s.size()), k -> new ArrayDeque<>()).addFirst(s);
        pooledBytes += s.size() * s.dtype().bytes();
        while (pooledBytes > poolLimitBytes && pool.size() > 1) {
            var eldest = pool.entrySet().iterator();
            ArrayDeque<CpuStorage> dropped = eldest.next().getValue();
            eldest.remove();
            for (CpuStorage d : dropped) {
                long bytes = d.size() * d.dtype().bytes();
                pooledBytes -= bytes;
                allocatedBytes -= bytes;
            }
        }
    }

    /** The most bytes that wait in the pool before the least recently used sizes are dropped. */
    public long poolLimitBytes() {
        return poolLimitBytes;
    }

    private static long key(DType dtype, long size) {
        return size * 2 + dtype.ordinal();
    }

    @Override
    public void write(Storage dst, long dstOffset, float[] src, int srcOffset, int length) {
        System.arraycopy(src, srcOffset, CpuStorage.floats(dst), Math.toIntExact(dstOffset), length);
    }

    @Override
    public void write(Storage dst, long dstOffset, int[] src, int srcOffset, int length) {
        System.arraycopy(src, srcOffset, CpuStorage.ints(dst), Math.toIntExact(dstOffset), length);
    }

    @Override
    public void read(Storage src, long srcOffset, float[] dst, int dstOffset, int length) {
        System.arraycopy(CpuStorage.floats(src), Math.toIntExact(srcOffset), dst, dstOffset, length);
    }

    @Override
    public void read(Storage src, long srcOffset, int[] dst, int dstOffset, int length) {
        System.arraycopy(CpuStorage.ints(src), Math.toIntExact(srcOffset), dst, dstOffset, length);
    }

    @Override
    public void fill(Storage dst, long offset, long length, float value) {
        int from = Math.toIntExact(offset), to = Math.toIntExact(offset + length);
        if (dst.dtype() == DType.F32) Arrays.fill(CpuStorage.floats(dst), from, to, value);
        else Arrays.fill(CpuStorage.ints(dst), from, to, (int) value);
    }

    @Override
    public synchronized long allocatedBytes() {
        return allocatedBytes;
    }

    /** How many allocations were not served from the pool: flat once a training loop is warm. */
    public synchronized long freshAllocations() {
        return freshAllocations;
    }

    public synchronized void clear() {
        for (ArrayDeque<CpuStorage> q : pool.values()) for (CpuStorage d : q) allocatedBytes -= d.size() * d.dtype().bytes();
        pool.clear();
        pooledBytes = 0;
    }
}
