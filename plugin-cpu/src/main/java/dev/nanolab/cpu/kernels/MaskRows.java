package dev.nanolab.cpu.kernels;

import dev.nanolab.api.backend.CausalMask;
import dev.nanolab.cpu.memory.CpuStorage;

/**
 * A {@link CausalMask} as one batch entry's queries see it: position and window from the mask, and the first key of
 * the query's document when the mask has document starts. Every row's keys stay one range [firstKey, endKey), so the
 * kernels' tile loops need nothing else.
 */
record MaskRows(CausalMask mask, int[] starts, int base) {
    /** Batch entry {@code b}'s rows. */
    static MaskRows of(CausalMask mask, int b) {
        int[] starts = mask.documentStarts() == null ? null : CpuStorage.ints(mask.documentStarts());
        return new MaskRows(mask, starts, b * mask.queries());
    }

    int firstKey(int queryIndex) {
        int f = mask.firstKey(queryIndex);
        return starts == null ? f : Math.max(f, starts[base + queryIndex]);
    }

    int endKey(int queryIndex) {
        return mask.endKey(queryIndex);
    }

    /** The first key row r of a (B, H, queries, keys) score array sees; {@code starts} is the mask's, read once. */
    static int firstKeyOfRow(CausalMask mask, int[] starts, int r) {
        int i = r % mask.queries(), f = mask.firstKey(i);
        if (starts == null) return f;
        int b = r / (mask.heads() * mask.queries());
        return Math.max(f, starts[b * mask.queries() + i]);
    }

    /** The mask's document starts as ints, or null. */
    static int[] startsOf(CausalMask mask) {
        return mask == null || mask.documentStarts() == null ? null : CpuStorage.ints(mask.documentStarts());
    }
}
