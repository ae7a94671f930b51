package dev.nanolab.tokenizers.bpe;

import java.util.Arrays;

/**
 * The trainer's pair statistics: for each adjacent token pair, its count in the corpus (each word's occurrences
 * times the word's frequency) and the words it occurs in. Updated by deltas as merges rewrite words, so nothing is
 * recounted.
 *
 * <p>A word list may name words that no longer hold the pair (the trainer skips them); it never misses one that
 * does. Lists are dropped when a pair's count reaches zero.
 */
final class PairIndex {
    private final LongIntMap slotOf;
    private long[] keys;
    private long[] counts;
    private int[][] words;
    private int[] wordCount;
    private int[] touchedInStep;
    private int slots;

    private int step;
    private int[] touched = new int[64];
    private int touchedCount;

    PairIndex(int expectedPairs) {
        slotOf = new LongIntMap(expectedPairs);
        int capacity = Math.max(16, expectedPairs);
        keys = new long[capacity];
        counts = new long[capacity];
        words = new int[capacity][];
        wordCount = new int[capacity];
        touchedInStep = new int[capacity];
    }

    /** Adds {@code delta} to the pair's count; a positive delta also notes {@code word} as holding the pair. */
    void add(int left, int right, long delta, int word) {
        long key = LongIntMap.pair(left, right);
        int slot = slotOf.get(key, -1);
        if (slot < 0) {
            if (delta <= 0) return;
            slot = newSlot(key);
        }
        counts[slot] += delta;
        if (delta > 0) {
            int[] list = words[slot];
            int size = wordCount[slot];
            if (list == null) words[slot] = list = new int[4];
            if (size == 0 || list[size - 1] != word) {
                if (size == list.length) words[slot] = list = Arrays.copyOf(list, size * 2);
                list[size] = word;
                wordCount[slot] = size + 1;
            }
            if (touchedInStep[slot] != step) {
                touchedInStep[slot] = step;
                if (touchedCount == touched.length) touched = Arrays.copyOf(touched, touchedCount * 2);
                touched[touchedCount++] = slot;
            }
        } else if (counts[slot] == 0) {
            words[slot] = null;
            wordCount[slot] = 0;
        }
    }

    private int newSlot(long key) {
        if (slots == keys.length) {
            int capacity = slots * 2;
            keys = Arrays.copyOf(keys, capacity);
            counts = Arrays.copyOf(counts, capacity);
            words = Arrays.copyOf(words, capacity);
            wordCount = Arrays.copyOf(wordCount, capacity);
            touchedInStep = Arrays.copyOf(touchedInStep, capacity);
        }
        keys[slots] = key;
        slotOf.put(key, slots);
        return slots++;
    }

    long count(long key) {
        int slot = slotOf.get(key, -1);
        return slot < 0 ? 0 : counts[slot];
    }

    /** The words noted for the pair (a copy: merging them adds to other lists). */
    int[] words(long key) {
        int slot = slotOf.get(key, -1);
        return slot < 0 || words[slot] == null ? new int[0] : Arrays.copyOf(words[slot], wordCount[slot]);
    }

    /** Forgets a pair that has just been merged away. */
    void clear(long key) {
        int slot = slotOf.get(key, -1);
        if (slot < 0) return;
        counts[slot] = 0;
        words[slot] = null;
        wordCount[slot] = 0;
    }

    /** Starts a new step: {@link #forEachTouched} will report the pairs that gain counts from here on. */
    void startStep() {
        step++;
        touchedCount = 0;
    }

    /** Calls back each pair that gained counts in this step with its current count. */
    void forEachTouched(PairConsumer consumer) {
        for (int i = 0; i < touchedCount; i++) {
            int slot = touched[i];
            consumer.accept(keys[slot], counts[slot]);
        }
    }

    @FunctionalInterface
    interface PairConsumer {
        void accept(long key, long count);
    }
}
