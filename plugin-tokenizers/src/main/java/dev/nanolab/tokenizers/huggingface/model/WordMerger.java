package dev.nanolab.tokenizers.huggingface.model;

import java.util.Arrays;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Applies BPE merges to a word given as symbol ids, as HuggingFace's {@code Word::merge_all}: the pair with the lowest
 * merge rank is merged first, the leftmost among equal ranks; a queue entry is skipped when its pair has changed
 * since it was queued. O(n log n) in the length of the word.
 */
final class WordMerger {
    /** Merge of a pair: {@code rank << 32 | result id}, keyed by {@code left << 32 | right}. */
    private final Map<Long, Long> merges;

    WordMerger(Map<Long, Long> merges) {
        this.merges = merges;
    }

    static long pair(int left, int right) {
        return (long) left << 32 | (right & 0xFFFFFFFFL);
    }

    int[] merge(int[] symbols) {
        int n = symbols.length;
        if (n < 2) return symbols;
        int[] ids = symbols.clone();
        int[] prev = new int[n];
        int[] next = new int[n];
        boolean[] removed = new boolean[n];
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        // Entries: rank << 32 | position; the result id is looked up again when popped.
        PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (int i = 0; i + 1 < n; i++) push(queue, ids[i], ids[i + 1], i);
        while (!queue.isEmpty()) {
            long[] top = queue.poll();
            int pos = (int) top[1];
            if (removed[pos] || next[pos] < 0) continue;
            int right = next[pos];
            Long merge = merges.get(pair(ids[pos], ids[right]));
            if (merge == null || (int) (long) merge != (int) top[2]) continue;
            ids[pos] = (int) (long) merge;
            removed[right] = true;
            next[pos] = next[right];
            if (next[pos] >= 0) prev[next[pos]] = pos;
            if (prev[pos] >= 0) push(queue, ids[prev[pos]], ids[pos], prev[pos]);
            if (next[pos] >= 0) push(queue, ids[pos], ids[next[pos]], pos);
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) out[k++] = ids[i];
        return Arrays.copyOf(out, k);
    }

    private void push(PriorityQueue<long[]> queue, int left, int right, int pos) {
        Long merge = merges.get(pair(left, right));
        if (merge != null) queue.add(new long[] {merge >>> 32, pos, (int) (long) merge});
    }
}
