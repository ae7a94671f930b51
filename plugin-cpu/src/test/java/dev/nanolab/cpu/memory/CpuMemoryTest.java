package dev.nanolab.cpu.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.backend.DType;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.cpu.CpuBackend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pool: reuse, LRU bound, poisoning, misuse. */
class CpuMemoryTest {
    @Test
    void releasedStoragesComeBackForTheSameSize() {
        try (CpuBackend be = new CpuBackend(1, false)) {
            CpuMemory mem = new CpuMemory(be, false, 1 << 20);
            Storage a = mem.allocate(DType.F32, 100);
            mem.release(a);
            assertThat(mem.allocate(DType.F32, 100)).isSameAs(a);
            assertThat(mem.allocate(DType.F32, 100)).isNotSameAs(a);
            assertThat(mem.freshAllocations()).isEqualTo(2);
        }
    }

    @Test
    void anAllocationTheHeapCannotServeEmptiesThePoolFirst() {
        try (CpuBackend be = new CpuBackend(1, false)) {
            long heap = Runtime.getRuntime().maxMemory();
            CpuMemory mem = new CpuMemory(be, false, Long.MAX_VALUE);
            // 70% of the heap waits in the pool, then a storage of half the heap is asked for: it only fits once the
            // pool has let go.
            int chunk = 16 << 20; // 64 MiB of floats
            List<Storage> held = new ArrayList<>();
            for (long bytes = 0; bytes < heap * 7 / 10; bytes += 4L * chunk) held.add(mem.allocate(DType.F32, chunk));
            held.forEach(mem::release);
            held.clear();
            assertThat(mem.allocatedBytes()).isGreaterThan(heap / 2);
            int big = (int) Math.min(Integer.MAX_VALUE - 8, heap / 2 / 4);
            Storage s = mem.allocate(DType.F32, big);
            assertThat(s.size()).isEqualTo(big);
            assertThat(mem.allocatedBytes()).as("the pool was emptied").isEqualTo(4L * big);
            mem.release(s);
            mem.clear();
        }
    }

    @Test
    void aGrowingSequenceOfSizesDoesNotFillTheHeap() {
        try (CpuBackend be = new CpuBackend(1, false)) {
            long limit = 4L << 20; // 4 MiB
            CpuMemory mem = new CpuMemory(be, false, limit);
            for (int size = 1000; size < 300_000; size += 1000) {
                List<Storage> step = new ArrayList<>();
                for (int i = 0; i < 4; i++) step.add(mem.allocate(DType.F32, size));
                step.forEach(mem::release);
                // What waits in the pool stays within the limit plus the class just released.
                assertThat(mem.allocatedBytes()).isLessThanOrEqualTo(limit + 4L * 4 * size);
            }
        }
    }

    @Test
    void poisonedAllocationsAreNaNAndDoubleReleaseIsAnError() {
        try (CpuBackend be = new CpuBackend(1, true)) {
            Storage s = be.memory().allocate(DType.F32, 5);
            for (float v : CpuStorage.floats(s)) assertThat(v).isNaN();
            be.memory().release(s);
            assertThatThrownBy(() -> be.memory().release(s)).hasMessageContaining("released twice");
            assertThatThrownBy(() -> CpuStorage.floats(s)).hasMessageContaining("after it was released");
        }
    }
}
