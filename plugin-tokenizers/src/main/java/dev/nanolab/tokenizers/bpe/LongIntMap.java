package dev.nanolab.tokenizers.bpe;

import java.util.Arrays;

/**
 * An open-addressing hash map from non-negative {@code long} keys (a token-id pair packed as
 * {@code left << 32 | right}) to {@code int} values, without boxing. Not thread-safe for writes; safe to read from
 * many threads once filled.
 */
final class LongIntMap {
    private static final long EMPTY = -1L;

    private long[] keys;
    private int[] values;
    private int size;
    private int shift;

    LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        allocate(capacity);
    }

    static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(keys, EMPTY);
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    int get(long key, int missing) {
        int mask = keys.length - 1;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) return values[i];
            if (k == EMPTY) return missing;
        }
    }

    void put(long key, int value) {
        if (key < 0) throw new IllegalArgumentException("negative key " + key);
        if ((size + 1) * 2 > keys.length) grow();
        int mask = keys.length - 1;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            if (keys[i] == EMPTY) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        allocate(oldKeys.length * 2);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) if (oldKeys[i] != EMPTY) put(oldKeys[i], oldValues[i]);
    }
}
