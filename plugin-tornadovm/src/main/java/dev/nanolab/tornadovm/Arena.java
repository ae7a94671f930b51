package dev.nanolab.tornadovm;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * Allocation of element ranges inside one device arena. Ranges are aligned to {@link #ALIGN} elements. A released
 * range of the size asked for is handed back first (most recently released first), so a step that allocates the same
 * shapes in the same order gets the same places; otherwise the top of the arena grows, and when it is full the
 * smallest free range that fits is split. Free neighbours merge, and a free range at the top lowers the top.
 */
final class Arena {
    static final int ALIGN = 16;
    private final String what;
    private final int base;
    private final int capacity;
    private int top;
    private final TreeMap<Integer, Integer> freeByOffset = new TreeMap<>();
    private final TreeMap<Integer, ArrayDeque<Integer>> freeBySize = new TreeMap<>();
    private long inUse;

    /** @param base first element handed out (what lies below is reserved) */
    Arena(String what, int base, int capacity) {
        this.what = what;
        this.base = align(base);
        this.capacity = capacity;
        this.top = this.base;
    }

    static int align(long n) {
        return (int) ((n + ALIGN - 1) / ALIGN * ALIGN);
    }

    /** The offset of a fresh range of {@code n} elements (n ≥ 1). */
    int allocate(long n) {
        if (n > capacity) throw outOfMemory(n);
        int len = align(Math.max(1, n));
        Integer off = take(len);
        if (off == null) {
            if ((long) top + len <= capacity) {
                off = top;
                top += len;
            } else {
                Map.Entry<Integer, ArrayDeque<Integer>> fit = freeBySize.ceilingEntry(len);
                if (fit == null) throw outOfMemory(n);
                int size = fit.getKey();
                off = take(size);
                int rest = size - len;
                if (rest > 0) addFree(off + len, rest);
            }
        }
        inUse += len;
        return off;
    }

    private Integer take(int len) {
        ArrayDeque<Integer> q = freeBySize.get(len);
        if (q == null) return null;
        Integer off = q.pollFirst();
        if (q.isEmpty()) freeBySize.remove(len);
        freeByOffset.remove(off);
        return off;
    }

    void release(int off, long n) {
        int len = align(Math.max(1, n));
        inUse -= len;
        // Merge with free neighbours.
        Map.Entry<Integer, Integer> below = freeByOffset.floorEntry(off - 1);
        if (below != null && below.getKey() + below.getValue() == off) {
            removeFree(below.getKey(), below.getValue());
            off = below.getKey();
            len += below.getValue();
        }
        Integer aboveLen = freeByOffset.get(off + len);
        if (aboveLen != null) {
            removeFree(off + len, aboveLen);
            len += aboveLen;
        }
        if (off + len == top) top = off;
        else addFree(off, len);
    }

    private void addFree(int off, int len) {
        freeByOffset.put(off, len);
        freeBySize.computeIfAbsent(len, k -> new ArrayDeque<>()).addFirst(off);
    }

    private void removeFree(int off, int len) {
        freeByOffset.remove(off);
        ArrayDeque<Integer> q = freeBySize.get(len);
        q.remove(off);
        if (q.isEmpty()) freeBySize.remove(len);
    }

    /** One past the highest element ever handed out at present. */
    int top() {
        return top;
    }

    long inUse() {
        return inUse;
    }

    int capacity() {
        return capacity;
    }

    private IllegalStateException outOfMemory(long n) {
        return new IllegalStateException("tornadovm: the " + what + " arena is full: " + n + " elements asked for, "
                + (capacity - top) + " free at the top of " + capacity + " (" + inUse + " in use); raise the backend's "
                + (what.startsWith("float") ? "memoryMiB" : "intMemoryMiB") + " setting");
    }
}
