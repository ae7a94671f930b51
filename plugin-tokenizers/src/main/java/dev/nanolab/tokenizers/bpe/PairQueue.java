package dev.nanolab.tokenizers.bpe;

import java.util.Arrays;

/**
 * A binary max-heap of (count, pair) with the trainer's total order: the higher count first, then the smaller pair
 * key ({@code left << 32 | right}: the smaller left id, then the smaller right id). Entries are not updated in place
 * when a count falls; the trainer checks a popped entry against the {@link PairIndex} and pushes it again with its
 * current count if it went stale (lazy invalidation).
 */
final class PairQueue {
    private long[] counts = new long[1024];
    private long[] keys = new long[1024];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    long topCount() {
        return counts[0];
    }

    long topKey() {
        return keys[0];
    }

    private boolean before(long countA, long keyA, long countB, long keyB) {
        return countA > countB || (countA == countB && keyA < keyB);
    }

    void push(long count, long key) {
        if (size == counts.length) {
            counts = Arrays.copyOf(counts, size * 2);
            keys = Arrays.copyOf(keys, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(count, key, counts[parent], keys[parent])) break;
            counts[i] = counts[parent];
            keys[i] = keys[parent];
            i = parent;
        }
        counts[i] = count;
        keys[i] = key;
    }

    void pop() {
        long count = counts[--size];
        long key = keys[size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && before(counts[child + 1], keys[child + 1], counts[child], keys[child])) child++;
            if (!before(counts[child], keys[child], count, key)) break;
            counts[i] = counts[child];
            keys[i] = keys[child];
            i = child;
        }
        counts[i] = count;
        keys[i] = key;
    }
}
