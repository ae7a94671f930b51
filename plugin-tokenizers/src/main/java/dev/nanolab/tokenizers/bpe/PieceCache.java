package dev.nanolab.tokenizers.bpe;

import dev.nanolab.tokenizers.codec.TokenBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Remembers the ids of recently encoded pieces: text repeats the same words, and looking one up is much cheaper
 * than merging it again. Direct-mapped (a piece has one slot, a newer piece evicts an older one), so its size is
 * fixed, and lock-free: an entry is never changed once stored and is published with release/acquire ordering, so
 * a racing reader sees a whole entry or none.
 *
 * <p>An entry is one {@code int[]}, {@code [hash, chars, ids, c0 c1 ..., id0 id1 ...]}, so a hit costs two memory
 * loads rather than a chain of objects.
 */
final class PieceCache {
    /** Longer pieces are merged every time: they are rare and would evict common ones. */
    static final int MAX_PIECE_CHARS = 48;
    /**
     * 2^17 slots: on 10 MB of English about 7% of pieces miss with 2^16 slots and 2% with 2^18 (measured); a full
     * cache holds some 6 MB.
     */
    static final int DEFAULT_SLOTS_LOG2 = 17;

    private static final int HEADER = 3;

    private final AtomicReferenceArray<int[]> slots;
    private final int mask;

    PieceCache(int slotsLog2) {
        slots = new AtomicReferenceArray<>(1 << slotsLog2);
        mask = slots.length() - 1;
    }

    static int hash(String text, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) h = 31 * h + text.charAt(i);
        return h ^ (h >>> 15);
    }

    /** Appends the cached ids of {@code text[start, end)}, whose {@link #hash} is {@code hash}, if it is cached. */
    boolean appendTo(TokenBuffer out, String text, int start, int end, int hash) {
        int[] e = slots.getAcquire(hash & mask);
        int length = end - start;
        if (e == null || e[0] != hash || e[1] != length) return false;
        for (int i = 0; i < length; i++) if (e[HEADER + i] != text.charAt(start + i)) return false;
        int from = HEADER + length;
        out.addAll(e, from, from + e[2]);
        return true;
    }

    void put(String text, int start, int end, int hash, int[] ids) {
        int length = end - start;
        int[] e = new int[HEADER + length + ids.length];
        e[0] = hash;
        e[1] = length;
        e[2] = ids.length;
        for (int i = 0; i < length; i++) e[HEADER + i] = text.charAt(start + i);
        System.arraycopy(ids, 0, e, HEADER + length, ids.length);
        slots.setRelease(hash & mask, e);
    }
}
