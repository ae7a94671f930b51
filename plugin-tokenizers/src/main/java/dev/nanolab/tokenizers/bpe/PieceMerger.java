package dev.nanolab.tokenizers.bpe;

import dev.nanolab.tokenizers.codec.Utf8;
import java.util.HashMap;
import java.util.Map;

/**
 * Applies a model's merges to one piece, lowest rank first and, within a rank, leftmost first (the order of
 * HuggingFace's BPE and, for merges learnt in rank order, GPT-2's {@code bpe()}).
 *
 * <p>The symbols are a linked list over an array and the candidate merges a binary min-heap of
 * {@code rank << 32 | position}, so a piece of n bytes costs O(n log n) rather than a rescan per merge. A heap
 * entry goes stale when a neighbour merged first; popping it then finds that the symbols at its position are no
 * longer the rank's pair and skips it. Working arrays are kept per thread.
 */
final class PieceMerger {
    private static final int[] EMPTY = {};

    /** Working arrays of one thread, grown on demand. */
    private static final class Scratch {
        byte[] bytes = new byte[256];
        int[] symbols = new int[256];
        int[] next = new int[256];
        int[] prev = new int[256];
        long[] heap = new long[768];

        void ensure(int chars) {
            if (bytes.length >= 3 * chars) return;
            int n = Integer.highestOneBit(3 * chars) << 1;
            bytes = new byte[n];
            symbols = new int[n];
            next = new int[n];
            prev = new int[n];
            heap = new long[3 * n];
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final int[] byteIds;
    private final int[] mergeLeft;
    private final int[] mergeRight;
    private final int[] mergeResult;
    private final LongIntMap ranks;
    /** With {@code ignore_merges}: the id of each token's bytes, to take a whole piece as one token. */
    private final Map<String, Integer> wholeTokens;

    PieceMerger(BpeModel model) {
        byteIds = model.byteIds();
        mergeLeft = model.mergeLefts();
        mergeRight = model.mergeRights();
        mergeResult = model.mergeResults();
        ranks = new LongIntMap(mergeLeft.length);
        for (int r = 0; r < mergeLeft.length; r++) ranks.put(LongIntMap.pair(mergeLeft[r], mergeRight[r]), r);
        if (model.ignoreMerges()) {
            wholeTokens = new HashMap<>();
            for (int id = 0; id < model.vocabSize(); id++)
                if (model.tokenUnsafe(id) != null) wholeTokens.put(BpeModel.key(model.tokenUnsafe(id)), id);
        } else {
            wholeTokens = null;
        }
    }

    private int rank(int left, int right) {
        return ranks.get(LongIntMap.pair(left, right), -1);
    }

    /** The ids of {@code text[start, end)}, encoded as UTF-8 ({@link Utf8#encode(CharSequence, int, int, byte[])}). */
    int[] merge(String text, int start, int end) {
        Scratch s = SCRATCH.get();
        s.ensure(end - start);
        int n = Utf8.encode(text, start, end, s.bytes);
        if (n == 0) return EMPTY;
        if (wholeTokens != null) {
            Integer whole = wholeTokens.get(new String(s.bytes, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
            if (whole != null) return new int[] {whole};
        }
        int[] symbols = s.symbols;
        for (int i = 0; i < n; i++) symbols[i] = byteIds[s.bytes[i] & 0xFF];
        if (n == 1) return new int[] {symbols[0]};
        if (n == 2) {
            int r = rank(symbols[0], symbols[1]);
            return r < 0 ? new int[] {symbols[0], symbols[1]} : new int[] {mergeResult[r]};
        }
        int[] next = s.next, prev = s.prev;
        long[] heap = s.heap;
        int size = 0;
        for (int i = 0; i < n; i++) {
            next[i] = i + 1;
            prev[i] = i - 1;
        }
        for (int i = 0; i + 1 < n; i++) {
            int r = rank(symbols[i], symbols[i + 1]);
            if (r >= 0) size = push(heap, size, ((long) r << 32) | i);
        }
        int alive = n;
        while (size > 0) {
            long top = heap[0];
            size = pop(heap, size);
            int r = (int) (top >>> 32);
            int i = (int) top;
            int j = next[i];
            if (symbols[i] != mergeLeft[r] || j >= n || symbols[j] != mergeRight[r]) continue;
            symbols[i] = mergeResult[r];
            symbols[j] = -1;
            next[i] = next[j];
            if (next[i] < n) prev[next[i]] = i;
            alive--;
            if (prev[i] >= 0) {
                int left = rank(symbols[prev[i]], symbols[i]);
                if (left >= 0) size = push(heap, size, ((long) left << 32) | prev[i]);
            }
            if (next[i] < n) {
                int right = rank(symbols[i], symbols[next[i]]);
                if (right >= 0) size = push(heap, size, ((long) right << 32) | i);
            }
        }
        int[] ids = new int[alive];
        for (int i = 0, k = 0; i < n; i = next[i]) ids[k++] = symbols[i];
        return ids;
    }

    private static int push(long[] heap, int size, long value) {
        int i = size;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= value) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = value;
        return size + 1;
    }

    private static int pop(long[] heap, int size) {
        long last = heap[--size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && heap[child + 1] < heap[child]) child++;
            if (heap[child] >= last) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = last;
        return size;
    }
}
